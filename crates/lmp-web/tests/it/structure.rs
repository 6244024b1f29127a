//! The partnership's structure over HTTP, on SQLite and PostgreSQL: bodies
//! created, renamed, moved and closed through the API and the pages, and
//! the bodies and seats files taken in whole or not at all.

use crate::api_schemas::Document;
use crate::helpers::{apps, send_csv};
use serde_json::json;

#[tokio::test]
async fn an_administrator_keeps_the_structure_by_api_page_and_file() {
    for app in apps().await {
        let document = Document::of(&app).await;
        let council = app.get("admin", "/api/v1/bodies?level=facility&limit=1").await.json()["items"][0].clone();
        let team = app.get("admin", "/api/v1/teams?limit=1").await.json()["items"][0].clone();
        let unit_id = team["unit_id"].as_i64().expect("a team's unit");
        let new = json!({
            "code": "UBT-NEW-1", "level": "team", "name": "Night Float UBT",
            "unit_id": unit_id, "parent_id": council["id"],
        });

        // Only a partnership administrator creates bodies.
        let refused = app
            .api(Some("labor"), "POST", "/api/v1/bodies", Some(new.clone()))
            .await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        let created = app
            .api(Some("admin"), "POST", "/api/v1/bodies", Some(new.clone()))
            .await;
        document.assert_answer("post", "/api/v1/bodies", 201, &created);
        let body = created.json();
        assert_eq!(body["missing_co_lead"], json!(["labor", "management"]));
        let id = body["id"].as_i64().expect("id");
        let twice = app.api(Some("admin"), "POST", "/api/v1/bodies", Some(new)).await;
        assert_eq!(twice.status, 422, "{}", twice.text);

        // Renamed and taken out from under its council; a field left out stays.
        let path = format!("/api/v1/bodies/{id}");
        let renamed = app
            .api(Some("admin"), "PATCH", &path, Some(json!({"name": "Night Float Team"})))
            .await;
        document.assert_answer("patch", "/api/v1/bodies/{id}", 200, &renamed);
        assert_eq!(renamed.json()["parent_id"], council["id"]);
        let moved = app
            .api(Some("admin"), "PATCH", &path, Some(json!({"parent_id": null})))
            .await;
        assert_eq!(moved.status, 200, "{}", moved.text);
        assert_eq!(moved.json()["parent_id"], json!(null));
        assert_eq!(moved.json()["name"], "Night Float Team");
        let under_itself = app
            .api(Some("admin"), "PATCH", &path, Some(json!({"parent_id": id})))
            .await;
        assert_eq!(under_itself.status, 422, "{}", under_itself.text);

        // Closed, not deleted: gone from the list, there when asked for.
        let closed = app.api(Some("admin"), "POST", &format!("{path}/close"), None).await;
        document.assert_answer("post", "/api/v1/bodies/{id}/close", 200, &closed);
        assert!(closed.json()["closed_on"].is_string());
        let again = app.api(Some("admin"), "POST", &format!("{path}/close"), None).await;
        assert_eq!(again.status, 422);
        let open = app.get("admin", "/api/v1/bodies?search=night%20float").await.json();
        assert_eq!(open["total"], 0);
        let all = app
            .get("admin", "/api/v1/bodies?search=night%20float&include_closed=true")
            .await
            .json();
        assert_eq!(all["total"], 1);

        // The files, over the API: a team and its co-leads; a bad row is a 400.
        let labor = app
            .get("admin", "/api/v1/people?kind=union_member&limit=1")
            .await
            .json()["items"][0]
            .clone();
        let manager = app.get("admin", "/api/v1/people?kind=manager&limit=1").await.json()["items"][0].clone();
        let unit_code = app.get("admin", &format!("/api/v1/units/{unit_id}")).await.json()["code"]
            .as_str()
            .expect("unit code")
            .to_string();
        let bodies = format!(
            "code,level,name,unit_code,parent_code,decides\nUBT-FILE-1,team,Filed UBT,{unit_code},{},\n",
            council["code"].as_str().expect("council code")
        );
        let imported = send_csv(&app, "admin", "/api/v1/imports/bodies?file_name=bodies.csv", &bodies).await;
        document.assert_answer("post", "/api/v1/imports/bodies", 200, &imported);
        assert_eq!(imported.json()["inserted"], 1);
        let (labor_no, manager_no) = (
            labor["employee_no"].as_str().expect("no"),
            manager["employee_no"].as_str().expect("no"),
        );
        let seats =
            format!("body_code,employee_no,role,side,from,to\nUBT-FILE-1,{labor_no},co-lead,labor,2025-01-01,\n");
        let seated = send_csv(&app, "admin", "/api/v1/imports/seats?file_name=seats.csv", &seats).await;
        document.assert_answer("post", "/api/v1/imports/seats", 200, &seated);
        assert_eq!(
            seated.json()["missing_co_lead"],
            json!([{"code": "UBT-FILE-1", "missing": ["management"]}])
        );
        let wrong_side = format!("body_code,employee_no,role,side,from,to\nUBT-FILE-1,{manager_no},co-lead,labor,,\n");
        let refused = send_csv(&app, "admin", "/api/v1/imports/seats?file_name=wrong.csv", &wrong_side).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
        assert!(
            refused
                .text
                .contains("wrong.csv:2:4: a manager cannot act for the labor side"),
            "{}",
            refused.text
        );
        let by_labor = send_csv(&app, "labor", "/api/v1/imports/seats?file_name=seats.csv", &seats).await;
        assert_eq!(by_labor.status, 403, "{}", by_labor.text);

        // The pages: the forms are the administrator's alone.
        let labor_page = app.sign_in("labor").await.get("/bodies").await;
        assert!(!labor_page.text.contains("Create a body or team"));
        let browser = app.sign_in("admin").await;
        let page = browser.get("/bodies").await;
        assert!(page.text.contains("Create a body or team"), "{}", page.text);
        let posted = browser
            .post(
                "/bodies",
                &[
                    ("csrf", &browser.csrf),
                    ("code", "DEPT-NEW-1"),
                    ("level", "department"),
                    ("name", "Imaging Partnership"),
                    ("unit_code", &unit_code),
                    ("parent_code", council["code"].as_str().expect("code")),
                    ("decides", "recommend"),
                ],
            )
            .await;
        assert_eq!(posted.status, 303, "{}", posted.text);
        let location = posted.location.expect("to the new body");
        assert!(
            location.starts_with("/bodies/") && location.contains("done="),
            "{location}"
        );
        let shown = browser.get(&location).await;
        assert!(shown.text.contains("Imaging Partnership") && shown.text.contains("Manage this body"));
        let bad = browser
            .post(
                "/bodies",
                &[
                    ("csrf", &browser.csrf),
                    ("code", "DEPT-NEW-2"),
                    ("level", "department"),
                    ("name", "x"),
                    ("unit_code", "NO-SUCH-UNIT"),
                ],
            )
            .await;
        let location = bad.location.expect("back");
        assert!(
            location.starts_with("/bodies?error=") && location.contains("NO-SUCH-UNIT"),
            "{location}"
        );

        // The seats file through the page's form.
        let file = format!(
            "body_code,employee_no,role,side,from,to\nUBT-FILE-1,{manager_no},co-lead,management,2025-02-01,\n"
        );
        let uploaded = browser
            .upload("/bodies/import-seats", &[], "more-seats.csv", file)
            .await;
        assert_eq!(uploaded.status, 303);
        let location = uploaded.location.expect("back");
        assert!(
            location.contains("Taken+in") && location.contains("1+new"),
            "{location}"
        );
        let filed = app.get("admin", "/api/v1/bodies?search=filed").await.json();
        assert_eq!(filed["items"][0]["missing_co_lead"], json!([]));
    }
}

