//! Employment and Income Security in the store, on SQLite and PostgreSQL:
//! notice, the alternatives both sides confirm before anyone enters the
//! pool, the pool and vacancies taken in whole or not at all, placement,
//! acceptance by both sides, declines, and the wall between partnerships.

use crate::DEMO;
use jiff::civil::date;
use lmp_core::eis::rules::{Alternative, Reason};
use lmp_core::policy::{Action, Permit};
use lmp_core::Side;
use lmp_store::eis::NewDisplacement;
use lmp_store::testing::TestDb;
use lmp_store::{on_pool, Store, StoreError};

async fn demo(store: &Store) -> (i64, i64) {
    let id = |slug: &'static str| async move { store.partnership_by_slug(slug).await.expect("q").expect(slug).id };
    (id("riverbend").await, id("cascadia").await)
}

fn manage(pid: i64) -> Permit {
    Permit::operator(pid, Action::ManageEis { representing: None })
}

fn speak(pid: i64, side: Side) -> Permit {
    Permit::operator(
        pid,
        Action::SpeakForEis {
            representing: Some(side),
        },
    )
}

/// Four union members and two managers of the partnership: (employee_no, person id).
async fn people(store: &Store, pid: i64) -> (Vec<(String, i64)>, Vec<i64>) {
    let members: Vec<(String, i64)> = on_pool!(store, |pool| {
        sqlx::query_as(
        "SELECT employee_no, id FROM people WHERE partnership_id = $1 AND kind = 'union_member' ORDER BY id LIMIT 4"
    )
    .bind(pid)
    .fetch_all(pool)
    .await
    .expect("members")
    });
    let managers: Vec<i64> = on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT id FROM people WHERE partnership_id = $1 AND kind = 'manager' ORDER BY id LIMIT 2"
    )
    .bind(pid)
    .fetch_all(pool)
    .await
    .expect("managers"));
    (members, managers)
}

async fn a_unit(store: &Store, pid: i64) -> String {
    on_pool!(store, |pool| sqlx::query_scalar(
        "SELECT code FROM units WHERE partnership_id = $1 AND kind = 'department' ORDER BY id LIMIT 1"
    )
    .bind(pid)
    .fetch_one(pool)
    .await
    .expect("unit"))
}

fn rule_error<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Rule(reason)) => reason.to_string(),
        Err(StoreError::Import {
            reason, line, column, ..
        }) => format!("{line}:{column}: {reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A displacement with its alternatives recorded and confirmed by both sides.
async fn open_displacement(store: &Store, pid: i64, labor: i64, management: i64) -> i64 {
    let unit_code = a_unit(store, pid).await;
    let event = store
        .record_displacement(
            &manage(pid),
            &NewDisplacement {
                unit_code,
                reason: Reason::UnitClosure,
                description: "The 4 West medical-surgical unit closes.".into(),
                announced_on: date(2026, 1, 5),
                effective_on: date(2026, 3, 6),
            },
        )
        .await
        .expect("record");
    for alternative in Alternative::ALL {
        store
            .record_alternative(
                &speak(pid, Side::Labor),
                event,
                *alternative,
                "Looked at; not enough.",
                labor,
            )
            .await
            .expect("alternative");
    }
    store
        .confirm_alternatives(&speak(pid, Side::Labor), event, labor)
        .await
        .expect("labor confirms");
    store
        .confirm_alternatives(&speak(pid, Side::Management), event, management)
        .await
        .expect("management confirms");
    event
}

fn workers_file(members: &[(String, i64)]) -> String {
    let mut text =
        String::from("worker_id,job_class,licences,fte,shift,pay_band,region,seniority_date,hourly_rate,facility\n");
    for (i, (employee_no, _)) in members.iter().enumerate() {
        let shift = if i == 1 { "night" } else { "day" };
        text.push_str(&format!(
            "{employee_no},RN,RN-CA,1.0,{shift},B4,north,200{i}-01-01,61.50,OAK\n"
        ));
    }
    text
}

const VACANCIES: &str =
    "vacancy_id,job_class,required_licences,fte,shift,pay_band,region,retrain_from,pay_min,pay_max\n\
REQ-1,RN,RN-CA,1.0,day,B4,north,,58.00,66.00\n\
REQ-2,RN,RN-CA,1.0,day,B4,south,,,\n\
REQ-3,LVN,,1.0,day,B2,north,RN,,\n";

#[tokio::test]
async fn notice_and_alternatives_come_before_anyone_enters_the_pool() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, _) = demo(store).await;
        let (members, managers) = people(store, pid).await;
        let unit_code = a_unit(store, pid).await;
        let short = NewDisplacement {
            unit_code: unit_code.clone(),
            reason: Reason::Technology,
            description: "Scheduling moves to a new system.".into(),
            announced_on: date(2026, 1, 5),
            effective_on: date(2026, 2, 5),
        };
        let error = rule_error(store.record_displacement(&manage(pid), &short).await);
        assert!(error.contains("at least 60 days"), "{error}");
        assert!(error.contains("2026-03-06"), "{error}");
        let event = store
            .record_displacement(
                &manage(pid),
                &NewDisplacement {
                    effective_on: date(2026, 3, 6),
                    ..short
                },
            )
            .await
            .expect("60 days is enough");
        let file = workers_file(&members);
        let error = rule_error(store.add_to_pool(&manage(pid), event, "W.csv", file.as_bytes()).await);
        assert!(error.contains("confirm the alternatives"), "{error}");
        let error = rule_error(
            store
                .confirm_alternatives(&speak(pid, Side::Labor), event, members[0].1)
                .await,
        );
        assert!(error.contains("every alternative"), "{error}");
        for alternative in Alternative::ALL {
            store
                .record_alternative(
                    &speak(pid, Side::Management),
                    event,
                    *alternative,
                    "Considered.",
                    managers[0],
                )
                .await
                .expect("record");
        }
        store
            .confirm_alternatives(&speak(pid, Side::Labor), event, members[0].1)
            .await
            .expect("labor");
        let error = rule_error(
            store
                .confirm_alternatives(&speak(pid, Side::Labor), event, members[1].1)
                .await,
        );
        assert!(error.contains("already turned"), "{error}");
        let shown = store
            .confirm_alternatives(&speak(pid, Side::Management), event, managers[0])
            .await
            .expect("management");
        assert!(shown.pool_open);
        assert_eq!(shown.notice_days, 60);
        let error = rule_error(
            store
                .record_alternative(
                    &speak(pid, Side::Labor),
                    event,
                    Alternative::Attrition,
                    "Late.",
                    members[0].1,
                )
                .await,
        );
        assert!(error.contains("closed"), "{error}");
    }
}

