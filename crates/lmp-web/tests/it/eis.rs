//! Employment and Income Security over HTTP, on SQLite and PostgreSQL: who
//! reads the board and who runs placement, a proposal accepted by each
//! side's representative in person (never by an administrator), a
//! vacancies file named line by line, and the wall between partnerships.

use crate::helpers::{apps, send_csv, OTHER, ROLES};

#[tokio::test]
async fn the_board_is_read_by_those_who_answer_for_it_and_proposals_need_both_sides() {
    for app in apps().await {
        for role in ROLES {
            let expected = if role == "member" { 403 } else { 200 };
            assert_eq!(app.get(role, "/api/v1/eis").await.status, expected, "{role}");
            let page = app.sign_in(role).await.get("/eis").await;
            assert_eq!(page.status, expected, "{role}: {}", page.text);
        }
        let board = app.get("analyst", "/api/v1/eis").await.json();
        assert!(board["in_pool"].as_i64().expect("pool") > 0, "{board}");
        assert!(board["placed"].as_i64().expect("placed") > 0, "{board}");
        let proposals = app.get("labor", "/api/v1/eis/proposals").await.json();
        let open = proposals
            .as_array()
            .expect("list")
            .iter()
            .find(|p| p["status"] == "proposed")
            .unwrap_or_else(|| panic!("an open proposal: {proposals}"))
            .clone();
        let id = open["id"].as_i64().expect("id");
        assert!(open["explanation"].as_str().expect("words").starts_with("Placed in"));
        let accept = format!("/api/v1/eis/proposals/{id}/accept");
        for role in ["admin", "analyst", "member"] {
            assert_eq!(app.api(Some(role), "POST", &accept, None).await.status, 403, "{role}");
        }
        assert_eq!(app.api(Some(OTHER), "POST", &accept, None).await.status, 403);
        assert_eq!(app.get(OTHER, &format!("/api/v1/eis/proposals/{id}")).await.status, 404);
        let one = app.api(Some("labor"), "POST", &accept, None).await;
        assert_eq!(one.status, 200, "{}", one.text);
        assert_eq!(one.json()["status"], "proposed", "one side is not enough");
        assert_eq!(app.api(Some("labor"), "POST", &accept, None).await.status, 422);
        let both = app.api(Some("manager"), "POST", &accept, None).await;
        assert_eq!(both.status, 200, "{}", both.text);
        assert_eq!(both.json()["status"], "placed");

        // The other partnership's board is empty; its proposals are its own.
        let theirs = app.get(OTHER, "/api/v1/eis").await.json();
        assert_eq!(theirs["in_pool"], 0);

        // Running placement: the administrator or a representative, not the analyst.
        assert_eq!(
            app.api(Some("analyst"), "POST", "/api/v1/eis/runs", None).await.status,
            403
        );
        let run = app.api(Some("admin"), "POST", "/api/v1/eis/runs", None).await;
        assert_eq!(run.status, 201, "{}", run.text);
        assert!(run.json()["placed"].as_i64().expect("placed") > 0);

        let bad = "vacancy_id,job_class,required_licences,fte,shift,pay_band,region,retrain_from\nNEW-1,RN,,1.7,day,B4,north,\n";
        let reply = send_csv(&app, "admin", "/api/v1/eis/vacancies/import?file_name=V.csv", bad).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert!(reply.text.contains("V.csv:2:4"), "{}", reply.text);
        let good = bad.replace("1.7", "1.0");
        let reply = send_csv(&app, "admin", "/api/v1/eis/vacancies/import?file_name=V.csv", &good).await;
        assert_eq!(reply.json()["added"], 1, "{}", reply.text);
        let reply = send_csv(&app, "admin", "/api/v1/eis/vacancies/import?file_name=V.csv", &good).await;
        assert_eq!(reply.json()["unchanged"], 1, "the same file twice changes nothing");
        assert_eq!(
            send_csv(&app, "analyst", "/api/v1/eis/vacancies/import", &good)
                .await
                .status,
            403
        );

        let spec = app.get("admin", "/api/v1/openapi.json").await.json();
        for path in [
            "/api/v1/eis",
            "/api/v1/eis/runs",
            "/api/v1/eis/proposals/{id}/accept",
            "/api/v1/eis/vacancies/import",
        ] {
            assert!(spec["paths"].get(path).is_some(), "{path} in the OpenAPI document");
        }
    }
}

#[tokio::test]
async fn representatives_accept_on_the_page_and_a_forged_form_is_refused() {
    for app in apps().await {
        let proposals = app.get("labor", "/api/v1/eis/proposals").await.json();
        let id = proposals
            .as_array()
            .expect("list")
            .iter()
            .find(|p| p["status"] == "proposed")
            .and_then(|p| p["id"].as_i64())
            .expect("an open proposal");
        let labor = app.sign_in("labor").await;
        let page = labor.get("/eis").await;
        assert!(page.text.contains("Accept for labor"), "{}", page.text);
        let accept = format!("/eis/proposals/{id}/accept");
        assert_eq!(labor.post(&accept, &[("csrf", "forged")]).await.status, 403);
        let once = labor.post(&accept, &[("csrf", &labor.csrf)]).await;
        assert!(
            once.location
                .as_deref()
                .is_some_and(|l| l.contains("waits+for+the+other")),
            "{:?}",
            once.location
        );
        let manager = app.sign_in("manager").await;
        let done = manager.post(&accept, &[("csrf", &manager.csrf)]).await;
        assert!(
            done.location.as_deref().is_some_and(|l| l.contains("is+placed+in")),
            "{:?}",
            done.location
        );

        // A vacancy posted by hand, checked as a file row would be.
        let admin = app.sign_in("admin").await;
        let mut form = vec![
            ("csrf", admin.csrf.as_str()),
            ("vacancy_id", "HAND-1"),
            ("job_class", "RN-ICU"),
            ("required_licences", "RN-CA; ACLS"),
            ("fte", "0.9"),
            ("shift", "night"),
            ("pay_band", "RN-ICU-B2"),
            ("region", "NCAL-EAST"),
            ("retrain_from", "RN-STEPDOWN"),
            ("pay_min", "70.00"),
            ("pay_max", "82.50"),
            ("facility", ""),
        ];
        let posted = admin.post("/eis/vacancies", &form).await;
        assert!(
            posted
                .location
                .as_deref()
                .is_some_and(|l| l.contains("1+vacancies+added")),
            "{:?}",
            posted.location
        );
        form[4] = ("fte", "2");
        let refused = admin.post("/eis/vacancies", &form).await;
        assert!(
            refused
                .location
                .as_deref()
                .is_some_and(|l| l.contains("error=") && l.contains("vacancies%3A2%3A4")),
            "{:?}",
            refused.location
        );
        let vacancies = app.get("analyst", "/api/v1/eis/vacancies").await.json();
        let hand = vacancies
            .as_array()
            .expect("list")
            .iter()
            .find(|v| v["code"] == "HAND-1")
            .expect("posted");
        assert_eq!(hand["required_licences"], "ACLS;RN-CA");
        assert_eq!(hand["pay_max_cents"], 8250);
    }
}
