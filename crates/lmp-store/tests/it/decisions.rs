//! Joint decisions in the store, on SQLite and PostgreSQL: the IBPS record,
//! consensus, and participation measured from the record alone.

use crate::DEMO;
use lmp_core::decision::{Consensus, ContributionKind, Stage, Stance};
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_store::testing::TestDb;
use lmp_store::{Store, StoreError};

struct Body {
    pid: i64,
    id: i64,
    labor: i64,
    management: i64,
    member: i64,
    permit: Permit,
}

async fn team(store: &Store) -> Body {
    let pid = store
        .partnership_by_slug("cascadia")
        .await
        .expect("q")
        .expect("cascadia")
        .id;
    let id = store.first_team(pid).await.expect("team");
    let leaders = store.body_leaders(pid, id).await.expect("leaders");
    let co_lead = |side: &str| {
        leaders
            .iter()
            .find(|s| s.role == "co_lead" && s.side == side)
            .map(|s| s.person_id)
            .expect("co-lead")
    };
    let member = store
        .body_members(pid, id, None, lmp_core::paging::Page::first())
        .await
        .expect("members")
        .items
        .iter()
        .find(|s| s.side == "labor")
        .map(|s| s.person_id)
        .expect("a labor member");
    let actor = Actor {
        user_id: 1,
        username: "labor".into(),
        partnership_id: pid,
        role: UserRole::LaborRepresentative,
    };
    let permit = authorize(
        &actor,
        Action::TakePart {
            seats: crate::co_lead_of(id, lmp_core::Side::Labor),
        },
        pid,
    )
    .expect("permit");
    Body {
        pid,
        id,
        labor: co_lead("labor"),
        management: co_lead("management"),
        member,
        permit,
    }
}

fn rule<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Rule(reason)) => reason.to_string(),
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_decision_is_adopted_only_by_consensus_of_both_sides() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let b = team(store).await;
        let p = &b.permit;
        let before = store
            .body_participation(b.pid, b.id)
            .await
            .expect("participation")
            .index;
        let d = store
            .raise_decision(
                p,
                b.id,
                b.labor,
                "Night float coverage",
                "Nights run short when someone calls out",
            )
            .await
            .expect("raise");
        store
            .contribute(
                p,
                d,
                b.member,
                ContributionKind::Interest,
                "Safe patient loads at night",
                None,
            )
            .await
            .expect("labor interest");
        store
            .contribute(
                p,
                d,
                b.management,
                ContributionKind::Interest,
                "Overtime within budget",
                None,
            )
            .await
            .expect("management interest");
        let early = store
            .contribute(p, d, b.labor, ContributionKind::Alternative, "A float pool", None)
            .await;
        assert!(rule(early).contains("does not take a new option"));
        assert_eq!(store.advance_decision(p, d).await.expect("to options"), Stage::Options);
        let option = store
            .contribute(
                p,
                d,
                b.labor,
                ContributionKind::Alternative,
                "A shared float pool",
                None,
            )
            .await
            .expect("option");
        store
            .contribute(
                p,
                d,
                b.management,
                ContributionKind::Alternative,
                "Incentive pay for call-ins",
                None,
            )
            .await
            .expect("option");
        assert_eq!(
            store.advance_decision(p, d).await.expect("to evaluating"),
            Stage::Evaluating
        );
        let criterion = store
            .contribute(p, d, b.management, ContributionKind::Criterion, "Cost per shift", None)
            .await
            .expect("criterion");
        let bad_score = store
            .contribute(
                p,
                d,
                b.labor,
                ContributionKind::Evaluation,
                "Scored",
                Some((option, criterion, 6)),
            )
            .await;
        assert!(rule(bad_score).contains("1 to 5"));
        store
            .contribute(
                p,
                d,
                b.labor,
                ContributionKind::Evaluation,
                "Cheaper than agency",
                Some((option, criterion, 4)),
            )
            .await
            .expect("evaluation");
        store
            .contribute(
                p,
                d,
                b.labor,
                ContributionKind::Solution,
                "Float pool, six nurses, joint review in 90 days",
                None,
            )
            .await
            .expect("solution");
        assert_eq!(
            store.advance_decision(p, d).await.expect("to deciding"),
            Stage::Deciding
        );

        let no_reason = store.record_stance(p, d, b.management, Stance::Block, " ").await;
        assert!(rule(no_reason).contains("needs a reason"));
        let first = store
            .record_stance(p, d, b.labor, Stance::Support, "")
            .await
            .expect("stance");
        assert!(matches!(first, Consensus::Awaiting { .. }), "{first:?}");
        let block = store
            .record_stance(p, d, b.management, Stance::Block, "No budget line until July")
            .await
            .expect("stance");
        assert_eq!(block, Consensus::Blocked { by: vec![b.management] });
        store
            .record_stance(p, d, b.member, Stance::Support, "")
            .await
            .expect("stance");
        let adopted = store
            .record_stance(p, d, b.management, Stance::CanLiveWith, "If the 90-day review is kept")
            .await
            .expect("stance");
        assert_eq!(adopted, Consensus::Adopted, "{}", store.backend());
        let decision = store.decision(b.pid, d).await.expect("q").expect("decision");
        assert_eq!(decision.stage, "adopted");
        assert!(decision.adopted_at.is_some() && decision.options_closed_at.is_some());
        let late = store.record_stance(p, d, b.labor, Stance::Support, "").await;
        assert!(rule(late).contains("stances are taken on a proposed solution"));
        store.verify_audit().await.expect("every step is in the chain");

        let whole = store.body_participation(b.pid, b.id).await.expect("participation");
        let this_year: i16 = lmp_store::today().year();
        assert!(
            whole
                .by_year
                .iter()
                .any(|(year, i)| *year == this_year && i.decisions >= 1),
            "adopted this year, counted in this year's index"
        );
        let (index, rows) = (whole.index, whole.decisions);
        assert_eq!((index.decisions - before.decisions, index.joint - before.joint), (1, 1));
        let row = rows.iter().find(|r| r.decision_id == d).expect("our decision");
        assert_eq!((row.labor.as_str(), row.management.as_str()), ("joint", "joint"));
        let all = store.participation_all(b.pid).await.expect("every body");
        assert_eq!(all.get(&b.id), Some(&index), "one rule, one answer, by body or for all");
    }
}

