//! Training: a training file and a session's attendance both complete
//! classes, once each, and the teams' Path to Performance follows at once.

use crate::structure::{id_of, import_error, importer, scalar, seeded, BODIES, SEATS};
use jiff::civil::date;
use lmp_core::body::BodyRole;
use lmp_core::paging::Page;
use lmp_core::policy::{Action, Permit};
use lmp_core::training::{Attendance, Class};
use lmp_store::testing::TestDb;
use lmp_store::training::NewSession;
use lmp_store::{Store, StoreError};

/// UBT-1's sponsors, one a side: with its co-leads, all level 1 still asks
/// for is the co-leads' workshop.
const SPONSORS: &str = "body_code,employee_no,role,side,from,to
UBT-1,E3,sponsor,labor,2025-01-01,
UBT-1,E4,sponsor,management,2025-01-01,
";

/// Both of UBT-1's co-leads took the workshop; E2 took it again later.
const CLASSES: &str = "employee_no,class,completed_on,source
E1,co_lead_workshop,2025-03-01,MyHR
E2,UBT Co-Lead Workshop,2025-04-01,MyHR
E2,ibps,2025-05-01,
E2,co-lead workshop,2025-06-01,sign-in sheet
";

fn trainer(pid: i64) -> Permit {
    Permit::operator(pid, Action::RecordTraining)
}

async fn level(store: &Store, pid: i64, code: &str) -> i64 {
    let team = id_of(store, pid, code).await;
    scalar(
        store,
        &format!("SELECT COALESCE(MAX(level), 0) FROM teams WHERE body_id = {team}"),
    )
    .await
}

async fn with_teams(store: &Store) -> i64 {
    let pid = seeded(store).await;
    let today = date(2026, 6, 1);
    store
        .import_bodies(&importer(pid), "bodies.csv", BODIES.as_bytes())
        .await
        .expect("bodies");
    for (name, file) in [("seats.csv", SEATS), ("sponsors.csv", SPONSORS)] {
        store
            .import_seats(&importer(pid), name, file.as_bytes(), today)
            .await
            .expect(name);
    }
    pid
}

#[tokio::test]
async fn a_training_file_completes_classes_once_and_the_team_reaches_level_one() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = with_teams(store).await;
        let today = date(2026, 6, 1);
        assert_eq!(level(store, pid, "UBT-1").await, 0, "co-leads not trained yet");
        let to_train = |store: &Store| {
            let store = store.clone();
            async move {
                store
                    .leaders_to_train(pid, Class::CoLeadWorkshop, BodyRole::CoLead, Page::first())
                    .await
                    .expect("to train")
            }
        };
        assert_eq!(to_train(store).await.total, 3, "{}", store.backend());

        let report = store
            .import_class_completions(&importer(pid), "classes.csv", CLASSES.as_bytes(), today)
            .await
            .expect("classes");
        assert_eq!(
            (report.rows, report.inserted, report.updated, report.unchanged),
            (4, 3, 0, 1),
            "the retake changes nothing"
        );
        assert_eq!(level(store, pid, "UBT-1").await, 1, "re-rated at once");
        let waiting = to_train(store).await;
        assert_eq!(waiting.total, 1);
        assert_eq!(waiting.items[0].employee_no, "E3");
        assert_eq!(waiting.items[0].team_name, "Emergency Nights UBT");

        // The same file again changes nothing, the audit trail included.
        let audit = scalar(store, "SELECT COUNT(*) FROM audit_log").await;
        let again = store
            .import_class_completions(&importer(pid), "classes.csv", CLASSES.as_bytes(), today)
            .await
            .expect("again");
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 4));
        assert_eq!(scalar(store, "SELECT COUNT(*) FROM audit_log").await, audit);

        // An earlier record of the same class is the one kept.
        let earlier = "employee_no,class,completed_on,source\nE1,co_lead_workshop,2024-12-01,sign-in sheet\n";
        let report = store
            .import_class_completions(&importer(pid), "earlier.csv", earlier.as_bytes(), today)
            .await
            .expect("earlier");
        assert_eq!(report.updated, 1);
        let e1 = store.person_id_by_employee_no(pid, "E1").await.expect("q").expect("E1");
        let done = store.completions_of(pid, e1).await.expect("completions");
        assert_eq!(done.len(), 1);
        assert_eq!(
            (
                done[0].class.as_str(),
                done[0].completed_on.as_str(),
                done[0].source.as_str()
            ),
            ("co_lead_workshop", "2024-12-01", "sign-in sheet")
        );
        let counts = store.class_counts(pid).await.expect("counts");
        let count = |class: &str| counts.iter().find(|c| c.class == class).map_or(0, |c| c.people);
        assert_eq!((count("co_lead_workshop"), count("ibps")), (2, 1));
    }
}

