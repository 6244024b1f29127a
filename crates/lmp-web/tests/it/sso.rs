//! Single sign-on against a real OpenID provider that ./test starts
//! (oidc-provider-mock, a maintained provider for tests, built on authlib):
//! this app registered as a client with its secret and return address, the
//! authorization code flow with PKCE, the ID token checked, its
//! `employee_number` claim naming the person; on SQLite and PostgreSQL.

use crate::helpers::{apps_with_sso, read, Reply, TestApp};
use lmp_web::auth::sso::SsoConfig;
use serde_json::json;

/// The provider's issuer URL, or None (saying so) where ./test started none.
fn provider() -> Option<String> {
    match std::env::var("LMP_TEST_OIDC") {
        Ok(url) => Some(url.trim_end_matches('/').to_string()),
        Err(_) => {
            assert!(
                std::env::var("LMP_REQUIRE_OIDC").as_deref() != Ok("1"),
                "LMP_REQUIRE_OIDC=1 but LMP_TEST_OIDC names no provider"
            );
            eprintln!("single sign-on SKIPPED: LMP_TEST_OIDC names no OpenID provider (./test starts one)");
            None
        }
    }
}

/// The provider's user `sub`, with these claims.
async fn provider_user(issuer: &str, sub: &str, claims: serde_json::Value) {
    let put = TestApp::client()
        .put(format!("{issuer}/users/{sub}"))
        .json(&claims)
        .send()
        .await
        .expect("set the provider's user");
    assert!(put.status().is_success(), "{}", put.status());
}

/// A browser's whole round: to the provider, sign in there as `sub`, and
/// back. The last answer, and the provider's authorization address.
async fn sign_in_as(app: &TestApp, client: &reqwest::Client, sub: &str) -> (Reply, String) {
    let begun = read(
        client
            .get(format!("{}/sign-in/sso", app.base))
            .send()
            .await
            .expect("begin"),
    )
    .await;
    assert_eq!(begun.status, 303, "{}", begun.text);
    let authorize = begun.location.expect("to the provider");
    // PKCE, S256: the provider this test runs does not itself insist on it.
    assert!(
        authorize.contains("code_challenge_method=S256") && authorize.contains("code_challenge="),
        "{authorize}"
    );
    assert!(
        authorize.contains("nonce=") && authorize.contains("state="),
        "{authorize}"
    );
    let form = read(client.get(&authorize).send().await.expect("the provider's form")).await;
    assert_eq!(form.status, 200, "{}", form.text);
    let vouched = read(
        client
            .post(&authorize)
            .form(&[("sub", sub)])
            .send()
            .await
            .expect("sign in at the provider"),
    )
    .await;
    let back = vouched.location.expect("back to the app");
    assert!(
        back.starts_with(&format!("{}/sign-in/sso/callback?", app.base)),
        "{back}"
    );
    (read(client.get(&back).send().await.expect("return")).await, back)
}

#[tokio::test]
async fn people_sign_in_through_the_employers_identity_provider() {
    let Some(issuer) = provider() else { return };
    let register = async |base: &str, pid: i64| {
        let registered = TestApp::client()
            .post(format!("{issuer}/oauth2/clients"))
            .json(&json!({"redirect_uris": [format!("{base}/sign-in/sso/callback")]}))
            .send()
            .await
            .expect("register")
            .json::<serde_json::Value>()
            .await
            .expect("registration");
        SsoConfig {
            issuer: issuer.clone(),
            client_id: registered["client_id"].as_str().expect("client id").to_string(),
            client_secret: registered["client_secret"].as_str().map(String::from),
            claim: "employee_number".into(),
            partnership_id: pid,
            redirect_url: format!("{base}/sign-in/sso/callback"),
            label: "Sign in with Cascadia Health".into(),
        }
    };
    for app in apps_with_sso(register).await {
        let backend = app.store.backend();
        // A manager of the demo with no sign-in yet.
        let person = app
            .get("admin", "/api/v1/people?kind=manager&limit=1&offset=7")
            .await
            .json()["items"][0]
            .clone();
        let employee_no = person["employee_no"].as_str().expect("no").to_string();
        let sub = format!("idp-{backend}-{employee_no}");
        provider_user(
            &issuer,
            &sub,
            json!({"employee_number": employee_no, "name": person["name"]}),
        )
        .await;

        let page = read(
            TestApp::client()
                .get(format!("{}/sign-in", app.base))
                .send()
                .await
                .expect("page"),
        )
        .await;
        assert!(page.text.contains("Sign in with Cascadia Health"), "{}", page.text);
        let browser = TestApp::client();
        let (done, callback) = sign_in_as(&app, &browser, &sub).await;
        assert_eq!(done.status, 303, "{backend}: {}", done.text);
        assert_eq!(done.location.as_deref(), Some("/"));
        let home = read(browser.get(format!("{}/", app.base)).send().await.expect("home")).await;
        assert_eq!(home.status, 200, "signed in: {}", home.text);
        let made = app
            .get("admin", &format!("/api/v1/users?search={employee_no}"))
            .await
            .json();
        let user = made["items"][0].clone();
        assert_eq!(user["single_sign_on"], true, "{made}");
        assert_eq!(
            (user["role_source"].as_str(), user["person_id"].clone()),
            (Some("record"), person["id"].clone())
        );

        // The same return twice is refused: its state was used.
        let replay = read(browser.get(&callback).send().await.expect("replay")).await;
        assert_eq!(replay.status, 400, "{}", replay.text);
        // A return this browser did not begin is refused too.
        let stranger = read(TestApp::client().get(&callback).send().await.expect("stranger")).await;
        assert_eq!(stranger.status, 400, "{}", stranger.text);

        // An employee number no one here has.
        provider_user(&issuer, "idp-stranger", json!({"employee_number": "NO-SUCH-1"})).await;
        let (unknown, _) = sign_in_as(&app, &TestApp::client(), "idp-stranger").await;
        assert_eq!(unknown.status, 403, "{}", unknown.text);
        assert!(unknown.text.contains("NO-SUCH-1"), "{}", unknown.text);
        // No employee number at all.
        provider_user(&issuer, "idp-nameless", json!({"name": "Nameless"})).await;
        let (nameless, _) = sign_in_as(&app, &TestApp::client(), "idp-nameless").await;
        assert_eq!(nameless.status, 403, "{}", nameless.text);
        assert!(nameless.text.contains("employee_number"), "{}", nameless.text);

        // Deactivated by the administrator: the provider's word is not enough.
        let id = user["id"].as_i64().expect("id");
        let off = app
            .api(
                Some("admin"),
                "POST",
                &format!("/api/v1/users/{id}"),
                Some(json!({"change": "deactivate"})),
            )
            .await;
        assert_eq!(off.status, 200, "{}", off.text);
        let gone = read(browser.get(format!("{}/", app.base)).send().await.expect("home")).await;
        assert_eq!(gone.status, 303, "the session ended with the deactivation");
        let (refused, _) = sign_in_as(&app, &TestApp::client(), &sub).await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert!(refused.text.contains("deactivated"), "{}", refused.text);
    }
}
