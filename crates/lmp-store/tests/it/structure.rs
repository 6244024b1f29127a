//! A partnership's structure from its own files and forms: bodies created,
//! renamed, moved and closed; seats with their dated history.

use lmp_core::body::{BodyLevel, BodyRole};
use lmp_core::decision::DecisionMode;
use lmp_core::paging::Page;
use lmp_core::policy::{Action, Permit};
use lmp_core::Side;
use lmp_store::bodies::BodyFilter;
use lmp_store::structure::import::MissingCoLead;
use lmp_store::structure::{BodyChange, NewBody};
use lmp_store::testing::TestDb;
use lmp_store::{Store, StoreError};

pub(crate) const ORG: &str = "code,kind,name,parent_code
INT-1,international,Health Workers International,
L-1,local,HWI Local 1,INT-1
R-1,region,Northern Region,
H-1,hospital,Oak Medical Center,R-1
D-1,department,Emergency Department,H-1
";

pub(crate) const PEOPLE: &str = "employee_no,name,kind,local_code,unit_code,job_title
E1,Ana Ruiz,union_member,L-1,D-1,RN
E2,Bo Li,manager,,D-1,Manager
E3,Cy Young,union_member,L-1,D-1,Tech
E4,Di Park,manager,,H-1,Director
";

pub(crate) const BODIES: &str = "code,level,name,unit_code,parent_code,decides
NSG,national,National Strategy Group,,,consensus
FC-1,facility,Oak Facility Council,H-1,NSG,consensus
UBT-1,team,Emergency UBT,D-1,FC-1,
UBT-2,team,Emergency Nights UBT,D-1,FC-1,recommend
";

pub(crate) const SEATS: &str = "body_code,employee_no,role,side,from,to
UBT-1,E1,co-lead,labor,2024-01-15,
UBT-1,E2,co_lead,management,2024-02-01,
UBT-1,E3,member,labor,2023-03-01,2024-06-30
FC-1,E4,sponsor,management,2025-01-01,
UBT-2,E3,co-lead,labor,,
";

pub(crate) fn importer(pid: i64) -> Permit {
    Permit::operator(pid, Action::Import)
}

fn manager_of_bodies(pid: i64) -> Permit {
    Permit::operator(pid, Action::ManageBodies)
}

pub(crate) async fn seeded(store: &Store) -> i64 {
    let pid = store
        .create_partnership("p", "P", "Employer", "Coalition")
        .await
        .expect("partnership")
        .id;
    store
        .import_org(&importer(pid), "org.csv", ORG.as_bytes())
        .await
        .expect("org");
    store
        .import_people(&importer(pid), "people.csv", PEOPLE.as_bytes())
        .await
        .expect("people");
    pid
}

pub(crate) async fn scalar(store: &Store, sql: &str) -> i64 {
    lmp_store::on_pool!(store, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .expect(sql))
}

async fn rows(store: &Store, sql: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
    lmp_store::on_pool!(store, |pool| sqlx::query_as(sql).fetch_all(pool).await.expect(sql))
}

pub(crate) async fn id_of(store: &Store, pid: i64, code: &str) -> i64 {
    store.body_id_by_code(pid, code).await.expect("q").expect(code)
}