#[tokio::test]
async fn a_side_that_came_in_late_was_consulted_not_joint() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let b = team(store).await;
        let p = &b.permit;
        let before = store
            .body_participation(b.pid, b.id)
            .await
            .expect("participation")
            .index;
        let d = store
            .raise_decision(p, b.id, b.labor, "Break room", "No room to take breaks")
            .await
            .expect("raise");
        store
            .contribute(p, d, b.member, ContributionKind::Interest, "Real breaks", None)
            .await
            .expect("interest");
        store.advance_decision(p, d).await.expect("options");
        store
            .contribute(
                p,
                d,
                b.labor,
                ContributionKind::Alternative,
                "Use the old supply room",
                None,
            )
            .await
            .expect("option");
        store.advance_decision(p, d).await.expect("evaluating");
        store
            .contribute(
                p,
                d,
                b.labor,
                ContributionKind::Solution,
                "Supply room becomes the break room",
                None,
            )
            .await
            .expect("solution");
        store.advance_decision(p, d).await.expect("deciding");
        // Management's first word on it comes now, after the options were fixed.
        store
            .record_stance(p, d, b.labor, Stance::Support, "")
            .await
            .expect("stance");
        store
            .record_stance(p, d, b.member, Stance::Support, "")
            .await
            .expect("stance");
        let adopted = store
            .record_stance(p, d, b.management, Stance::Support, "")
            .await
            .expect("stance");
        assert_eq!(adopted, Consensus::Adopted);
        let whole = store.body_participation(b.pid, b.id).await.expect("participation");
        let (index, rows) = (whole.index, whole.decisions);
        assert_eq!(
            (index.decisions - before.decisions, index.joint - before.joint),
            (1, 0),
            "{}",
            store.backend()
        );
        let row = rows.iter().find(|r| r.decision_id == d).expect("our decision");
        assert_eq!((row.labor.as_str(), row.management.as_str()), ("joint", "consulted"));
    }
}

#[tokio::test]
async fn only_the_body_s_own_members_take_part() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let b = team(store).await;
        let other = store
            .partnership_by_slug("riverbend")
            .await
            .expect("q")
            .expect("riverbend")
            .id;
        let stranger_team = store.first_team(other).await.expect("team");
        let stranger = store.body_leaders(other, stranger_team).await.expect("leaders")[0].person_id;
        let refused = store
            .raise_decision(&b.permit, b.id, stranger, "Outside", "From another partnership")
            .await;
        assert!(rule(refused).contains("holds no seat"));
        let elsewhere = authorize(
            &Actor {
                user_id: 1,
                username: "labor".into(),
                partnership_id: b.pid,
                role: UserRole::LaborRepresentative,
            },
            Action::TakePart {
                seats: crate::co_lead_of(b.id + 1, lmp_core::Side::Labor),
            },
            b.pid,
        )
        .expect("permit");
        let wrong_body = store.raise_decision(&elsewhere, b.id, b.labor, "T", "I").await;
        assert!(matches!(wrong_body, Err(StoreError::Denied(_))));
        let titles: Vec<String> = store
            .decisions_of_body(b.pid, b.id)
            .await
            .expect("list")
            .into_iter()
            .map(|d| d.title)
            .collect();
        assert!(
            !titles.iter().any(|t| t == "Outside" || t == "T"),
            "nothing half-written"
        );
    }
}

