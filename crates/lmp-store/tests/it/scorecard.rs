//! The scorecard adds up, on SQLite and PostgreSQL: every figure equals the
//! teams behind it, the breakdown sums to the whole, and engagement follows
//! the record.

use crate::DEMO;
use lmp_core::paging::Page;
use lmp_core::policy::{authorize, Action, Actor, UserRole};
use lmp_core::team::MeetingKind;
use lmp_store::scorecard::{Behind, Scope};
use lmp_store::teams::meetings::NewMeeting;
use lmp_store::testing::TestDb;
use lmp_store::Store;

async fn demo(store: &Store) -> i64 {
    store
        .partnership_by_slug("cascadia")
        .await
        .expect("q")
        .expect("cascadia")
        .id
}

async fn behind(store: &Store, pid: i64, scope: Scope, what: Behind) -> i64 {
    store
        .scorecard_teams(pid, scope, &what, lmp_store::today(), Page::new(Some(1), None))
        .await
        .expect("teams behind")
        .total as i64
}

#[tokio::test]
async fn every_figure_is_the_sum_of_the_teams_behind_it() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let pid = demo(store).await;
        let today = lmp_store::today();
        let card = store.scorecard(pid, Scope::National, today).await.expect("scorecard");
        let backend = store.backend();
        assert!(card.teams > 0, "{backend}");
        assert_eq!(behind(store, pid, Scope::National, Behind::All).await, card.teams);
        for (level, count) in card.by_level.iter().enumerate() {
            assert_eq!(
                behind(store, pid, Scope::National, Behind::Level(level as i64)).await,
                *count,
                "level {level}"
            );
        }
        assert_eq!(
            behind(store, pid, Scope::National, Behind::TopLevels).await,
            card.top_levels
        );
        assert_eq!(
            behind(store, pid, Scope::National, Behind::Undocumented).await,
            card.undocumented
        );
        assert_eq!(
            behind(store, pid, Scope::National, Behind::MissingLeader).await,
            card.missing_leader
        );
        assert!(card.missing_leader > 0, "the demo has teams with a vacant co-lead");
        // The breakdown by region sums to the nation.
        assert_eq!(card.rows.iter().map(|r| r.teams).sum::<i64>(), card.teams);
        assert_eq!(
            card.rows.iter().map(|r| r.self_reported_cents).sum::<i64>(),
            card.self_reported_cents
        );
        assert_eq!(
            card.rows.iter().map(|r| r.verified_cents).sum::<i64>(),
            card.verified_cents
        );
        assert_eq!(card.rows.iter().map(|r| r.workers).sum::<i64>(), card.workers);
        assert_eq!(card.rows.iter().map(|r| r.engaged).sum::<i64>(), card.engaged);
        assert!(card.verified_cents <= card.self_reported_cents);
        // Savings equal the teams' own totals.
        let mut teams_total = 0;
        for line in store
            .scorecard_teams(pid, Scope::National, &Behind::All, today, Page::new(Some(500), None))
            .await
            .expect("teams")
            .items
        {
            teams_total += store
                .savings_of_team(pid, line.id)
                .await
                .expect("totals")
                .self_reported_cents;
        }
        assert_eq!(teams_total, card.self_reported_cents, "{backend}");
        // A region's own scorecard is its row of the national one.
        let region = &card.rows[0];
        let regional = store
            .scorecard(pid, Scope::Unit(region.id), today)
            .await
            .expect("region");
        assert_eq!(
            (
                regional.teams,
                regional.self_reported_cents,
                regional.workers,
                regional.engaged
            ),
            (region.teams, region.self_reported_cents, region.workers, region.engaged)
        );
        assert_eq!(regional.rows.iter().map(|r| r.teams).sum::<i64>(), regional.teams);
        // Down to a department, whose breakdown is its teams, each with its own people.
        let facility = store
            .scorecard(pid, Scope::Unit(regional.rows[0].id), today)
            .await
            .expect("facility");
        let department = facility
            .rows
            .iter()
            .find(|r| r.kind == "department")
            .expect("a department row");
        let teams = store
            .scorecard(pid, Scope::Unit(department.id), today)
            .await
            .expect("department");
        assert!(
            teams
                .rows
                .iter()
                .all(|r| r.kind == "team" && r.workers > 0 && r.engaged <= r.workers),
            "{backend}"
        );
        assert_eq!(teams.rows.iter().map(|r| r.teams).sum::<i64>(), teams.teams);
    }
}

#[tokio::test]
async fn engagement_follows_who_took_part_lately() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let pid = demo(store).await;
        let today = lmp_store::today();
        let before = store.scorecard(pid, Scope::National, today).await.expect("scorecard");
        assert!(before.engaged > 0 && before.engaged < before.workers);
        // Someone who has never taken part comes to a huddle.
        let team = store.first_team(pid).await.expect("team");
        let outsider: i64 = match store {
            Store::Sqlite { read, .. } => sqlx::query_scalar(
                "SELECT id FROM people WHERE partnership_id = $1 AND last_took_part_on IS NULL AND unit_id IS NOT NULL ORDER BY id LIMIT 1",
            )
            .bind(pid)
            .fetch_one(read)
            .await
            .expect("someone"),
            Store::Postgres(pool) => sqlx::query_scalar(
                "SELECT id FROM people WHERE partnership_id = $1 AND last_took_part_on IS NULL AND unit_id IS NOT NULL ORDER BY id LIMIT 1",
            )
            .bind(pid)
            .fetch_one(pool)
            .await
            .expect("someone"),
        };
        let actor = Actor {
            user_id: 1,
            username: "labor".into(),
            partnership_id: pid,
            role: UserRole::LaborRepresentative,
        };
        let permit = authorize(
            &actor,
            Action::RunTeam {
                seats: crate::co_lead_of(team, lmp_core::Side::Labor),
            },
            pid,
        )
        .expect("permit");
        let meeting = NewMeeting {
            kind: MeetingKind::Huddle,
            held_on: today,
            run_by: None,
            attendees: vec![outsider],
            notes: String::new(),
        };
        store
            .record_meeting(&permit, team, meeting, today)
            .await
            .expect("huddle");
        let after = store.scorecard(pid, Scope::National, today).await.expect("scorecard");
        assert_eq!(after.engaged, before.engaged + 1, "{}", store.backend());
        let one = store
            .scorecard(pid, Scope::Team(team), today)
            .await
            .expect("team scorecard");
        assert_eq!(one.teams, 1);
        assert!(one.engaged <= one.workers);
    }
}