#[tokio::test]
async fn a_bad_training_row_names_its_place_and_writes_nothing() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = with_teams(store).await;
        let today = date(2026, 6, 1);
        let header = "employee_no,class,completed_on,source\nE1,ibps,2025-01-01,\n";
        for (row, place) in [
            ("E9,ibps,2025-01-01,", "bad.csv:3:1:"),
            ("E2,knitting,2025-01-01,", "bad.csv:3:2:"),
            ("E2,ibps,2026-07-01,", "bad.csv:3:3:"),
            ("E2,ibps,2025-01-01", "bad.csv:3:4:"),
        ] {
            let file = format!("{header}{row}\n");
            let e = import_error(
                store
                    .import_class_completions(&importer(pid), "bad.csv", file.as_bytes(), today)
                    .await,
            );
            assert!(e.starts_with(place), "{e} ({})", store.backend());
            assert_eq!(scalar(store, "SELECT COUNT(*) FROM class_completions").await, 0, "{e}");
        }
        let refused = store
            .import_class_completions(
                &Permit::operator(pid, Action::ManageBodies),
                "x.csv",
                header.as_bytes(),
                today,
            )
            .await;
        assert!(matches!(refused, Err(StoreError::Denied(_))), "{refused:?}");
    }
}

#[tokio::test]
async fn attending_a_session_completes_its_class_and_a_mark_taken_back_takes_it_back() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = with_teams(store).await;
        let session = store
            .create_class_session(
                &trainer(pid),
                &NewSession {
                    class: Class::CoLeadWorkshop,
                    held_on: date(2026, 5, 20),
                    place: "Oak Medical Center, room 4".into(),
                },
            )
            .await
            .expect("session");
        assert_eq!(session.class, "co_lead_workshop");
        let marks = |list: &[(&str, Attendance)]| -> Vec<(String, Attendance)> {
            list.iter().map(|(e, a)| (e.to_string(), *a)).collect()
        };
        let before_day = date(2026, 5, 19);
        let on_list = store
            .mark_attendance(
                &trainer(pid),
                session.id,
                &marks(&[("E1", Attendance::Enrolled), ("E2", Attendance::Enrolled)]),
                before_day,
            )
            .await
            .expect("enrolled");
        assert_eq!((on_list.marked, on_list.completed), (2, 0));
        let early = store
            .mark_attendance(
                &trainer(pid),
                session.id,
                &marks(&[("E1", Attendance::Attended)]),
                before_day,
            )
            .await;
        assert!(
            matches!(&early, Err(StoreError::Rule(m)) if m.contains("2026-05-20")),
            "{early:?}"
        );

        // All or none: an unknown person stops the whole list.
        let after = date(2026, 5, 21);
        let unknown = store
            .mark_attendance(
                &trainer(pid),
                session.id,
                &marks(&[("E1", Attendance::Attended), ("E9", Attendance::Attended)]),
                after,
            )
            .await;
        assert!(
            matches!(&unknown, Err(StoreError::Rule(m)) if m.contains("E9")),
            "{unknown:?}"
        );
        assert_eq!(scalar(store, "SELECT COUNT(*) FROM class_completions").await, 0);

        let came = store
            .mark_attendance(
                &trainer(pid),
                session.id,
                &marks(&[("E1", Attendance::Attended), ("E2", Attendance::Attended)]),
                after,
            )
            .await
            .expect("attended");
        assert_eq!((came.marked, came.completed), (2, 2));
        assert!(came.teams_rated >= 1);
        assert_eq!(level(store, pid, "UBT-1").await, 1, "{}", store.backend());
        let e2 = store.person_id_by_employee_no(pid, "E2").await.expect("q").expect("E2");
        let done = store.completions_of(pid, e2).await.expect("completions");
        assert_eq!(done[0].source, format!("session {}", session.id));
        assert_eq!(done[0].completed_on, "2026-05-20");
        let shown = store.class_session(pid, session.id).await.expect("q").expect("session");
        assert_eq!((shown.enrolled, shown.attended, shown.absent), (0, 2, 0));

        // Marked by mistake: absent after all, and the level follows.
        let gone = store
            .mark_attendance(&trainer(pid), session.id, &marks(&[("E2", Attendance::Absent)]), after)
            .await
            .expect("absent");
        assert_eq!((gone.marked, gone.withdrawn), (1, 1));
        assert_eq!(level(store, pid, "UBT-1").await, 0);
        let list = store.session_attendance(pid, session.id).await.expect("list");
        let statuses: Vec<(&str, &str)> = list
            .iter()
            .map(|a| (a.employee_no.as_str(), a.status.as_str()))
            .collect();
        assert_eq!(statuses, vec![("E1", "attended"), ("E2", "absent")]);
        assert_eq!(
            store
                .class_sessions(pid, Some(date(2026, 5, 21)), Page::first())
                .await
                .expect("upcoming")
                .total,
            0
        );
        let refused = store
            .mark_attendance(
                &importer(pid),
                session.id,
                &marks(&[("E2", Attendance::Attended)]),
                after,
            )
            .await;
        assert!(matches!(refused, Err(StoreError::Denied(_))), "{refused:?}");
    }
}
