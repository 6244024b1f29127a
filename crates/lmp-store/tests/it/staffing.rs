//! Joint staffing in the store, on SQLite and PostgreSQL: units described
//! from a file, readings taken in once (the same file again changes
//! nothing; days taken in before only with replace), compliance by unit,
//! facility, region and month with the worst hours, negotiated rule sets
//! only stricter, and the wall between partnerships.

use crate::DEMO;
use lmp_core::policy::{authorize, Action, Actor, Permit, UserRole};
use lmp_core::staffing::rules::{built_in_named, RuleSet};
use lmp_core::Side;
use lmp_demo::staffing::{units_csv, StaffingSample, READINGS_HEADER};
use lmp_store::staffing::compliance::{ComplianceBy, ComplianceFilter, ComplianceRow};
use lmp_store::staffing::plans::DaysTakenIn;
use lmp_store::testing::TestDb;
use lmp_store::{on_pool, Store, StoreError};
use std::sync::Arc;

async fn demo(store: &Store) -> (i64, i64) {
    let id = |slug: &'static str| async move { store.partnership_by_slug(slug).await.expect("q").expect(slug).id };
    (id("riverbend").await, id("cascadia").await)
}

/// `side`'s co-lead of `team_id` approving its plan, in person.
fn co_lead_approves(pid: i64, team_id: i64, side: Side) -> Permit {
    let actor = Actor {
        user_id: 0,
        username: format!("{} co-lead", side.as_str()),
        partnership_id: pid,
        role: UserRole::Member,
    };
    let seats = crate::co_lead_of(team_id, side);
    authorize(&actor, Action::ApproveStaffingPlan { seats }, pid).expect("a co-lead approves")
}

fn manage(pid: i64) -> Permit {
    Permit::operator(pid, Action::ManageStaffing)
}

/// The partnership's first hospital: (code, region code).
async fn a_hospital(store: &Store, pid: i64) -> (String, String) {
    on_pool!(store, |pool| sqlx::query_as(
        "SELECT f.code, r.code FROM units f JOIN units r ON r.id = f.parent_id \
         WHERE f.partnership_id = $1 AND f.kind = 'hospital' ORDER BY f.id LIMIT 1"
    )
    .bind(pid)
    .fetch_one(pool)
    .await
    .expect("hospital"))
}

fn readings(sample: &StaffingSample, days: std::ops::Range<usize>) -> std::io::Cursor<Vec<u8>> {
    let mut text = format!("{READINGS_HEADER}\n").into_bytes();
    sample.write_readings(days.start * 24, days.end * 24, &mut text);
    std::io::Cursor::new(text)
}

fn no_progress() -> Arc<dyn Fn(u64) + Send + Sync> {
    Arc::new(|_| {})
}

