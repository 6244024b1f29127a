//! Unit-based teams in the store, on SQLite and PostgreSQL: running a team,
//! projects and measurements, savings and their signatures, and ratings.

use crate::DEMO;
use jiff::civil::Date;
use lmp_core::improvement::{CompassPoint, Direction, PdsaDecision, RimQuestions, SmartGoal, TestOfChange};
use lmp_core::path::PathRules;
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_core::savings::{NewClaim, SavingsCategory, SavingsRules, Verification};
use lmp_core::team::{CharterSection, MeetingKind};
use lmp_core::{Cents, Side};
use lmp_store::model::Seat;
use lmp_store::teams::meetings::NewMeeting;
use lmp_store::teams::projects::{BalancingMeasure, NewProject};
use lmp_store::testing::TestDb;
use lmp_store::{Store, StoreError};

fn actor(pid: i64, role: UserRole) -> Actor {
    Actor {
        user_id: 1,
        username: format!("{role}"),
        partnership_id: pid,
        role,
    }
}

/// The demo's first team, its co-leads (labor, management) and a member.
struct Team {
    pid: i64,
    id: i64,
    labor: i64,
    management: i64,
    member: i64,
    run: Permit,
}

async fn demo_team(store: &Store) -> Team {
    let pid = store
        .partnership_by_slug("cascadia")
        .await
        .expect("q")
        .expect("cascadia")
        .id;
    let id: i64 = store.first_team(pid).await.expect("a team");
    let leaders: Vec<Seat> = store.body_leaders(pid, id).await.expect("leaders");
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
        .items[0]
        .person_id;
    let run = authorize(
        &actor(pid, UserRole::LaborRepresentative),
        Action::RunTeam {
            seats: crate::co_lead_of(id, Side::Labor),
        },
        pid,
    )
    .expect("permit");
    Team {
        pid,
        id,
        labor: co_lead("labor"),
        management: co_lead("management"),
        member,
        run,
    }
}

fn sign_permit(team: &Team) -> Permit {
    authorize(
        &actor(team.pid, UserRole::Manager),
        Action::SignForTeam {
            seats: crate::co_lead_of(team.id, Side::Management),
        },
        team.pid,
    )
    .expect("permit")
}

fn today() -> Date {
    lmp_store::today()
}

fn days_ago(n: i64) -> Date {
    today().saturating_sub(jiff::Span::new().days(n))
}

fn new_project(title: &str, compass: Vec<CompassPoint>) -> NewProject {
    NewProject {
        title: title.into(),
        compass,
        questions: RimQuestions {
            aim: "Cut door-to-room time for walk-in patients".into(),
            how_we_know: "Minutes from arrival to a room, daily".into(),
            change_idea: "A greeter nurse at peak hours".into(),
        },
        goal: SmartGoal {
            measure: "Door-to-room time".into(),
            unit: "minutes".into(),
            baseline: 44.0,
            target: 30.0,
            target_date: days_ago(-200),
        },
        started_on: days_ago(30),
        balancing: vec![BalancingMeasure {
            name: "Missed breaks".into(),
            unit: "per week".into(),
            direction: Direction::Down,
        }],
        adopted_from: None,
    }
}

fn rule_error<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Rule(reason)) => reason.to_string(),
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_demo_rates_every_team_from_its_record() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let team = demo_team(store).await;
        let stored = store.team(team.pid, team.id).await.expect("q").expect("team");
        let rating = store
            .rate_team(team.pid, team.id, &PathRules::default(), today())
            .await
            .expect("rating");
        assert_eq!(stored.level, i64::from(rating.level), "{}", db.store.backend());
        assert_eq!(rating.level, 3, "the demo's first team is built for level 3");
        assert!(!rating.next_level_gaps().is_empty());
        let history = store.level_history(team.pid, team.id).await.expect("history");
        assert!(history.len() >= 48, "four years of monthly levels");
        let totals = store.savings_of_team(team.pid, team.id).await.expect("totals");
        assert!(totals.self_reported_cents >= totals.verified_cents);
        store.verify_audit().await.expect("the chain holds after the demo");
    }
}

