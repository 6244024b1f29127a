//! `apps`: the whole app on a random port over a fresh copy of a database
//! with the small demo loaded, and typed helpers to call it as each demo user.

use lmp_core::policy::{authorize, Action};
use lmp_demo::Scale;
use lmp_store::testing::{Template, TestDb};
use lmp_store::Store;
use lmp_web::auth::token::{hash_secret, new_api_token};
use lmp_web::AppState;
use reqwest::redirect::Policy;
use std::collections::HashMap;
use std::sync::OnceLock;
use tokio::sync::oneshot;

/// The five roles of the main partnership, as the demo names their users.
pub const ROLES: [&str; 5] = ["admin", "labor", "manager", "member", "analyst"];
pub const OTHER: &str = "other-admin";

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub main_pid: i64,
    pub other_pid: i64,
    /// API token per demo user name.
    pub tokens: HashMap<String, String>,
    shutdown: Option<oneshot::Sender<()>>,
    _db: TestDb,
}

fn demo_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| lmp_web::auth::password::hash_password("demo").expect("hash"))
}

/// The small demo with the password `demo` for every user, loaded once per
/// binary; each app gets its own copy.
static DEMO: Template = Template {
    name: "web-demo",
    build: |store| {
        Box::pin(async move {
            lmp_demo::load_demo(&store, Scale::Small, demo_hash(), &|_, _| {})
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    },
};

/// The app over each backend in turn: SQLite, and PostgreSQL where configured.
pub async fn apps() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for db in TestDb::each_from(&DEMO).await {
        apps.push(spawn_app(db).await);
    }
    apps
}

/// The app over SQLite only.
pub async fn sqlite_app() -> TestApp {
    spawn_app(TestDb::sqlite_from(&DEMO).await).await
}

async fn spawn_app(db: TestDb) -> TestApp {
    spawn_app_with(db, async |_: &str, _: i64| None).await
}

/// The app over each backend, signing people into the main partnership
/// through the identity provider `sso` describes (given the app's address
/// and that partnership's id).
pub async fn apps_with_sso(sso: impl AsyncFn(&str, i64) -> lmp_web::auth::sso::SsoConfig) -> Vec<TestApp> {
    let mut apps = Vec::new();
    for db in TestDb::each_from(&DEMO).await {
        apps.push(spawn_app_with(db, async |base: &str, pid: i64| Some(sso(base, pid).await)).await);
    }
    apps
}

async fn spawn_app_with(
    db: TestDb,
    sso: impl AsyncFnOnce(&str, i64) -> Option<lmp_web::auth::sso::SsoConfig>,
) -> TestApp {
    let store = db.store.clone();
    let main_pid = store
        .partnership_by_slug("cascadia")
        .await
        .expect("q")
        .expect("main")
        .id;
    let other_pid = store
        .partnership_by_slug("riverbend")
        .await
        .expect("q")
        .expect("other")
        .id;
    let mut tokens = HashMap::new();
    for name in ROLES.iter().chain([&OTHER]) {
        let user = store.user_by_name(name).await.expect("q").expect("demo user");
        let actor = lmp_web::auth::actor_of(&user).expect("actor");
        let permit = authorize(&actor, Action::ManageOwnTokens, actor.partnership_id).expect("permit");
        let token = new_api_token();
        store
            .create_api_token(&permit, "test", &hash_secret(&token))
            .await
            .expect("token");
        tokens.insert(name.to_string(), token);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let mut state = AppState::new(store.clone(), false).expect("state");
    if let Some(config) = sso(&base, main_pid).await {
        state = state.with_sso(config).expect("single sign-on");
    }
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(lmp_web::serve(listener, state, async {
        let _ = rx.await;
    }));
    TestApp {
        base,
        store,
        main_pid,
        other_pid,
        tokens,
        shutdown: Some(tx),
        _db: db,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A response, read whole.
pub struct Reply {
    pub status: u16,
    pub text: String,
    pub location: Option<String>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    Reply {
        status,
        text: response.text().await.expect("body"),
        location,
    }
}

/// Send `body` as a CSV file to `path` as `user`, over the API.
pub async fn send_csv(app: &TestApp, user: &str, path: &str, body: &str) -> Reply {
    let response = TestApp::client()
        .post(format!("{}{path}", app.base))
        .bearer_auth(&app.tokens[user])
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    Reply {
        status,
        location: None,
        text: response.text().await.expect("body"),
    }
}

impl TestApp {
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(Policy::none())
            .cookie_store(true)
            .build()
            .expect("client")
    }

    /// Call the API as `user` (`None`: with no token at all).
    pub async fn api(&self, user: Option<&str>, method: &str, path: &str, body: Option<serde_json::Value>) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = Self::client().request(method, format!("{}{path}", self.base));
        if let Some(user) = user {
            request = request.bearer_auth(&self.tokens[user]);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("request")).await
    }

    pub async fn get(&self, user: &str, path: &str) -> Reply {
        self.api(Some(user), "GET", path, None).await
    }

    /// A browser-like client signed in as `user`, and its CSRF token.
    pub async fn sign_in(&self, user: &str) -> Browser {
        let client = Self::client();
        let reply = read(
            client
                .post(format!("{}/sign-in", self.base))
                .form(&[("username", user), ("password", "demo")])
                .send()
                .await
                .expect("sign in"),
        )
        .await;
        assert_eq!(reply.status, 303, "sign in as {user}: {}", reply.text);
        let page = read(
            client
                .get(format!("{}/tokens", self.base))
                .send()
                .await
                .expect("tokens page"),
        )
        .await;
        let csrf = page
            .text
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a csrf field")
            .to_string();
        Browser {
            client,
            base: self.base.clone(),
            csrf,
        }
    }

    /// Ids that exist in the main partnership, to visit.
    pub async fn sample_ids(&self) -> Samples {
        let first = |reply: Reply| reply.json()["items"][0]["id"].as_i64().expect("an id");
        Samples {
            person: first(self.get("admin", "/api/v1/people?limit=1").await),
            local: first(self.get("admin", "/api/v1/locals?limit=1").await),
            unit: first(self.get("admin", "/api/v1/units?kind=hospital&limit=1").await),
            team: first(self.get("admin", "/api/v1/teams?limit=1").await),
        }
    }
}

pub struct Samples {
    pub person: i64,
    pub local: i64,
    pub unit: i64,
    pub team: i64,
}

pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

impl Browser {
    pub async fn get(&self, path: &str) -> Reply {
        read(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .expect("get"),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        read(
            self.client
                .post(format!("{}{path}", self.base))
                .form(form)
                .send()
                .await
                .expect("post"),
        )
        .await
    }

    /// A page's upload form: the CSRF token and `fields` first, as a
    /// browser sends them, then the file.
    pub async fn upload(&self, path: &str, fields: &[(&str, &str)], file_name: &str, file: String) -> Reply {
        let mut form = reqwest::multipart::Form::new().text("csrf", self.csrf.clone());
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        let form = form.part(
            "file",
            reqwest::multipart::Part::text(file).file_name(file_name.to_string()),
        );
        read(
            self.client
                .post(format!("{}{path}", self.base))
                .multipart(form)
                .send()
                .await
                .expect("upload"),
        )
        .await
    }
}

impl TestApp {
    /// A two-key change asked for by the admin and approved by labor, then
    /// management, over the API; returns the change's id. Panics unless both
    /// keys were needed and the second made the change.
    pub async fn with_two_keys(&self, change: serde_json::Value) -> i64 {
        let asked = self
            .api(Some("admin"), "POST", "/api/v1/joint-changes", Some(change))
            .await;
        assert_eq!(asked.status, 201, "{}", asked.text);
        let id = asked.json()["id"].as_i64().expect("id");
        let path = format!("/api/v1/joint-changes/{id}/approve");
        let first = self.api(Some("labor"), "POST", &path, None).await;
        assert_eq!(first.status, 200, "{}", first.text);
        assert_eq!(first.json()["applied"], false, "one key changes nothing");
        let second = self.api(Some("manager"), "POST", &path, None).await;
        assert_eq!(second.status, 200, "{}", second.text);
        assert_eq!(second.json()["applied"], true, "{}", second.text);
        id
    }
}

/// A person still employed who has no sign-in yet: one an administrator may invite.
pub async fn someone_without_a_sign_in(app: &TestApp) -> (String, String) {
    let people = app.get("admin", "/api/v1/people?limit=50").await.json();
    for person in people["items"].as_array().expect("items") {
        let no = person["employee_no"].as_str().expect("employee_no");
        let theirs = app.get("admin", &format!("/api/v1/users?search={no}")).await.json();
        if theirs["total"] == 0 && person["left_on"].is_null() && !no.is_empty() {
            return (no.to_string(), person["name"].as_str().expect("name").to_string());
        }
    }
    panic!("everyone among the first 50 has a sign-in");
}
