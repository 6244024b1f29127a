//! Joint decisions in the store, on SQLite and PostgreSQL: the IBPS record,
//! consensus, and participation measured from the record alone.

use lmp_core::decision::{Consensus, ContributionKind, Stage, Stance};
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_store::demo::Scale;
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
    store.load_demo(Scale::Small, "x", &|_, _| {}).await.expect("demo");
    let pid = store
        .partnership_by_slug("cascadia")
        .await
        .expect("q")
        .expect("cascadia")
        .id;
    let id = store.demo_first_team(pid).await.expect("team");
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
            body_id: id,
            holds_seat: true,
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
        Err(StoreError::Rule(reason)) => reason,
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_decision_is_adopted_only_by_consensus_of_both_sides() {
    for db in TestDb::each().await {
        let store = &db.store;
        let b = team(store).await;
        let p = &b.permit;
        let (before, _) = store.participation_of_body(b.pid, b.id).await.expect("participation");
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

        let (index, rows) = store.participation_of_body(b.pid, b.id).await.expect("participation");
        assert_eq!((index.decisions - before.decisions, index.joint - before.joint), (1, 1));
        let row = rows.iter().find(|r| r.decision_id == d).expect("our decision");
        assert_eq!((row.labor.as_str(), row.management.as_str()), ("joint", "joint"));
        let all = store.participation_all(b.pid).await.expect("every body");
        assert_eq!(all.get(&b.id), Some(&index), "one rule, one answer, by body or for all");
    }
}

#[tokio::test]
async fn a_side_that_came_in_late_was_consulted_not_joint() {
    for db in TestDb::each().await {
        let store = &db.store;
        let b = team(store).await;
        let p = &b.permit;
        let (before, _) = store.participation_of_body(b.pid, b.id).await.expect("participation");
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
        let (index, rows) = store.participation_of_body(b.pid, b.id).await.expect("participation");
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
    for db in TestDb::each().await {
        let store = &db.store;
        let b = team(store).await;
        let other = store
            .partnership_by_slug("riverbend")
            .await
            .expect("q")
            .expect("riverbend")
            .id;
        let stranger_team = store.demo_first_team(other).await.expect("team");
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
                body_id: b.id + 1,
                holds_seat: true,
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
            body_id,
            holds_seat: true,
        },
        pid,
    )
    .expect("permit")
}

#[tokio::test]
async fn a_stuck_decision_rises_level_by_level_to_a_neutral() {
    for db in TestDb::each().await {
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