pub(crate) fn import_error<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(e @ StoreError::Import { .. }) => e.to_string(),
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[tokio::test]
async fn bodies_and_seats_files_are_taken_in_once_with_their_history() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let today = jiff::civil::date(2026, 6, 1);
        let bodies = store
            .import_bodies(&importer(pid), "bodies.csv", BODIES.as_bytes())
            .await
            .expect("bodies");
        assert_eq!(
            (bodies.counts.rows, bodies.counts.inserted),
            (4, 4),
            "{}",
            store.backend()
        );
        assert_eq!(bodies.missing_co_lead.len(), 4, "no body has co-leads yet");
        let seats = store
            .import_seats(&importer(pid), "seats.csv", SEATS.as_bytes(), today)
            .await
            .expect("seats");
        assert_eq!((seats.counts.rows, seats.counts.inserted), (5, 5));
        // Accepted but flagged: the council has no co-lead, UBT-2 only labor's.
        assert_eq!(
            seats.missing_co_lead,
            vec![
                MissingCoLead {
                    code: "FC-1".into(),
                    missing: vec![Side::Labor, Side::Management]
                },
                MissingCoLead {
                    code: "UBT-2".into(),
                    missing: vec![Side::Management]
                },
            ]
        );
        let ubt2 = store
            .body(pid, id_of(store, pid, "UBT-2").await)
            .await
            .expect("q")
            .expect("UBT-2");
        assert_eq!(ubt2.missing_co_lead, vec!["management".to_string()]);
        assert_eq!(ubt2.decision_mode, "recommend");

        // The member's seat is history, with the file's days.
        let past = rows(
            store,
            "SELECT role, side, started_on, ended_on FROM past_seats ORDER BY id",
        )
        .await;
        assert_eq!(
            past,
            vec![(
                "member".into(),
                "labor".into(),
                Some("2023-03-01".into()),
                Some("2024-06-30".into())
            )]
        );
        // Co-lead spells start on the file's first day, so vacancies count from it.
        let spells = rows(
            store,
            "SELECT side, started_at, ended_at, NULL FROM co_lead_spells s \
             JOIN bodies b ON b.id = s.body_id WHERE b.code = 'UBT-1' ORDER BY side",
        )
        .await;
        assert_eq!(spells[0].0, "labor");
        assert!(spells[0].1.starts_with("2024-01-15T00:00:00"), "{spells:?}");
        assert!(spells[1].1.starts_with("2024-02-01T00:00:00"), "{spells:?}");

        // The same files again change nothing, and write no audit.
        let audit = scalar(store, "SELECT COUNT(*) FROM audit_log").await;
        let again = store
            .import_bodies(&importer(pid), "bodies.csv", BODIES.as_bytes())
            .await
            .expect("again");
        assert_eq!(
            (again.counts.inserted, again.counts.updated, again.counts.unchanged),
            (0, 0, 4)
        );
        let again = store
            .import_seats(&importer(pid), "seats.csv", SEATS.as_bytes(), today)
            .await
            .expect("again");
        assert_eq!(
            (again.counts.inserted, again.counts.updated, again.counts.unchanged),
            (0, 0, 5)
        );
        assert_eq!(scalar(store, "SELECT COUNT(*) FROM audit_log").await, audit);
        assert_eq!(scalar(store, "SELECT COUNT(*) FROM past_seats").await, 1);

        // A later file ends the labor co-lead's seat: it becomes history
        // with its day, and the team is flagged for the vacancy.
        let ended = "body_code,employee_no,role,side,from,to\nUBT-1,E1,co-lead,labor,2024-01-15,2026-05-01\n";
        let report = store
            .import_seats(&importer(pid), "ended.csv", ended.as_bytes(), today)
            .await
            .expect("ended");
        assert_eq!(report.counts.updated, 1);
        assert_eq!(
            report.missing_co_lead,
            vec![MissingCoLead {
                code: "UBT-1".into(),
                missing: vec![Side::Labor]
            }]
        );
        let spell_end: Option<String> = lmp_store::on_pool!(store, |pool| sqlx::query_scalar(
            "SELECT s.ended_at FROM co_lead_spells s JOIN bodies b ON b.id = s.body_id \
             WHERE b.code = 'UBT-1' AND s.side = 'labor'"
        )
        .fetch_one(pool)
        .await
        .expect("spell"));
        assert!(spell_end.is_some_and(|e| e.starts_with("2026-05-01")));
        let ended_on: String = lmp_store::on_pool!(store, |pool| sqlx::query_scalar(
            "SELECT ended_on FROM past_seats WHERE role = 'co_lead'"
        )
        .fetch_one(pool)
        .await
        .expect("past"));
        assert_eq!(ended_on, "2026-05-01");
        let trail = store
            .audit_page(pid, Some(("body", "UBT-1")), Page::first())
            .await
            .expect("audit");
        assert_eq!(trail.items[0].action, "seat.end");
        store.verify_audit().await.expect("intact");
    }
}

