//! A real browser (Debian's chromium, driven through chromedriver over the
//! W3C WebDriver protocol) signs in and sees the dashboard's chart.
//!
//! Skipped, saying so, when chromedriver is not installed — unless
//! `LMP_REQUIRE_BROWSER=1` (as CI sets), which makes that a failure.

use crate::helpers::sqlite_app;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    process: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Driver {
    async fn start() -> Option<Driver> {
        let binary = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(binary) = binary else {
            assert!(
                std::env::var("LMP_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "LMP_REQUIRE_BROWSER=1 but chromedriver is not installed"
            );
            eprintln!("browser test skipped: install chromium and chromium-driver to run it");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let process = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            process,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        // Ready when its status says so, not after a guessed sleep.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = driver.http.get(format!("{}/status", driver.base)).send().await {
                if r.json::<Value>().await.is_ok_and(|v| v["value"]["ready"] == true) {
                    return Some(driver);
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply: Value = request
            .send()
            .await
            .expect("webdriver call")
            .json()
            .await
            .expect("webdriver json");
        assert!(reply["value"].get("error").is_none(), "webdriver {path}: {reply}");
        reply["value"].clone()
    }
}

struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    async fn new(driver: &Driver) -> Session<'_> {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=1280,1000"]
            }
        }}});
        let value = driver.call(reqwest::Method::POST, "/session", Some(caps)).await;
        Session {
            driver,
            id: value["sessionId"].as_str().expect("session id").to_string(),
        }
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}{path}", self.id),
                Some(body),
            )
            .await
    }

    async fn get(&self, path: &str) -> Value {
        self.driver
            .call(reqwest::Method::GET, &format!("/session/{}{path}", self.id), None)
            .await
    }

    async fn find(&self, css: &str) -> String {
        let found = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    /// Wait until `css` matches, as a person waits for a page.
    async fn wait_for(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let reply: Value = self
                .driver
                .http
                .post(format!("{}/session/{}/element", self.driver.base, self.id))
                .json(&json!({"using": "css selector", "value": css}))
                .send()
                .await
                .expect("find")
                .json()
                .await
                .expect("json");
            if let Some(id) = reply["value"][ELEMENT].as_str() {
                return id.to_string();
            }
            if Instant::now() > deadline {
                let url = self.get("/url").await;
                let source = self.get("/source").await;
                panic!(
                    "{css} never appeared on {url} ({reply}): {}",
                    source.as_str().unwrap_or("").chars().take(600).collect::<String>()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn end(self) {
        self.driver
            .call(reqwest::Method::DELETE, &format!("/session/{}", self.id), None)
            .await;
    }
}

#[tokio::test]
async fn a_person_signs_in_and_sees_the_dashboard_chart() {
    let Some(driver) = Driver::start().await else { return };
    let app = sqlite_app().await;
    let session = Session::new(&driver).await;
    session.post("/url", json!({"url": format!("{}/", app.base)})).await;
    // Not signed in: the app sends the browser to the sign-in form.
    let username = session.wait_for("#username").await;
    session
        .post(&format!("/element/{username}/value"), json!({"text": "analyst"}))
        .await;
    let password = session.find("#password").await;
    session
        .post(&format!("/element/{password}/value"), json!({"text": "demo"}))
        .await;
    let button = session.find("#sign-in").await;
    session.post(&format!("/element/{button}/click"), json!({})).await;
    let chart = session.wait_for("#locals-chart svg").await;
    let rect = session.get(&format!("/element/{chart}/rect")).await;
    assert!(
        rect["width"].as_f64() > Some(100.0),
        "the chart is drawn at a visible size: {rect}"
    );
    let title = session.get("/title").await;
    assert_eq!(title, "Dashboard · lmp");
    let text = session
        .get(&format!("/element/{}/text", session.find("main").await))
        .await;
    assert!(text.as_str().unwrap_or("").contains("bodies missing a co-lead"));
    // Keep a picture of what the person saw.
    let png = session.get("/screenshot").await;
    if let Some(b64) = png.as_str() {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let _ = std::fs::write(dir.join("dashboard.png.b64"), b64);
    }
    session.end().await;
}

#[tokio::test]
async fn a_co_lead_records_a_huddle_on_a_phone() {
    let Some(driver) = Driver::start().await else { return };
    let app = sqlite_app().await;
    let team = app.store.first_team(app.main_pid).await.expect("team");
    let before = app
        .store
        .meetings_of_team(app.main_pid, team, 500)
        .await
        .expect("m")
        .len();
    let session = Session::new(&driver).await;
    session.post("/window/rect", json!({"width": 390, "height": 844})).await;
    sign_in(&session, &app.base, "labor").await;
    // From the co-lead's own list of teams to the team.
    session
        .post("/url", json!({"url": format!("{}/my-teams", app.base)}))
        .await;
    let link = session.wait_for(&format!("a[href='/teams/{team}']")).await;
    session.post(&format!("/element/{link}/click"), json!({})).await;
    // The first thing on the page for a co-lead: record a huddle.
    let record = session.wait_for("a.button[href*='record=1']").await;
    session.post(&format!("/element/{record}/click"), json!({})).await;
    let kind = session
        .wait_for("#record-meeting[open] select[name=kind] option[value=huddle]")
        .await;
    session.post(&format!("/element/{kind}/click"), json!({})).await;
    let first = session.find("#record-meeting input[name=attendee]").await;
    session.post(&format!("/element/{first}/click"), json!({})).await;
    let submit = session.find("#record-meeting button[type=submit]").await;
    session.post(&format!("/element/{submit}/click"), json!({})).await;
    let done = session.wait_for("#done").await;
    let text = session.get(&format!("/element/{done}/text")).await;
    assert_eq!(text, "Meeting recorded");
    let after = app.store.meetings_of_team(app.main_pid, team, 500).await.expect("m");
    assert_eq!(after.len(), before + 1);
    assert_eq!(after[0].kind, "huddle");
    session.end().await;
}

/// Sign in on the sign-in page as a demo user.
async fn sign_in(session: &Session<'_>, base: &str, user: &str) {
    session.post("/url", json!({"url": format!("{base}/sign-in")})).await;
    let username = session.wait_for("#username").await;
    session
        .post(&format!("/element/{username}/value"), json!({"text": user}))
        .await;
    let password = session.find("#password").await;
    session
        .post(&format!("/element/{password}/value"), json!({"text": "demo"}))
        .await;
    let button = session.find("#sign-in").await;
    session.post(&format!("/element/{button}/click"), json!({})).await;
    session.wait_for("main").await;
}

#[tokio::test]
async fn a_co_lead_answers_a_notice_with_a_stance_on_a_phone() {
    let Some(driver) = Driver::start().await else { return };
    let app = sqlite_app().await;
    let session = Session::new(&driver).await;
    session.post("/window/rect", json!({"width": 390, "height": 844})).await;
    sign_in(&session, &app.base, "manager").await;
    // The menu says a notice waits; the notice leads to the decision.
    let notices = session.wait_for("nav a.unread[href='/notices']").await;
    session.post(&format!("/element/{notices}/click"), json!({})).await;
    let link = session.wait_for("ul.notices li.unread a[href^='/decisions/']").await;
    let href = session.get(&format!("/element/{link}/attribute/href")).await;
    let decision: i64 = href
        .as_str()
        .and_then(|h| h.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .expect("a decision link");
    session.post(&format!("/element/{link}/click"), json!({})).await;
    let verified = session.wait_for("p#history").await;
    let text = session.get(&format!("/element/{verified}/text")).await;
    assert!(text.as_str().unwrap_or("").starts_with("History verified"), "{text}");
    let reason = session.find("form[action$='/stances'] input[name=reason]").await;
    session
        .post(&format!("/element/{reason}/value"), json!({"text": "Fair to everyone"}))
        .await;
    let choice = session
        .find("form[action$='/stances'] select[name=stance] option[value=can_live_with]")
        .await;
    session.post(&format!("/element/{choice}/click"), json!({})).await;
    let submit = session.find("form[action$='/stances'] button[type=submit]").await;
    session.post(&format!("/element/{submit}/click"), json!({})).await;
    let done = session.wait_for("#done").await;
    let text = session.get(&format!("/element/{done}/text")).await;
    assert!(text.as_str().unwrap_or("").starts_with("Stance recorded"), "{text}");
    let stances = app.store.stances_of(app.main_pid, decision).await.expect("stances");
    assert!(stances
        .iter()
        .any(|s| s.stance == "can_live_with" && s.reason == "Fair to everyone"));
    session.end().await;
}

/// What a page shows on a phone: table cells hidden, table cells in all, how
/// wide the page is beside the screen, and the first few things wider.
const PHONE_LAYOUT: &str = "const cells = [...document.querySelectorAll('main th, main td')];
return {
  hidden: cells.filter(c => getComputedStyle(c).display === 'none').length,
  cells: cells.length,
  page: document.documentElement.scrollWidth,
  screen: window.innerWidth,
  wider: [...document.querySelectorAll('body *')]
    .filter(e => !e.closest('table') && e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3)
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width)),
};";

#[tokio::test]
async fn on_a_phone_every_column_stays_and_no_page_is_wider_than_the_screen() {
    let Some(driver) = Driver::start().await else { return };
    let app = sqlite_app().await;
    let team = app.store.first_team(app.main_pid).await.expect("team");
    let session = Session::new(&driver).await;
    session.post("/window/rect", json!({"width": 390, "height": 844})).await;
    sign_in(&session, &app.base, "admin").await;
    let pages = [
        format!("/teams/{team}"),
        "/eis".to_string(),
        "/staffing".to_string(),
        "/trust".to_string(),
        "/bodies".to_string(),
        "/people".to_string(),
        "/health".to_string(),
        "/scorecard".to_string(),
        "/sign-ins".to_string(),
        "/training".to_string(),
        "/audit".to_string(),
        "/changes".to_string(),
        "/locals".to_string(),
    ];
    for path in pages {
        session
            .post("/url", json!({"url": format!("{}{path}", app.base)}))
            .await;
        session.wait_for("main table").await;
        let seen = session
            .post("/execute/sync", json!({"script": PHONE_LAYOUT, "args": []}))
            .await;
        assert!(seen["cells"].as_u64() > Some(10), "{path} has tables: {seen}");
        assert_eq!(seen["hidden"], 0, "{path}: no column hidden on a phone: {seen}");
        assert!(
            seen["page"].as_u64() <= seen["screen"].as_u64(),
            "{path}: the page is no wider than the screen, a wide table scrolls in itself: {seen}"
        );
    }
    session.end().await;
}

#[tokio::test]
async fn a_trustee_sees_the_amounts_of_a_budget_waiting_for_approval() {
    let Some(driver) = Driver::start().await else { return };
    let app = sqlite_app().await;
    let next = lmp_store::today().year() + 1;
    let waiting = app
        .get("admin", &format!("/api/v1/trust/budget?year={next}"))
        .await
        .json();
    let lines = waiting["lines"]
        .as_array()
        .expect("next year's budget waits with its lines");
    let session = Session::new(&driver).await;
    sign_in(&session, &app.base, "labor").await;
    // The year the budget is for, and this year's page that shows it waiting.
    for year in [next, next - 1] {
        session
            .post("/url", json!({"url": format!("{}/trust?year={year}", app.base)}))
            .await;
        let table = session.wait_for("table.proposed-budget").await;
        let text = session.get(&format!("/element/{table}/text")).await;
        let text = text.as_str().unwrap_or("");
        let mut total = 0;
        for line in lines {
            let cents = line["amount_cents"].as_i64().expect("amount_cents");
            total += cents;
            let amount = lmp_core::money::Cents(cents).whole_dollars();
            assert!(text.contains(&amount), "{year}: {amount} shown in {text}");
        }
        assert!(total > 0, "the demo's proposal spends something");
        let total = lmp_core::money::Cents(total).whole_dollars();
        assert!(
            text.contains(&format!("Total {total}")),
            "{year}: the total {total} in {text}"
        );
    }
    session.end().await;
}

/// Whether the element is wholly on the screen as the page now stands.
const ON_SCREEN: &str = "const r = arguments[0].getBoundingClientRect();
return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;";

#[tokio::test]
async fn after_a_form_its_message_is_beside_the_place_the_page_returns_to() {
    let Some(driver) = Driver::start().await else { return };
    let app = sqlite_app().await;
    let next = lmp_store::today().year() + 1;
    let session = Session::new(&driver).await;
    session.post("/window/rect", json!({"width": 390, "height": 844})).await;
    sign_in(&session, &app.base, "labor").await;
    session
        .post("/url", json!({"url": format!("{}/trust", app.base)}))
        .await;
    // The trustee's approval lives below the charts, by the budget.
    let approve = session
        .wait_for("form[action^='/trust/budgets/'] button[type=submit]")
        .await;
    session.post(&format!("/element/{approve}/click"), json!({})).await;
    let done = session.wait_for("#done").await;
    let text = session.get(&format!("/element/{done}/text")).await;
    assert!(
        text.as_str()
            .unwrap_or("")
            .contains(&format!("the {next} budget waits")),
        "{text}"
    );
    let url = session.get("/url").await;
    assert!(url.as_str().unwrap_or("").ends_with("#budget"), "{url}");
    let seen = session
        .post("/execute/sync", json!({"script": ON_SCREEN, "args": [{ELEMENT: done}]}))
        .await;
    assert_eq!(seen, json!(true), "the message is on the screen at #budget");
    session.end().await;
}

#[tokio::test]
async fn a_bad_address_is_the_same_readable_page_as_one_not_found() {
    let Some(driver) = Driver::start().await else { return };
    let app = sqlite_app().await;
    let session = Session::new(&driver).await;
    sign_in(&session, &app.base, "admin").await;
    let page = async |path: &str| {
        session
            .post("/url", json!({"url": format!("{}{path}", app.base)}))
            .await;
        let heading = session.wait_for("main h1").await;
        let heading = session.get(&format!("/element/{heading}/text")).await;
        let message = session.find("main p.error").await;
        let message = session.get(&format!("/element/{message}/text")).await;
        (heading, message.as_str().unwrap_or("").to_string())
    };
    let (missing, _) = page("/teams/999999999").await;
    assert_eq!(missing, "Not found");
    for bad_id in ["/teams/abc", "/bodies/1.5", "/decisions/x", "/people/-"] {
        let (heading, _) = page(bad_id).await;
        assert_eq!(heading, missing, "{bad_id} reads as a page not found");
    }
    for bad_query in ["/people?offset=many", "/trust?year=soon", "/bodies?offset=-1"] {
        let (heading, message) = page(bad_query).await;
        assert_eq!(heading, "Something is wrong", "{bad_query}");
        assert!(message.contains("could not be read"), "{bad_query}: {message}");
        assert!(!message.contains("Failed to deserialize"), "{bad_query}: {message}");
    }
    session.end().await;
}

/// The facility picker's choices, as (value, text), the first being "every".
const FACILITY_CHOICES: &str = "return [...document.querySelectorAll('select[name=facility] option')]
  .map(o => [o.value, o.textContent.trim()]);";

/// The "Serves at" column of the stewards table.
const STEWARDS_SERVE_AT: &str = "const h = document.getElementById('stewards');
const table = h.nextElementSibling;
return [...table.querySelectorAll('tbody tr td:nth-child(2)')].map(td => td.textContent.trim());";

#[tokio::test]
async fn places_carry_their_region_and_a_locals_stewards_follow_the_chosen_facility() {
    let Some(driver) = Driver::start().await else { return };
    let app = sqlite_app().await;
    let regions: Vec<String> = app.get("admin", "/api/v1/units?kind=region").await.json()["items"]
        .as_array()
        .expect("regions")
        .iter()
        .map(|r| r["name"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(regions.len() > 1, "{regions:?}");
    let in_a_region = |name: &str| regions.iter().any(|r| name.ends_with(&format!(", {r}")));
    // Every facility council says where it is.
    let councils = app.get("admin", "/api/v1/bodies?level=facility&limit=500").await.json();
    let councils = councils["items"].as_array().expect("councils");
    assert!(!councils.is_empty());
    for c in councils {
        let name = c["name"].as_str().unwrap_or("");
        assert!(in_a_region(name), "the council {name} carries its region");
    }
    // The local whose stewards serve at the most facilities.
    let locals = app.get("admin", "/api/v1/locals?limit=500").await.json();
    let mut chosen = None;
    for l in locals["items"].as_array().expect("locals") {
        let id = l["id"].as_i64().expect("id");
        let stewards = app
            .get("admin", &format!("/api/v1/locals/{id}/stewards?limit=500"))
            .await
            .json();
        let serve_at: Vec<String> = stewards["items"]
            .as_array()
            .expect("stewards")
            .iter()
            .map(|s| s["unit_name"].as_str().unwrap_or("").to_string())
            .collect();
        if serve_at.len() > chosen.as_ref().map_or(1, |(_, s): &(i64, Vec<String>)| s.len()) {
            chosen = Some((id, serve_at));
        }
    }
    let (local, serve_at) = chosen.expect("a local with two stewards or more");
    let session = Session::new(&driver).await;
    sign_in(&session, &app.base, "admin").await;
    session
        .post("/url", json!({"url": format!("{}/locals/{local}", app.base)}))
        .await;
    session.wait_for("select[name=facility]").await;
    let choices = session
        .post("/execute/sync", json!({"script": FACILITY_CHOICES, "args": []}))
        .await;
    let choices: Vec<(String, String)> = serde_json::from_value(choices).expect("choices");
    let facilities = &choices[1..];
    assert!(facilities.len() > 1, "{choices:?}");
    let mut names: Vec<&str> = facilities.iter().map(|(_, text)| text.as_str()).collect();
    for name in &names {
        assert!(in_a_region(name), "the choice {name} carries its region");
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), facilities.len(), "no two choices read alike: {choices:?}");
    // A facility some of the local's stewards serve at, but not all.
    let facility_of = |text: &str| text.rsplit_once(", ").map_or(text, |(f, _)| f).to_string();
    let (value, text) = facilities
        .iter()
        .find(|(_, text)| {
            let here = serve_at.iter().filter(|s| s.contains(&facility_of(text))).count();
            here > 0 && here < serve_at.len()
        })
        .unwrap_or_else(|| panic!("a facility with some of {serve_at:?}"));
    let facility = facility_of(text);
    session
        .post(
            "/url",
            json!({"url": format!("{}/locals/{local}?facility={value}", app.base)}),
        )
        .await;
    session.wait_for("#stewards").await;
    let shown = session
        .post("/execute/sync", json!({"script": STEWARDS_SERVE_AT, "args": []}))
        .await;
    let shown: Vec<String> = serde_json::from_value(shown).expect("stewards shown");
    let expected = serve_at.iter().filter(|s| s.contains(&facility)).count();
    assert_eq!(shown.len(), expected, "only the stewards at {facility}: {shown:?}");
    assert!(shown.iter().all(|s| s.contains(&facility)), "{facility}: {shown:?}");
    session.end().await;
}
