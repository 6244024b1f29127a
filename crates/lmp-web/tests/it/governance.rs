//! What surrounds decisions, over HTTP on SQLite and PostgreSQL: notices
//! mailed through a real SMTP conversation, mail that cannot go, meetings
//! and their invitations, two keys, a decision's history check, the health
//! page and the participation index on the scorecard.

use crate::helpers::{apps, TestApp, OTHER, ROLES};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A local SMTP server that accepts every message and keeps its text: a
/// real SMTP conversation over TCP, as a relay would have it.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let keep = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut message: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(text) = message.as_mut() {
                        if line == "." {
                            keep.lock().expect("lock").push(message.take().unwrap_or_default());
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
                        "DATA" => {
                            message = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"502 not here\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, received)
}

fn every(mail: Duration) -> lmp_web::background::Intervals {
    lmp_web::background::Intervals {
        sweep: Duration::from_secs(3600),
        mail,
    }
}

/// Raise an issue on the first team (co-led by the labor and manager
/// users) and take it to where stances are wanted.
async fn to_deciding(app: &TestApp, title: &str) -> i64 {
    let team = app.store.first_team(app.main_pid).await.expect("team");
    let raised = app
        .api(
            Some("labor"),
            "POST",
            &format!("/api/v1/bodies/{team}/decisions"),
            Some(json!({"title": title, "issue": "Holidays fall on the same people"})),
        )
        .await;
    assert_eq!(raised.status, 201, "{}", raised.text);
    let id = raised.json()["id"].as_i64().expect("id");
    let add = |user: &'static str, kind: &'static str, text: &'static str| {
        let path = format!("/api/v1/decisions/{id}/contributions");
        async move {
            app.api(Some(user), "POST", &path, Some(json!({"kind": kind, "text": text})))
                .await
        }
    };
    let step = |user: &'static str| {
        let path = format!("/api/v1/decisions/{id}/advance");
        async move { app.api(Some(user), "POST", &path, None).await }
    };
    assert_eq!(add("manager", "interest", "Coverage every holiday").await.status, 201);
    assert_eq!(step("labor").await.status, 200);
    assert_eq!(add("labor", "option", "Volunteers first").await.status, 201);
    assert_eq!(step("manager").await.status, 200);
    assert_eq!(
        add("manager", "solution", "Volunteers, then rotation").await.status,
        201
    );
    assert_eq!(step("labor").await.json()["stage"], "deciding");
    id
}