fn refusal<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Rule(reason)) => reason.to_string(),
        Err(StoreError::Import {
            reason, line, column, ..
        }) => format!("{line}:{column}: {reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn readings_are_taken_in_once_and_compliance_reads_back_by_every_grouping() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, other) = demo(store).await;
        let hospital = a_hospital(store, pid).await;
        let sample = StaffingSample::new(std::slice::from_ref(&hospital), 2025, 3);
        let units = units_csv(&sample);
        let taken = store
            .import_staffing_units(&manage(pid), "units.csv", units.as_bytes(), None)
            .await
            .expect("units");
        assert_eq!(taken.added, sample.unit_count());
        let again = store
            .import_staffing_units(&manage(pid), "units.csv", units.as_bytes(), None)
            .await
            .expect("units again");
        assert_eq!((again.added, again.unchanged), (0, sample.unit_count()));
        // A unit in a facility of the other partnership, or of an unknown type: refused whole.
        let (other_hospital, other_region) = a_hospital(store, other).await;
        let wrong = format!(
            "unit,name,facility,region,unit_type,beds,licensed_roles\nX1,X,{other_hospital},{other_region},med-surg,10,rn\n"
        );
        let said = refusal(
            store
                .import_staffing_units(&manage(pid), "u.csv", wrong.as_bytes(), None)
                .await,
        );
        assert!(said.starts_with("2:3:") && said.contains("no hospital"), "{said}");
        let wrong = format!(
            "unit,name,facility,region,unit_type,beds,licensed_roles\nX1,X,{},{},burns,10,rn\n",
            hospital.0, hospital.1
        );
        let said = refusal(
            store
                .import_staffing_units(&manage(pid), "u.csv", wrong.as_bytes(), None)
                .await,
        );
        assert!(said.starts_with("2:5:") && said.contains("burns"), "{said}");

        // Two weeks of readings.
        let file = readings(&sample, 0..14);
        let taken = store
            .import_staffing_readings(&manage(pid), "readings.csv", file.clone(), false, no_progress())
            .await
            .expect("readings");
        assert_eq!(taken.unit_hours, sample.unit_count() as u64 * 14 * 24);
        assert_eq!(
            (taken.first_day.as_str(), taken.last_day.as_str()),
            ("2025-01-01", "2025-01-14")
        );
        assert!(taken.short_hours > 0 && !taken.unchanged);
        let same = store
            .import_staffing_readings(&manage(pid), "readings.csv", file, false, no_progress())
            .await
            .expect("same file");
        assert!(same.unchanged);
        assert_eq!(same.import_id, taken.import_id);

        let all = ComplianceFilter::default();
        let by_unit = store
            .staffing_compliance(pid, ComplianceBy::Unit, &all)
            .await
            .expect("by unit");
        assert_eq!(by_unit.len(), sample.unit_count());
        let hours: i64 = by_unit.iter().map(|r| r.hours).sum();
        let short: i64 = by_unit.iter().map(|r| r.short_hours).sum();
        assert_eq!((hours as u64, short as u64), (taken.unit_hours, taken.short_hours));
        assert!(
            by_unit.windows(2).all(|w| w[0].short_hours >= w[1].short_hours),
            "worst first"
        );
        // 1 to 14 January 2025: one facility, region, month and quarter;
        // three weeks (from Monday 30 December); every unit type.
        for (by, groups) in [
            (ComplianceBy::Facility, 1),
            (ComplianceBy::Region, 1),
            (ComplianceBy::Month, 1),
            (ComplianceBy::Quarter, 1),
            (ComplianceBy::Week, 3),
            (ComplianceBy::UnitType, 17),
        ] {
            let rows = store.staffing_compliance(pid, by, &all).await.expect("grouped");
            assert_eq!(rows.len(), groups, "{by:?}");
            let total = ComplianceRow::total(&rows).expect("rows");
            assert_eq!((total.hours, total.short_hours), (hours, short), "{by:?}");
        }
        let weeks = store
            .staffing_compliance(pid, ComplianceBy::Week, &all)
            .await
            .expect("weeks");
        let keys: Vec<&str> = weeks.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["2024-12-30", "2025-01-06", "2025-01-13"]);
        assert_eq!(
            weeks[0].hours,
            sample.unit_count() as i64 * 5 * 24,
            "Wednesday to Sunday"
        );
        let quarter = store
            .staffing_compliance(pid, ComplianceBy::Quarter, &all)
            .await
            .expect("q");
        assert_eq!(quarter[0].key, "2025-Q1");
        let worst = store.staffing_short_hours(pid, &all, 10).await.expect("worst");
        assert_eq!(worst.len(), 10);
        assert!(worst
            .windows(2)
            .all(|w| (w[0].short, w[0].patients_affected) >= (w[1].short, w[1].patients_affected)));
        assert!(worst.iter().all(|h| h.short > 0 || h.triage_short > 0));
        let one_day = ComplianceFilter {
            from: Some("2025-01-03".into()),
            to: Some("2025-01-03".into()),
            ..ComplianceFilter::default()
        };
        let day = store
            .staffing_compliance(pid, ComplianceBy::Facility, &one_day)
            .await
            .expect("a day");
        assert_eq!(day[0].hours, sample.unit_count() as i64 * 24);
        assert!(store
            .staffing_short_hours(pid, &one_day, 1000)
            .await
            .expect("a day's hours")
            .iter()
            .all(|h| h.hour.starts_with("2025-01-03")));

        // An overlapping file: refused, then taken with replace.
        let overlapping = readings(&sample, 10..20);
        let said = refusal(
            store
                .import_staffing_readings(&manage(pid), "more.csv", overlapping.clone(), false, no_progress())
                .await,
        );
        assert!(
            said.contains("taken in before") && said.contains("2025-01-11"),
            "{said}"
        );
        let replaced = store
            .import_staffing_readings(&manage(pid), "more.csv", overlapping, true, no_progress())
            .await
            .expect("replace");
        assert_eq!(replaced.replaced_days, sample.unit_count() as u64 * 4);
        let months = store
            .staffing_compliance(pid, ComplianceBy::Month, &all)
            .await
            .expect("months");
        assert_eq!(
            months[0].hours,
            sample.unit_count() as i64 * 20 * 24,
            "days 1–20, none twice"
        );

        // A bad row leaves nothing behind.
        let mut bad = readings(&sample, 20..21).into_inner();
        bad.extend_from_slice(format!("{}-MS1,2025-01-22T00:00,x,0,0,0,0,0,1,0,0,0\n", hospital.0).as_bytes());
        let said = refusal(
            store
                .import_staffing_readings(&manage(pid), "bad.csv", std::io::Cursor::new(bad), false, no_progress())
                .await,
        );
        assert!(said.contains(":3: "), "{said}");
        let months = store
            .staffing_compliance(pid, ComplianceBy::Month, &all)
            .await
            .expect("months");
        assert_eq!(months[0].hours, sample.unit_count() as i64 * 20 * 24);

        // The other partnership sees none of it, and cannot take readings for these units.
        let theirs = store.staffing_units(other).await.expect("other");
        assert!(theirs.iter().all(|u| !u.code.starts_with(&hospital.0)));
        let their_rows = store
            .staffing_compliance(other, ComplianceBy::Unit, &all)
            .await
            .expect("other");
        assert!(their_rows.iter().all(|r| !r.key.starts_with(&hospital.0)));
        let said = refusal(
            store
                .import_staffing_readings(&manage(other), "r.csv", readings(&sample, 0..1), false, no_progress())
                .await,
        );
        assert!(said.contains("no unit"), "{said}");
    }
}

