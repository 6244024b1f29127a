//! Staffing over HTTP, on SQLite and PostgreSQL: everyone reads compliance,
//! one case checked against Title 22, only the administrator takes in units
//! and readings (by API and by the page's form, CSRF checked), a bad row
//! named by line and column, and the wall between partnerships.

mod helpers;

use helpers::{spawn_app, TestApp, OTHER, ROLES};
use lmp_store::testing::TestDb;

async fn apps() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for db in TestDb::each().await {
        apps.push(spawn_app(db).await);
    }
    apps
}

async fn send_csv(app: &TestApp, user: &str, path: &str, body: &str) -> helpers::Reply {
    let response = TestApp::client()
        .post(format!("{}{path}", app.base))
        .bearer_auth(&app.tokens[user])
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    helpers::Reply {
        status,
        location: None,
        text: response.text().await.expect("body"),
    }
}

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
            app.get("labor", "/api/v1/staffing/compliance?by=week").await.status,
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
