//! Joint decisions over HTTP, on SQLite and PostgreSQL: both sides work an
//! issue through, adopt it by consensus, and the index shows it was joint.

use crate::helpers::{apps, OTHER, ROLES};
use serde_json::json;

#[tokio::test]
async fn both_sides_work_an_issue_through_to_consensus() {
    for app in apps().await {
        // The labor and manager users co-lead the demo's first team.
        let team = app.store.first_team(app.main_pid).await.expect("team");
        let raise = |user: &'static str, body: serde_json::Value| {
            let path = format!("/api/v1/bodies/{team}/decisions");
            let app = &app;
            async move { app.api(Some(user), "POST", &path, Some(body)).await }
        };
        let issue = json!({"title": "Night float coverage", "issue": "Nights run short when someone calls out"});
        assert_eq!(
            raise("analyst", issue.clone()).await.status,
            403,
            "analysts read, they do not take part"
        );
        assert_eq!(
            raise("admin", issue.clone()).await.status,
            403,
            "no seat, no part: an administrator is not a member"
        );
        let forged = raise(
            "labor",
            json!({"title": "T", "issue": "I", "created_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
        assert_eq!(forged.status, 400, "the server's clock decides: {}", forged.text);
        let raised = raise("labor", issue).await;
        assert_eq!(raised.status, 201, "{}", raised.text);
        let id = raised.json()["id"].as_i64().expect("id");

        let add = |user: &'static str, kind: &'static str, text: &'static str| {
            let path = format!("/api/v1/decisions/{id}/contributions");
            let app = &app;
            async move {
                app.api(Some(user), "POST", &path, Some(json!({"kind": kind, "text": text})))
                    .await
            }
        };
        let step = |user: &'static str| {
            let path = format!("/api/v1/decisions/{id}/advance");
            let app = &app;
            async move { app.api(Some(user), "POST", &path, None).await }
        };
        assert_eq!(add("manager", "interest", "Overtime within budget").await.status, 201);
        assert_eq!(
            add("labor", "interest", "Safe patient loads at night").await.status,
            201
        );
        assert_eq!(add("labor", "option", "Too early").await.status, 422);
        let timed = app
            .api(
                Some("labor"),
                "POST",
                &format!("/api/v1/decisions/{id}/contributions"),
                Some(json!({"kind": "comment", "text": "x", "at": "2020-01-01T00:00:00Z"})),
            )
            .await;
        assert_eq!(timed.status, 400, "a contribution cannot carry its own time");
        assert_eq!(step("manager").await.json()["stage"], "options");
        assert_eq!(add("labor", "option", "A shared float pool").await.status, 201);
        assert_eq!(step("labor").await.json()["stage"], "evaluating");
        assert_eq!(
            add("manager", "solution", "Float pool of six, reviewed jointly in 90 days")
                .await
                .status,
            201
        );
        assert_eq!(step("manager").await.json()["stage"], "deciding");
        let awaiting = app.sign_in("manager").await.get("/my-teams").await.text;
        assert!(
            awaiting.contains("Awaiting your stance") && awaiting.contains(&format!("/decisions/{id}")),
            "a member sees what awaits them"
        );

        let stance = |user: &'static str, body: serde_json::Value| {
            let path = format!("/api/v1/decisions/{id}/stances");
            let app = &app;
            async move { app.api(Some(user), "POST", &path, Some(body)).await }
        };
        let no_reason = stance("manager", json!({"stance": "block"})).await;
        assert_eq!(no_reason.status, 422);
        assert_eq!(stance("analyst", json!({"stance": "support"})).await.status, 403);
        assert_eq!(stance(OTHER, json!({"stance": "support"})).await.status, 404);
        let first = stance("labor", json!({"stance": "support"})).await.json();
        assert_eq!(first["state"], "awaiting");
        let done = stance(
            "manager",
            json!({"stance": "can_live_with", "reason": "If the review is kept"}),
        )
        .await
        .json();
        assert_eq!(done["state"], "adopted", "{done}");
        let settled = app.sign_in("manager").await.get("/my-teams").await.text;
        assert!(
            !settled.contains(&format!("/decisions/{id}")),
            "nothing awaits once they stood"
        );

        let body = app
            .get("member", &format!("/api/v1/bodies/{team}/decisions"))
            .await
            .json();
        assert_eq!(body["participation_percent"], 100);
        assert_eq!(body["decisions"][0]["labor"], "joint");
        assert_eq!(body["decisions"][0]["management"], "joint");
        let record = app.get("analyst", &format!("/api/v1/decisions/{id}")).await.json();
        assert_eq!(record["decision"]["stage"], "adopted");
        assert_eq!(record["contributions"].as_array().map(Vec::len), Some(5));

        for role in ROLES {
            let browser = app.sign_in(role).await;
            let page = browser.get(&format!("/decisions/{id}")).await;
            assert_eq!(page.status, 200, "{role}");
            assert!(page.text.contains("Night float coverage") && page.text.contains("Safe patient loads"));
        }
        let other = app.sign_in(OTHER).await;
        assert_eq!(other.get(&format!("/decisions/{id}")).await.status, 404);
        let page = app.sign_in("labor").await.get(&format!("/bodies/{team}")).await.text;
        assert!(page.contains("Partnership Participation Index") && page.contains("Night float coverage"));
        app.store.verify_audit().await.expect("every step is in the chain");
    }
}

#[tokio::test]
async fn a_member_raises_and_steps_through_on_the_pages() {
    for app in apps().await {
        let team = app.store.first_team(app.main_pid).await.expect("team");
        let labor = app.sign_in("labor").await;
        let raised = labor
            .post(
                &format!("/bodies/{team}/decisions"),
                &[
                    ("csrf", labor.csrf.as_str()),
                    ("title", "Break room"),
                    ("issue", "No room for breaks"),
                ],
            )
            .await;
        assert_eq!(raised.status, 303);
        let to = raised.location.expect("to the decision");
        assert!(to.starts_with("/decisions/"), "{to}");
        let id: i64 = to
            .trim_start_matches("/decisions/")
            .split('?')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("id");
        let early = labor
            .post(&format!("/decisions/{id}/advance"), &[("csrf", labor.csrf.as_str())])
            .await;
        assert!(
            early.location.as_deref().is_some_and(|l| l.contains("error=")),
            "an interest first"
        );
        let added = labor
            .post(
                &format!("/decisions/{id}/contributions"),
                &[
                    ("csrf", labor.csrf.as_str()),
                    ("kind", "interest"),
                    ("text", "Real breaks"),
                ],
            )
            .await;
        assert!(added.location.as_deref().is_some_and(|l| l.contains("done=")));
        let page = labor.get(&format!("/decisions/{id}")).await.text;
        assert!(page.contains("Real breaks") && page.contains("Move on to: Generating options"));
    }
}
