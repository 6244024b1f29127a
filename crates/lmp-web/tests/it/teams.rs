//! Team pages over HTTP, on SQLite and PostgreSQL: who sees and who changes
//! a team, the huddle a co-lead records from a phone, and a savings claim
//! that only both sides together can verify.

use crate::helpers::{apps, TestApp, OTHER, ROLES};

/// The demo's first team: the labor and manager users are its co-leads, the
/// member user its labor sponsor.
async fn first_team(app: &TestApp) -> (i64, i64) {
    let team = app.store.first_team(app.main_pid).await.expect("team");
    let project = app
        .store
        .projects_of_team(app.main_pid, team)
        .await
        .expect("projects")
        .first()
        .map(|p| p.id)
        .expect("the showcase team has projects");
    (team, project)
}

fn today() -> String {
    lmp_store::today().to_string()
}

#[tokio::test]
async fn team_pages_for_every_role_and_the_other_partnership() {
    for app in apps().await {
        let (team, project) = first_team(&app).await;
        let pages: Vec<(String, [u16; 5])> = vec![
            (format!("/teams/{team}"), [200; 5]),
            (format!("/projects/{project}"), [200; 5]),
            ("/my-teams".into(), [200; 5]),
            // Admin, both co-leads and the sponsor may start a project; an analyst reads.
            (format!("/teams/{team}/projects/new"), [200, 200, 200, 200, 403]),
        ];
        for (i, role) in ROLES.iter().enumerate() {
            let browser = app.sign_in(role).await;
            for (path, expect) in &pages {
                let reply = browser.get(path).await;
                assert_eq!(reply.status, expect[i], "{} {role} GET {path}", app.store.backend());
            }
        }
        let other = app.sign_in(OTHER).await;
        for (path, _) in pages.iter().filter(|(p, _)| !p.contains("my-teams")) {
            assert_eq!(other.get(path).await.status, 404, "other partnership GET {path}");
        }
        let labor = app.sign_in("labor").await;
        let mine = labor.get("/my-teams").await.text;
        assert!(mine.contains(&format!("/teams/{team}")), "a co-lead finds their team");
        let page = labor.get(&format!("/teams/{team}")).await.text;
        for words in [
            "Path to Performance: level",
            "To reach level",
            "self-reported",
            "verified",
            "Record a meeting",
        ] {
            assert!(page.contains(words), "the team page shows {words:?}");
        }
        let analyst = app.sign_in("analyst").await.get(&format!("/teams/{team}")).await.text;
        assert!(!analyst.contains("Record a meeting"), "an analyst gets no forms");
    }
}