#[tokio::test]
async fn co_leads_run_a_project_and_its_measurements_keep_their_rules() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let team = demo_team(store).await;
        store
            .set_charter_section(&team.run, team.id, CharterSection::Scope, "Nights and weekends too")
            .await
            .expect("charter");
        assert_eq!(
            store.team(team.pid, team.id).await.expect("q").expect("team").scope,
            "Nights and weekends too"
        );
        let meeting = NewMeeting {
            kind: MeetingKind::Huddle,
            held_on: today(),
            run_by: Some(team.labor),
            attendees: vec![team.management, team.member],
            notes: String::new(),
        };
        store
            .record_meeting(&team.run, team.id, meeting, today())
            .await
            .expect("huddle");
        let latest = &store.meetings_of_team(team.pid, team.id, 1).await.expect("meetings")[0];
        assert_eq!((latest.labor, latest.management), (2, 1), "{}", db.store.backend());

        let no_compass = store
            .create_project(&team.run, team.id, new_project("Nothing", vec![]), today())
            .await;
        assert!(rule_error(no_compass).contains("Value Compass"));
        let project = store
            .create_project(
                &team.run,
                team.id,
                new_project("Greeter", vec![CompassPoint::BestService]),
                today(),
            )
            .await
            .expect("project (the ids after the demo's bulk load must be free)");
        let measures = store.measures_of_project(team.pid, project.id).await.expect("measures");
        assert_eq!(measures.len(), 2);
        let main = measures[0].id;
        store
            .add_measurement(&team.run, main, days_ago(7), 41.0, "minutes", today())
            .await
            .expect("measurement");
        let wrong_unit = store
            .add_measurement(&team.run, main, days_ago(6), 1.0, "hours", today())
            .await;
        assert!(rule_error(wrong_unit).contains("wrong unit"));
        let twice = store
            .add_measurement(&team.run, main, days_ago(7), 40.0, "minutes", today())
            .await;
        assert!(rule_error(twice).contains("already has a measurement"));
        let future = store
            .add_measurement(&team.run, main, days_ago(-3), 40.0, "minutes", today())
            .await;
        assert!(rule_error(future).contains("future"));

        let test = TestOfChange {
            change: "Greeter 10:00-14:00".into(),
            prediction: "Under 35 minutes at midday".into(),
            started_on: days_ago(20),
            ended_on: None,
            result: String::new(),
            next_step: None,
        };
        let test_id = store
            .add_test_of_change(&team.run, project.id, test, &[team.member], today())
            .await
            .expect("test");
        store
            .finish_test_of_change(
                &team.run,
                test_id,
                days_ago(2),
                "33 minutes at midday",
                PdsaDecision::Adopt,
                today(),
            )
            .await
            .expect("finish");
        let tests = store.tests_of_project(team.pid, project.id).await.expect("tests");
        assert_eq!(tests[0].decision.as_deref(), Some("adopt"));
        assert_eq!(tests[0].participants, 1);

        // A permit for another team does not reach this one.
        let elsewhere = authorize(
            &actor(team.pid, UserRole::LaborRepresentative),
            Action::RunTeam {
                seats: crate::co_lead_of(team.id + 1, Side::Labor),
            },
            team.pid,
        )
        .expect("permit");
        let refused = store
            .set_charter_section(&elsewhere, team.id, CharterSection::Scope, "taken over")
            .await;
        assert!(matches!(refused, Err(StoreError::Denied(_))));
        store.verify_audit().await.expect("chain");
    }
}

#[tokio::test]
async fn a_claim_is_verified_by_both_co_leads_and_corrected_by_a_new_claim() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let team = demo_team(store).await;
        let project = store
            .create_project(
                &team.run,
                team.id,
                new_project("Linen", vec![CompassPoint::MostAffordable]),
                today(),
            )
            .await
            .expect("project");
        let before = store.savings_of_team(team.pid, team.id).await.expect("totals");
        let claim = |amount: i64, corrects: Option<i64>| NewClaim {
            category: SavingsCategory::CostReduction,
            amount: Cents(amount),
            period_start: days_ago(300),
            period_end: days_ago(10),
            method: "Three fewer linen deliveries a week at $410 each".into(),
            corrects,
        };
        let rules = SavingsRules::default();
        for bad in [-100, 0, 900_000_000] {
            let refused = store
                .add_savings_claim(&team.run, project.id, claim(bad, None), &rules, today())
                .await;
            rule_error(refused);
        }
        let entered = store
            .add_savings_claim(&team.run, project.id, claim(6_400_000, None), &rules, today())
            .await
            .expect("claim");
        let sign = sign_permit(&team);
        assert_eq!(
            store
                .sign_claim(&sign, entered.id, team.labor)
                .await
                .expect("labor signs"),
            Verification::Awaiting
        );
        let again = store.sign_claim(&sign, entered.id, team.labor).await;
        assert!(rule_error(again).contains("already signed"));
        let not_a_leader = store.sign_claim(&sign, entered.id, team.member).await;
        assert!(rule_error(not_a_leader).contains("only the team's"));
        let totals = store.savings_of_team(team.pid, team.id).await.expect("totals");
        assert_eq!(totals.self_reported_cents - before.self_reported_cents, 6_400_000);
        assert_eq!(
            totals.verified_cents, before.verified_cents,
            "one signature verifies nothing"
        );
        assert_eq!(
            store
                .sign_claim(&sign, entered.id, team.management)
                .await
                .expect("management signs"),
            Verification::Verified
        );
        let totals = store.savings_of_team(team.pid, team.id).await.expect("totals");
        assert_eq!(totals.verified_cents - before.verified_cents, 6_400_000);

        // A correction replaces the claim; the original stays, no longer counted.
        let corrected = store
            .add_savings_claim(
                &team.run,
                project.id,
                claim(5_000_000, Some(entered.id)),
                &rules,
                today(),
            )
            .await
            .expect("correction");
        let totals = store.savings_of_team(team.pid, team.id).await.expect("totals");
        assert_eq!(totals.self_reported_cents - before.self_reported_cents, 5_000_000);
        assert_eq!(
            totals.verified_cents, before.verified_cents,
            "the correction needs its own signatures"
        );
        let original = store.claim(team.pid, entered.id).await.expect("q").expect("kept");
        assert_eq!(original.corrected_by_id, Some(corrected.id));
        let late = store.sign_claim(&sign, entered.id, team.management).await;
        assert!(rule_error(late).contains("replaced by a correction"));
        let twice = store
            .add_savings_claim(&team.run, project.id, claim(1, Some(entered.id)), &rules, today())
            .await;
        assert!(rule_error(twice).contains("already corrected"));
        store.verify_audit().await.expect("chain");
    }
}

