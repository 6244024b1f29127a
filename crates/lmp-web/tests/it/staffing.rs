//! Staffing over HTTP, on SQLite and PostgreSQL: everyone reads compliance,
//! one case checked against Title 22, only the administrator takes in units
//! and readings (by API and by the page's form, CSRF checked), a bad row
//! named by line and column, and the wall between partnerships.

use crate::api_schemas::Document;
use crate::helpers::{apps, send_csv, OTHER, ROLES};

const HEADER: &str = "unit,at,patients,critical,trauma,occupied_rooms,charge_off_care,triage,rn,lvn,cna,clerk";

#[tokio::test]
async fn everyone_reads_compliance_and_one_case_is_checked_against_title22() {
    for app in apps().await {
        for role in ROLES {
            let rows = app.get(role, "/api/v1/staffing/compliance?by=facility").await;
            assert_eq!(rows.status, 200, "{role}: {}", rows.text);
            let page = app.sign_in(role).await.get("/staffing").await;
            assert_eq!(page.status, 200, "{role}: {}", page.text);
            assert!(page.text.contains("unit-hours below it"), "{role}");
        }
        let facilities = app
            .get("member", "/api/v1/staffing/compliance?by=facility")
            .await
            .json();
        let first = &facilities.as_array().expect("list")[0];
        assert!(first["hours"].as_i64().expect("hours") > 0 && first["short_hours"].as_i64().expect("short") > 0);
        let months = app.get("analyst", "/api/v1/staffing/compliance?by=month").await.json();
        assert_eq!(months.as_array().expect("months").len(), 12);
        let worst = app.get("labor", "/api/v1/staffing/short-hours?limit=5").await.json();
        let worst = worst.as_array().expect("hours");
        assert_eq!(worst.len(), 5);
        assert!(worst[0]["short"].as_i64() >= worst[4]["short"].as_i64());
        let unit = worst[0]["unit"].as_str().expect("unit");
        let one = app
            .get("labor", &format!("/api/v1/staffing/compliance?unit={unit}"))
            .await
            .json();
        assert_eq!(one.as_array().expect("one").len(), 1);
        assert_eq!(
            app.get("labor", "/api/v1/staffing/compliance?by=fortnight")
                .await
                .status,
            422
        );
        assert_eq!(
            app.get("labor", "/api/v1/staffing/compliance?from=June").await.status,
            400
        );

        // One case.
        let ed = app
            .get(
                "member",
                "/api/v1/staffing/required?unit_type=emergency&patients=8&critical=2&trauma=1",
            )
            .await
            .json();
        assert_eq!(
            (ed["counted_nurses"].as_i64(), ed["triage_nurses"].as_i64()),
            (Some(4), Some(1))
        );
        let or = app
            .get(
                "member",
                "/api/v1/staffing/required?unit_type=operating-room&occupied_rooms=3",
            )
            .await;
        assert_eq!(or.json()["counted_nurses"], 3);
        let bad = app
            .get("member", "/api/v1/staffing/required?unit_type=burns&patients=3")
            .await;
        assert_eq!(bad.status, 400);
        assert!(bad.text.contains("burns"));
        let page = app
            .sign_in("member")
            .await
            .get("/staffing?unit_type=med-surg&patients=12#case")
            .await;
        assert!(
            page.text.contains("<strong>3</strong> licensed nurses"),
            "{}",
            page.text
        );
        let rules = app.get("member", "/api/v1/staffing/rules").await.json();
        assert_eq!(rules[0]["code"], "ca-title22");

        // The other partnership has no units and sees none of these.
        let theirs = app.get(OTHER, "/api/v1/staffing/compliance?by=facility").await.json();
        assert!(theirs.as_array().expect("list").is_empty());
        assert!(app
            .get(OTHER, "/api/v1/staffing/units")
            .await
            .json()
            .as_array()
            .expect("units")
            .is_empty());

        let openapi = app.get("member", "/api/v1/openapi.json").await.json();
        for path in [
            "/api/v1/staffing/readings",
            "/api/v1/staffing/compliance",
            "/api/v1/staffing/required",
            "/api/v1/staffing/plan-gaps",
            "/api/v1/staffing/units/{code}/history",
        ] {
            assert!(openapi["paths"].get(path).is_some(), "{path}");
        }
    }
}

