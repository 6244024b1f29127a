//! The foundation: organisation, people, bodies and seats, the demo, the
//! audit chain and the wall between partnerships.

use crate::DEMO;
use lmp_core::body::BodyRole;
use lmp_core::paging::Page;
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_core::Side;
use lmp_demo::Scale;
use lmp_store::bodies::BodyFilter;
use lmp_store::people::PeopleFilter;
use lmp_store::testing::TestDb;
use lmp_store::{Store, StoreError};

const ORG: &str = "code,kind,name,parent_code
INT-1,international,Health Workers International,
L-1,local,HWI Local 1,INT-1
L-2,local,HWI Local 2,INT-1
R-1,region,Northern Region,
H-1,hospital,Oak Medical Center,R-1
D-1,department,Emergency Department,H-1
D-2,department,Laboratory,H-1
";

const PEOPLE: &str = "employee_no,name,kind,local_code,unit_code,job_title
E1,Ana Ruiz,union_member,L-1,D-1,RN
E2,Bo Li,manager,,D-1,Manager
E3,Cy Young,union_member,L-2,D-2,Phlebotomist
E4,Dr. Di Park,physician,,D-1,Physician
";

async fn partnership(store: &Store, slug: &str) -> i64 {
    store
        .create_partnership(slug, slug, "Employer", "Coalition")
        .await
        .expect("partnership")
        .id
}

fn importer(pid: i64) -> Permit {
    Permit::operator(pid, Action::Import)
}

async fn seeded(store: &Store) -> i64 {
    let pid = partnership(store, "p").await;
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

fn import_error(result: Result<impl std::fmt::Debug, StoreError>) -> String {
    match result {
        Err(e @ StoreError::Import { .. }) => e.to_string(),
        other => panic!("expected an import error, got {other:?}"),
    }
}

async fn count(store: &Store, table: &str) -> i64 {
    lmp_store::on_pool!(store, |pool| sqlx::query_scalar::<_, i64>(&format!(
        "SELECT COUNT(*) FROM {table}"
    ))
    .fetch_one(pool)
    .await
    .expect("count"))
}

#[tokio::test]
async fn imports_are_idempotent_and_audited() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = partnership(store, "p").await;
        let org = store
            .import_org(&importer(pid), "org.csv", ORG.as_bytes())
            .await
            .expect("org");
        assert_eq!((org.rows, org.inserted), (7, 7), "{}", store.backend());
        let people = store
            .import_people(&importer(pid), "people.csv", PEOPLE.as_bytes())
            .await
            .expect("people");
        assert_eq!(people.inserted, 4);
        let audit_before = count(store, "audit_log").await;
        let again = store
            .import_org(&importer(pid), "org.csv", ORG.as_bytes())
            .await
            .expect("org again");
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 7));
        let again = store
            .import_people(&importer(pid), "people.csv", PEOPLE.as_bytes())
            .await
            .expect("people again");
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 4));
        assert_eq!(
            count(store, "audit_log").await,
            audit_before,
            "a no-op import writes no audit entries"
        );

        let changed = PEOPLE.replace("Cy Young,union_member,L-2,D-2", "Cy Young-Ortiz,union_member,L-1,D-2");
        let report = store
            .import_people(&importer(pid), "people.csv", changed.as_bytes())
            .await
            .expect("update");
        assert_eq!((report.updated, report.unchanged), (1, 3));
        let trail = store
            .audit_page(pid, Some(("person", "E3")), Page::first())
            .await
            .expect("audit");
        let update = &trail.items[0];
        assert_eq!(update.action, "person.update");
        assert!(update.before_json.as_deref().unwrap_or("").contains("L-2"));
        assert!(update.after_json.as_deref().unwrap_or("").contains("Cy Young-Ortiz"));
        // Search follows the rename: every word typed prefixes a word of the name.
        for (term, want) in [
            ("ortiz", 1),
            ("cy yo", 1),
            ("YOUNG-ORT", 1),
            ("e3", 1),
            ("a", 1),
            ("young cruz", 0),
        ] {
            let found = store
                .people_page(
                    pid,
                    &PeopleFilter {
                        search: Some(term.into()),
                        ..Default::default()
                    },
                    Page::first(),
                )
                .await
                .expect("search");
            assert_eq!(found.total, want, "{}: search {term:?}", store.backend());
        }
        store.verify_audit().await.expect("intact");
    }
}