#[tokio::test]
async fn a_co_lead_records_a_huddle_and_a_measurement_from_the_team_page() {
    for app in apps().await {
        let (team, project) = first_team(&app).await;
        let labor = app.sign_in("labor").await;
        let members = app
            .store
            .body_members(app.main_pid, team, None, lmp_core::paging::Page::first())
            .await
            .expect("members")
            .items;
        let (a, b) = (members[0].person_id.to_string(), members[1].person_id.to_string());
        let before = app
            .store
            .meetings_of_team(app.main_pid, team, 500)
            .await
            .expect("m")
            .len();
        let day = today();
        let form = [
            ("csrf", labor.csrf.as_str()),
            ("kind", "huddle"),
            ("held_on", day.as_str()),
            ("run_by", ""),
            ("attendee", a.as_str()),
            ("attendee", b.as_str()),
            ("notes", "7:15 huddle"),
        ];
        let forged = labor
            .post(
                &format!("/teams/{team}/meetings"),
                &[("csrf", "forged"), ("kind", "huddle")],
            )
            .await;
        assert_eq!(forged.status, 403);
        let reply = labor.post(&format!("/teams/{team}/meetings"), &form).await;
        assert_eq!(reply.status, 303, "{}", reply.text);
        assert!(reply.location.as_deref().is_some_and(|l| l.contains("done=")));
        let after = app.store.meetings_of_team(app.main_pid, team, 500).await.expect("m");
        assert_eq!(after.len(), before + 1, "{}", app.store.backend());
        assert_eq!(after[0].labor, 2);

        let measure = app.store.measures_of_project(app.main_pid, project).await.expect("m")[0].clone();
        let add = |value: &'static str| {
            let measure_id = measure.id.to_string();
            let unit = measure.unit.clone();
            let day = day.clone();
            let labor = &labor;
            async move {
                labor
                    .post(
                        &format!("/projects/{project}/measurements"),
                        &[
                            ("csrf", labor.csrf.as_str()),
                            ("measure_id", measure_id.as_str()),
                            ("unit", unit.as_str()),
                            ("taken_on", day.as_str()),
                            ("value", value),
                        ],
                    )
                    .await
            }
        };
        let bad = add("lots").await;
        assert_eq!(bad.status, 303);
        let back = bad.location.expect("back to the page");
        assert!(back.contains("error="), "{back}");
        assert!(labor.get(&back).await.text.contains("is not a number"));
        let good = add("31.5").await;
        assert!(
            good.location.as_deref().is_some_and(|l| l.contains("done=")),
            "{:?}",
            good.location
        );
        let twice = add("30").await;
        assert!(twice.location.as_deref().is_some_and(|l| l.contains("error=")));
        let page = labor.get(&format!("/projects/{project}")).await.text;
        assert!(
            page.contains(&format!("latest 31.5 {} on {day}", measure.unit)),
            "the run chart has the point"
        );

        // An analyst reads but records nothing; the other partnership cannot even find it.
        let analyst = app.sign_in("analyst").await;
        let refused = analyst
            .post(
                &format!("/teams/{team}/meetings"),
                &[("csrf", analyst.csrf.as_str()), ("kind", "huddle")],
            )
            .await;
        assert_eq!(refused.status, 403);
        let other = app.sign_in(OTHER).await;
        let hidden = other
            .post(
                &format!("/teams/{team}/meetings"),
                &[
                    ("csrf", other.csrf.as_str()),
                    ("kind", "huddle"),
                    ("held_on", day.as_str()),
                    ("attendee", a.as_str()),
                ],
            )
            .await;
        assert!(matches!(hidden.status, 403 | 404), "{}", hidden.status);
        assert_eq!(
            app.store
                .meetings_of_team(app.main_pid, team, 500)
                .await
                .expect("m")
                .len(),
            before + 1
        );
    }
}

#[tokio::test]
async fn both_co_leads_sign_before_a_claim_counts_as_verified() {
    for app in apps().await {
        let (team, project) = first_team(&app).await;
        let labor = app.sign_in("labor").await;
        let before = app.store.savings_of_team(app.main_pid, team).await.expect("totals");
        let claim = |amount: &'static str| {
            let labor = &labor;
            async move {
                labor
                    .post(
                        &format!("/projects/{project}/claims"),
                        &[
                            ("csrf", labor.csrf.as_str()),
                            ("category", "cost_reduction"),
                            ("amount", amount),
                            ("period_start", "2026-01-01"),
                            ("period_end", "2026-06-30"),
                            ("method", "Fewer linen deliveries, priced at the contract rate"),
                            ("corrects", ""),
                        ],
                    )
                    .await
            }
        };
        for bad in ["-5", "0", "12.345", "9000000"] {
            let reply = claim(bad).await;
            assert!(
                reply.location.as_deref().is_some_and(|l| l.contains("error=")),
                "{bad}: {:?}",
                reply.location
            );
        }
        let reply = claim("1,234.56").await;
        assert!(
            reply.location.as_deref().is_some_and(|l| l.contains("done=")),
            "{:?}",
            reply.location
        );
        let entered = app
            .store
            .claims_of_team(app.main_pid, team)
            .await
            .expect("claims")
            .into_iter()
            .find(|c| c.amount_cents == 123_456)
            .expect("the claim");
        let sign = format!("/claims/{}/sign", entered.id);
        let back = format!("/teams/{team}#savings");
        let signed = labor
            .post(&sign, &[("csrf", labor.csrf.as_str()), ("back", back.as_str())])
            .await;
        assert_eq!(signed.status, 303);
        assert!(signed
            .location
            .as_deref()
            .is_some_and(|l| l.ends_with("#savings") && l.contains("done=")));
        let again = labor
            .post(&sign, &[("csrf", labor.csrf.as_str()), ("back", back.as_str())])
            .await;
        assert!(
            again.location.as_deref().is_some_and(|l| l.contains("error=")),
            "signing twice is refused"
        );
        let admin = app.sign_in("admin").await;
        let by_admin = admin
            .post(&sign, &[("csrf", admin.csrf.as_str()), ("back", back.as_str())])
            .await;
        assert_eq!(by_admin.status, 403, "an administrator cannot verify a team's savings");
        let middle = app.store.savings_of_team(app.main_pid, team).await.expect("totals");
        assert_eq!(middle.self_reported_cents - before.self_reported_cents, 123_456);
        assert_eq!(middle.verified_cents, before.verified_cents);
        let manager = app.sign_in("manager").await;
        let verified = manager
            .post(&sign, &[("csrf", manager.csrf.as_str()), ("back", "//evil.example/")])
            .await;
        assert_eq!(
            verified.location.as_deref().map(|l| l.starts_with("/my-teams")),
            Some(true),
            "never off-site"
        );
        let after = app.store.savings_of_team(app.main_pid, team).await.expect("totals");
        assert_eq!(
            after.verified_cents - before.verified_cents,
            123_456,
            "{}",
            app.store.backend()
        );
        app.store.verify_audit().await.expect("every step is in the chain");
    }
}