#[tokio::test]
async fn only_the_administrator_takes_in_units_and_readings_whole() {
    for app in apps().await {
        let units = app.get("admin", "/api/v1/staffing/units").await.json();
        let known = &units.as_array().expect("units")[0];
        let (facility, region) = (
            known["facility"].as_str().expect("f"),
            known["region"].as_str().expect("r"),
        );
        let file = format!(
            "unit,name,facility,region,unit_type,beds,licensed_roles\nNEW-MS,New Med-Surg,{facility},{region},med-surg,30,rn;lvn\n"
        );
        for role in ["labor", "manager", "member", "analyst"] {
            let refused = send_csv(&app, role, "/api/v1/staffing/units/import?file_name=u.csv", &file).await;
            assert_eq!(refused.status, 403, "{role}");
        }
        let taken = send_csv(&app, "admin", "/api/v1/staffing/units/import?file_name=u.csv", &file).await;
        assert_eq!(taken.status, 200, "{}", taken.text);
        assert_eq!(taken.json()["added"], 1);

        // A day of the new unit: 12 patients, two nurses overnight (short), three by day.
        let mut day = format!("{HEADER}\n");
        for hour in 0..24 {
            let rn = if (7..19).contains(&hour) { 3 } else { 2 };
            day.push_str(&format!("NEW-MS,2030-01-01T{hour:02}:00,12,0,0,0,0,0,{rn},0,2,0\n"));
        }
        let path = "/api/v1/staffing/readings?file_name=day.csv";
        assert_eq!(send_csv(&app, "labor", path, &day).await.status, 403);
        let taken = send_csv(&app, "admin", path, &day).await;
        assert_eq!(taken.status, 201, "{}", taken.text);
        let taken = taken.json();
        assert_eq!(
            (taken["unit_hours"].as_i64(), taken["short_hours"].as_i64()),
            (Some(24), Some(12))
        );
        let again = send_csv(&app, "admin", path, &day).await;
        assert_eq!((again.status, again.json()["unchanged"].as_bool()), (200, Some(true)));
        let one = app
            .get("member", "/api/v1/staffing/compliance?unit=NEW-MS")
            .await
            .json();
        assert_eq!(one[0]["nurse_hours_short"], 12);
        assert_eq!(one[0]["patient_hours_affected"], 12 * 2);

        // A bad row: named, and nothing taken in.
        let bad = format!("{HEADER}\nNEW-MS,2030-01-02T00:00,12,0,0,0,0,0,2,0,2,0\nNEW-MS,2030-01-02T01:00,twelve,0,0,0,0,0,2,0,2,0\n");
        let refused = send_csv(&app, "admin", "/api/v1/staffing/readings?file_name=bad.csv", &bad).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
        assert!(refused.text.contains("bad.csv:3:3"), "{}", refused.text);
        let one = app
            .get("member", "/api/v1/staffing/compliance?unit=NEW-MS")
            .await
            .json();
        assert_eq!(one[0]["hours"], 24);

        // The page's form: the token checked, the day replaced with replace ticked.
        let browser = app.sign_in("admin").await;
        let fixed = day.replace(",2,0,2,0\n", ",3,0,2,0\n");
        let form = |csrf: &str| {
            reqwest::multipart::Form::new()
                .text("csrf", csrf.to_string())
                .text("replace", "1")
                .part(
                    "file",
                    reqwest::multipart::Part::text(fixed.clone()).file_name("day-fixed.csv"),
                )
        };
        let forged = browser
            .client
            .post(format!("{}/staffing/readings", app.base))
            .multipart(form("not-the-token"))
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status().as_u16(), 403);
        let posted = browser
            .client
            .post(format!("{}/staffing/readings", app.base))
            .multipart(form(&browser.csrf))
            .send()
            .await
            .expect("post");
        assert_eq!(posted.status().as_u16(), 303);
        let location = posted.headers()["location"].to_str().expect("location").to_string();
        assert!(
            location.contains("Taken+in") && location.contains("1+unit-days+replaced"),
            "{location}"
        );
        let one = app
            .get("member", "/api/v1/staffing/compliance?unit=NEW-MS")
            .await
            .json();
        assert_eq!(
            (one[0]["hours"].as_i64(), one[0]["short_hours"].as_i64()),
            (Some(24), Some(0))
        );
    }
}