#[tokio::test]
async fn a_negotiated_rule_set_is_only_stricter_and_governs_its_units() {
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (pid, _) = demo(store).await;
        let mut agreement: RuleSet = built_in_named("ca-title22").unwrap();
        agreement.code = "riverbend-agreement".into();
        agreement.title = "Negotiated staffing".into();
        agreement.stricter_than = Some("ca-title22".into());
        agreement.versions.drain(..2);
        let med_surg = agreement.versions[0]
            .units
            .iter_mut()
            .find(|u| u.unit_type == "med-surg")
            .unwrap();
        med_surg.patients_per_nurse = Some(6);
        let said = refusal(store.save_staffing_rule_set(&manage(pid), agreement.clone()).await);
        assert!(said.contains("may only be stricter"), "{said}");
        let med_surg = agreement.versions[0]
            .units
            .iter_mut()
            .find(|u| u.unit_type == "med-surg")
            .unwrap();
        med_surg.patients_per_nurse = Some(4);
        store
            .save_staffing_rule_set(&manage(pid), agreement.clone())
            .await
            .expect("stricter");
        let mut law = built_in_named("ca-title22").unwrap();
        law.title = "mine".into();
        assert!(refusal(store.save_staffing_rule_set(&manage(pid), law).await).contains("built in"));
        let sets = store.staffing_rule_sets(pid).await.expect("sets");
        assert!(sets.iter().any(|s| s.code == "riverbend-agreement"));
        let layered = store
            .staffing_layered(pid, "riverbend-agreement")
            .await
            .expect("layered");
        let need = layered
            .required("med-surg", jiff::civil::date(2026, 1, 1), 10, &[], None)
            .expect("need");
        assert_eq!(need.counted_nurses, 3);
        // A member may not add one.
        let member = Permit::operator(pid, Action::ReadStaffing);
        assert!(matches!(
            store.save_staffing_rule_set(&member, agreement).await,
            Err(StoreError::Denied(_))
        ));
    }
}

