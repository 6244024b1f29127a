//! The administrator's sign-ins over HTTP, on SQLite and PostgreSQL: a role
//! granted, a sign-in deactivated (its token stops answering at once) and
//! brought back, never one's own.

use crate::api_schemas::Document;
use crate::helpers::{apps, read, TestApp};
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

/// Someone in the people file with no sign-in yet.
#[tokio::test]
async fn an_invited_person_chooses_a_sign_in_that_works_once() {
    for app in apps().await {
        let document = Document::of(&app).await;
        let (employee_no, name) = crate::helpers::someone_without_a_sign_in(&app).await;
        let ask = |email: &str| json!({"employee_no": employee_no, "email": email});
        let by_labor = app
            .api(Some("labor"), "POST", "/api/v1/invitations", Some(ask("a@example.org")))
            .await;
        assert_eq!(by_labor.status, 403, "{}", by_labor.text);
        let bad_email = app
            .api(
                Some("admin"),
                "POST",
                "/api/v1/invitations",
                Some(ask("not an address")),
            )
            .await;
        assert_eq!(bad_email.status, 422, "{}", bad_email.text);
        let stranger = app
            .api(
                Some("admin"),
                "POST",
                "/api/v1/invitations",
                Some(json!({"employee_no": "no-such-person", "email": "a@example.org"})),
            )
            .await;
        assert_eq!(stranger.status, 422, "{}", stranger.text);
        let members = app.get("admin", "/api/v1/users?search=member").await.json();
        let member_no = members["items"][0]["employee_no"]
            .as_str()
            .expect("the member's employee number")
            .to_string();
        let member = app
            .api(
                Some("admin"),
                "POST",
                "/api/v1/invitations",
                Some(json!({"employee_no": member_no, "email": "m@example.org"})),
            )
            .await;
        assert_eq!(
            member.status, 422,
            "one who has a sign-in is not invited: {}",
            member.text
        );
        assert!(member.text.contains("already has a sign-in"), "{}", member.text);

        // Two invitations: the second stands in for the first.
        let link_to = |email: &'static str| {
            let store = app.store.clone();
            async move {
                let mail = store.mail_due(500).await.expect("outbox");
                let mail = mail
                    .iter()
                    .find(|m| m.to_address == email)
                    .expect("the invitation's mail");
                assert!(mail.subject.contains("invited"), "{}", mail.subject);
                mail.link.clone()
            }
        };
        let first = app
            .api(
                Some("admin"),
                "POST",
                "/api/v1/invitations",
                Some(ask("first@example.org")),
            )
            .await;
        document.assert_answer("post", "/api/v1/invitations", 201, &first);
        assert_eq!(first.json()["person_name"], name);
        let first_link = link_to("first@example.org").await;
        let second = app
            .api(
                Some("admin"),
                "POST",
                "/api/v1/invitations",
                Some(ask("second@example.org")),
            )
            .await;
        assert_eq!(second.status, 201, "{}", second.text);
        let link = link_to("second@example.org").await;
        assert!(link.starts_with("/invitations/") && link != first_link, "{link}");
        let waiting = app.get("admin", "/api/v1/invitations").await;
        document.assert_answer("get", "/api/v1/invitations", 200, &waiting);
        let theirs: Vec<_> = waiting
            .json()
            .as_array()
            .expect("a list")
            .iter()
            .filter(|i| i["person_name"] == name)
            .cloned()
            .collect();
        assert_eq!(theirs.len(), 1, "the latest only: {theirs:?}");
        assert_eq!(theirs[0]["email"], "second@example.org");

        let person = TestApp::client();
        let at = |path: &str| format!("{}{path}", app.base);
        let old = read(person.get(at(&first_link)).send().await.expect("get")).await;
        assert_eq!(old.status, 404, "the first link stopped working");
        let page = read(person.get(at(&link)).send().await.expect("get")).await;
        assert_eq!(page.status, 200);
        assert!(page.text.contains(&name), "{}", page.text);
        let choose = |username: &str, password: &str, repeated: &str| {
            let form = [("username", username), ("password", password), ("repeated", repeated)]
                .map(|(k, v)| (k.to_string(), v.to_string()));
            person.post(at(&link)).form(&form)
        };
        let foreign = choose("new.person", "long enough", "long enough")
            .header("origin", "https://elsewhere.example")
            .send()
            .await
            .expect("post");
        assert_eq!(foreign.status(), 403, "another site cannot post the form");
        let differ = read(
            choose("new.person", "long enough", "long enougH")
                .send()
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(differ.status, 422);
        assert!(differ.text.contains("differ"), "{}", differ.text);
        let short = read(choose("new.person", "short", "short").send().await.expect("post")).await;
        assert_eq!(short.status, 422);
        let taken = read(
            choose("admin", "long enough", "long enough")
                .send()
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(taken.status, 422);
        assert!(taken.text.contains("taken"), "{}", taken.text);
        let made = read(
            choose("new.person", "long enough", "long enough")
                .send()
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(made.status, 303, "{}", made.text);
        assert_eq!(made.location.as_deref(), Some("/"));
        let home = read(person.get(at("/")).send().await.expect("home")).await;
        assert_eq!(home.status, 200, "signed in: {}", home.text);
        let again = read(person.get(at(&link)).send().await.expect("get")).await;
        assert_eq!(again.status, 404, "a link works once");
        assert!(again.text.contains("no longer works"), "{}", again.text);

        // The sign-in: a password one, its role from the record, audited.
        let listed = app.get("admin", "/api/v1/users?search=new.person").await.json();
        assert_eq!(listed["total"], 1, "{listed}");
        assert_eq!(listed["items"][0]["role_source"], "record");
        assert_eq!(listed["items"][0]["email"], "second@example.org");
        let signed = read(
            TestApp::client()
                .post(at("/sign-in"))
                .form(&[("username", "new.person"), ("password", "long enough")])
                .send()
                .await
                .expect("sign in"),
        )
        .await;
        assert_eq!(signed.status, 303, "the chosen password signs in");
        let audit = app
            .get("admin", &format!("/api/v1/audit?entity=person&entity_id={employee_no}"))
            .await
            .json();
        let invites = audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|r| r["action"] == "user.invite")
            .count();
        assert_eq!(invites, 2, "{audit}");
        let made = app
            .get("admin", "/api/v1/audit?entity=user&entity_id=new.person")
            .await
            .json();
        assert_eq!(made["items"][0]["action"], "user.create", "{made}");

        // The page: the form sends one, back at the form with what was done.
        let browser = app.sign_in("admin").await;
        let page = browser.get("/sign-ins").await;
        assert!(page.text.contains("Invite by email"), "{}", page.text);
        let (other_no, other_name) = crate::helpers::someone_without_a_sign_in(&app).await;
        let posted = browser
            .post(
                "/sign-ins/invite",
                &[
                    ("csrf", &browser.csrf),
                    ("employee_no", &other_no),
                    ("email", "third@example.org"),
                ],
            )
            .await;
        let location = posted.location.expect("back to the form");
        assert!(
            location.contains("done=") && location.ends_with("#invite"),
            "{location}"
        );
        let page = browser.get("/sign-ins").await;
        assert!(
            page.text.contains(&other_name) && page.text.contains("third@example.org"),
            "{}",
            page.text
        );
    }
}