#[tokio::test]
async fn plans_are_read_by_all_written_and_approved_only_by_the_teams_co_leads() {
    for app in apps().await {
        let units = app.get("member", "/api/v1/staffing/units").await.json();
        let with_plan = units
            .as_array()
            .expect("units")
            .iter()
            .filter(|u| u["unit_type"] == "med-surg" && !u["team"].is_null())
            .map(|u| u["code"].as_str().expect("code").to_string())
            .collect::<Vec<_>>();
        let code = &with_plan[0];
        let plans = app
            .get("member", &format!("/api/v1/staffing/units/{code}/plans"))
            .await
            .json();
        let latest = &plans[0];
        assert_eq!(
            (latest["approved"].as_bool(), latest["in_force"].as_bool()),
            (Some(true), Some(true))
        );
        assert_eq!(latest["plan"]["roles"][0], "licensed");
        assert_eq!(latest["plan"]["staff"][0].as_array().expect("hours").len(), 168);
        let licensed_year = latest["year"][0]["staff_hours"].as_i64().expect("hours");
        assert!(licensed_year > 8760, "{licensed_year}");

        // What if ten more patients every hour?
        let mut busier = latest["input"].clone();
        for hour in busier["hours"].as_array_mut().expect("hours") {
            hour["patients"] = (hour["patients"].as_i64().expect("p") + 10).into();
        }
        let change = app
            .api(
                Some("analyst"),
                "POST",
                &format!("/api/v1/staffing/units/{code}/what-if"),
                Some(busier.clone()),
            )
            .await;
        assert_eq!(change.status, 200, "{}", change.text);
        let change = change.json();
        assert!(change["staff_hours_difference"].as_i64().expect("d") > 0);
        assert!(change["cost_difference_cents"].as_i64().expect("c") > 0);

        // No one without a co-lead seat on the unit's team writes or approves.
        let write = serde_json::json!({"input": busier, "note": "More patients expected."});
        let plans_path = format!("/api/v1/staffing/units/{code}/plans");
        let in_force = latest["id"].as_i64().expect("id");
        for role in ["admin", "analyst", "member"] {
            let reply = app.api(Some(role), "POST", &plans_path, Some(write.clone())).await;
            assert_eq!(reply.status, 403, "{role}: {}", reply.text);
            let reply = app
                .api(
                    Some(role),
                    "POST",
                    &format!("/api/v1/staffing/plans/{in_force}/approve"),
                    None,
                )
                .await;
            assert_eq!(reply.status, 403, "{role}: {}", reply.text);
        }
        // The demo's labor sign-in co-leads this unit's team: a new version,
        // approved for labor, waits for management; the old one stays in force.
        let written = app.api(Some("labor"), "POST", &plans_path, Some(write)).await;
        assert_eq!(written.status, 201, "{}", written.text);
        let id = written.json()["id"].as_i64().expect("id");
        let approve = format!("/api/v1/staffing/plans/{id}/approve");
        let approved = app.api(Some("labor"), "POST", &approve, None).await;
        assert_eq!(approved.status, 200, "{}", approved.text);
        assert_eq!(approved.json()["labor_approved_by"], "labor");
        assert_eq!(approved.json()["in_force"], false);
        assert_eq!(app.api(Some("labor"), "POST", &approve, None).await.status, 422, "once");
        let versions = app.get("member", &plans_path).await.json();
        assert_eq!(versions[1]["in_force"], true, "the approved version stays in force");
        // …and its management co-lead (the demo's manager sign-in) puts it in force.
        let management = app.api(Some("manager"), "POST", &approve, None).await;
        assert_eq!(management.status, 200, "{}", management.text);
        assert_eq!(management.json()["in_force"], true);
        assert_eq!(management.json()["management_approved_by"], "manager");
        assert!(
            management.json().get("judged_before_approval").is_none(),
            "no readings from today on: {}",
            management.text
        );
        // A version that governs from a day already taken in: approving it on
        // the page says which days were judged without it.
        let july = format!("{}-07-01", lmp_store::today().year() - 1);
        let backdated = serde_json::json!({
            "input": latest["input"], "note": "As agreed last summer.", "effective_from": july
        });
        let written = app.api(Some("labor"), "POST", &plans_path, Some(backdated)).await;
        assert_eq!(written.status, 201, "{}", written.text);
        let approve = format!("/staffing/plans/{}/approve", written.json()["id"]);
        let labor = app.sign_in("labor").await;
        let first = labor.post(&approve, &[("csrf", &labor.csrf)]).await;
        assert!(
            first.location.as_deref().is_some_and(|l| l.contains("approves+next")),
            "{:?}",
            first.location
        );
        let manager = app.sign_in("manager").await;
        let both = manager.post(&approve, &[("csrf", &manager.csrf)]).await;
        let said = both.location.unwrap_or_default();
        assert!(said.contains("is+in+force"), "{said}");
        assert!(
            said.contains(&format!("readings+from+{july}+to+")) && said.contains("taken+in+before+it"),
            "{said}"
        );
        // Over the API the completing approval answers with those days, as documented.
        let august = format!("{}-08-01", lmp_store::today().year() - 1);
        let backdated = serde_json::json!({
            "input": latest["input"], "note": "As agreed in August.", "effective_from": august
        });
        let written = app.api(Some("labor"), "POST", &plans_path, Some(backdated)).await;
        assert_eq!(written.status, 201, "{}", written.text);
        let approve = format!("/api/v1/staffing/plans/{}/approve", written.json()["id"]);
        assert_eq!(app.api(Some("labor"), "POST", &approve, None).await.status, 200);
        let completed = app.api(Some("manager"), "POST", &approve, None).await;
        Document::of(&app)
            .await
            .assert_answer("post", "/api/v1/staffing/plans/{id}/approve", 200, &completed);
        let judged = &completed.json()["judged_before_approval"];
        assert_eq!(judged["first"], august.as_str(), "{}", completed.text);
        assert!(judged["days"].as_i64().expect("days") > 0, "{}", completed.text);
        let page = app.sign_in("member").await.get(&format!("/staffing?unit={code}")).await;
        assert!(
            page.text.contains("Staffing plan") && page.text.contains("<strong>in force</strong>"),
            "{}",
            page.text
        );
        // Another partnership's unit is not found.
        assert_eq!(
            app.get(OTHER, &format!("/api/v1/staffing/units/{code}/plans"))
                .await
                .status,
            404
        );
    }
}