#[tokio::test]
async fn a_bad_row_names_file_line_and_column_and_writes_nothing() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let people_before = count(store, "people").await;
        let audit_before = count(store, "audit_log").await;
        let cases = [
            // (file content, expected error)
            ("employee_no,name,kind,local_code,unit_code,job_title\nE9,New Person,union_member,L-1,D-1,RN\nE10,No Local,union_member,,D-1,RN\n",
             "people.csv:3:4: a union member must belong to a local"),
            ("employee_no,name,kind,local_code,unit_code,job_title\nE9,A,union_member,L-404,D-1,RN\n",
             "people.csv:2:4: \"L-404\" is not a unit of this partnership"),
            ("employee_no,name,kind,local_code,unit_code,job_title\nE9,A,union_member,D-1,D-1,RN\n",
             "people.csv:2:4: \"D-1\" is a department, not a local"),
            ("employee_no,name,kind,local_code,unit_code,job_title\nE9,A,manager,,D-1,\nE9,B,manager,,D-1,\n",
             "people.csv:3:1: employee_no \"E9\" appears twice (first on line 2)"),
            ("employee_no,name,kind,local_code,unit_code,job_title\nE1,Ana Ruiz,manager,,D-1,RN\n",
             "people.csv:2:3: E1 is stored as a union_member"),
            ("employee_no,name,kind\nE9,A,manager\n", "people.csv:1:4: missing column \"local_code\""),
            ("", "people.csv:1:1: the file is empty"),
            (
                "employee_no,name,kind,local_code,unit_code,job_title\nE9,Ruiz, Ana,manager,,D-1,RN\n",
                "people.csv:2:7: the row has 7 fields but the header has 6",
            ),
        ];
        for (content, expected) in cases {
            let message = import_error(
                store
                    .import_people(&importer(pid), "people.csv", content.as_bytes())
                    .await,
            );
            assert!(
                message.starts_with(expected),
                "{}: {message:?} should start with {expected:?}",
                store.backend()
            );
        }
        let mut invalid = b"employee_no,name,kind,local_code,unit_code,job_title\nE9,Ana ".to_vec();
        invalid.extend_from_slice(&[0xff, 0xfe]);
        invalid.extend_from_slice(b",manager,,D-1,RN\n");
        let message = import_error(
            store
                .import_people(&importer(pid), "people.csv", invalid.as_slice())
                .await,
        );
        assert!(message.starts_with("people.csv:2:2: not valid UTF-8"), "{message}");
        assert_eq!(count(store, "people").await, people_before, "nothing half-written");
        assert_eq!(count(store, "audit_log").await, audit_before);

        let org_cases = [
            (
                "code,kind,name,parent_code\nH-2,hospital,New,R-404\n",
                "org.csv:2:4: parent_code \"R-404\"",
            ),
            (
                "code,kind,name,parent_code\nH-2,hospital,New,L-1\n",
                "org.csv:2:4: a hospital must hang under a region, not a local",
            ),
            (
                "code,kind,name,parent_code\nX-1,campus,New,\n",
                "org.csv:2:2: unknown kind \"campus\"",
            ),
            (
                "code,kind,name,parent_code\nD-1,hospital,Emergency Department,R-1\n",
                "org.csv:2:2: D-1 is stored as a department",
            ),
        ];
        for (content, expected) in org_cases {
            let message = import_error(store.import_org(&importer(pid), "org.csv", content.as_bytes()).await);
            assert!(
                message.starts_with(expected),
                "{}: {message:?} should start with {expected:?}",
                store.backend()
            );
        }
    }
}

#[tokio::test]
async fn export_round_trips_through_import() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let mut out = Vec::new();
        assert_eq!(store.export_people(pid, &mut out).await.expect("export"), 4);
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.starts_with("employee_no,name,kind,local_code,unit_code,job_title\n"));
        let report = store
            .import_people(&importer(pid), "export.csv", text.as_bytes())
            .await
            .expect("re-import");
        assert_eq!((report.unchanged, report.inserted, report.updated), (4, 0, 0));
    }
}

fn actor(pid: i64, role: UserRole) -> Actor {
    Actor {
        user_id: 1,
        username: format!("{role}"),
        partnership_id: pid,
        role,
    }
}