#[tokio::test]
async fn the_api_runs_a_project_from_start_to_a_verified_saving() {
    for app in apps().await {
        let (team, project) = first_team(&app).await;
        // Reads: everyone in the partnership; nobody outside it.
        let reads = [
            format!("/api/v1/teams/{team}"),
            format!("/api/v1/teams/{team}/levels"),
            format!("/api/v1/teams/{team}/meetings"),
            format!("/api/v1/teams/{team}/projects"),
            format!("/api/v1/teams/{team}/savings"),
            format!("/api/v1/projects/{project}"),
            format!("/api/v1/projects/{project}/measurements"),
        ];
        for path in &reads {
            for role in ROLES {
                assert_eq!(app.get(role, path).await.status, 200, "{role} GET {path}");
            }
            assert_eq!(app.get(OTHER, path).await.status, 404, "other partnership GET {path}");
            assert_eq!(app.api(None, "GET", path, None).await.status, 401);
        }
        let shown = app.get("member", &format!("/api/v1/teams/{team}")).await.json();
        assert_eq!(shown["rating"]["level"], 3);
        assert!(shown["rating"]["next_level_gaps"]
            .as_array()
            .is_some_and(|g| !g.is_empty()));
        assert!(shown["savings"]["self_reported_cents"].as_i64().is_some());

        let mut body = serde_json::json!({
            "title": "Safe lifting",
            "compass": [],
            "aim": "Fewer lifting injuries on nights",
            "how_we_know": "Injuries per quarter",
            "change_idea": "A lift team on nights",
            "measure": "Lifting injuries",
            "unit": "per quarter",
            "baseline": 6,
            "target": 2,
            "target_date": "2027-06-30",
            "balancing": [{"name": "Overtime hours", "unit": "hours per pay period", "direction": "down"}]
        });
        let path = format!("/api/v1/teams/{team}/projects");
        let no_compass = app.api(Some("labor"), "POST", &path, Some(body.clone())).await;
        assert_eq!(no_compass.status, 422, "{}", no_compass.text);
        assert_eq!(no_compass.json()["code"], "rule_violation");
        body["compass"] = serde_json::json!(["best_place_to_work", "best_quality"]);
        assert_eq!(
            app.api(Some("analyst"), "POST", &path, Some(body.clone())).await.status,
            403
        );
        assert_eq!(
            app.api(Some(OTHER), "POST", &path, Some(body.clone())).await.status,
            404
        );
        let created = app.api(Some("labor"), "POST", &path, Some(body)).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let new_id = created.json()["id"].as_i64().expect("id");
        let detail = app.get("labor", &format!("/api/v1/projects/{new_id}")).await.json();
        let measure = detail["measures"][0]["id"].as_i64().expect("main measure");
        assert_eq!(detail["measures"][1]["role"], "balancing");

        let point = |unit: &str, taken_on: &str| serde_json::json!({"measure_id": measure, "taken_on": taken_on, "value": 5, "unit": unit});
        let measurements = format!("/api/v1/projects/{new_id}/measurements");
        let wrong_unit = app
            .api(Some("labor"), "POST", &measurements, Some(point("per month", &today())))
            .await;
        assert_eq!(wrong_unit.status, 422);
        assert!(wrong_unit.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("wrong unit")));
        assert_eq!(
            app.api(
                Some("labor"),
                "POST",
                &measurements,
                Some(point("per quarter", &today()))
            )
            .await
            .status,
            204
        );

        let claim = |amount: i64| {
            serde_json::json!({"category": "cost_avoidance", "amount_cents": amount, "period_start": "2026-01-01",
                "period_end": "2026-03-31", "method": "Two fewer injury claims at the average claim cost"})
        };
        let savings = format!("/api/v1/projects/{new_id}/savings");
        for bad in [-1, 0, 10_000_000_000] {
            let refused = app.api(Some("labor"), "POST", &savings, Some(claim(bad))).await;
            assert_eq!(refused.status, 422, "{bad}: {}", refused.text);
        }
        let entered = app.api(Some("labor"), "POST", &savings, Some(claim(2_500_000))).await;
        assert_eq!(entered.status, 201, "{}", entered.text);
        let claim_id = entered.json()["id"].as_i64().expect("claim id");
        let sign = format!("/api/v1/savings/{claim_id}/signatures");
        let first = app.api(Some("labor"), "POST", &sign, None).await;
        assert_eq!(first.json()["verification"], "awaiting");
        assert_eq!(
            app.api(Some("labor"), "POST", &sign, None).await.status,
            422,
            "once each"
        );
        assert_eq!(app.api(Some("admin"), "POST", &sign, None).await.status, 403);
        assert_eq!(app.api(Some(OTHER), "POST", &sign, None).await.status, 404);
        let second = app.api(Some("manager"), "POST", &sign, None).await;
        assert_eq!(second.json()["verification"], "verified", "{}", second.text);

        let openapi = app.api(None, "GET", "/api/v1/openapi.json", None).await.json();
        for path in [
            "/api/v1/teams/{id}/projects",
            "/api/v1/savings/{id}/signatures",
            "/api/v1/projects/{id}/measurements",
        ] {
            assert!(openapi["paths"][path].is_object(), "{path} is documented");
        }
    }
}