/// The text inside the page's week textarea.
fn week_in(page: &str) -> String {
    let start = page.find("name=\"week\"").expect("the week field");
    let open = start + page[start..].find('>').expect("textarea") + 1;
    let close = open + page[open..].find("</textarea>").expect("end");
    page[open..close].to_string()
}

#[tokio::test]
async fn the_co_leads_plan_form_fills_from_history_weighs_what_if_and_keeps_a_refused_form() {
    for app in apps().await {
        let gaps = app.get("member", "/api/v1/staffing/plan-gaps?limit=5").await;
        assert_eq!(gaps.status, 200, "{}", gaps.text);
        let gaps = gaps.json();
        assert!(gaps[0]["short"].as_i64().expect("hours below an approved plan") > 0);
        // The demo's labor and manager sign-ins co-lead the first med-surg unit's team.
        let units = app.get("member", "/api/v1/staffing/units").await.json();
        let code = units
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["unit_type"] == "med-surg" && !u["team"].is_null())
            .and_then(|u| u["code"].as_str())
            .expect("a unit with a team")
            .to_string();
        let weeks = app.get("member", "/api/v1/staffing/compliance?by=week").await.json();
        assert!(weeks.as_array().expect("weeks").len() >= 52);
        assert_eq!(
            app.get("member", "/api/v1/staffing/compliance?by=day").await.status,
            422
        );
        let history = app
            .get(
                "member",
                &format!("/api/v1/staffing/units/{code}/history?percentile=90"),
            )
            .await;
        assert_eq!(history.status, 200, "{}", history.text);
        assert_eq!(history.json()["hours"].as_array().expect("hours").len(), 168);

        // Only the team's co-leads see the form.
        let member = app.sign_in("member").await.get(&format!("/staffing?unit={code}")).await;
        assert!(member.text.contains("Staffing plan") && !member.text.contains("id=\"plan-form\""));
        let labor = app.sign_in("labor").await;
        let page = labor
            .get(&format!("/staffing?unit={code}&history=1&percentile=90#plan-form"))
            .await;
        assert_eq!(page.status, 200);
        assert!(page.text.contains("id=\"plan-form\""), "{}", page.text);
        assert!(page.text.contains("each hour at the 90th percentile"), "{}", page.text);
        let week = week_in(&page.text);
        assert_eq!(week.lines().count(), 169, "a header and 168 hours");
        // An empty percentile is the usual 75th; 0 is taken as typed.
        for (asked, said) in [("", "75th"), ("0", "0th")] {
            let filled = labor
                .get(&format!("/staffing?unit={code}&history=1&percentile={asked}"))
                .await;
            assert!(
                filled.text.contains(&format!("each hour at the {said} percentile")),
                "{asked:?}"
            );
        }

        let path = format!("/staffing/units/{code}/plan");
        let csrf = labor.csrf.clone();
        let form = |what: &str, week: &str, note: &str| {
            let mut fields: Vec<(String, String)> = [
                ("csrf", csrf.as_str()),
                ("do", what),
                ("effective_from", "2026-01-05"),
                ("break_relief_per", "0"),
                ("licensed_pay", "85.00"),
                ("role", "cna"),
                ("per", "8"),
                ("fixed", ""),
                ("pay", "32.00"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            for _ in 0..3 {
                for name in ["role", "per", "fixed", "pay"] {
                    fields.push((name.into(), String::new()));
                }
            }
            fields.push(("week".into(), week.into()));
            fields.push(("note".into(), note.into()));
            fields
        };
        let send = |fields: Vec<(String, String)>| {
            let (labor, path) = (&labor, &path);
            async move {
                let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                labor.post(path, &pairs).await
            }
        };
        // What if the plan took the 90th percentile's week?
        let what_if = send(form("what-if", &week, "")).await;
        assert_eq!(what_if.status, 200, "{}", what_if.text);
        assert!(what_if.text.contains("What if:") && what_if.text.contains("Staff-hours a year now"));
        // A bad week is refused with its line and column, and the form comes back as typed.
        let bad_week = week.replacen("\nMon,0,", "\nMon,0,x", 1);
        let refused = send(form("save", &bad_week, "Busier nights ahead")).await;
        assert_eq!(refused.status, 200, "{}", refused.text);
        assert!(refused.text.contains("line 2, column 3"), "{}", refused.text);
        assert!(refused.text.contains("Busier nights ahead"), "the note is kept");
        // A good one is written as the next version, governing from its day once approved.
        let before = app
            .get("member", &format!("/api/v1/staffing/units/{code}/plans"))
            .await
            .json();
        let written = send(form("save", &week, "The 90th percentile of the year")).await;
        assert_eq!(written.status, 303, "{}", written.text);
        assert!(
            written.location.as_deref().unwrap_or("").contains("done=Version"),
            "{:?}",
            written.location
        );
        let after = app
            .get("member", &format!("/api/v1/staffing/units/{code}/plans"))
            .await
            .json();
        assert_eq!(after.as_array().map(Vec::len), before.as_array().map(|v| v.len() + 1));
        assert_eq!(after[0]["effective_from"], "2026-01-05");
        assert_eq!(after[0]["input"]["roles"][0]["role"], "cna");
        assert_eq!(after[0]["input"]["pay_cents"]["licensed"], 8500);
        // Someone without a co-lead seat on the team may ask "what if", never write.
        let member = app.sign_in("member").await;
        let mut theirs = form("what-if", &week_in(&page.text), "Theirs");
        theirs[0].1 = member.csrf.clone();
        let pairs: Vec<(&str, &str)> = theirs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(member.post(&path, &pairs).await.status, 200);
        theirs[1].1 = "save".into();
        let pairs: Vec<(&str, &str)> = theirs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(member.post(&path, &pairs).await.status, 403);
    }
}