#[tokio::test]
async fn a_bad_structure_row_names_its_place_and_writes_nothing() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let today = jiff::civil::date(2026, 6, 1);
        store
            .import_bodies(&importer(pid), "bodies.csv", BODIES.as_bytes())
            .await
            .expect("bodies");
        let before = (
            scalar(store, "SELECT COUNT(*) FROM bodies").await,
            scalar(store, "SELECT COUNT(*) FROM seats").await,
            scalar(store, "SELECT COUNT(*) FROM past_seats").await,
            scalar(store, "SELECT COUNT(*) FROM audit_log").await,
        );
        let header = "body_code,employee_no,role,side,from,to\n";
        let good = "UBT-1,E1,co-lead,labor,2024-01-15,\n";
        for (file, want) in [
            (
                format!("{header}{good}UBT-1,E9,member,labor,,\n"),
                "seats.csv:3:2: \"E9\" is not a person",
            ),
            (
                format!("{header}{good}UBT-1,E2,co-lead,labor,,\n"),
                "seats.csv:3:4: a manager cannot act for the labor side",
            ),
            (
                format!("{header}{good}UBT-9,E3,member,labor,,\n"),
                "seats.csv:3:1: \"UBT-9\" is not a body",
            ),
            (format!("{header}{good}UBT-1,E3,chair,labor,,\n"), "seats.csv:3:3:"),
            (
                format!("{header}{good}UBT-1,E3,member,labor,2024-05-01,2024-04-01\n"),
                "seats.csv:3:6:",
            ),
            (
                format!("{header}{good}UBT-1,E3,member,labor,2030-01-01,\n"),
                "seats.csv:3:5:",
            ),
            (
                format!("{header}{good}{good}"),
                "seats.csv:3:1: this seat from the same day appears twice",
            ),
        ] {
            let error = import_error(
                store
                    .import_seats(&importer(pid), "seats.csv", file.as_bytes(), today)
                    .await,
            );
            assert!(error.starts_with(want), "{}: {error} (wanted {want})", store.backend());
        }
        let header = "code,level,name,unit_code,parent_code,decides\n";
        for (file, want) in [
            (
                format!("{header}X-1,team,X,D-1,NOPE,\n"),
                "bodies.csv:2:5: parent_code \"NOPE\"",
            ),
            (
                format!("{header}X-1,team,X,L-1,,\n"),
                "bodies.csv:2:4: \"L-1\" is a local",
            ),
            (
                format!("{header}X-1,facility,X,H-1,UBT-1,\n"),
                "bodies.csv:2:5: a facility council cannot hang under a unit-based team",
            ),
            (format!("{header}UBT-1,department,X,D-1,FC-1,\n"), "bodies.csv:2:2:"),
            (
                format!("{header}UBT-1,team,Emergency UBT,D-1,FC-1,recommend\n"),
                "bodies.csv:2:6:",
            ),
            (
                format!("{header}X-1,team,X,D-1,,\nX-1,team,Y,D-1,,\n"),
                "bodies.csv:3:1: code \"X-1\" appears twice",
            ),
            (format!("{header}X-1,tribe,X,D-1,,\n"), "bodies.csv:2:2: unknown level"),
        ] {
            let error = import_error(store.import_bodies(&importer(pid), "bodies.csv", file.as_bytes()).await);
            assert!(error.starts_with(want), "{}: {error} (wanted {want})", store.backend());
        }
        let after = (
            scalar(store, "SELECT COUNT(*) FROM bodies").await,
            scalar(store, "SELECT COUNT(*) FROM seats").await,
            scalar(store, "SELECT COUNT(*) FROM past_seats").await,
            scalar(store, "SELECT COUNT(*) FROM audit_log").await,
        );
        assert_eq!(before, after, "nothing of a refused file is written");
    }
}

