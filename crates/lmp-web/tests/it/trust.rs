//! The Partnership Trust over HTTP, on SQLite and PostgreSQL: who reads and
//! who runs the books, a payroll upload by API and by form (larger than any
//! other request may be), the wall between partnerships, a budget approved
//! by each side's trustee in person, statements and reconciliation.

use crate::helpers::{apps, TestApp, OTHER, ROLES};
use std::io::Read;

/// The other partnership's pay year (its trust has no books yet).
async fn riverbend_payroll(app: &TestApp) -> String {
    let mut text = String::new();
    lmp_demo::payroll::demo_payroll(&app.store, app.other_pid, 2025, None)
        .await
        .expect("payroll")
        .read_to_string(&mut text)
        .expect("read");
    text
}

async fn upload(app: &TestApp, user: &str, name: &str, body: &str, replace: bool) -> crate::helpers::Reply {
    let response = TestApp::client()
        .post(format!(
            "{}/api/v1/trust/payroll?file_name={name}&replace={replace}",
            app.base
        ))
        .bearer_auth(&app.tokens[user])
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    crate::helpers::Reply {
        status,
        location: None,
        text: response.text().await.expect("body"),
    }
}

#[tokio::test]
async fn the_books_are_read_by_those_who_answer_for_them_and_run_by_the_administrator() {
    for app in apps().await {
        for role in ROLES {
            let expected = if role == "member" { 403 } else { 200 };
            assert_eq!(app.get(role, "/api/v1/trust").await.status, expected, "{role}");
            let page = app.sign_in(role).await.get("/trust").await;
            assert_eq!(page.status, expected, "{role}: {}", page.text);
        }
        let year = lmp_store::today().year() - 1;
        let figures = app.get("analyst", &format!("/api/v1/trust?year={year}")).await.json();
        assert!(figures["worker_cents"].as_i64().expect("cents") > 0);
        assert_eq!(figures["worker_cents"], figures["employer_cents"]);
        let locals = app
            .get("labor", &format!("/api/v1/trust/locals?year={year}"))
            .await
            .json();
        let local = locals[0]["key"].as_str().expect("a local").to_string();
        // The other partnership sees its own empty books, nothing of these.
        let theirs = app.get(OTHER, &format!("/api/v1/trust?year={year}")).await.json();
        assert_eq!(theirs["worker_cents"], 0);
        let their_page = app.sign_in(OTHER).await.get(&format!("/trust?year={year}")).await;
        assert!(!their_page.text.contains(&local), "the wall between partnerships");
        assert_eq!(
            app.get(OTHER, &format!("/api/v1/trust/locals/{local}/statement?year={year}"))
                .await
                .status,
            404
        );

        let statement = app
            .get(
                "manager",
                &format!("/api/v1/trust/locals/{local}/statement?year={year}"),
            )
            .await
            .json();
        assert!(statement.as_array().is_some_and(|rows| rows.len() >= 26));
        let admin = app.sign_in("admin").await;
        let page = admin.get(&format!("/trust/locals/{local}?year={year}")).await;
        assert!(
            page.status == 200 && page.text.contains("trust statement"),
            "{}",
            page.text
        );
        let csv = admin
            .get(&format!("/trust/locals/{local}?year={year}&format=csv"))
            .await;
        assert!(csv
            .text
            .starts_with("period_start,period_end,workers,hours,worker_cents,employer_cents,remitted_cents\n"));
        let flagged = admin.get(&format!("/trust/reconciliation?year={year}&flagged=1")).await;
        assert!(
            flagged.text.contains("short") || flagged.text.contains("over"),
            "the demo has a few"
        );
        let reconciliation = app
            .get("analyst", &format!("/api/v1/trust/reconciliation?year={year}"))
            .await
            .json();
        assert!(reconciliation
            .as_array()
            .is_some_and(|rows| rows.iter().any(|r| r["status"] == "matched")));

        let row = &reconciliation[0];
        let remit = [
            ("csrf", admin.csrf.as_str()),
            ("period_start", row["period_start"].as_str().expect("period")),
            ("local", row["local"].as_str().expect("local")),
            ("amount", "1.00"),
            ("received_on", "2026-01-15"),
            ("reference", "CHQ-1"),
        ];
        let recorded = admin.post("/trust/remittances", &remit).await;
        assert!(
            recorded
                .location
                .as_deref()
                .is_some_and(|l| l.contains("done=Remittance+recorded")),
            "{:?}",
            recorded.location
        );
        let twice = admin.post("/trust/remittances", &remit).await;
        assert!(
            twice.location.as_deref().is_some_and(|l| l.contains("recorded+before")),
            "{:?}",
            twice.location
        );
        let labor = app.sign_in("labor").await;
        let mut theirs_remit = remit;
        theirs_remit[0].1 = labor.csrf.as_str();
        assert_eq!(labor.post("/trust/remittances", &theirs_remit).await.status, 403);
        let spend = serde_json::json!({"category": "training", "amount": "1250.00", "spent_on": format!("{year}-06-30"), "memo": "IBPS class"});
        assert_eq!(
            app.api(Some("labor"), "POST", "/api/v1/trust/spending", Some(spend.clone()))
                .await
                .status,
            403
        );
        assert_eq!(
            app.api(Some("admin"), "POST", "/api/v1/trust/spending", Some(spend))
                .await
                .status,
            201
        );
        let odd = serde_json::json!({"category": "parties", "amount": "1", "spent_on": "2025-01-01", "memo": ""});
        assert_eq!(
            app.api(Some("admin"), "POST", "/api/v1/trust/spending", Some(odd))
                .await
                .status,
            400
        );
        let openapi = app.api(None, "GET", "/api/v1/openapi.json", None).await.text;
        for path in [
            "/api/v1/trust/payroll",
            "/api/v1/trust/reconciliation",
            "/api/v1/trust/budgets/{id}/approve",
        ] {
            assert!(openapi.contains(path), "{path} is documented");
        }
    }
}