#[tokio::test]
async fn a_plan_version_is_in_force_once_both_co_leads_approve_it() {
    use lmp_core::staffing::plan::{ExpectedHour, PlanInput, HOURS_OF_WEEK};
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        let (_, pid) = demo(store).await;
        let unit = store
            .staffing_units(pid)
            .await
            .expect("units")
            .into_iter()
            .find(|u| u.unit_type == "telemetry" && u.team_id.is_some())
            .expect("a telemetry unit with a team");
        let team_id = unit.team_id.expect("team");
        let input = PlanInput {
            hours: vec![
                ExpectedHour {
                    patients: 20,
                    acuity_percent: 100,
                    ..ExpectedHour::default()
                };
                HOURS_OF_WEEK
            ],
            break_relief_per: 0,
            roles: vec![],
            pay_cents: [("licensed".to_string(), 9_000)].into_iter().collect(),
        };
        let edit = |team_id| {
            let seats = crate::co_lead_of(team_id, Side::Labor);
            Permit::operator(pid, Action::EditStaffingPlan { seats })
        };
        let approve = |side| co_lead_approves(pid, team_id, side);
        // Another team's co-lead may not write this unit's plan.
        assert!(matches!(
            store
                .write_staffing_plan(&edit(team_id + 100_000), &unit.code, &input, "x", None)
                .await,
            Err(StoreError::Denied(_))
        ));
        assert!(refusal(
            store
                .write_staffing_plan(&edit(team_id), &unit.code, &input, " ", None)
                .await
        )
        .contains("say what"));
        let first = store
            .write_staffing_plan(&edit(team_id), &unit.code, &input, "First plan: 20 patients.", None)
            .await
            .expect("written");
        assert_eq!((first.version, first.approved), (1, false));
        assert_eq!(
            first.effective_from,
            lmp_store::today().to_string(),
            "today when not given"
        );
        assert_eq!(first.plan.staff[0][0], 5, "20 telemetry patients at 1:4");
        let labor = store
            .approve_staffing_plan(&approve(Side::Labor), first.id)
            .await
            .expect("labor");
        assert!(!labor.approved);
        assert!(
            refusal(store.approve_staffing_plan(&approve(Side::Labor), first.id).await).contains("already approved")
        );
        let both = store
            .approve_staffing_plan(&approve(Side::Management), first.id)
            .await
            .expect("management");
        assert!(both.approved && both.in_force);
        assert_eq!(labor.judged_before_approval, None, "said only once both approve");
        assert_eq!(both.judged_before_approval, None, "no readings from today on");

        // A second version: the first stays in force until both approve the second.
        let mut busier = input.clone();
        busier.hours[0].patients = 30;
        let second = store
            .write_staffing_plan(
                &edit(team_id),
                &unit.code,
                &busier,
                "Monday midnight runs busier.",
                None,
            )
            .await
            .expect("second");
        assert!(
            refusal(store.approve_staffing_plan(&approve(Side::Labor), first.id).await).contains("approve the latest")
        );
        let versions = store.staffing_plans(pid, &unit.code).await.expect("versions");
        assert_eq!(versions.len(), 2);
        assert!(!versions[0].in_force && versions[1].in_force);
        let change = store.staffing_what_if(pid, &unit.code, &busier).await.expect("what if");
        // Monday 00:00 needs 8 instead of 5: 3 nurses × 365/7 hours a year at $90.
        assert_eq!(change.staff_hours_difference, (3 * 365 * 2 + 7) / 14);
        assert_eq!(change.cost_difference_cents, (3 * 9_000 * 365 * 2 + 7) / 14);
        store
            .approve_staffing_plan(&approve(Side::Management), second.id)
            .await
            .expect("m");
        let both = store
            .approve_staffing_plan(&approve(Side::Labor), second.id)
            .await
            .expect("l");
        assert!(both.in_force);
        // A version approved to govern only from next month waits its day.
        let next_month = lmp_store::today().checked_add(jiff::Span::new().days(31)).expect("day");
        let third = store
            .write_staffing_plan(&edit(team_id), &unit.code, &input, "From next month.", Some(next_month))
            .await
            .expect("third");
        store
            .approve_staffing_plan(&approve(Side::Labor), third.id)
            .await
            .expect("l");
        let third = store
            .approve_staffing_plan(&approve(Side::Management), third.id)
            .await
            .expect("m");
        assert!(third.approved && !third.in_force);
        let versions = store.staffing_plans(pid, &unit.code).await.expect("versions");
        assert!(versions[1].in_force, "the second governs until the third's day");
        let audit: i64 = on_pool!(store, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE partnership_id = $1 AND action LIKE 'staffing.plan%'"
        )
        .bind(pid)
        .fetch_one(pool)
        .await
        .expect("audit"));
        assert!(audit >= 6, "{audit}");
    }
}