#[tokio::test]
async fn seats_follow_the_partnership_rules_and_are_audited() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let pid = store
            .partnership_by_slug("cascadia")
            .await
            .expect("q")
            .expect("cascadia")
            .id;
        let filter = BodyFilter {
            level: Some("team".into()),
            ..Default::default()
        };
        let team = store
            .bodies_page(pid, &filter, Page::first())
            .await
            .expect("teams")
            .items
            .remove(0);
        let labor = authorize(
            &actor(pid, UserRole::LaborRepresentative),
            Action::ChangeSeat { side: Side::Labor },
            pid,
        )
        .expect("labor permit");
        let member = store
            .people_page(
                pid,
                &PeopleFilter {
                    kind: Some("union_member".into()),
                    ..Default::default()
                },
                Page::first(),
            )
            .await
            .expect("people")
            .items
            .remove(0);
        let manager = store
            .people_page(
                pid,
                &PeopleFilter {
                    kind: Some("manager".into()),
                    ..Default::default()
                },
                Page::first(),
            )
            .await
            .expect("people")
            .items
            .remove(0);
        // A manager cannot take a labor seat.
        let err = store
            .add_seat(&labor, team.id, manager.id, BodyRole::Sponsor, Side::Labor)
            .await
            .expect_err("wrong side");
        assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
        // A labor permit cannot give a management seat.
        let err = store
            .add_seat(&labor, team.id, manager.id, BodyRole::Sponsor, Side::Management)
            .await
            .expect_err("wrong permit");
        assert!(matches!(err, StoreError::Denied(_)), "{err:?}");
        // Co-leads change only with two keys, whoever asks.
        let err = store
            .add_seat(&labor, team.id, member.id, BodyRole::CoLead, Side::Labor)
            .await
            .expect_err("one key");
        assert!(matches!(&err, StoreError::Rule(m) if m.contains("two keys")), "{err:?}");
        let seat = store
            .add_seat(&labor, team.id, member.id, BodyRole::Sponsor, Side::Labor)
            .await
            .expect("add");
        assert_eq!((seat.role.as_str(), seat.side.as_str()), ("sponsor", "labor"));
        let err = store
            .add_seat(&labor, team.id, member.id, BodyRole::Sponsor, Side::Labor)
            .await
            .expect_err("twice");
        assert!(err.to_string().contains("already holds"), "{err}");
        let trail = store.audit_page(pid, None, Page::first()).await.expect("audit");
        assert_eq!(trail.items[0].action, "seat.add");
        assert_eq!(trail.items[0].actor, "labor_representative");
        // A manager's permit cannot remove a labor seat; a labor one can.
        let management = authorize(
            &actor(pid, UserRole::Manager),
            Action::ChangeSeat { side: Side::Management },
            pid,
        )
        .expect("permit");
        assert!(matches!(
            store.remove_seat(&management, seat.id).await,
            Err(StoreError::Denied(_))
        ));
        store.remove_seat(&labor, seat.id).await.expect("remove");
        assert!(store.seat(pid, seat.id).await.expect("q").is_none());
        store.verify_audit().await.expect("intact");
    }
}

#[tokio::test]
async fn the_demo_loads_once_and_flags_missing_co_leads() {
    for db in TestDb::each().await {
        let store = &db.store;
        let first = lmp_demo::load_demo(store, Scale::Small, "x", &|_, _| {})
            .await
            .expect("demo");
        assert!(first.people > 300);
        let again = lmp_demo::load_demo(store, Scale::Small, "x", &|_, _| {})
            .await
            .expect("demo again");
        assert!(again.partnerships.iter().all(|(_, existed)| *existed));
        assert_eq!(again.people, 0);
        let pid = store
            .partnership_by_slug("cascadia")
            .await
            .expect("q")
            .expect("cascadia")
            .id;
        let dashboard = store.dashboard(pid).await.expect("dashboard");
        let kinds: Vec<&str> = dashboard.people_by_kind.iter().map(|t| t.label.as_str()).collect();
        assert!(kinds.contains(&"union_member") && kinds.contains(&"manager") && kinds.contains(&"physician"));
        // Remove one team's management co-lead: the dashboard and the list flag it.
        let body = store
            .bodies_page(
                pid,
                &BodyFilter {
                    level: Some("team".into()),
                    ..Default::default()
                },
                Page::first(),
            )
            .await
            .expect("q")
            .items
            .remove(0);
        let before = dashboard.bodies_missing_co_lead;
        let leaders = store.body_leaders(pid, body.id).await.expect("seats");
        let ask = authorize(&actor(pid, UserRole::PartnershipAdmin), Action::RequestJointChange, pid).expect("permit");
        let key = |role, side| authorize(&actor(pid, role), Action::ApproveJointChange { side }, pid).expect("key");
        for seat in leaders.iter().filter(|s| s.role == "co_lead" && s.side == "management") {
            let change = lmp_core::two_key::JointChange::RemoveCoLead {
                seat_id: seat.id,
                person_id: seat.person_id,
                side: Side::Management,
            };
            let id = store
                .request_joint_change(
                    &ask,
                    lmp_store::joint_changes::ChangeTarget::Body(body.id),
                    &change,
                    "retired",
                )
                .await
                .expect("request");
            let labor_key = key(UserRole::LaborRepresentative, Side::Labor);
            assert!(
                !store.approve_joint_change(&labor_key, id).await.expect("labor key"),
                "one key changes nothing"
            );
            assert!(store
                .approve_joint_change(&key(UserRole::Manager, Side::Management), id)
                .await
                .expect("management key"));
        }
        let flagged = store.body(pid, body.id).await.expect("q").expect("body");
        assert_eq!(flagged.missing_co_lead, vec!["management".to_string()]);
        assert_eq!(
            store.dashboard(pid).await.expect("dashboard").bodies_missing_co_lead,
            before + 1
        );
        let missing = store
            .bodies_page(
                pid,
                &BodyFilter {
                    missing_co_lead: true,
                    ..Default::default()
                },
                Page::new(Some(500), None),
            )
            .await
            .expect("q");
        assert!(missing.items.iter().any(|b| b.id == body.id));
    }
}