#[tokio::test]
async fn the_pool_and_vacancies_are_taken_whole_once_and_bad_rows_are_named() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, other) = demo(store).await;
        let (members, managers) = people(store, pid).await;
        let event = open_displacement(store, pid, members[0].1, managers[0]).await;
        let file = workers_file(&members);
        let taken = store
            .add_to_pool(&manage(pid), event, "W.csv", file.as_bytes())
            .await
            .expect("pool");
        assert_eq!((taken.added, taken.unchanged), (4, 0));
        let again = store
            .add_to_pool(&manage(pid), event, "W.csv", file.as_bytes())
            .await
            .expect("again");
        assert_eq!(
            (again.added, again.unchanged),
            (0, 4),
            "the same file twice changes nothing"
        );
        let pool = store.eis_pool(pid, false).await.expect("pool");
        assert_eq!(pool.len(), 4);
        assert!(pool.iter().all(|w| w.protected_until == "2027-03-06"));
        assert_eq!(pool[0].hourly_rate.map(|c| c.get()), Some(6150));
        assert_eq!(pool[0].facility, "OAK");
        assert_eq!(
            pool[0].after_protection.len(),
            3,
            "pay follows the job, or a red circle"
        );

        // A second displacement naming a worker already in the pool is refused whole.
        let second = open_displacement(store, pid, members[0].1, managers[0]).await;
        let error = rule_error(store.add_to_pool(&manage(pid), second, "W2.csv", file.as_bytes()).await);
        assert!(error.starts_with("2:1:"), "{error}");
        assert!(error.contains("already in the transition pool"), "{error}");
        for (bad, expected) in [
            ("worker_id,job_class\n", "missing column"),
            ("worker_id,job_class,licences,fte,shift,pay_band,region,seniority_date\nNOBODY,RN,,1.0,day,B4,north,2001-01-01\n", "2:1: no one has employee number"),
            ("worker_id,job_class,licences,fte,shift,pay_band,region,seniority_date\nX1,RN,,1.7,day,B4,north,2001-01-01\n", "2:4:"),
        ] {
            let error = rule_error(store.add_to_pool(&manage(pid), second, "W2.csv", bad.as_bytes()).await);
            assert!(error.contains(expected), "{error}");
        }
        assert_eq!(
            store.eis_pool(pid, false).await.expect("pool").len(),
            4,
            "nothing half-written"
        );

        let posts = Store::read_vacancy_posts("V.csv", VACANCIES.as_bytes()).expect("read");
        let taken = store.post_vacancies(&manage(pid), "V.csv", &posts).await.expect("post");
        assert_eq!(taken.added, 3);
        let again = store
            .post_vacancies(&manage(pid), "V.csv", &posts)
            .await
            .expect("again");
        assert_eq!(again.unchanged, 3);
        let changed = VACANCIES.replace("REQ-3,LVN,,1.0,day,B2", "REQ-3,LVN,,0.5,day,B2");
        let posts = Store::read_vacancy_posts("V.csv", changed.as_bytes()).expect("read");
        let error = rule_error(store.post_vacancies(&manage(pid), "V.csv", &posts).await);
        assert!(error.contains("other terms"), "{error}");
        let bad = "vacancy_id,job_class,required_licences,fte,shift,pay_band,region,retrain_from,pay_min,pay_max\nR9,RN,,1.0,day,B4,north,,70.00,60.00\n";
        let error = rule_error(Store::read_vacancy_posts("V.csv", bad.as_bytes()));
        assert!(error.contains("below pay_min"), "{error}");
        assert_eq!(store.eis_vacancies(pid, true).await.expect("all").len(), 3);
        let theirs = store.eis_pool(other, true).await.expect("other");
        assert!(
            theirs
                .iter()
                .all(|w| members.iter().all(|(no, _)| *no != w.employee_no)),
            "the other partnership's pool holds none of these workers"
        );
    }
}