#[tokio::test]
async fn the_nightly_people_file_by_page_or_api_says_first_what_it_would_do() {
    for app in apps().await {
        let document = Document::of(&app).await;
        // Everyone the demo has, but the first labor co-lead of the first team.
        let team = app.get("admin", "/api/v1/teams?limit=1").await.json()["items"][0].clone();
        let detail = app.get("admin", &format!("/api/v1/bodies/{}", team["id"])).await.json();
        let leader = detail["leaders"]
            .as_array()
            .expect("leaders")
            .iter()
            .find(|s| s["role"] == "co_lead" && s["side"] == "labor")
            .expect("a labor co-lead")
            .clone();
        let leaver = app
            .get("admin", &format!("/api/v1/people/{}", leader["person_id"]))
            .await
            .json();
        let leaver_no = leaver["employee_no"].as_str().expect("no").to_string();
        let mut everyone = Vec::new();
        app.store
            .export_people(app.main_pid, &mut everyone)
            .await
            .expect("export");
        let everyone = String::from_utf8(everyone).expect("utf-8");
        let nightly: String = everyone
            .lines()
            .filter(|line| !line.starts_with(&format!("{leaver_no},")))
            .map(|line| format!("{line}\n"))
            .collect();

        let code = team["code"].as_str().expect("code");
        // From the people page: a dry run says what would change.
        let browser = app.sign_in("admin").await;
        let page = browser.get("/people").await;
        assert!(page.text.contains("action=\"/people/sync\""), "the admin has the form");
        let tried = browser
            .upload("/people/sync", &[("dry_run", "1")], "nightly.csv", nightly.clone())
            .await;
        let location = tried.location.expect("back to the form");
        assert!(
            location.starts_with("/people?done=") && location.ends_with("#sync"),
            "{location}"
        );
        let shown = browser.get(&location).await.text;
        assert!(
            shown.contains("Would take in nightly.csv") && shown.contains("1 would leave"),
            "{shown}"
        );
        assert!(shown.contains(&format!("{code} (no labor co-lead)")), "{shown}");
        assert!(shown.contains("Dry run: nothing was written."), "{shown}");
        let labor = app.sign_in("labor").await;
        assert!(
            !labor.get("/people").await.text.contains("/people/sync"),
            "no form for labor"
        );
        let refused = labor.upload("/people/sync", &[], "nightly.csv", nightly.clone()).await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        let bad = browser
            .upload("/people/sync", &[], "bad.csv", "employee_no,name\nX,Y\n".into())
            .await;
        let location = bad.location.expect("back with the error");
        assert!(
            location.starts_with("/people?error=") && location.contains("bad.csv"),
            "{location}"
        );

        let dry = send_csv(
            &app,
            "admin",
            "/api/v1/imports/people?file_name=nightly.csv&dry_run=true",
            &nightly,
        )
        .await;
        document.assert_answer("post", "/api/v1/imports/people", 200, &dry);
        let would = dry.json();
        assert_eq!(
            (would["left"].as_u64(), would["dry_run"].as_bool()),
            (Some(1), Some(true))
        );
        assert!(
            would["vacancies"]
                .as_array()
                .expect("vacancies")
                .iter()
                .any(|v| v["body_code"] == code && v["side"] == "labor"),
            "{would}"
        );
        let still = app.get("admin", &format!("/api/v1/bodies/{}", team["id"])).await.json();
        assert_eq!(still["missing_co_lead"], json!([]), "a dry run changes nothing");

        let by_labor = send_csv(&app, "labor", "/api/v1/imports/people?file_name=nightly.csv", &nightly).await;
        assert_eq!(by_labor.status, 403);
        let done = send_csv(&app, "admin", "/api/v1/imports/people?file_name=nightly.csv", &nightly).await;
        assert_eq!(done.status, 200, "{}", done.text);
        assert_eq!(done.json()["seats_ended"], would["seats_ended"]);
        let after = app.get("admin", &format!("/api/v1/bodies/{}", team["id"])).await.json();
        assert_eq!(after["missing_co_lead"], json!(["labor"]), "the vacancy is flagged");
        let bad = send_csv(
            &app,
            "admin",
            "/api/v1/imports/people?file_name=bad.csv",
            "employee_no,name\nX,Y\n",
        )
        .await;
        assert_eq!(bad.status, 400, "{}", bad.text);
    }
}