#[tokio::test]
async fn someone_of_another_partnership_cannot_be_recorded_and_nothing_is_half_written() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let team = demo_team(store).await;
        let other = store
            .partnership_by_slug("riverbend")
            .await
            .expect("q")
            .expect("riverbend")
            .id;
        let stranger = store.first_team(other).await.expect("team");
        let stranger = store.body_leaders(other, stranger).await.expect("leaders")[0].person_id;
        let before = store
            .meetings_of_team(team.pid, team.id, 1000)
            .await
            .expect("meetings")
            .len();
        let meeting = NewMeeting {
            kind: MeetingKind::Meeting,
            held_on: today(),
            run_by: Some(team.labor),
            attendees: vec![stranger],
            notes: String::new(),
        };
        let refused = store.record_meeting(&team.run, team.id, meeting, today()).await;
        assert!(rule_error(refused).contains("not in this partnership"));
        let after = store
            .meetings_of_team(team.pid, team.id, 1000)
            .await
            .expect("meetings")
            .len();
        assert_eq!(before, after, "{}", db.store.backend());
    }
}

fn importer(pid: i64) -> Permit {
    Permit::operator(pid, Action::Import)
}

fn import_error<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(e @ StoreError::Import { .. }) => e.to_string(),
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[tokio::test]
async fn imports_are_whole_idempotent_and_name_the_bad_field() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let team = demo_team(store).await;
        let pid = team.pid;
        let code: String = store.team(pid, team.id).await.expect("q").expect("team").code;
        let header = "code,team_code,title,status,compass,aim,how_we_know,change_idea,started_on,target_date,measure,unit,baseline,target,balancing";
        let good = format!(
            "{header}\nIMP-1,{code},Quiet nights,testing,best_service;best_place_to_work,Let patients sleep,Complaints a week,Lights down at 22:00,2026-06-01,2027-03-31,Noise complaints,per week,12,4,Missed call lights|per week|down\n"
        );
        let first = store
            .import_projects(&importer(pid), "p.csv", good.as_bytes(), today())
            .await
            .expect("projects");
        assert_eq!((first.inserted, first.unchanged), (1, 0), "{}", store.backend());
        let again = store
            .import_projects(&importer(pid), "p.csv", good.as_bytes(), today())
            .await
            .expect("again");
        assert_eq!(
            (again.inserted, again.updated, again.unchanged),
            (0, 0, 1),
            "a second import changes nothing"
        );

        // A bad last row stops the file, and the good first row is not written either.
        let no_compass =
            format!("{good}IMP-2,{code},Another,planning,,Aim,How,Change,2026-06-01,2027-03-31,Falls,per month,3,1,\n");
        let e = import_error(
            store
                .import_projects(
                    &importer(pid),
                    "p.csv",
                    no_compass.replace("IMP-1", "IMP-0").as_bytes(),
                    today(),
                )
                .await,
        );
        assert!(e.starts_with("p.csv:3:5: "), "{e}");
        let all = store.projects_of_team(pid, team.id).await.expect("projects");
        assert!(!all.iter().any(|p| p.code == "IMP-0"), "nothing half-written");
        let elsewhere =
            format!("{header}\nIMP-9,UBT-NOT-HERE,T,testing,best_quality,A,H,C,2026-06-01,2027-03-31,M,u,1,2,\n");
        assert!(import_error(
            store
                .import_projects(&importer(pid), "p.csv", elsewhere.as_bytes(), today())
                .await
        )
        .contains("p.csv:2:2: team_code"));

        let measurements = "project_code,measure,taken_on,value,unit\n\
            IMP-1,Noise complaints,2026-07-01,11,per week\n\
            IMP-1,Missed call lights,2026-07-01,3,per week\n\
            IMP-1,Noise complaints,2026-08-01,9,per week\n";
        let m = store
            .import_measurements(&importer(pid), "m.csv", measurements.as_bytes(), today())
            .await
            .expect("m");
        assert_eq!(m.inserted, 3);
        let m = store
            .import_measurements(&importer(pid), "m.csv", measurements.as_bytes(), today())
            .await
            .expect("m");
        assert_eq!(m.unchanged, 3);
        for (bad, at) in [
            (
                "IMP-1,Noise complaints,2026-09-01,8,per month\n",
                "m.csv:2:5: wrong unit",
            ),
            (
                "IMP-1,Noise complaints,2026-10-01,8,per week\nIMP-1,Noise complaints,2026-09-15,7,per week\n",
                "m.csv:3:3: ",
            ),
            ("IMP-1,Noise complaints,2026-07-01,10,per week\n", "m.csv:2:4: "),
            ("IMP-1,Noise,2026-09-01,8,per week\n", "m.csv:2:2: IMP-1 has no measure"),
        ] {
            let file = format!("project_code,measure,taken_on,value,unit\n{bad}");
            let e = import_error(
                store
                    .import_measurements(&importer(pid), "m.csv", file.as_bytes(), today())
                    .await,
            );
            assert!(e.starts_with(at), "{e} (expected {at})");
        }

        let savings = "ref,project_code,category,amount,period_start,period_end,method,corrects_ref\n\
            IMP-1-S1,IMP-1,cost_avoidance,\"4,500.00\",2026-06-01,2026-10-31,Two fewer sleep-aid doses a night at $6.20,\n";
        let s = store
            .import_savings(
                &importer(pid),
                "s.csv",
                savings.as_bytes(),
                &SavingsRules::default(),
                today(),
            )
            .await
            .expect("s");
        assert_eq!(s.inserted, 1);
        let s = store
            .import_savings(
                &importer(pid),
                "s.csv",
                savings.as_bytes(),
                &SavingsRules::default(),
                today(),
            )
            .await
            .expect("s");
        assert_eq!(s.unchanged, 1);
        for (bad, at) in [
            (
                "IMP-1-S2,IMP-1,cost_avoidance,-5.00,2026-06-01,2026-10-31,Two fewer sleep-aid doses,\n",
                "s.csv:2:4: ",
            ),
            (
                "IMP-1-S2,IMP-1,cost_avoidance,90000000,2026-06-01,2026-10-31,Two fewer sleep-aid doses,\n",
                "s.csv:2:4: ",
            ),
            (
                "IMP-1-S1,IMP-1,cost_avoidance,5000,2026-06-01,2026-10-31,Two fewer sleep-aid doses,\n",
                "s.csv:2:1: claim IMP-1-S1 is already recorded",
            ),
            (
                "IMP-1-S2,IMP-1,cost_avoidance,5000,2026-06-01,2026-10-31,Two fewer sleep-aid doses,NOPE\n",
                "s.csv:2:8: ",
            ),
        ] {
            let file = format!("ref,project_code,category,amount,period_start,period_end,method,corrects_ref\n{bad}");
            let e = import_error(
                store
                    .import_savings(
                        &importer(pid),
                        "s.csv",
                        file.as_bytes(),
                        &SavingsRules::default(),
                        today(),
                    )
                    .await,
            );
            assert!(e.starts_with(at), "{e} (expected {at})");
        }
        let correction = "ref,project_code,category,amount,period_start,period_end,method,corrects_ref\n\
            IMP-1-S2,IMP-1,cost_avoidance,4000,2026-06-01,2026-10-31,Recounted: 1.8 fewer doses a night,IMP-1-S1\n";
        store
            .import_savings(
                &importer(pid),
                "s.csv",
                correction.as_bytes(),
                &SavingsRules::default(),
                today(),
            )
            .await
            .expect("correction");
        let totals = store.savings_of_team(pid, team.id).await.expect("totals");
        let claims = store.claims_of_team(pid, team.id).await.expect("claims");
        let original = claims.iter().find(|c| c.reference == "IMP-1-S1").expect("kept");
        assert!(original.corrected_by_id.is_some(), "the original stays, replaced");
        assert!(totals.self_reported_cents > 0);
        store.verify_audit().await.expect("chain");
    }
}