#[tokio::test]
async fn partnerships_are_walled_off() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let main = store
            .partnership_by_slug("cascadia")
            .await
            .expect("q")
            .expect("main")
            .id;
        let other = store
            .partnership_by_slug("riverbend")
            .await
            .expect("q")
            .expect("other")
            .id;
        let person = store
            .people_page(main, &PeopleFilter::default(), Page::first())
            .await
            .expect("q")
            .items
            .remove(0);
        assert!(store.person(other, person.id).await.expect("q").is_none());
        let body = store
            .bodies_page(main, &BodyFilter::default(), Page::first())
            .await
            .expect("q")
            .items
            .remove(0);
        assert!(store.body(other, body.id).await.expect("q").is_none());
        let others = store
            .people_page(other, &PeopleFilter::default(), Page::new(Some(500), None))
            .await
            .expect("q");
        assert!(others.items.iter().all(|p| store_person_is(p, other)));
        assert!(others.total < 100);
        // A permit for the other partnership cannot touch this one's seats.
        let permit = authorize(
            &actor(other, UserRole::PartnershipAdmin),
            Action::ChangeSeat { side: Side::Labor },
            other,
        )
        .expect("permit");
        let err = store
            .add_seat(&permit, body.id, person.id, BodyRole::Member, Side::Labor)
            .await
            .expect_err("walled off");
        assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    }
}

fn store_person_is(person: &lmp_store::model::Person, _partnership: i64) -> bool {
    person.employee_no.starts_with("RI")
}

#[tokio::test]
async fn tampering_with_the_audit_log_is_caught() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let verified = store.verify_audit().await.expect("intact");
        assert_eq!(verified.entries, 11);
        tamper(store, pid).await.expect("tamper");
        match store.verify_audit().await {
            Err(StoreError::AuditBroken { detail, .. }) => assert!(detail.contains("entry 5 was altered"), "{detail}"),
            other => panic!("{}: expected a broken chain, got {other:?}", store.backend()),
        }
    }
}

#[tokio::test]
async fn injection_strings_are_just_names() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = seeded(store).await;
        let nasty = "employee_no,name,kind,local_code,unit_code,job_title\nE66,\"Robert'); DROP TABLE people;-- <script>alert(1)</script> 100%_\",manager,,D-1,\n";
        store
            .import_people(&importer(pid), "people.csv", nasty.as_bytes())
            .await
            .expect("import");
        let found = store
            .people_page(
                pid,
                &PeopleFilter {
                    search: Some("drop table".into()),
                    ..Default::default()
                },
                Page::first(),
            )
            .await
            .expect("search");
        assert_eq!(found.total, 1);
        assert!(found.items[0].name.contains("<script>"));
        // `%` and `_` are literal in a search, not wildcards.
        let percent = store
            .people_page(
                pid,
                &PeopleFilter {
                    search: Some("100%_".into()),
                    ..Default::default()
                },
                Page::first(),
            )
            .await
            .expect("q");
        assert_eq!(percent.total, 1);
        let wildcard = store
            .people_page(
                pid,
                &PeopleFilter {
                    search: Some("%".into()),
                    ..Default::default()
                },
                Page::first(),
            )
            .await
            .expect("q");
        assert_eq!(wildcard.total, 0, "a search with no words matches no one");
        assert_eq!(count(store, "people").await, 5);
    }
}

/// Alter one audit row directly in the database, as an intruder would.
async fn tamper(store: &Store, pid: i64) -> Result<(), StoreError> {
    lmp_store::in_tx!(store, |tx| {
        sqlx::query("UPDATE audit_log SET actor = 'someone-else' WHERE partnership_id = $1 AND seq = 5")
            .bind(pid)
            .execute(&mut *tx)
            .await?;
    });
    Ok(())
}
