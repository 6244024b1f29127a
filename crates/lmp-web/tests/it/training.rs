//! Training over HTTP, on SQLite and PostgreSQL: the catalog, a session and
//! its list, the training file; a team whose co-leads are trained reaches
//! level 1 at once, and loses it when a mark is taken back.

use crate::api_schemas::Document;
use crate::helpers::{apps, send_csv, TestApp};
use lmp_core::policy::{Action, Permit};
use serde_json::json;

/// Four new people and a team of theirs under the first council: two
/// co-leads and two sponsors, one of each a side, none of them trained.
async fn untrained_team(app: &TestApp, document: &Document) -> i64 {
    let council = app.get("admin", "/api/v1/bodies?level=facility&limit=1").await.json()["items"][0].clone();
    let team = app.get("admin", "/api/v1/teams?limit=1").await.json()["items"][0].clone();
    let unit = app
        .get("admin", &format!("/api/v1/units/{}", team["unit_id"]))
        .await
        .json();
    let local = app.get("admin", "/api/v1/locals?limit=1").await.json()["items"][0].clone();
    let (unit, local) = (
        unit["code"].as_str().expect("unit"),
        local["code"].as_str().expect("local"),
    );
    let people = format!(
        "employee_no,name,kind,local_code,unit_code,job_title\n\
         TR-1,Tam Reyes,union_member,{local},{unit},RN\nTR-2,Uma Stone,manager,,{unit},Manager\n\
         TR-3,Val Ortiz,union_member,{local},{unit},Tech\nTR-4,Wes Grant,manager,,{unit},Director\n"
    );
    app.store
        .import_people(
            &Permit::operator(app.main_pid, Action::Import),
            "people.csv",
            people.as_bytes(),
        )
        .await
        .expect("people");
    let bodies = format!(
        "code,level,name,unit_code,parent_code,decides\nUBT-TR-1,team,AAA Training UBT,{unit},{},\n",
        council["code"].as_str().expect("council")
    );
    let imported = send_csv(app, "admin", "/api/v1/imports/bodies?file_name=bodies.csv", &bodies).await;
    assert_eq!(imported.status, 200, "{}", imported.text);
    let seats = "body_code,employee_no,role,side,from,to\nUBT-TR-1,TR-1,co-lead,labor,2025-01-01,\n\
                 UBT-TR-1,TR-2,co-lead,management,2025-01-01,\nUBT-TR-1,TR-3,sponsor,labor,2025-01-01,\n\
                 UBT-TR-1,TR-4,sponsor,management,2025-01-01,\n";
    let seated = send_csv(app, "admin", "/api/v1/imports/seats?file_name=seats.csv", seats).await;
    document.assert_answer("post", "/api/v1/imports/seats", 200, &seated);
    app.get("admin", "/api/v1/teams?search=AAA%20Training").await.json()["items"][0]["id"]
        .as_i64()
        .expect("the new team")
}

/// The team's stored level this month, as the scorecard reads it.
async fn level(app: &TestApp, team: i64) -> i64 {
    let months = app.get("admin", &format!("/api/v1/teams/{team}/levels")).await.json();
    months
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["computed_level"].as_i64())
        .unwrap_or(0)
}