fn permit_for(pid: i64, body_id: i64) -> Permit {
    let actor = Actor {
        user_id: 1,
        username: "labor".into(),
        partnership_id: pid,
        role: UserRole::LaborRepresentative,
    };
    authorize(
        &actor,
        Action::TakePart {
            seats: crate::co_lead_of(body_id, lmp_core::Side::Labor),
        },
        pid,
    )
    .expect("permit")
}

#[tokio::test]
async fn a_stuck_decision_rises_level_by_level_to_a_neutral() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let b = team(store).await;
        let d = store
            .raise_decision(
                &b.permit,
                b.id,
                b.labor,
                "Weekend staffing",
                "Weekends short every month",
            )
            .await
            .expect("raise");
        assert!(rule(store.escalate_decision(&b.permit, d, " ").await).contains("say why"));
        let mut body = b.id;
        let mut path = vec![body];
        loop {
            match store
                .escalate_decision(&permit_for(b.pid, body), d, "No consensus by the deadline")
                .await
            {
                Ok(up) => {
                    body = up;
                    path.push(up);
                }
                Err(StoreError::Rule(reason)) => {
                    assert!(reason.contains("top level"), "{reason}");
                    break;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(
            path.len(),
            5,
            "team → department → facility council → region → strategy group: {path:?}"
        );
        let stale = store.escalate_decision(&b.permit, d, "again").await;
        assert!(
            matches!(stale, Err(StoreError::Denied(_))),
            "the team no longer holds it"
        );
        let moves = store.moves_of(b.pid, d).await.expect("moves");
        assert_eq!(moves.len(), 4);
        assert_eq!(moves[0].from_body_id, b.id);
        let national = *path.last().expect("top");
        let recorder = store.body_leaders(b.pid, national).await.expect("leaders")[0].person_id;
        store
            .record_ruling(
                &permit_for(b.pid, national),
                d,
                recorder,
                "Two weekend float positions, funded jointly",
            )
            .await
            .expect("ruling");
        let ruled = store.decision(b.pid, d).await.expect("q").expect("decision");
        assert_eq!(
            (ruled.stage.as_str(), ruled.body_id),
            ("ruled", national),
            "{}",
            store.backend()
        );
        store.verify_audit().await.expect("chain");
    }
}

fn keys(pid: i64) -> (Permit, Permit, Permit) {
    let as_role = |role, name: &str| Actor {
        user_id: 1,
        username: name.into(),
        partnership_id: pid,
        role,
    };
    let ask = authorize(
        &as_role(UserRole::PartnershipAdmin, "admin"),
        Action::RequestJointChange,
        pid,
    )
    .expect("ask");
    let labor = authorize(
        &as_role(UserRole::LaborRepresentative, "labor"),
        Action::ApproveJointChange {
            side: lmp_core::Side::Labor,
        },
        pid,
    )
    .expect("labor key");
    let management = authorize(
        &as_role(UserRole::Manager, "manager"),
        Action::ApproveJointChange {
            side: lmp_core::Side::Management,
        },
        pid,
    )
    .expect("management key");
    (ask, labor, management)
}

/// Frame, open and close options and propose, so stances can be taken.
async fn to_deciding(store: &Store, b: &Body, title: &str) -> i64 {
    let p = &b.permit;
    let d = store
        .raise_decision(p, b.id, b.labor, title, "The issue as labor sees it")
        .await
        .expect("raise");
    store
        .contribute(p, d, b.management, ContributionKind::Interest, "Budget", None)
        .await
        .expect("interest");
    store.advance_decision(p, d).await.expect("options");
    store
        .contribute(p, d, b.labor, ContributionKind::Alternative, "A pilot", None)
        .await
        .expect("option");
    store.advance_decision(p, d).await.expect("evaluating");
    store
        .contribute(p, d, b.management, ContributionKind::Solution, "Pilot it", None)
        .await
        .expect("solution");
    assert_eq!(store.advance_decision(p, d).await.expect("deciding"), Stage::Deciding);
    d
}

#[tokio::test]
async fn a_decision_past_its_deadline_rises_by_the_clock_and_people_are_told() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let b = team(store).await;
        store
            .set_user_email("manager", Some("manager@example.org"))
            .await
            .expect("email");
        let d = to_deciding(store, &b, "Call-out coverage").await;
        let raised = store.decision(b.pid, d).await.expect("q").expect("decision");
        let deadline: jiff::Timestamp = raised.deadline.as_deref().expect("deadline").parse().expect("time");
        let created: jiff::Timestamp = raised.created_at.parse().expect("time");
        assert_eq!(
            deadline.duration_since(created).as_hours(),
            30 * 24,
            "a team has 30 days by default"
        );
        // Everyone on the team was asked for a stance, and the manager's
        // sign-in has mail waiting.
        let asked = store.notices_of(b.pid, b.management, 50).await.expect("notices");
        assert!(asked
            .iter()
            .any(|n| n.kind == "stance_needed" && n.decision_id == Some(d)));
        let mail = store.mail_due(100).await.expect("mail");
        assert!(
            mail.iter()
                .any(|m| m.to_address == "manager@example.org" && m.subject.contains("Call-out coverage")),
            "{mail:?}"
        );

        // Before the deadline nothing moves; after it, the decision rises.
        let before = deadline.checked_sub(jiff::SignedDuration::from_hours(1)).expect("t");
        store.sweep_overdue(before).await.expect("sweep");
        assert_eq!(store.decision(b.pid, d).await.expect("q").expect("d").body_id, b.id);
        let after = deadline.checked_add(jiff::SignedDuration::from_hours(1)).expect("t");
        let (rose, _) = store.sweep_overdue(after).await.expect("sweep");
        assert!(rose >= 1);
        let moved = store.decision(b.pid, d).await.expect("q").expect("d");
        assert_ne!(moved.body_id, b.id, "it rose to the parent body");
        let moves = store.moves_of(b.pid, d).await.expect("moves");
        assert_eq!(moves.len(), 1);
        assert_eq!(moves[0].moved_by, lmp_store::decisions::DEADLINE_ACTOR);
        assert!(moved.deadline > raised.deadline, "a new clock at the new level");
        let told = store.notices_of(b.pid, b.labor, 50).await.expect("notices");
        assert!(told
            .iter()
            .any(|n| n.kind == "deadline_passed" && n.decision_id == Some(d)));
        let parent_lead = store.body_leaders(b.pid, moved.body_id).await.expect("leaders")[0].person_id;
        let up = store.notices_of(b.pid, parent_lead, 50).await.expect("notices");
        assert!(up
            .iter()
            .any(|n| n.kind == "escalated" && n.link == format!("/decisions/{d}")));
        let stays = lmp_store::decisions::stays_of(&moved, &moves, after);
        assert_eq!(stays.len(), 2);
        assert!(stays[0].hours >= 30 * 24 && stays[1].current);
        // A second sweep at the same moment does nothing more to it.
        store.sweep_overdue(after).await.expect("again");
        assert_eq!(store.moves_of(b.pid, d).await.expect("moves").len(), 1);
        // Reading marks notices read.
        assert!(store.unread_notices(b.pid, b.labor).await.expect("unread") > 0);
        store.mark_notices_read(b.pid, b.labor, None).await.expect("read");
        assert_eq!(store.unread_notices(b.pid, b.labor).await.expect("unread"), 0);
        store.verify_audit().await.expect("chain");
    }
}