#[tokio::test]
async fn bodies_are_created_renamed_moved_and_closed_never_deleted() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let today = jiff::civil::date(2026, 6, 1);
        store
            .import_bodies(&importer(pid), "bodies.csv", BODIES.as_bytes())
            .await
            .expect("bodies");
        store
            .import_seats(&importer(pid), "seats.csv", SEATS.as_bytes(), today)
            .await
            .expect("seats");
        let admin = manager_of_bodies(pid);
        let council = id_of(store, pid, "FC-1").await;
        let nsg = id_of(store, pid, "NSG").await;
        let unit = store.unit_id_by_code(pid, "D-1").await.expect("q");
        let new = NewBody {
            code: "UBT-3".into(),
            level: BodyLevel::Team,
            name: "Emergency Days UBT".into(),
            unit_id: unit,
            parent_id: Some(council),
            decides: DecisionMode::Consensus,
        };
        let team = store.create_body(&admin, &new).await.expect("create");
        assert_eq!(
            team.missing_co_lead,
            vec!["labor".to_string(), "management".to_string()]
        );
        let twice = store.create_body(&admin, &new).await;
        assert!(
            matches!(twice, Err(StoreError::Rule(ref r)) if r.contains("already exists")),
            "{twice:?}"
        );
        let wrong = store
            .create_body(
                &admin,
                &NewBody {
                    code: "FC-2".into(),
                    level: BodyLevel::Facility,
                    parent_id: Some(team.id),
                    ..new.clone()
                },
            )
            .await;
        assert!(
            matches!(wrong, Err(StoreError::Rule(ref r)) if r.contains("level above")),
            "{wrong:?}"
        );
        let denied = store
            .create_body(&Permit::operator(pid, Action::ReadStructure), &new)
            .await;
        assert!(matches!(denied, Err(StoreError::Denied(_))));

        let renamed = store
            .change_body(
                &admin,
                team.id,
                &BodyChange {
                    name: Some("Emergency Day Shift UBT".into()),
                    parent_id: Some(Some(nsg)),
                },
            )
            .await
            .expect("rename and move");
        assert_eq!(
            (renamed.name.as_str(), renamed.parent_id),
            ("Emergency Day Shift UBT", Some(nsg))
        );
        let own = store
            .change_body(
                &admin,
                team.id,
                &BodyChange {
                    name: None,
                    parent_id: Some(Some(team.id)),
                },
            )
            .await;
        assert!(matches!(own, Err(StoreError::Rule(_))), "{own:?}");

        // A council with teams under it stays open.
        let refused = store.close_body(&admin, council).await;
        assert!(
            matches!(refused, Err(StoreError::Rule(ref r)) if r.contains("hang under")),
            "{refused:?}"
        );
        // Closing a team ends its seats as history, dated today.
        let ubt1 = id_of(store, pid, "UBT-1").await;
        let closed = store.close_body(&admin, ubt1).await.expect("close");
        let on = lmp_store::today().to_string();
        assert_eq!(closed.closed_on.as_deref(), Some(on.as_str()));
        assert_eq!(
            scalar(store, &format!("SELECT COUNT(*) FROM seats WHERE body_id = {ubt1}")).await,
            0
        );
        assert_eq!(
            scalar(
                store,
                &format!("SELECT COUNT(*) FROM past_seats WHERE body_id = {ubt1} AND ended_on = '{on}'")
            )
            .await,
            2,
            "both co-leads' seats kept, ended today"
        );
        assert_eq!(scalar(store, "SELECT COUNT(*) FROM bodies").await, 5, "nothing deleted");
        let again = store.close_body(&admin, ubt1).await;
        assert!(matches!(again, Err(StoreError::Rule(ref r)) if r.contains("already closed")));
        let seat = store
            .add_seat(&admin_seat_permit(pid), ubt1, 3, BodyRole::Member, Side::Labor)
            .await;
        assert!(
            matches!(seat, Err(StoreError::Rule(ref r)) if r.contains("closed")),
            "{seat:?}"
        );
        let rename = store
            .change_body(
                &admin,
                ubt1,
                &BodyChange {
                    name: Some("x".into()),
                    parent_id: None,
                },
            )
            .await;
        assert!(matches!(rename, Err(StoreError::Rule(_))));

        // Lists show open bodies unless asked; the closed one is still there.
        let open = store
            .bodies_page(pid, &BodyFilter::default(), Page::first())
            .await
            .expect("list");
        assert_eq!(open.total, 4);
        let all = store
            .bodies_page(
                pid,
                &BodyFilter {
                    include_closed: true,
                    ..Default::default()
                },
                Page::first(),
            )
            .await
            .expect("list");
        assert_eq!(all.total, 5);
        let trail = store
            .audit_page(pid, Some(("body", "UBT-1")), Page::first())
            .await
            .expect("audit");
        assert_eq!(trail.items[0].action, "body.close");
        store.verify_audit().await.expect("intact");
    }
}