#[tokio::test]
async fn payroll_goes_in_by_api_or_form_whole_once_and_a_bad_line_is_named() {
    for app in apps().await {
        let text = riverbend_payroll(&app).await;
        assert!(
            text.len() > lmp_web::MAX_BODY_BYTES,
            "bigger than any other request may be"
        );
        assert_eq!(
            upload(&app, "admin", "pay.csv", &text, false).await.status,
            400,
            "cascadia has no such workers"
        );
        assert_eq!(upload(&app, "member", "pay.csv", &text, false).await.status, 403);
        let bad = text.replacen(",regular,", ",bonus,", 1);
        let refused = upload(&app, OTHER, "bad.csv", &bad, false).await;
        assert_eq!(refused.status, 400);
        assert!(
            refused.json()["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("bad.csv:2:6: unknown hour type")),
            "{}",
            refused.text
        );
        let done = upload(&app, OTHER, "pay-2025.csv", &text, false).await;
        assert_eq!(done.status, 201, "{}", done.text);
        assert_eq!(done.json()["outcome"], "imported");
        let again = upload(&app, OTHER, "pay-2025.csv", &text, false).await;
        assert_eq!(
            (again.status, again.json()["outcome"].as_str()),
            (200, Some("unchanged"))
        );
        let theirs = app.get(OTHER, "/api/v1/trust?year=2025").await.json();
        assert_eq!(theirs["worker_cents"], done.json()["worker_cents"]);

        // The form: a corrected file, with "replace" ticked.
        let browser = app.sign_in(OTHER).await;
        let corrected = text.replacen(",regular,80.00", ",regular,72.00", 1);
        let form = |csrf: &str, body: String| {
            reqwest::multipart::Form::new()
                .text("csrf", csrf.to_string())
                .text("replace", "1")
                .part(
                    "file",
                    reqwest::multipart::Part::text(body).file_name("pay-2025-corrected.csv"),
                )
        };
        let forged = browser
            .client
            .post(format!("{}/trust/payroll", app.base))
            .multipart(form("not-the-token", corrected.clone()))
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status().as_u16(), 403);
        let posted = browser
            .client
            .post(format!("{}/trust/payroll", app.base))
            .multipart(form(&browser.csrf, corrected))
            .send()
            .await
            .expect("post");
        assert_eq!(posted.status().as_u16(), 303);
        let location = posted.headers()["location"].to_str().expect("location").to_string();
        assert!(
            location.starts_with("/trust?done=Taken+in") && location.contains("26+replaced"),
            "{location}"
        );
        let after = app.get(OTHER, "/api/v1/trust?year=2025").await.json();
        assert_eq!(
            after["worker_cents"].as_i64().expect("cents"),
            theirs["worker_cents"].as_i64().expect("cents") - 72
        );
        assert!(app
            .store
            .trust_ledger_problems(app.other_pid)
            .await
            .expect("check")
            .is_empty());
    }
}

#[tokio::test]
async fn a_budget_is_in_force_once_each_sides_trustee_has_approved_it_in_person() {
    for app in apps().await {
        let next = lmp_store::today().year() + 1;
        let budget = app
            .get("admin", &format!("/api/v1/trust/budget?year={next}"))
            .await
            .json();
        let id = budget["id"].as_i64().expect("next year's budget waits");
        let approve = format!("/trust/budgets/{id}/approve");
        let admin = app.sign_in("admin").await;
        assert_eq!(
            admin.post(&approve, &[("csrf", &admin.csrf)]).await.status,
            403,
            "no administrator approves for the trustees"
        );
        assert_eq!(
            app.api(
                Some("analyst"),
                "POST",
                &format!("/api/v1/trust/budgets/{id}/approve"),
                None
            )
            .await
            .status,
            403
        );
        let labor = app.sign_in("labor").await;
        let page = labor.get("/trust").await;
        assert!(
            page.text.contains(&format!("Approve the {next} budget for labor")),
            "{}",
            page.text
        );
        assert_eq!(labor.post(&approve, &[("csrf", "forged")]).await.status, 403);
        let once = labor.post(&approve, &[("csrf", &labor.csrf)]).await;
        assert!(
            once.location
                .as_deref()
                .is_some_and(|l| l.contains("waits+for+the+other")),
            "{:?}",
            once.location
        );
        let twice = labor.post(&approve, &[("csrf", &labor.csrf)]).await;
        assert!(
            twice.location.as_deref().is_some_and(|l| l.contains("error=")),
            "{:?}",
            twice.location
        );
        let both = app
            .api(
                Some("manager"),
                "POST",
                &format!("/api/v1/trust/budgets/{id}/approve"),
                None,
            )
            .await;
        assert_eq!(both.status, 200, "{}", both.text);
        assert!(both.json()["keys"]["labor"].is_string() && both.json()["keys"]["management"].is_string());
        let proposal =
            serde_json::json!({"year": next + 1, "lines": {"training": "100000", "team_support": "50000.50"}});
        assert_eq!(
            app.api(Some("manager"), "POST", "/api/v1/trust/budgets", Some(proposal.clone()))
                .await
                .status,
            403
        );
        assert_eq!(
            app.api(Some("admin"), "POST", "/api/v1/trust/budgets", Some(proposal))
                .await
                .status,
            201
        );
        assert!(app.store.verify_audit().await.is_ok());
    }
}