#[tokio::test]
async fn a_body_that_recommends_passes_its_consensus_up_after_both_keys_turn() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let b = team(store).await;
        let (ask, labor_key, management_key) = keys(b.pid);
        let change = lmp_core::two_key::JointChange::DecisionRules {
            mode: lmp_core::decision::DecisionMode::Recommend,
            time_limit_days: Some(10),
        };
        let target = lmp_store::joint_changes::ChangeTarget::Body(b.id);
        assert!(rule(store.request_joint_change(&ask, target, &change, " ").await).contains("say why"));
        let id = store
            .request_joint_change(&ask, target, &change, "The department decides staffing")
            .await
            .expect("request");
        assert!(!store.approve_joint_change(&labor_key, id).await.expect("labor"));
        assert!(rule(store.approve_joint_change(&labor_key, id).await).contains("already turned"));
        let before = store
            .decision(b.pid, to_deciding(store, &b, "Before").await)
            .await
            .expect("q")
            .expect("d");
        assert_eq!(before.mode, "consensus", "nothing changes on one key");
        assert!(store
            .approve_joint_change(&management_key, id)
            .await
            .expect("management"));
        assert!(rule(store.approve_joint_change(&management_key, id).await).contains("applied"));

        let d = to_deciding(store, &b, "Holiday rota").await;
        let raised = store.decision(b.pid, d).await.expect("q").expect("d");
        assert_eq!(raised.mode, "recommend");
        let created: jiff::Timestamp = raised.created_at.parse().expect("t");
        let deadline: jiff::Timestamp = raised.deadline.as_deref().expect("deadline").parse().expect("t");
        assert_eq!(
            deadline.duration_since(created).as_hours(),
            10 * 24,
            "the body's own limit"
        );
        for person in [b.labor, b.management] {
            store
                .record_stance(&b.permit, d, person, Stance::Support, "")
                .await
                .expect("stance");
        }
        let up = store.decision(b.pid, d).await.expect("q").expect("d");
        assert_ne!(up.body_id, b.id, "the recommendation went up");
        assert_eq!(up.stage, "deciding", "for the level above to decide");
        assert_eq!(up.adopted_at, None);
        assert_eq!(
            store.moves_of(b.pid, d).await.expect("moves")[0].reason,
            "recommended by consensus"
        );
        store.verify_audit().await.expect("chain");
    }
}