#[tokio::test]
async fn a_proposal_is_a_placement_only_when_both_sides_accept_it() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, other) = demo(store).await;
        let (members, managers) = people(store, pid).await;
        let event = open_displacement(store, pid, members[0].1, managers[0]).await;
        store
            .add_to_pool(&manage(pid), event, "W.csv", workers_file(&members).as_bytes())
            .await
            .expect("pool");
        let posts = Store::read_vacancy_posts("V.csv", VACANCIES.as_bytes()).expect("read");
        store.post_vacancies(&manage(pid), "V.csv", &posts).await.expect("post");
        let run = store.run_placement(&manage(pid)).await.expect("run");
        assert_eq!(
            (run.workers, run.vacancies, run.placed, run.comparable, run.retraining),
            (4, 3, 3, 1, 1)
        );
        let proposals = store.eis_proposals(pid, None).await.expect("proposals");
        assert_eq!(proposals.len(), 4);
        // The most senior worker (2000) gets the one comparable job.
        assert_eq!(proposals[0].vacancy.as_deref(), Some("REQ-1"));
        assert_eq!(proposals[0].kind.as_deref(), Some("comparable"));
        assert!(
            proposals[0].explanation.contains("comparable job"),
            "{}",
            proposals[0].explanation
        );
        let unplaced = proposals.iter().find(|p| p.vacancy.is_none()).expect("one left");
        assert_eq!(unplaced.status, "unplaced");
        assert!(
            unplaced.explanation.starts_with("Not placed"),
            "{}",
            unplaced.explanation
        );

        let first = proposals[0].id;
        let one = store
            .accept_proposal(&speak(pid, Side::Labor), first, members[0].1)
            .await
            .expect("labor accepts");
        assert_eq!(one.status, "proposed", "one side is not enough");
        let error = rule_error(
            store
                .accept_proposal(&speak(pid, Side::Labor), first, members[1].1)
                .await,
        );
        assert!(error.contains("already turned"), "{error}");
        let placed = store
            .accept_proposal(&speak(pid, Side::Management), first, managers[0])
            .await
            .expect("management accepts");
        assert_eq!(placed.status, "placed");
        let worker = store.eis_pool_worker(pid, placed.pool_id).await.expect("worker");
        assert_eq!(worker.status, "placed");
        assert_eq!(worker.placed_vacancy.as_deref(), Some("REQ-1"));
        let error = rule_error(
            store
                .accept_proposal(&speak(pid, Side::Labor), first, members[0].1)
                .await,
        );
        assert!(error.contains("placed, not open"), "{error}");

        // A worker declines a job that is not comparable: protection stays.
        let other_job = proposals
            .iter()
            .find(|p| p.kind.as_deref() == Some("qualified"))
            .expect("qualified");
        let declined = store
            .decline_proposal(&manage(pid), other_job.id, "A long commute south.")
            .await
            .expect("decline");
        assert_eq!(declined.status, "declined");
        assert!(declined.protection_days_left > 0);
        // Run again: the placed worker and filled job are gone, the declined job is not offered again.
        store.run_placement(&manage(pid)).await.expect("run again");
        let again = store.eis_proposals(pid, None).await.expect("proposals");
        assert_eq!(again.len(), 3);
        assert!(again.iter().all(|p| p.vacancy.as_deref() != Some("REQ-1")));
        let same_worker = again
            .iter()
            .find(|p| p.pool_id == other_job.pool_id)
            .expect("still in the pool");
        assert_ne!(same_worker.vacancy, other_job.vacancy);
        let error = rule_error(
            store
                .accept_proposal(&speak(pid, Side::Labor), other_job.id, members[0].1)
                .await,
        );
        assert!(error.contains("declined"), "{error}");

        let board = store.eis_board(pid).await.expect("board");
        assert_eq!((board.in_pool, board.placed), (3, 1));
        assert_eq!(board.days_to_placement.len(), 1);
        assert!(matches!(
            store.eis_proposal(other, first).await,
            Err(StoreError::NotFound(_))
        ));
    }
}