#[tokio::test]
async fn trained_co_leads_bring_their_team_to_level_one_by_session_or_file() {
    for app in apps().await {
        let document = Document::of(&app).await;
        let team = untrained_team(&app, &document).await;
        assert_eq!(level(&app, team).await, 0, "co-leads not trained yet");

        let catalog = app.get("labor", "/api/v1/training/classes").await;
        document.assert_answer("get", "/api/v1/training/classes", 200, &catalog);
        let workshop = catalog
            .json()
            .as_array()
            .expect("classes")
            .iter()
            .find(|c| c["class"] == "co_lead_workshop")
            .cloned()
            .expect("the co-lead workshop");
        assert_eq!(workshop["asked_for"], json!([{"level": 1, "role": "co_lead"}]));
        let waiting = app
            .get("admin", "/api/v1/training/classes/co_lead_workshop/to-train?limit=2")
            .await;
        document.assert_answer("get", "/api/v1/training/classes/{class}/to-train", 200, &waiting);
        let names: Vec<String> = waiting.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|l| l["employee_no"].as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(names, vec!["TR-1", "TR-2"], "the new team sorts first");

        // A session today: only the administrator schedules and marks.
        let today = jiff::Zoned::now().date().to_string();
        let new = json!({"class": "UBT Co-Lead Workshop", "held_on": today, "place": "Room 4"});
        let refused = app
            .api(Some("labor"), "POST", "/api/v1/training/sessions", Some(new.clone()))
            .await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        let created = app
            .api(Some("admin"), "POST", "/api/v1/training/sessions", Some(new))
            .await;
        document.assert_answer("post", "/api/v1/training/sessions", 201, &created);
        let session = created.json()["id"].as_i64().expect("session id");
        let marks = format!("/api/v1/training/sessions/{session}/attendance");
        let unknown = app
            .api(
                Some("admin"),
                "POST",
                &marks,
                Some(json!({"marks": [{"employee_no": "TR-1", "status": "attended"}, {"employee_no": "NO-ONE", "status": "attended"}]})),
            )
            .await;
        assert_eq!(unknown.status, 422, "{}", unknown.text);
        let came = app
            .api(
                Some("admin"),
                "POST",
                &marks,
                Some(json!({"marks": [{"employee_no": "TR-1", "status": "attended"}]})),
            )
            .await;
        document.assert_answer("post", "/api/v1/training/sessions/{id}/attendance", 200, &came);
        assert_eq!(came.json()["completed"], 1);
        assert_eq!(level(&app, team).await, 0, "one co-lead of two");

        // The management co-lead's workshop, from the learning system's file.
        let bad = "employee_no,class,completed_on,source\nTR-2,knitting,2025-03-01,MyHR\n";
        let refused = send_csv(&app, "admin", "/api/v1/imports/classes?file_name=bad.csv", bad).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
        assert!(refused.text.contains("bad.csv:2:2: unknown class"), "{}", refused.text);
        let by_labor = send_csv(&app, "labor", "/api/v1/imports/classes?file_name=x.csv", bad).await;
        assert_eq!(by_labor.status, 403, "{}", by_labor.text);
        let file = "employee_no,class,completed_on,source\nTR-2,co-lead workshop,2025-03-01,MyHR\n";
        let taken = send_csv(&app, "admin", "/api/v1/imports/classes?file_name=classes.csv", file).await;
        document.assert_answer("post", "/api/v1/imports/classes", 200, &taken);
        assert_eq!(taken.json()["inserted"], 1);
        assert_eq!(level(&app, team).await, 1, "both co-leads trained: level 1 at once");
        let tr1 = app.get("admin", "/api/v1/people?search=Tam%20Reyes").await.json()["items"][0]["id"].clone();
        let classes = app.get("admin", &format!("/api/v1/people/{tr1}/classes")).await;
        document.assert_answer("get", "/api/v1/people/{id}/classes", 200, &classes);
        assert_eq!(classes.json()[0]["source"], format!("session {session}"));
        let shown = app.get("labor", &format!("/api/v1/training/sessions/{session}")).await;
        document.assert_answer("get", "/api/v1/training/sessions/{id}", 200, &shown);
        assert_eq!(shown.json()["attendance"][0]["status"], "attended");

        // The pages: the forms are the administrator's; a mark taken back
        // on the session's page takes the level back.
        let labor_page = app.sign_in("labor").await.get("/training").await;
        assert!(labor_page.text.contains("UBT Co-Lead Workshop"), "{}", labor_page.text);
        assert!(!labor_page.text.contains("Schedule a session"));
        let browser = app.sign_in("admin").await;
        let page = browser.get("/training").await;
        assert!(
            page.text.contains("Schedule a session") && page.text.contains("Room 4"),
            "{}",
            page.text
        );
        let session_page = browser.get(&format!("/training/sessions/{session}")).await;
        assert!(session_page.text.contains("Tam Reyes"), "{}", session_page.text);
        let posted = browser
            .post(
                &format!("/training/sessions/{session}/attendance"),
                &[("csrf", &browser.csrf), ("employee_no", "TR-1"), ("status", "absent")],
            )
            .await;
        let location = posted.location.expect("back to the list");
        assert!(location.contains("done=") && location.ends_with("#list"), "{location}");
        assert_eq!(level(&app, team).await, 0, "the session's completion taken back");
        let class_page = browser.get("/training/classes/co_lead_workshop").await;
        assert!(class_page.text.contains("Tam Reyes"), "{}", class_page.text);
        let person_page = browser.get(&format!("/people/{tr1}")).await;
        assert!(person_page.text.contains("Classes completed"), "{}", person_page.text);
        let scheduled = browser
            .post(
                "/training/sessions",
                &[("csrf", &browser.csrf), ("class", "ibps"), ("held_on", "not a day")],
            )
            .await;
        let location = scheduled.location.expect("back");
        assert!(location.starts_with("/training?error="), "{location}");
        let missing = browser.get("/training/classes/knitting").await;
        assert_eq!(missing.status, 404);
    }
}