#[tokio::test]
async fn the_scorecard_drills_down_and_downloads_for_every_role() {
    for app in apps().await {
        let national = app.get("analyst", "/api/v1/scorecard").await;
        assert_eq!(national.status, 200, "{}", national.text);
        let card = national.json();
        let region = card["rows"][0]["id"].as_i64().expect("a region");
        let (team, _) = first_team(&app).await;
        let pages: Vec<String> = vec![
            "/scorecard".into(),
            format!("/scorecard?unit={region}"),
            format!("/scorecard?team={team}"),
            "/scorecard/teams?behind=level:3".into(),
            format!("/scorecard/teams?unit={region}&behind=compass:best_quality"),
            "/scorecard/teams?behind=missing_leader".into(),
            "/scorecard.csv".into(),
            format!("/scorecard.xlsx?unit={region}"),
        ];
        for role in ROLES {
            let browser = app.sign_in(role).await;
            for path in &pages {
                assert_eq!(browser.get(path).await.status, 200, "{role} GET {path}");
            }
        }
        let other = app.sign_in(OTHER).await;
        assert_eq!(other.get(&format!("/scorecard?unit={region}")).await.status, 404);
        assert_eq!(other.get(&format!("/scorecard?team={team}")).await.status, 404);
        assert_eq!(
            app.get(OTHER, &format!("/api/v1/scorecard?unit={region}")).await.status,
            404
        );
        let theirs = app.get(OTHER, "/api/v1/scorecard").await.json();
        assert_ne!(theirs["teams"], card["teams"], "each partnership sees its own teams");

        let browser = app.sign_in("member").await;
        let page = browser.get("/scorecard").await.text;
        assert!(page.contains("self-reported savings") && page.contains("verified by both sides"));
        let csv = browser.get("/scorecard.csv").await.text;
        // A table per section, each with its header: what a spreadsheet opens.
        assert!(csv.starts_with("summary\nfigure,value\n"), "{csv}");
        let teams = card["teams"].as_i64().expect("teams");
        assert!(csv.contains(&format!("\nteams,{teams}\n")), "{csv}");
        assert!(
            csv.contains("\nparticipation_by_level\nlevel,decisions_adopted,made_jointly,percent_joint\n"),
            "{csv}"
        );
        let xlsx = browser
            .client
            .get(format!("{}/scorecard.xlsx", app.base))
            .send()
            .await
            .expect("xlsx");
        assert_eq!(
            xlsx.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(&xlsx.bytes().await.expect("bytes")[..2], b"PK");

        let behind = app
            .get("analyst", "/api/v1/scorecard/teams?behind=level:3&limit=500")
            .await
            .json();
        assert_eq!(behind["total"], card["by_level"][3]);
        assert_eq!(
            app.get("analyst", "/api/v1/scorecard/teams?behind=level:9")
                .await
                .status,
            400
        );
        assert_eq!(
            app.get("analyst", "/api/v1/scorecard/teams?behind=compass:cheapest")
                .await
                .status,
            400
        );
        let local = app.get("admin", "/api/v1/locals?limit=1").await.json()["items"][0]["id"].clone();
        assert_eq!(
            app.get("analyst", &format!("/api/v1/scorecard?unit={local}"))
                .await
                .status,
            400
        );
    }
}

/// People of `kind` who hold no seat on `team`.
async fn not_on_team(app: &TestApp, team: i64, kind: &str, n: usize) -> Vec<i64> {
    let mut seated: Vec<i64> = app
        .store
        .body_leaders(app.main_pid, team)
        .await
        .expect("leaders")
        .iter()
        .map(|s| s.person_id)
        .collect();
    let members = app
        .store
        .body_members(app.main_pid, team, None, lmp_core::paging::Page::new(Some(500), None))
        .await
        .expect("members");
    seated.extend(members.items.iter().map(|s| s.person_id));
    let people = app
        .get("admin", &format!("/api/v1/people?kind={kind}&limit=200"))
        .await
        .json();
    people["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .filter(|id| !seated.contains(id))
        .take(n)
        .collect()
}

#[tokio::test]
async fn a_co_lead_manages_the_members_of_their_own_side_only() {
    for app in apps().await {
        // The member sign-in's person becomes labor co-lead of a team it does not sit on.
        let team = app.get("admin", "/api/v1/teams?limit=3").await.json()["items"][2]["id"]
            .as_i64()
            .expect("team");
        let person = app
            .store
            .user_by_name("member")
            .await
            .expect("q")
            .expect("member")
            .person_id
            .expect("linked");
        app.with_two_keys(serde_json::json!({
            "change": "add_co_lead", "body_id": team, "person_id": person, "side": "labor",
            "reason": "Elected by the unit"}))
            .await;

        let worker = not_on_team(&app, team, "union_member", 1).await[0];
        let manager = not_on_team(&app, team, "manager", 1).await[0];
        let seats = format!("/api/v1/bodies/{team}/seats");
        let add =
            |person: i64, role: &str, side: &str| serde_json::json!({"person_id": person, "role": role, "side": side});
        let added = app
            .api(Some("member"), "POST", &seats, Some(add(worker, "member", "labor")))
            .await;
        assert_eq!(added.status, 201, "{} {}", app.store.backend(), added.text);
        let other_side = app
            .api(
                Some("member"),
                "POST",
                &seats,
                Some(add(manager, "member", "management")),
            )
            .await;
        assert_eq!(
            other_side.status, 403,
            "the management side's members are the management co-lead's"
        );
        let sponsor = app
            .api(Some("member"), "POST", &seats, Some(add(worker, "sponsor", "labor")))
            .await;
        assert_eq!(
            sponsor.status, 403,
            "co-leads and sponsors are given by the sides' representatives"
        );
        let seat_id = added.json()["id"].as_i64().expect("seat id");
        let removed = app
            .api(Some("member"), "DELETE", &format!("{seats}/{seat_id}"), None)
            .await;
        assert_eq!(removed.status, 204);
        // Elsewhere the same sign-in manages nothing.
        let elsewhere = app.get("admin", "/api/v1/teams?limit=5").await.json()["items"][4]["id"]
            .as_i64()
            .expect("team");
        let refused = app
            .api(
                Some("member"),
                "POST",
                &format!("/api/v1/bodies/{elsewhere}/seats"),
                Some(add(worker, "member", "labor")),
            )
            .await;
        assert_eq!(refused.status, 403);
        let page = app.sign_in("member").await.get(&format!("/bodies/{team}")).await.text;
        assert!(page.contains("Add a member"), "the body page offers the co-lead's form");
    }
}
