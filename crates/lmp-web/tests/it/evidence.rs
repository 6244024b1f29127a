//! The Evidence page and API over the demo, on SQLite and PostgreSQL: every
//! role reads it, the other partnership sees none of it, the demo's planted
//! effect is found within its interval, a measure comes into force only
//! with both sides' keys, and outcomes files are taken in whole or not at all.

use crate::helpers::{apps, send_csv, TestApp, OTHER, ROLES};
use serde_json::{json, Value};

/// The level 4 coefficient of the levels model in a measure's evidence.
fn level_4(evidence: &Value) -> Value {
    evidence["levels_with_controls"]["fit"]["coefficients"]
        .as_array()
        .expect("the levels model was fitted")
        .iter()
        .find(|c| c["name"] == "level 4")
        .cloned()
        .expect("level 4 against level 1")
}

async fn a_team_code(app: &TestApp) -> String {
    let teams = app.get("admin", "/api/v1/teams?limit=1").await.json();
    teams["items"][0]["code"].as_str().expect("a team's code").to_string()
}

#[tokio::test]
async fn everyone_reads_the_evidence_and_the_planted_effect_is_within_its_interval() {
    for app in apps().await {
        let backend = app.store.backend();
        for role in ROLES {
            let measures = app.get(role, "/api/v1/evidence/measures").await;
            assert_eq!(measures.status, 200, "{backend} {role}: {}", measures.text);
            assert_eq!(measures.json().as_array().map(Vec::len), Some(6), "{backend}");
            for path in [
                "/api/v1/evidence/measures/injuries",
                "/api/v1/evidence/measures/injuries/panel.csv",
                "/api/v1/evidence/measures/injuries/models.json",
            ] {
                assert_eq!(app.get(role, path).await.status, 200, "{backend} {role} GET {path}");
            }
            let browser = app.sign_in(role).await;
            let page = browser.get("/evidence?measure=injuries").await;
            assert_eq!(page.status, 200, "{backend} {role}");
        }
        let injuries = app.get("analyst", "/api/v1/evidence/measures/injuries").await.json();
        let effect = level_4(&injuries["evidence"]);
        let (low, high) = (
            effect["low"].as_f64().expect("low"),
            effect["high"].as_f64().expect("high"),
        );
        let planted = lmp_demo::outcomes::PLANTED_INJURY_EFFECT;
        assert!(
            low <= planted && planted <= high,
            "{backend}: {planted} outside {low} to {high}"
        );
        // The page reads it in words: fewer injuries is better, and the whole interval says so.
        let page = app.sign_in("member").await.get("/evidence?measure=injuries").await.text;
        assert!(
            page.contains(r#"<li class="better"><strong>Level 4: Operational</strong>"#),
            "{page}"
        );
        for caveat in [
            "Selection.",
            "Small groups.",
            "As reported.",
            "/evidence/injuries/panel.csv",
        ] {
            assert!(page.contains(caveat), "{backend}: the page lacks {caveat}");
        }
        // The downloads are the exact panel and the models as run.
        let browser = app.sign_in("member").await;
        let panel = browser.get("/evidence/injuries/panel.csv").await.text;
        let rows = panel.lines().count() - 1;
        assert_eq!(
            rows as u64,
            injuries["evidence"]["values"].as_u64().expect("values"),
            "{backend}"
        );
        let models: Value =
            serde_json::from_str(&browser.get("/evidence/injuries/models.json").await.text).expect("json");
        assert_eq!(models["panel"], "injuries-panel.csv");
        assert_eq!(
            level_4(&models["evidence"]),
            effect,
            "{backend}: the download is what the page shows"
        );
        // The other partnership has no measures, and this one's are not found.
        assert_eq!(app.get(OTHER, "/api/v1/evidence/measures").await.json(), json!([]));
        for path in [
            "/api/v1/evidence/measures/injuries",
            "/api/v1/evidence/measures/injuries/panel.csv",
        ] {
            assert_eq!(app.get(OTHER, path).await.status, 404, "{backend} other GET {path}");
        }
        let other = app.sign_in(OTHER).await;
        assert_eq!(other.get("/evidence/injuries/models.json").await.status, 404);
        assert!(other
            .get("/evidence")
            .await
            .text
            .contains("No outcome measure is in force yet"));
        assert_eq!(app.get("admin", "/api/v1/evidence/measures/no_such").await.status, 404);
        // In Spanish, the same page in Spanish.
        let spanish = app.sign_in("labor").await;
        spanish.get("/language/es").await;
        let page = spanish.get("/evidence?measure=injuries").await.text;
        assert!(page.contains("Lo que estas cifras no pueden decir"), "{page}");
        assert!(page.contains("Nivel 4: Operativo"), "{page}");
    }
}

#[tokio::test]
async fn a_measure_is_in_force_only_when_both_sides_accept_it() {
    for app in apps().await {
        let backend = app.store.backend();
        // Labor asks on the page; its own key turns as it asks.
        let labor = app.sign_in("labor").await;
        let asked = labor
            .post(
                "/changes",
                &[
                    ("csrf", labor.csrf.as_str()),
                    ("change", "define_measure"),
                    ("measure_code", "falls"),
                    ("measure_name", "Patient falls"),
                    ("domain", "quality"),
                    ("unit", "falls per 1,000 patient days"),
                    ("direction", "down"),
                    (
                        "definition",
                        "Falls reported in the incident system, per 1,000 patient days.",
                    ),
                    ("reason", "Both sides asked to see falls."),
                ],
            )
            .await;
        assert_eq!(asked.status, 303, "{backend}: {}", asked.text);
        let codes = |measures: Value| -> Vec<String> {
            measures
                .as_array()
                .expect("measures")
                .iter()
                .filter_map(|m| m["code"].as_str().map(String::from))
                .collect()
        };
        assert!(!codes(app.get("admin", "/api/v1/evidence/measures").await.json()).contains(&"falls".to_string()));
        let changes = app.get("manager", "/api/v1/joint-changes").await.json();
        let change = changes
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| {
                c["kind"] == "outcome_measure"
                    && c["state"] != "applied"
                    && c["summary"].as_str().unwrap_or("").contains("falls")
            })
            .cloned()
            .unwrap_or_else(|| panic!("{backend}: the asked-for measure waits: {changes}"));
        // Labor's key has turned: it cannot turn again, and no file may use the measure yet.
        let id = change["id"].as_i64().expect("id");
        let again = app
            .api(
                Some("labor"),
                "POST",
                &format!("/api/v1/joint-changes/{id}/approve"),
                None,
            )
            .await;
        assert_ne!(again.status, 200, "{backend}: one side turned its key twice");
        let team = a_team_code(&app).await;
        let early = send_csv(
            &app,
            "admin",
            "/api/v1/evidence/outcomes",
            &format!("team_code,measure,month,value\n{team},falls,2025-01,3.1\n"),
        )
        .await;
        assert_eq!(early.status, 400, "{backend}: {}", early.text);
        assert!(early.text.contains("outcomes.csv:2:2"), "{}", early.text);
        let second = app
            .api(
                Some("manager"),
                "POST",
                &format!("/api/v1/joint-changes/{id}/approve"),
                None,
            )
            .await;
        assert_eq!(second.status, 200, "{backend}: {}", second.text);
        assert_eq!(second.json()["applied"], true);
        assert!(codes(app.get("member", "/api/v1/evidence/measures").await.json()).contains(&"falls".to_string()));
        // No values yet; the first file's show at once, though the evidence is kept a while.
        let empty = app.get("analyst", "/api/v1/evidence/measures/falls").await.json();
        assert_eq!(empty["evidence"]["values"], 0, "{backend}");
        assert!(app
            .sign_in("member")
            .await
            .get("/evidence?measure=falls")
            .await
            .text
            .contains("Too few to fit"));
        let file = format!("team_code,measure,month,value\n{team},falls,2026-06,3.1\n{team},falls,2026-07,2.9\n");
        assert_eq!(
            send_csv(&app, "admin", "/api/v1/evidence/outcomes", &file).await.status,
            201
        );
        let taken = app.get("analyst", "/api/v1/evidence/measures/falls").await.json();
        assert_eq!(
            taken["evidence"]["values"], 2,
            "{backend}: the kept evidence was dropped: {taken}"
        );
        // Over the API too, with the measure whole; a code in force is refused.
        let twice = app
            .api(
                Some("admin"),
                "POST",
                "/api/v1/joint-changes",
                Some(json!({"change": "define_measure", "reason": "again", "measure": {
                    "code": "falls", "name": "Falls", "domain": "quality", "definition": "Falls.",
                    "unit": "falls", "direction": "down"}})),
            )
            .await;
        assert_eq!(twice.status, 422, "{backend}: {}", twice.text);
        assert!(twice.text.contains("in force already"), "{}", twice.text);
    }
}