fn admin_seat_permit(pid: i64) -> Permit {
    Permit::operator(pid, Action::ChangeSeat { side: Side::Labor })
}

#[tokio::test]
async fn a_complete_people_file_ends_the_seats_of_leavers_and_records_transfers() {
    use lmp_store::import::PeopleSync;
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let today = jiff::civil::date(2026, 6, 1);
        store
            .import_bodies(&importer(pid), "bodies.csv", BODIES.as_bytes())
            .await
            .expect("bodies");
        store
            .import_seats(&importer(pid), "seats.csv", SEATS.as_bytes(), today)
            .await
            .expect("seats");
        // E1 (UBT-1's labor co-lead) is gone; E3 moved to the hospital.
        let nightly = "employee_no,name,kind,local_code,unit_code,job_title
E2,Bo Li,manager,,D-1,Manager
E3,Cy Young,union_member,L-1,H-1,Tech
E4,Di Park,manager,,H-1,Director
";
        let state = || async {
            (
                scalar(store, "SELECT COUNT(*) FROM seats").await,
                scalar(store, "SELECT COUNT(*) FROM past_seats").await,
                scalar(store, "SELECT COUNT(*) FROM transfers").await,
                scalar(store, "SELECT COUNT(*) FROM people WHERE left_on IS NOT NULL").await,
                scalar(store, "SELECT COUNT(*) FROM audit_log").await,
            )
        };
        let before = state().await;
        let dry = PeopleSync { today, dry_run: true };
        let would = store
            .sync_people(&importer(pid), "nightly.csv", nightly.as_bytes(), &dry)
            .await
            .expect("dry run");
        assert_eq!(
            (would.left, would.transferred, would.seats_ended),
            (1, 1, 1),
            "{}",
            store.backend()
        );
        assert_eq!(state().await, before, "a dry run writes nothing");

        let sync = PeopleSync { today, dry_run: false };
        let done = store
            .sync_people(&importer(pid), "nightly.csv", nightly.as_bytes(), &sync)
            .await
            .expect("sync");
        assert_eq!(
            (done.left, done.returned, done.transferred, done.seats_ended),
            (would.left, would.returned, would.transferred, would.seats_ended),
            "the dry run said what the sync does"
        );
        assert_eq!(
            done.vacancies,
            vec![lmp_store::import::CoLeadVacancy {
                body_code: "UBT-1".into(),
                side: "labor".into()
            }]
        );
        let ubt1 = store
            .body(pid, id_of(store, pid, "UBT-1").await)
            .await
            .expect("q")
            .expect("UBT-1");
        assert_eq!(ubt1.missing_co_lead, vec!["labor".to_string()], "flagged as a vacancy");
        let ended: String = lmp_store::on_pool!(store, |pool| {
            sqlx::query_scalar(
            "SELECT s.ended_at FROM co_lead_spells s JOIN people p ON p.id = s.person_id WHERE p.employee_no = 'E1'"
        )
        .fetch_one(pool)
        .await
        .expect("spell")
        });
        assert_eq!(ended, format!("{today}T00:00:00Z"), "the spell ends on the sync's day");
        let (seats, past, transfers, left, _) = state().await;
        assert_eq!((seats, past, transfers, left), (before.0 - 1, before.1 + 1, 1, 1));
        assert_eq!(
            scalar(store, "SELECT COUNT(*) FROM people").await,
            4,
            "the leaver's record stays"
        );

        // The same file again: nothing more. Named again: back.
        let again = store
            .sync_people(&importer(pid), "nightly.csv", nightly.as_bytes(), &sync)
            .await
            .expect("again");
        assert_eq!((again.left, again.transferred, again.seats_ended), (0, 0, 0));
        let back = store
            .sync_people(&importer(pid), "people.csv", PEOPLE.as_bytes(), &sync)
            .await
            .expect("back");
        assert_eq!((back.returned, back.left), (1, 0));
        assert_eq!(
            scalar(store, "SELECT COUNT(*) FROM people WHERE left_on IS NOT NULL").await,
            0
        );
        store.verify_audit().await.expect("intact");
    }
}
