//! Outcome measures come into force only by two keys; their monthly values
//! are taken in once, all or nothing, and read back as the models' panel.

use crate::structure::{import_error, importer, seeded, BODIES, SEATS};
use lmp_core::evidence::measure::{Domain, MeasureDefinition};
use lmp_core::improvement::Direction;
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_core::two_key::JointChange;
use lmp_core::Side;
use lmp_store::joint_changes::ChangeTarget;
use lmp_store::testing::TestDb;
use lmp_store::{Store, StoreError};

fn person(pid: i64, name: &str, role: UserRole) -> Actor {
    Actor {
        user_id: 0,
        username: name.into(),
        partnership_id: pid,
        role,
    }
}

fn injuries() -> JointChange {
    JointChange::DefineMeasure {
        measure: MeasureDefinition {
            code: "injuries".into(),
            name: "Injury claims".into(),
            domain: Domain::Workplace,
            definition: "Claims filed in the month per 100 FTE".into(),
            unit: "claims per 100 FTE".into(),
            direction: Direction::Down,
        },
    }
}

/// A partnership with two teams, and the injuries measure in force.
async fn with_injuries(store: &Store) -> i64 {
    let pid = seeded(store).await;
    store
        .import_bodies(&importer(pid), "bodies.csv", BODIES.as_bytes())
        .await
        .expect("bodies");
    store
        .import_seats(
            &importer(pid),
            "seats.csv",
            SEATS.as_bytes(),
            jiff::civil::date(2026, 6, 1),
        )
        .await
        .expect("seats");
    let labor = person(pid, "rosa", UserRole::LaborRepresentative);
    let manager = person(pid, "tom", UserRole::Manager);
    let ask = authorize(&labor, Action::RequestJointChange, pid).expect("ask");
    let id = store
        .request_joint_change(
            &ask,
            ChangeTarget::Partnership,
            &injuries(),
            "Both sides count claims alike",
        )
        .await
        .expect("asked");
    assert!(
        store.outcome_measures(pid).await.expect("measures").is_empty(),
        "one key is not enough"
    );
    let labor_again = authorize(&labor, Action::ApproveJointChange { side: Side::Labor }, pid).expect("labor");
    assert!(
        store.approve_joint_change(&labor_again, id).await.is_err(),
        "labor's key turned already"
    );
    let approve = authorize(&manager, Action::ApproveJointChange { side: Side::Management }, pid).expect("manager");
    assert!(
        store.approve_joint_change(&approve, id).await.expect("approved"),
        "in force with both keys"
    );
    pid
}

const MONTH_2026_01: i32 = 2026 * 12;

#[tokio::test]
async fn a_measure_is_in_force_only_with_both_keys_and_its_values_come_in_once() {
    for db in TestDb::each().await {
        let store = &db.store;
        let pid = with_injuries(store).await;
        let measures = store.outcome_measures(pid).await.expect("measures");
        assert_eq!(measures.len(), 1, "{}", store.backend());
        assert_eq!(measures[0].code, "injuries");
        // The same code twice is refused before anyone is asked to approve.
        let ask = authorize(
            &person(pid, "rosa", UserRole::LaborRepresentative),
            Action::RequestJointChange,
            pid,
        )
        .expect("ask");
        let again = store
            .request_joint_change(&ask, ChangeTarget::Partnership, &injuries(), "again")
            .await;
        assert!(matches!(again, Err(StoreError::Rule(r)) if r.contains("in force already")));

        let file = "team_code,measure,month,value\nUBT-1,injuries,2025-11,2.5\nUBT-1,injuries,2025-12,1.25\n\
                    UBT-2,injuries,2025-12,3\n";
        let latest = MONTH_2026_01;
        let report = store
            .import_outcomes(&importer(pid), "o.csv", file.as_bytes(), latest)
            .await
            .expect("outcomes");
        assert_eq!(
            (report.rows, report.added, report.teams),
            (3, 3, 2),
            "{}",
            store.backend()
        );
        let again = store
            .import_outcomes(&importer(pid), "o.csv", file.as_bytes(), latest)
            .await
            .expect("again");
        assert_eq!((again.added, again.unchanged), (0, 3), "the same file adds nothing");

        // A good row, then one that overwrites: nothing of the file stays.
        let overwrite = "team_code,measure,month,value\nUBT-2,injuries,2025-11,4\nUBT-1,injuries,2025-12,9\n";
        let refused = import_error(
            store
                .import_outcomes(&importer(pid), "w.csv", overwrite.as_bytes(), latest)
                .await,
        );
        assert!(
            refused.starts_with("w.csv:3:4:") && refused.contains("already has 1.25"),
            "{refused}"
        );
        let future = "team_code,measure,month,value\nUBT-1,injuries,2026-02,1\n";
        let refused = import_error(
            store
                .import_outcomes(&importer(pid), "f.csv", future.as_bytes(), latest)
                .await,
        );
        assert!(
            refused.starts_with("f.csv:2:3:") && refused.contains("has not ended"),
            "{refused}"
        );
        let not_a_team = "team_code,measure,month,value\nFC-1,injuries,2025-10,1\n";
        let refused = import_error(
            store
                .import_outcomes(&importer(pid), "t.csv", not_a_team.as_bytes(), latest)
                .await,
        );
        assert!(refused.starts_with("t.csv:2:1:"), "{refused}");

        let measure = store
            .outcome_measure(pid, "injuries")
            .await
            .expect("q")
            .expect("measure");
        assert_eq!(
            (measure.teams, measure.values),
            (2, 3),
            "the refused files left nothing"
        );
        // Only months with a level are in the panel (these teams have none
        // rated yet), but every team's facts are.
        let data = store.evidence_data(pid, measure.id).await.expect("data");
        assert_eq!(data.panel.teams.len(), 2);
        assert_eq!(data.panel.teams[0].facility, "H-1");
        assert!(store
            .import_outcomes(
                &Permit::operator(pid, Action::ReadStructure),
                "o.csv",
                file.as_bytes(),
                latest
            )
            .await
            .is_err());
    }
}