/// The overtime measure's values in all, as the list of measures counts them.
async fn overtime_values(app: &TestApp) -> u64 {
    let measures = app.get("analyst", "/api/v1/evidence/measures").await.json();
    measures
        .as_array()
        .expect("measures")
        .iter()
        .find(|m| m["code"] == "overtime")
        .and_then(|m| m["values"].as_u64())
        .expect("overtime's values")
}

#[tokio::test]
async fn outcomes_files_are_taken_in_whole_once_and_only_by_the_administrator() {
    for app in apps().await {
        let backend = app.store.backend();
        let team = a_team_code(&app).await;
        // A month the demo leaves empty: the demo's values end last month, three years back.
        let values = overtime_values(&app).await;
        let file =
            format!("team_code,measure,month,value\n{team},overtime,2019-01,4.5\n{team},overtime,2019-02,4.25\n");
        for role in ["labor", "manager", "member", "analyst"] {
            let refused = send_csv(&app, role, "/api/v1/evidence/outcomes", &file).await;
            assert_eq!(refused.status, 403, "{backend} {role}: {}", refused.text);
        }
        let taken = send_csv(&app, "admin", "/api/v1/evidence/outcomes?file_name=overtime.csv", &file).await;
        assert_eq!(taken.status, 201, "{backend}: {}", taken.text);
        assert_eq!(taken.json()["added"], 2);
        // What is kept for the page is dropped at once.
        assert_eq!(overtime_values(&app).await, values + 2, "{backend}");
        let again = send_csv(&app, "admin", "/api/v1/evidence/outcomes", &file).await;
        assert_eq!(again.status, 200, "{backend}: {}", again.text);
        assert_eq!(again.json()["unchanged"], 2);
        // A bad row anywhere and nothing is written: a good row before it stays out.
        let bad = format!("team_code,measure,month,value\n{team},overtime,2019-03,4.0\n{team},overtime,2019-04,lots\n");
        let refused = send_csv(&app, "admin", "/api/v1/evidence/outcomes?file_name=march.csv", &bad).await;
        assert_eq!(refused.status, 400, "{backend}: {}", refused.text);
        assert!(refused.text.contains("march.csv:3:4"), "{}", refused.text);
        let changed = send_csv(
            &app,
            "admin",
            "/api/v1/evidence/outcomes",
            &format!("team_code,measure,month,value\n{team},overtime,2019-01,9\n"),
        )
        .await;
        assert_eq!(
            changed.status, 400,
            "{backend}: a month's value is set once: {}",
            changed.text
        );
        assert_eq!(overtime_values(&app).await, values + 2, "{backend}");
        // The administrator's page form takes the same file; others see no form.
        let admin = app.sign_in("admin").await;
        assert!(admin
            .get("/evidence")
            .await
            .text
            .contains(r#"action="/evidence/outcomes""#));
        let file = format!("team_code,measure,month,value\n{team},overtime,2019-03,4.0\n");
        let uploaded = admin.upload("/evidence/outcomes", &[], "march.csv", file).await;
        assert_eq!(uploaded.status, 303, "{backend}: {}", uploaded.text);
        let shown = admin
            .get(uploaded.location.as_deref().expect("back to the page"))
            .await
            .text;
        assert!(shown.contains("1 values added"), "{shown}");
        let member = app.sign_in("member").await;
        assert!(!member
            .get("/evidence")
            .await
            .text
            .contains(r#"action="/evidence/outcomes""#));
    }
}
