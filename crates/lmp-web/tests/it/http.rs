//! The app over HTTP, on SQLite and (where configured) PostgreSQL: every
//! route for every role, the wall between partnerships, and bad input.

use crate::helpers::{apps, sqlite_app, TestApp, OTHER, ROLES};
use serde_json::json;

/// Expected status per role, in the order of [`ROLES`].
type Expect = [u16; 5];
const ALL_OK: Expect = [200; 5];
const AUDITORS: Expect = [200, 403, 403, 403, 200];
const ADMIN_ONLY: Expect = [200, 403, 403, 403, 403];

#[tokio::test]
async fn every_api_read_for_every_role_and_the_other_partnership() {
    for app in apps().await {
        let ids = app.sample_ids().await;
        let routes: Vec<(String, Expect)> = vec![
            ("/api/v1/me".into(), ALL_OK),
            ("/api/v1/dashboard".into(), ALL_OK),
            ("/api/v1/people?search=a".into(), ALL_OK),
            (format!("/api/v1/people/{}", ids.person), ALL_OK),
            ("/api/v1/locals".into(), ALL_OK),
            (format!("/api/v1/locals/{}", ids.local), ALL_OK),
            (format!("/api/v1/locals/{}/stewards", ids.local), ALL_OK),
            ("/api/v1/units?kind=region".into(), ALL_OK),
            (format!("/api/v1/units/{}", ids.unit), ALL_OK),
            ("/api/v1/bodies?level=facility".into(), ALL_OK),
            ("/api/v1/teams".into(), ALL_OK),
            (format!("/api/v1/bodies/{}", ids.team), ALL_OK),
            (format!("/api/v1/bodies/{}/seats", ids.team), ALL_OK),
            ("/api/v1/audit".into(), AUDITORS),
            ("/api/v1/users".into(), ADMIN_ONLY),
            ("/api/v1/training/classes".into(), ALL_OK),
            ("/api/v1/training/sessions".into(), ALL_OK),
        ];
        for (path, expect) in &routes {
            for (role, want) in ROLES.iter().zip(expect) {
                let reply = app.get(role, path).await;
                assert_eq!(
                    reply.status,
                    *want,
                    "{} {role} GET {path}: {}",
                    app.store.backend(),
                    reply.text
                );
            }
            let anonymous = app.api(None, "GET", path, None).await;
            assert_eq!(anonymous.status, 401, "no token GET {path}");
            assert_eq!(anonymous.json()["code"], "unauthorized");
            // The other partnership: a single resource of this one is not
            // found; a list shows only its own.
            let other = app.get(OTHER, path).await;
            if path.ends_with(char::is_numeric) || path.ends_with("/seats") || path.ends_with("/stewards") {
                assert_eq!(other.status, 404, "other partnership GET {path}: {}", other.text);
                assert_eq!(other.json()["code"], "not_found");
            } else if other.status == 200 {
                assert!(
                    !other.text.contains("Cascadia"),
                    "other partnership saw this one's data at {path}"
                );
            }
        }
        let others_people = app.get(OTHER, "/api/v1/people?limit=500").await.json();
        let ours = app.get("admin", "/api/v1/people?limit=1").await.json();
        assert!(others_people["total"].as_u64() < ours["total"].as_u64());
        assert!(others_people["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|p| p["employee_no"].as_str().unwrap_or("").starts_with("RI")));
    }
}

/// Union members (or managers) who hold no seat in `team`, to seat in tests.
async fn outsiders(app: &TestApp, team: i64, kind: &str, n: usize) -> Vec<i64> {
    let leaders = app.store.body_leaders(app.main_pid, team).await.expect("leaders");
    let members = app
        .store
        .body_members(app.main_pid, team, None, lmp_core::paging::Page::new(Some(500), None))
        .await
        .expect("members");
    let seated: Vec<i64> = leaders
        .iter()
        .chain(members.items.iter())
        .map(|s| s.person_id)
        .collect();
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
async fn each_side_gives_and_takes_only_its_own_seats() {
    for app in apps().await {
        let team = app.sample_ids().await.team;
        let members = outsiders(&app, team, "union_member", 5).await;
        let managers = outsiders(&app, team, "manager", 5).await;
        let labor_expect = [201, 201, 403, 403, 403];
        let management_expect = [201, 403, 201, 403, 403];
        for (i, role) in ROLES.iter().enumerate() {
            let body = json!({"person_id": members[i], "role": "member", "side": "labor"});
            let reply = app
                .api(Some(role), "POST", &format!("/api/v1/bodies/{team}/seats"), Some(body))
                .await;
            assert_eq!(
                reply.status,
                labor_expect[i],
                "{} {role} adds a labor seat: {}",
                app.store.backend(),
                reply.text
            );
            let body = json!({"person_id": managers[i], "role": "member", "side": "management"});
            let reply = app
                .api(Some(role), "POST", &format!("/api/v1/bodies/{team}/seats"), Some(body))
                .await;
            assert_eq!(
                reply.status, management_expect[i],
                "{role} adds a management seat: {}",
                reply.text
            );
        }
        // Removing: a fresh seat for each attempt, given by the admin.
        for (i, role) in ROLES.iter().enumerate() {
            for (side, people, expect) in [
                ("labor", &members, labor_expect),
                ("management", &managers, management_expect),
            ] {
                let body = json!({"person_id": people[i], "role": "sponsor", "side": side});
                let seat = app
                    .api(
                        Some("admin"),
                        "POST",
                        &format!("/api/v1/bodies/{team}/seats"),
                        Some(body),
                    )
                    .await;
                assert_eq!(seat.status, 201, "{}", seat.text);
                let seat_id = seat.json()["id"].as_i64().expect("seat id");
                let reply = app
                    .api(
                        Some(role),
                        "DELETE",
                        &format!("/api/v1/bodies/{team}/seats/{seat_id}"),
                        None,
                    )
                    .await;
                let want = if expect[i] == 201 { 204 } else { 403 };
                assert_eq!(reply.status, want, "{role} removes a {side} seat: {}", reply.text);
                let other = app
                    .api(
                        Some(OTHER),
                        "DELETE",
                        &format!("/api/v1/bodies/{team}/seats/{seat_id}"),
                        None,
                    )
                    .await;
                assert!(
                    other.status == 404,
                    "the other partnership removes a seat: {}",
                    other.status
                );
            }
        }
        // The rules hold over HTTP too.
        let both = app.get("admin", &format!("/api/v1/bodies/{team}")).await.json();
        let labor_co_lead = both["leaders"]
            .as_array()
            .expect("leaders")
            .iter()
            .find(|s| s["role"] == "co_lead" && s["side"] == "labor")
            .cloned();
        if let Some(lead) = labor_co_lead {
            let body = json!({"person_id": lead["person_id"], "role": "co_lead", "side": "management"});
            let reply = app
                .api(
                    Some("admin"),
                    "POST",
                    &format!("/api/v1/bodies/{team}/seats"),
                    Some(body),
                )
                .await;
            assert_eq!(
                reply.status, 422,
                "a union member cannot be a management co-lead: {}",
                reply.text
            );
            assert_eq!(reply.json()["code"], "rule_violation");
        }
        let other = app
            .api(
                Some(OTHER),
                "POST",
                &format!("/api/v1/bodies/{team}/seats"),
                Some(json!({"person_id": members[0], "role": "member", "side": "labor"})),
            )
            .await;
        assert_eq!(other.status, 404);
        assert!(app.store.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn api_errors_are_json_with_a_code() {
    for app in apps().await {
        let team = app.sample_ids().await.team;
        let bad_token = TestApp::client()
            .get(format!("{}/api/v1/people", app.base))
            .bearer_auth("lmp_nope")
            .send()
            .await
            .expect("req");
        assert_eq!(bad_token.status(), 401);
        let cases = [
            (
                "POST",
                format!("/api/v1/bodies/{team}/seats"),
                Some(json!({"person_id": "x"})),
                400,
                "bad_request",
            ),
            (
                "POST",
                format!("/api/v1/bodies/{team}/seats"),
                Some(json!({"person_id": 1, "role": "boss", "side": "labor"})),
                400,
                "bad_request",
            ),
            (
                "POST",
                format!("/api/v1/bodies/{team}/seats"),
                Some(json!({"person_id": 1, "role": "member", "side": "union"})),
                400,
                "bad_request",
            ),
            ("GET", "/api/v1/people/abc".to_string(), None, 400, "bad_request"),
            ("GET", "/api/v1/people/999999999".to_string(), None, 404, "not_found"),
            ("GET", "/api/v1/nothing-here".to_string(), None, 404, "not_found"),
            ("GET", "/api/v1/people?limit=-1".to_string(), None, 400, "bad_request"),
        ];
        for (method, path, body, status, code) in cases {
            let reply = app.api(Some("admin"), method, &path, body).await;
            assert_eq!(reply.status, status, "{method} {path}: {}", reply.text);
            assert_eq!(reply.json()["code"], code, "{method} {path}");
            assert!(!reply.json()["message"].as_str().unwrap_or("").is_empty());
        }
        let huge = "x".repeat(lmp_web::MAX_BODY_BYTES + 10);
        let reply = app
            .api(
                Some("admin"),
                "POST",
                &format!("/api/v1/bodies/{team}/seats"),
                Some(json!({"person_id": 1, "role": huge, "side": "labor"})),
            )
            .await;
        assert_eq!(reply.status, 413, "{}", reply.text);
        assert_eq!(reply.json()["code"], "payload_too_large");
        // Still serving after all that.
        assert_eq!(app.get("admin", "/api/v1/me").await.status, 200);
    }
}

#[tokio::test]
async fn lists_paginate_and_search() {
    for app in apps().await {
        let page = app.get("admin", "/api/v1/people?limit=2").await.json();
        assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
        assert!(page["total"].as_u64() > Some(300));
        assert_eq!(page["next_offset"], 2);
        let second = app.get("admin", "/api/v1/people?limit=2&offset=2").await.json();
        assert_ne!(page["items"][0]["id"], second["items"][0]["id"]);
        let name = page["items"][0]["name"].as_str().expect("name").to_lowercase();
        let found = app
            .get("admin", &format!("/api/v1/people?search={}", name.replace(' ', "%20")))
            .await
            .json();
        assert!(found["total"].as_u64() >= Some(1));
        assert!(found["items"].as_array().expect("items").iter().all(|p| p["name"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains(&name)));
        let huge = app.get("admin", "/api/v1/people?limit=100000").await.json();
        assert_eq!(huge["limit"], 500, "no page is unbounded");
        let teams = app.get("admin", "/api/v1/teams?limit=500").await.json();
        assert!(teams["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|b| b["level"] == "team"));
        let team = app.sample_ids().await.team;
        let members = app.get("admin", &format!("/api/v1/bodies/{team}/seats")).await.json();
        let first = members["items"][0]["person_name"]
            .as_str()
            .expect("a member")
            .to_string();
        let last_name = first.split_whitespace().last().expect("a name").to_string();
        let found = app
            .get("admin", &format!("/api/v1/bodies/{team}/seats?search={last_name}"))
            .await
            .json();
        assert!(found["total"].as_u64() >= Some(1));
        assert!(found["total"].as_u64() <= members["total"].as_u64());
        assert!(found["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|s| s["person_name"].as_str().unwrap_or("").contains(&last_name)));
        let page = app
            .sign_in("member")
            .await
            .get(&format!("/bodies/{team}?search={last_name}"))
            .await;
        assert!(page.text.contains(&first));
        let missing = app
            .get("admin", "/api/v1/bodies?missing_co_lead=true&limit=500")
            .await
            .json();
        assert!(missing["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|b| !b["missing_co_lead"].as_array().expect("flags").is_empty()));
    }
}

#[tokio::test]
async fn health_and_openapi_need_no_sign_in() {
    for app in apps().await {
        let client = TestApp::client();
        let health = client
            .get(format!("{}/healthz", app.base))
            .send()
            .await
            .expect("healthz");
        assert_eq!(health.status(), 200);
        let spec: serde_json::Value = client
            .get(format!("{}/api/v1/openapi.json", app.base))
            .send()
            .await
            .expect("spec")
            .json()
            .await
            .expect("json");
        for path in [
            "/api/v1/people",
            "/api/v1/locals",
            "/api/v1/bodies",
            "/api/v1/teams",
            "/api/v1/people/{id}",
        ] {
            assert!(spec["paths"].get(path).is_some(), "{path} is not documented");
        }
    }
}

#[tokio::test]
async fn revoked_tokens_stop_working() {
    for app in apps().await {
        let browser = app.sign_in("analyst").await;
        let page = browser
            .post("/tokens", &[("csrf", &browser.csrf), ("name", "board export")])
            .await;
        assert_eq!(page.status, 200);
        let token = page
            .text
            .split("<code id=\"new-token\">")
            .nth(1)
            .and_then(|t| t.split('<').next())
            .expect("token shown")
            .to_string();
        let call = |token: String| {
            let base = app.base.clone();
            async move {
                TestApp::client()
                    .get(format!("{base}/api/v1/me"))
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("me")
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(call(token.clone()).await, 200);
        let tokens = app
            .store
            .api_tokens_of(app.store.user_by_name("analyst").await.expect("q").expect("analyst").id)
            .await
            .expect("tokens");
        let id = tokens.iter().find(|t| t.name == "board export").expect("listed").id;
        let revoked = browser
            .post(&format!("/tokens/{id}/revoke"), &[("csrf", &browser.csrf)])
            .await;
        assert_eq!(revoked.status, 200);
        assert_eq!(call(token).await, 401);
    }
}

/// Pages and the status each role gets.
#[tokio::test]
async fn every_page_for_every_role_and_the_other_partnership() {
    for app in apps().await {
        let ids = app.sample_ids().await;
        let pages: Vec<(String, Expect)> = vec![
            ("/".into(), ALL_OK),
            ("/org".into(), ALL_OK),
            ("/org?search=medical".into(), ALL_OK),
            (format!("/org/{}", ids.unit), ALL_OK),
            ("/bodies".into(), ALL_OK),
            ("/bodies?missing=1&level=team".into(), ALL_OK),
            ("/teams".into(), ALL_OK),
            (format!("/bodies/{}", ids.team), ALL_OK),
            ("/people?search=a".into(), ALL_OK),
            (format!("/people/{}", ids.person), ALL_OK),
            ("/locals".into(), ALL_OK),
            (format!("/locals/{}", ids.local), ALL_OK),
            ("/tokens".into(), ALL_OK),
            ("/audit".into(), AUDITORS),
            ("/sign-ins".into(), ADMIN_ONLY),
            ("/training".into(), ALL_OK),
            ("/training/classes/co_lead_workshop".into(), ALL_OK),
        ];
        let anonymous = TestApp::client();
        for (path, _) in &pages {
            let reply = anonymous.get(format!("{}{path}", app.base)).send().await.expect("get");
            assert_eq!(reply.status(), 303, "not signed in GET {path}");
            assert_eq!(reply.headers()["location"], "/sign-in");
        }
        for (i, role) in ROLES.iter().enumerate() {
            let browser = app.sign_in(role).await;
            for (path, expect) in &pages {
                let reply = browser.get(path).await;
                assert_eq!(reply.status, expect[i], "{} {role} GET {path}", app.store.backend());
            }
        }
        let other = app.sign_in(OTHER).await;
        for (path, _) in pages.iter().filter(|(p, _)| p.ends_with(char::is_numeric)) {
            assert_eq!(other.get(path).await.status, 404, "other partnership GET {path}");
        }
        assert!(
            !other.get("/people").await.text.contains("CA0000"),
            "the other partnership lists this one's people"
        );
    }
}

#[tokio::test]
async fn forms_need_their_csrf_token_and_the_right_side() {
    for app in apps().await {
        let team = app.sample_ids().await.team;
        let member_no = {
            let id = outsiders(&app, team, "union_member", 1).await[0];
            app.get("admin", &format!("/api/v1/people/{id}")).await.json()["employee_no"]
                .as_str()
                .expect("no")
                .to_string()
        };
        let labor = app.sign_in("labor").await;
        let path = format!("/bodies/{team}/seats");
        let forged = labor
            .post(
                &path,
                &[
                    ("csrf", "forged"),
                    ("employee_no", &member_no),
                    ("role", "member"),
                    ("side", "labor"),
                ],
            )
            .await;
        assert_eq!(forged.status, 403);
        let wrong_side = labor
            .post(
                &path,
                &[
                    ("csrf", &labor.csrf),
                    ("employee_no", &member_no),
                    ("role", "member"),
                    ("side", "management"),
                ],
            )
            .await;
        assert_eq!(wrong_side.status, 403);
        let unknown = labor
            .post(
                &path,
                &[
                    ("csrf", &labor.csrf),
                    ("employee_no", "NOPE"),
                    ("role", "member"),
                    ("side", "labor"),
                ],
            )
            .await;
        // A refused form goes back to the page, which says why.
        assert_eq!(unknown.status, 303);
        let back = unknown.location.expect("back to the body page");
        assert!(back.starts_with(&format!("/bodies/{team}?error=")), "{back}");
        assert!(labor.get(&back).await.text.contains("No one has employee number"));
        let ok = labor
            .post(
                &path,
                &[
                    ("csrf", &labor.csrf),
                    ("employee_no", &member_no),
                    ("role", "member"),
                    ("side", "labor"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.text);
        let page = labor.get(&format!("/bodies/{team}?done=Seat+added")).await;
        assert!(page.text.contains("Seat added"));
        // Sign-out needs the token too, and ends the session.
        assert_eq!(labor.post("/sign-out", &[("csrf", "forged")]).await.status, 403);
        assert_eq!(labor.post("/sign-out", &[("csrf", &labor.csrf)]).await.status, 303);
        assert_eq!(labor.get("/").await.status, 303);
    }
}

#[tokio::test]
async fn sign_in_fails_plainly_and_is_throttled() {
    let app = sqlite_app().await;
    let client = TestApp::client();
    let attempt = |user: &'static str, password: &'static str| {
        let (client, base) = (client.clone(), app.base.clone());
        async move {
            client
                .post(format!("{base}/sign-in"))
                .form(&[("username", user), ("password", password)])
                .send()
                .await
                .expect("post")
        }
    };
    let wrong = attempt("member", "nope").await;
    assert_eq!(wrong.status(), 401);
    assert!(wrong.text().await.expect("body").contains("do not match"));
    let unknown = attempt("nobody", "demo").await;
    assert_eq!(unknown.status(), 401, "an unknown name looks like a wrong password");
    for _ in 0..4 {
        attempt("member", "nope").await;
    }
    let blocked = attempt("member", "demo").await;
    assert_eq!(
        blocked.status(),
        429,
        "even the right password waits after repeated failures"
    );
    assert!(blocked.text().await.expect("body").contains("Try again in"));
    let forged = client
        .post(format!("{}/sign-in", app.base))
        .header("origin", "http://evil.example")
        .form(&[("username", "admin"), ("password", "demo")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);
}

#[tokio::test]
async fn the_dashboard_has_its_charts_and_markup_is_escaped() {
    for app in apps().await {
        let permit = lmp_core::policy::Permit::operator(app.main_pid, lmp_core::policy::Action::Import);
        let nasty = "employee_no,name,kind,local_code,unit_code,job_title\nX1,<script>alert('x')</script>,manager,,,\n";
        app.store
            .import_people(&permit, "nasty.csv", nasty.as_bytes())
            .await
            .expect("import");
        let admin = app.sign_in("admin").await;
        let home = admin.get("/").await;
        assert_eq!(home.status, 200);
        assert!(home.text.contains("<svg"), "the dashboard draws a chart");
        assert!(home.text.contains("bodies missing a co-lead"));
        let people = admin.get("/people?search=script").await;
        assert!(
            people.text.contains("&lt;script&gt;") || people.text.contains("&#60;script&#62;"),
            "names are escaped"
        );
        assert!(!people.text.contains("<script>alert"), "markup in data never runs");
    }
}

#[tokio::test]
async fn the_dashboard_follows_seat_changes_at_once() {
    for app in apps().await {
        let missing = |d: serde_json::Value| d["bodies_missing_co_lead"].as_i64().expect("count");
        let before = missing(app.get("analyst", "/api/v1/dashboard").await.json());
        let teams = app.get("admin", "/api/v1/teams?limit=500").await.json();
        let whole = teams["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|b| b["missing_co_lead"].as_array().is_some_and(Vec::is_empty))
            .expect("a whole team")
            .clone();
        let team = whole["id"].as_i64().expect("id");
        let detail = app.get("admin", &format!("/api/v1/bodies/{team}")).await.json();
        for seat in detail["leaders"]
            .as_array()
            .expect("leaders")
            .iter()
            .filter(|s| s["role"] == "co_lead" && s["side"] == "management")
        {
            let one_key = app
                .api(
                    Some("manager"),
                    "DELETE",
                    &format!("/api/v1/bodies/{team}/seats/{}", seat["id"]),
                    None,
                )
                .await;
            assert_eq!(one_key.status, 422, "a co-lead stands down only with two keys");
            app.with_two_keys(json!({
                "change": "remove_co_lead", "body_id": team, "seat_id": seat["id"], "reason": "Retired"}))
                .await;
        }
        assert_eq!(
            missing(app.get("analyst", "/api/v1/dashboard").await.json()),
            before + 1,
            "{}",
            app.store.backend()
        );
        let page = app.sign_in("analyst").await.get("/").await;
        assert!(
            page.text.contains(&format!(
                "<div class=\"big\">{}</div><div>bodies missing a co-lead",
                before + 1
            )),
            "the page agrees"
        );
    }
}

#[tokio::test]
async fn stewards_and_labor_partners_are_given_by_the_labor_side() {
    for app in apps().await {
        let people = |kind: &'static str| {
            let app = &app;
            async move {
                app.get("admin", &format!("/api/v1/people?kind={kind}&limit=20"))
                    .await
                    .json()["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .filter_map(|p| p["id"].as_i64())
                    .collect::<Vec<_>>()
            }
        };
        let (members, managers) = (people("union_member").await, people("manager").await);
        let unit = app.sample_ids().await.unit;
        let expect = [201, 201, 403, 403, 403];
        for (i, role) in ROLES.iter().enumerate() {
            let body = json!({"role": "steward", "unit_id": unit});
            let reply = app
                .api(
                    Some(role),
                    "POST",
                    &format!("/api/v1/people/{}/roles", members[10 + i]),
                    Some(body),
                )
                .await;
            assert_eq!(
                reply.status,
                expect[i],
                "{} {role} makes a steward: {}",
                app.store.backend(),
                reply.text
            );
        }
        let rules = [
            (
                managers[0],
                json!({"role": "steward", "unit_id": unit}),
                "stewards and Labor Partners are union members",
            ),
            (
                members[16],
                json!({"role": "labor_partner", "unit_id": unit}),
                "needs a named manager",
            ),
            (
                members[16],
                json!({"role": "labor_partner", "partner_id": members[17]}),
                "paired with a manager",
            ),
        ];
        for (person, body, message) in rules {
            let reply = app
                .api(
                    Some("labor"),
                    "POST",
                    &format!("/api/v1/people/{person}/roles"),
                    Some(body),
                )
                .await;
            assert_eq!(reply.status, 422, "{}", reply.text);
            assert!(
                reply.json()["message"].as_str().unwrap_or("").contains(message),
                "{}",
                reply.text
            );
        }
        let paired = app
            .api(
                Some("labor"),
                "POST",
                &format!("/api/v1/people/{}/roles", members[16]),
                Some(json!({"role": "labor_partner", "partner_id": managers[1], "unit_id": unit})),
            )
            .await;
        assert_eq!(paired.status, 201, "{}", paired.text);
        let role_id = paired.json()["id"].as_i64().expect("id");
        let manager_page = app
            .get("member", &format!("/api/v1/people/{}", managers[1]))
            .await
            .json();
        assert!(
            manager_page["standing_roles"]
                .as_array()
                .expect("roles")
                .iter()
                .any(|r| r["id"] == role_id),
            "the manager sees their Labor Partner"
        );
        let path = format!("/api/v1/people/{}/roles/{role_id}", members[16]);
        assert_eq!(app.api(Some("manager"), "DELETE", &path, None).await.status, 403);
        assert_eq!(app.api(Some(OTHER), "DELETE", &path, None).await.status, 404);
        assert_eq!(app.api(Some("labor"), "DELETE", &path, None).await.status, 204);
        let trail = app.get("analyst", "/api/v1/audit?limit=2").await.json();
        assert_eq!(trail["items"][0]["action"], "role.remove");
        assert_eq!(trail["items"][1]["action"], "role.add");
        // The same through the person page's form.
        let labor = app.sign_in("labor").await;
        let unit_code = app.get("admin", &format!("/api/v1/units/{unit}")).await.json()["code"]
            .as_str()
            .expect("code")
            .to_string();
        let form = [
            ("csrf", labor.csrf.as_str()),
            ("role", "steward"),
            ("unit_code", unit_code.as_str()),
            ("partner_employee_no", ""),
        ];
        let done = labor.post(&format!("/people/{}/roles", members[18]), &form).await;
        assert_eq!(done.status, 303, "{}", done.text);
        assert!(labor
            .get(&format!("/people/{}", members[18]))
            .await
            .text
            .contains("Steward at"));
        let member = app.sign_in("member").await;
        let refused = member
            .post(
                &format!("/people/{}/roles", members[19]),
                &[
                    ("csrf", member.csrf.as_str()),
                    ("role", "steward"),
                    ("unit_code", unit_code.as_str()),
                ],
            )
            .await;
        assert_eq!(refused.status, 403);
    }
}

/// Each handler's `#[utoipa::path(method, path = "...")]`, read from the
/// source, so a handler an area forgot to list in its part of the document
/// is found.
fn annotated_operations() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, found);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source file");
            for (at, _) in text.match_indices("#[utoipa::path(") {
                let rest = &text[at + "#[utoipa::path(".len()..];
                let method = rest.split(',').next().expect("a method").trim().to_string();
                let path_at = rest.find("path = \"").expect("a path") + "path = \"".len();
                let route = rest[path_at..].split('"').next().expect("a quoted path").to_string();
                found.push((method, route));
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    found
}

#[tokio::test]
async fn every_api_handler_is_documented_and_served() {
    let app = sqlite_app().await;
    let spec = app.api(None, "GET", "/api/v1/openapi.json", None).await.json();
    let operations = annotated_operations();
    assert!(operations.len() > 100, "only {} handlers found", operations.len());
    let documented: usize = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|p| p.as_object().expect("operations").len())
        .sum();
    assert_eq!(
        documented,
        operations.len(),
        "the document and the handlers differ in number"
    );
    for (method, route) in operations {
        assert!(
            spec["paths"][&route][&method].is_object(),
            "{method} {route} is not documented"
        );
        // With no token every real route says 401; one not routed says 404.
        let concrete = route
            .replace("{id}", "1")
            .replace("{seat_id}", "1")
            .replace("{role_id}", "1");
        let concrete = concrete
            .replace("{test_id}", "1")
            .replace("{section}", "aim")
            .replace("{code}", "X");
        let reply = app.api(None, &method.to_uppercase(), &concrete, None).await;
        assert_eq!(reply.status, 401, "{method} {route} is not served: {}", reply.text);
    }
}