/// Change the database directly, as someone with the file or a SQL prompt could.
pub(crate) async fn tamper(store: &Store, sql: &str, decision: String) {
    match store {
        Store::Sqlite { write, .. } => {
            sqlx::query(sql).bind(decision).execute(write).await.expect("tamper");
        }
        Store::Postgres(pool) => {
            sqlx::query(sql).bind(decision).execute(pool).await.expect("tamper");
        }
    }
}

#[tokio::test]
async fn editing_a_decision_behind_the_application_s_back_is_detected() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let b = team(store).await;
        let d = to_deciding(store, &b, "Badge access").await;
        let check = store.verify_decision(b.pid, d).await.expect("check");
        assert!(check.verified, "{:?}", check.problems);
        assert!(check.entries >= 7);
        // Back-date labor's first word so it looks joint from the start.
        let sql = "UPDATE contributions SET at = '2020-01-01T00:00:00.000000Z' WHERE decision_id = CAST($1 AS BIGINT) AND kind = 'option'";
        tamper(store, sql, d.to_string()).await;
        let check = store.verify_decision(b.pid, d).await.expect("check");
        assert!(!check.verified);
        assert!(
            check.problems.iter().any(|p| p.contains("never recorded")),
            "{:?}",
            check.problems
        );
        // Rewriting the chain to match is caught by the hashes.
        let sql = "UPDATE audit_log SET after_json = REPLACE(after_json, 'A pilot', 'A pilot!') \
                   WHERE entity = 'decision' AND entity_id = $1 AND action = 'decision.contribute'";
        tamper(store, sql, d.to_string()).await;
        let check = store.verify_decision(b.pid, d).await.expect("check");
        assert!(
            check.problems.iter().any(|p| p.contains("hash")),
            "{:?}",
            check.problems
        );
        assert!(store.verify_audit().await.is_err(), "the whole chain says so too");
    }
}

#[tokio::test]
async fn a_redaction_needs_both_keys_and_the_history_still_verifies() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let b = team(store).await;
        let d = to_deciding(store, &b, "A patient's name slipped in").await;
        let (ask, labor_key, management_key) = keys(b.pid);
        let target = lmp_store::joint_changes::ChangeTarget::Decision(d);
        let id = store
            .request_joint_change(&ask, target, &lmp_core::two_key::JointChange::Redact, "Patient privacy")
            .await
            .expect("request");
        store
            .approve_joint_change(&management_key, id)
            .await
            .expect("management");
        let words = store.contributions_of(b.pid, d).await.expect("words");
        assert!(words.iter().all(|w| !w.text.is_empty()), "one key redacts nothing");
        assert!(store.approve_joint_change(&labor_key, id).await.expect("labor"));
        let words = store.contributions_of(b.pid, d).await.expect("words");
        assert!(words.iter().all(|w| w.text.is_empty()));
        let redacted = store.decision(b.pid, d).await.expect("q").expect("d");
        assert_eq!(redacted.redacted_by, Some(id));
        let check = store.verify_decision(b.pid, d).await.expect("check");
        assert!(check.verified, "{:?}", check.problems);
        let changes = store.joint_changes(b.pid, Some(target), 10).await.expect("changes");
        assert_eq!(changes[0].state(), "applied");
        assert_eq!(changes[0].labor_approver.as_deref(), Some("labor"));
        assert_eq!(changes[0].management_approver.as_deref(), Some("manager"));
        store.verify_audit().await.expect("chain");
    }
}
