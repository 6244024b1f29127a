//! The administrator's sign-ins over HTTP, on SQLite and PostgreSQL: a role
//! granted, a sign-in deactivated (its token stops answering at once) and
//! brought back, never one's own.

use crate::api_schemas::Document;
use crate::helpers::apps;
use serde_json::json;

#[tokio::test]
async fn the_administrator_grants_deactivates_and_brings_back_sign_ins() {
    for app in apps().await {
        let document = Document::of(&app).await;
        let listed = app.get("admin", "/api/v1/users?search=member").await;
        document.assert_answer("get", "/api/v1/users", 200, &listed);
        let member = listed.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|u| u["username"] == "member")
            .cloned()
            .expect("the member's sign-in");
        let path = format!("/api/v1/users/{}", member["id"]);
        assert_eq!(app.get("labor", &path).await.status, 403);

        let granted = app
            .api(
                Some("admin"),
                "POST",
                &path,
                Some(json!({"change": "grant", "role": "analyst"})),
            )
            .await;
        document.assert_answer("post", "/api/v1/users/{id}", 200, &granted);
        assert_eq!(granted.json()["role"], "analyst");
        assert_eq!(
            app.get("member", "/api/v1/audit?limit=1").await.status,
            200,
            "an analyst reads the audit"
        );
        let by_labor = app
            .api(Some("labor"), "POST", &path, Some(json!({"change": "deactivate"})))
            .await;
        assert_eq!(by_labor.status, 403, "{}", by_labor.text);

        let gone = app
            .api(Some("admin"), "POST", &path, Some(json!({"change": "deactivate"})))
            .await;
        assert_eq!(gone.status, 200, "{}", gone.text);
        assert!(gone.json()["deactivated_on"].is_string());
        assert_eq!(
            app.get("member", "/api/v1/me").await.status,
            401,
            "its token stops at once"
        );
        let shown = app.get("admin", "/api/v1/users?search=member").await.json();
        assert_eq!(shown["total"], 0, "deactivated ones are left out");
        let back = app
            .api(Some("admin"), "POST", &path, Some(json!({"change": "reactivate"})))
            .await;
        assert_eq!(back.status, 200, "{}", back.text);
        assert_eq!(app.get("member", "/api/v1/me").await.status, 200);

        let me = app.get("admin", "/api/v1/me").await.json();
        let own = app
            .api(
                Some("admin"),
                "POST",
                &format!("/api/v1/users/{}", me["user_id"]),
                Some(json!({"change": "deactivate"})),
            )
            .await;
        assert_eq!(own.status, 422, "{}", own.text);
        let unknown = app
            .api(
                Some("admin"),
                "POST",
                &path,
                Some(json!({"change": "grant", "role": "king"})),
            )
            .await;
        assert_eq!(unknown.status, 400, "{}", unknown.text);

        // The page: the list, and a form that deactivates.
        let browser = app.sign_in("admin").await;
        let page = browser.get("/sign-ins?search=member").await;
        assert!(page.text.contains("Deactivate member"), "{}", page.text);
        let posted = browser
            .post(
                &format!("/sign-ins/{}", member["id"]),
                &[("csrf", &browser.csrf), ("change", "deactivate")],
            )
            .await;
        let location = posted.location.expect("back to the list");
        assert!(location.contains("done=") && location.contains("member"), "{location}");
        let page = browser.get("/sign-ins?search=member&deactivated=1").await;
        assert!(page.text.contains("Bring back member"), "{}", page.text);
    }
}