#[tokio::test]
async fn hours_below_an_approved_plan_are_flagged_role_by_role_and_a_week_derives_from_history() {
    use lmp_core::Side;
    use lmp_demo::staffing::{sample_hospitals_of, ReadingsReader};
    for db in TestDb::each_from(&DEMO).await {
        let store = &db.store;
        // The demo's partnership with staffing: plans derived from January to
        // June, two approved to govern from 1 July, one awaiting management.
        let (_, pid) = demo(store).await;
        let year = lmp_store::today().year() - 1;
        let july = jiff::civil::date(year, 7, 1).to_string();
        let all = ComplianceFilter::default();
        let by_unit = store
            .staffing_compliance(pid, ComplianceBy::Unit, &all)
            .await
            .expect("by unit");
        let planned: Vec<&ComplianceRow> = by_unit.iter().filter(|r| r.below_plan_hours > 0).collect();
        assert_eq!(planned.len(), 2, "only units held to an approved plan");
        let gaps = store.staffing_plan_gaps(pid, &all, 1000).await.expect("gaps");
        assert!(!gaps.is_empty());
        for gap in &gaps {
            assert!(planned.iter().any(|r| r.key == gap.unit), "{}", gap.unit);
            assert!(gap.hour >= july, "held only from the plan's first day: {}", gap.hour);
            assert_eq!(gap.short, gap.planned - gap.on_duty);
            assert_eq!(
                gap.patients_affected,
                (gap.patients * gap.short + gap.planned - 1) / gap.planned
            );
        }
        assert!(gaps.windows(2).all(|w| w[0].short >= w[1].short), "worst first");
        let months = store
            .staffing_compliance(pid, ComplianceBy::Month, &all)
            .await
            .expect("months");
        assert!(months
            .iter()
            .filter(|m| *m.key < july[..7])
            .all(|m| m.below_plan_hours == 0));
        assert!(months
            .iter()
            .filter(|m| *m.key >= july[..7])
            .all(|m| m.below_plan_hours > 0));

        // A plan's week from history: 52 weeks up to the last day, by default.
        let unit = &planned[0].key;
        let median = store
            .staffing_history(pid, unit, None, None, 50)
            .await
            .expect("history");
        let busiest = store
            .staffing_history(pid, unit, None, None, 100)
            .await
            .expect("history");
        assert_eq!((median.days, median.hours_without_readings), (364, 0));
        assert!(median
            .hours
            .iter()
            .zip(&busiest.hours)
            .all(|(m, b)| m.patients <= b.patients));
        assert!(median.hours.iter().any(|h| h.patients > 0));
        assert!(refusal(store.staffing_history(pid, unit, None, None, 101).await).contains("percentile"));
        assert!(matches!(
            store.staffing_history(pid, "NO-SUCH-UNIT", None, None, 50).await,
            Err(StoreError::NotFound(_))
        ));

        // Management approves the waiting plan; the second half taken in again
        // with replace is held to it too, under the same import.
        let mut waiting = None;
        for unit in store.staffing_units(pid).await.expect("units") {
            let versions = store.staffing_plans(pid, &unit.code).await.expect("versions");
            if versions.first().is_some_and(|v| !v.approved) {
                waiting = Some((unit, versions));
            }
        }
        let (waiting_unit, versions) = waiting.expect("a plan awaiting management");
        assert!(versions[0].labor_approved_by.is_some() && versions[0].management_approved_by.is_none());
        assert!(!planned.iter().any(|r| r.key == waiting_unit.code));
        let approve = co_lead_approves(pid, waiting_unit.team_id.expect("team"), Side::Management);
        let approved = store
            .approve_staffing_plan(&approve, versions[0].id)
            .await
            .expect("approved");
        // The approval says which days were taken in before it.
        assert_eq!(approved.effective_from, july);
        assert_eq!(
            approved.judged_before_approval,
            Some(DaysTakenIn {
                first: july.clone(),
                last: jiff::civil::date(year, 12, 31).to_string(),
                days: 184,
            })
        );
        let sample = StaffingSample::new(
            &sample_hospitals_of(store, pid).await.expect("hospitals"),
            year.into(),
            22,
        );
        let half = usize::try_from(
            jiff::civil::date(year, 7, 1)
                .since(jiff::civil::date(year, 1, 1))
                .expect("days")
                .get_days(),
        )
        .expect("days");
        let again = || ReadingsReader::days(sample.clone(), half..366);
        let same = store
            .import_staffing_readings(&manage(pid), "again.csv", again(), false, no_progress())
            .await
            .expect("same");
        assert!(same.unchanged);
        let judged = store
            .import_staffing_readings(&manage(pid), "again.csv", again(), true, no_progress())
            .await
            .expect("replaced");
        assert!(!judged.unchanged && judged.replaced_days > 0);
        assert_eq!(judged.import_id, same.import_id);
        let now_held = store
            .staffing_compliance(
                pid,
                ComplianceBy::Unit,
                &ComplianceFilter {
                    unit: Some(waiting_unit.code.clone()),
                    ..ComplianceFilter::default()
                },
            )
            .await
            .expect("unit");
        assert!(now_held[0].below_plan_hours > 0);
        let months_again = store
            .staffing_compliance(pid, ComplianceBy::Month, &all)
            .await
            .expect("months");
        let hours = |rows: &[ComplianceRow]| ComplianceRow::total(rows).map(|t| (t.hours, t.short_hours));
        assert_eq!(hours(&months_again), hours(&months), "the same readings, judged again");
    }
}