#[tokio::test]
async fn a_stance_needed_is_mailed_through_a_real_smtp_server_and_shown_in_the_app() {
    for app in apps().await {
        let (port, received) = smtp_sink().await;
        app.store
            .set_user_email("manager", Some("manager@example.org"))
            .await
            .expect("email");
        lmp_web::background::spawn(
            app.store.clone(),
            Some(lmp_web::background::MailConfig {
                smtp_url: format!("smtp://127.0.0.1:{port}"),
                from: "lmp <lmp@example.org>".into(),
                public_url: "https://lmp.example.org".into(),
            }),
            every(Duration::from_millis(100)),
        )
        .expect("background");
        let id = to_deciding(&app, "Holiday rotation").await;
        let mut message = None;
        for _ in 0..100 {
            if let Some(m) = received
                .lock()
                .expect("lock")
                .iter()
                .find(|m| m.contains("Holiday rotation") && m.contains("manager@example.org"))
            {
                message = Some(m.clone());
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let message = message.expect("the manager's mail arrived at the SMTP server");
        // The subject in both languages (a long header is folded).
        let unfolded = message.replace("\r\n ", " ").replace("\n ", " ");
        assert!(
            unfolded.contains("Subject: [lmp] Your stance is needed / Se necesita su postura: Holiday rotation"),
            "{message}"
        );
        assert!(
            message.contains(&format!("https://lmp.example.org/decisions/{id}")),
            "{message}"
        );
        // In the app too, with the count in the menu.
        let notices = app.get("manager", "/api/v1/notices").await.json();
        assert!(notices
            .as_array()
            .expect("list")
            .iter()
            .any(|n| n["kind"] == "stance_needed" && n["decision_id"] == id));
        let page = app.sign_in("manager").await.get("/notices").await;
        assert!(
            page.text.contains("Holiday rotation") && page.text.contains("Notices ("),
            "{}",
            page.text
        );
        let read = app
            .api(Some("manager"), "POST", "/api/v1/notices/read", Some(json!({})))
            .await;
        assert!(read.json()["marked"].as_u64().expect("marked") >= 1);
    }
}

#[tokio::test]
async fn mail_that_cannot_go_never_loses_the_write_and_waits_to_be_retried() {
    for app in apps().await {
        // A port nothing listens on: every send fails.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        app.store
            .set_user_email("manager", Some("manager@example.org"))
            .await
            .expect("email");
        lmp_web::background::spawn(
            app.store.clone(),
            Some(lmp_web::background::MailConfig {
                smtp_url: format!("smtp://127.0.0.1:{closed}"),
                from: "lmp@example.org".into(),
                public_url: "http://localhost".into(),
            }),
            every(Duration::from_millis(100)),
        )
        .expect("background");
        let id = to_deciding(&app, "Badge access").await;
        let stance = app
            .api(
                Some("manager"),
                "POST",
                &format!("/api/v1/decisions/{id}/stances"),
                Some(json!({"stance": "support"})),
            )
            .await;
        assert_eq!(stance.status, 200, "the write stands: {}", stance.text);
        let mut waiting = (0, 0);
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            waiting = app.store.mail_backlog().await.expect("backlog");
            if waiting.0 > 0 {
                break;
            }
        }
        assert!(waiting.0 > 0, "the mail waits in the outbox to be retried");
        let decision = app.get("manager", &format!("/api/v1/decisions/{id}")).await.json();
        assert!(decision["stances"]
            .as_array()
            .expect("stances")
            .iter()
            .any(|s| s["stance"] == "support"));
    }
}

#[tokio::test]
async fn a_body_calls_a_meeting_with_an_agenda_an_invitation_and_minutes_by_side() {
    for app in apps().await {
        let team = app.store.first_team(app.main_pid).await.expect("team");
        let id = to_deciding(&app, "Weekend coverage").await;
        let date = lmp_store::today().checked_add(jiff::Span::new().days(7)).expect("date");
        let meeting = json!({"title": "Monthly team meeting", "date": date.to_string(), "start": "14:30",
            "duration_minutes": 60, "location": "4 West break room",
            "agenda": [{"title": "Weekend coverage", "decision_id": id}, {"title": "Huddle board"}]});
        let path = format!("/api/v1/bodies/{team}/meetings");
        assert_eq!(
            app.api(Some("analyst"), "POST", &path, Some(meeting.clone()))
                .await
                .status,
            403,
            "only members call a body's meetings"
        );
        let bad = json!({"title": "x", "date": "tomorrow", "start": "14:30", "duration_minutes": 60});
        assert_eq!(app.api(Some("labor"), "POST", &path, Some(bad)).await.status, 400);
        let called = app.api(Some("labor"), "POST", &path, Some(meeting)).await;
        assert_eq!(called.status, 201, "{}", called.text);
        let meeting_id = called.json()["id"].as_i64().expect("id");
        let shown = app
            .get("member", &format!("/api/v1/meetings/{meeting_id}"))
            .await
            .json();
        assert_eq!(shown["agenda"][0]["decision_id"], id);
        let ics = app
            .get("member", &format!("/api/v1/meetings/{meeting_id}/invite.ics"))
            .await;
        assert_eq!(ics.status, 200);
        assert!(ics.text.starts_with("BEGIN:VCALENDAR\r\n"), "{}", ics.text);
        assert!(ics
            .text
            .contains(&format!("DTSTART:{}T143000", date.strftime("%Y%m%d"))));
        let minutes = format!("/api/v1/meetings/{meeting_id}/minutes");
        let early = app
            .api(
                Some("labor"),
                "POST",
                &minutes,
                Some(json!({"attendees": [], "minutes": "x"})),
            )
            .await;
        assert_eq!(
            early.status, 422,
            "who came is recorded once it has met: {}",
            early.text
        );
        // The member was told, and the page offers the calendar file.
        let notices = app.get("manager", "/api/v1/notices").await.json();
        assert!(notices.as_array().expect("list").iter().any(|n| n["kind"] == "meeting"));
        let page = app
            .sign_in("member")
            .await
            .get(&format!("/meetings/{meeting_id}"))
            .await;
        assert!(page.text.contains("invite.ics") && page.text.contains("Weekend coverage"));
        let other = app.get(OTHER, &format!("/api/v1/meetings/{meeting_id}")).await;
        assert_eq!(other.status, 404, "the wall between partnerships holds");
    }
}

#[tokio::test]
async fn two_keys_no_administrator_turns_alone_and_the_record_verifies() {
    for app in apps().await {
        let id = to_deciding(&app, "A name that must not stay").await;
        let history = app
            .get("analyst", &format!("/api/v1/decisions/{id}/history"))
            .await
            .json();
        assert_eq!(history["verified"], true, "{history}");
        let asked = app
            .api(
                Some("admin"),
                "POST",
                "/api/v1/joint-changes",
                Some(json!({"change": "redact", "decision_id": id, "reason": "Patient privacy"})),
            )
            .await;
        assert_eq!(asked.status, 201, "{}", asked.text);
        let change = asked.json()["id"].as_i64().expect("id");
        let approve = format!("/api/v1/joint-changes/{change}/approve");
        for user in ["admin", "analyst", "member"] {
            assert_eq!(
                app.api(Some(user), "POST", &approve, None).await.status,
                403,
                "{user} holds no key"
            );
        }
        assert_eq!(
            app.api(Some("labor"), "POST", &approve, None).await.json()["applied"],
            false
        );
        assert_eq!(
            app.api(Some("labor"), "POST", &approve, None).await.status,
            422,
            "a key turns once"
        );
        let before = app.get("member", &format!("/api/v1/decisions/{id}")).await.json();
        assert!(before["contributions"][0]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert_eq!(
            app.api(Some("manager"), "POST", &approve, None).await.json()["applied"],
            true
        );
        let after = app.get("member", &format!("/api/v1/decisions/{id}")).await.json();
        assert_eq!(after["contributions"][0]["text"], "");
        let page = app.sign_in("member").await.get(&format!("/decisions/{id}")).await;
        assert!(page.text.contains("redacted by joint approval"));
        assert!(
            page.text.contains("History verified"),
            "a redaction is part of the record"
        );
        // Both approvals are in the audit log.
        let audit = app
            .get(
                "analyst",
                &format!("/api/v1/audit?entity=joint_change&entity_id={change}"),
            )
            .await;
        assert!(audit.text.contains("joint_change.approve"), "{}", audit.text);
        // Co-leads go the same way: one key does nothing.
        let team = app.store.first_team(app.main_pid).await.expect("team");
        let seats = app.get("admin", &format!("/api/v1/bodies/{team}")).await.json();
        let lead = seats["leaders"]
            .as_array()
            .expect("leaders")
            .iter()
            .find(|s| s["role"] == "co_lead" && s["side"] == "labor")
            .cloned()
            .expect("labor co-lead");
        let refused = app
            .api(
                Some("admin"),
                "DELETE",
                &format!("/api/v1/bodies/{team}/seats/{}", lead["id"]),
                None,
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text);
        let wrong_side = app
            .api(
                Some("admin"),
                "POST",
                "/api/v1/joint-changes",
                Some(
                    json!({"change": "add_co_lead", "body_id": team, "person_id": lead["person_id"],
                    "side": "management", "reason": "x"}),
                ),
            )
            .await;
        assert_eq!(
            wrong_side.status, 422,
            "the seat rules are checked before anyone approves"
        );
    }
}

#[tokio::test]
async fn health_and_participation_pages_for_every_role() {
    for app in apps().await {
        for user in ROLES {
            let browser = app.sign_in(user).await;
            let health = browser.get("/health").await;
            assert_eq!(health.status, 200, "{user}");
            assert!(health.text.contains("Where to look first") && health.text.contains("<svg"));
            let scorecard = browser.get("/scorecard").await;
            assert!(scorecard.text.contains("Partnership participation"), "{user}");
            let behind = browser.get("/scorecard/decisions?level=team&joint=0").await;
            assert_eq!(behind.status, 200);
            assert!(behind.text.contains("not made jointly"));
        }
        let json = app.get("analyst", "/api/v1/health?level=facility&months=24").await;
        assert_eq!(json.status, 200, "{}", json.text);
        let health = json.json();
        assert_eq!(health["level"], "facility");
        assert_eq!(health["quarters"].as_array().expect("quarters").len(), 16);
        assert!(health["bodies"]
            .as_array()
            .expect("bodies")
            .iter()
            .all(|b| b["level"] == "facility"));
        assert_eq!(app.get("analyst", "/api/v1/health?months=0").await.status, 400);
        assert_eq!(app.get("analyst", "/api/v1/health?level=galaxy").await.status, 400);
        // One body's signs alone, and not another partnership's body.
        let team = app.store.first_team(app.main_pid).await.expect("team");
        let one = app.get("analyst", &format!("/api/v1/health?body={team}")).await.json();
        assert_eq!(one["body"], team);
        assert_eq!(one["bodies"].as_array().expect("bodies").len(), 1);
        let theirs = app.store.first_team(app.other_pid).await.expect("their team");
        assert_eq!(
            app.get("analyst", &format!("/api/v1/health?body={theirs}"))
                .await
                .status,
            404
        );
        let page = app.sign_in("member").await.get(&format!("/health?body={team}")).await;
        assert!(page.text.contains("every body") && page.text.contains("<svg"));
        let rollup = app.get("analyst", "/api/v1/scorecard/participation").await.json();
        assert!(rollup["by_level"].as_array().expect("levels").len() >= 3, "{rollup}");
        let other = app.get(OTHER, "/api/v1/scorecard/participation").await.json();
        assert_ne!(rollup, other, "each partnership sees its own");
    }
}
