//! The staffing files with no database: a year of readings checked in
//! blocks on every core equals one pass over the whole — the ratio, a
//! plan held and each hour's census — and a bad row anywhere is named by
//! its line and column.

use lmp_core::staffing::check::{Checker, ScheduledPlan, UnitDef};
use lmp_core::staffing::hourly::ReadingColumns;
use lmp_core::staffing::layered::Layered;
use lmp_core::staffing::plan::{Plan, HOURS_OF_WEEK, LICENSED};
use lmp_core::staffing::rules::built_in_named;
use lmp_demo::staffing::{sample_hospitals, units_csv, StaffingSample, READINGS_HEADER};
use lmp_store::staffing::files::{check_readings, read_units, Holding};
use lmp_store::StoreError;

fn title22() -> Layered {
    Layered::new(built_in_named("ca-title22").unwrap(), |_| None).unwrap()
}

fn year_of_one_hospital() -> (Vec<UnitDef>, Vec<u8>) {
    let sample = StaffingSample::new(&sample_hospitals(1), 2025, 7);
    let units = read_units("units.csv", units_csv(&sample).as_bytes()).unwrap();
    let mut readings = format!("{READINGS_HEADER}\n").into_bytes();
    sample.write_readings(0, sample.hours(), &mut readings);
    (units, readings)
}

fn import_error(result: Result<impl std::fmt::Debug, StoreError>) -> (String, u64, usize, String) {
    match result {
        Err(StoreError::Import {
            file,
            line,
            column,
            reason,
        }) => (file, line, column, reason.to_string()),
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[test]
fn a_year_checked_in_blocks_equals_one_pass_over_the_whole() {
    let (units, readings) = year_of_one_hospital();
    assert!(readings.len() > 16 << 20, "the file spans several blocks");
    let law = title22();
    // The first unit held to a plan of 50 licensed nurses and 2 CNAs at
    // every hour: below it every hour of the year.
    let plans = vec![ScheduledPlan {
        id: 1,
        from_day: 0,
        plan: Plan {
            roles: vec![LICENSED.into(), "cna".into()],
            staff: vec![vec![50; HOURS_OF_WEEK], vec![2; HOURS_OF_WEEK]],
            legal_minimum: vec![50; HOURS_OF_WEEK],
        },
    }];
    let holding = Holding {
        plans: vec![(0, plans.clone())],
        keep_census: true,
    };
    let (_, blocks) = check_readings(
        &vec![&law; units.len()],
        "units.csv",
        &units,
        "readings.csv",
        &readings[..],
        holding,
        &|_| {},
    )
    .unwrap();
    let header_end = readings.iter().position(|b| *b == b'\n').unwrap();
    let columns = ReadingColumns::from_header(READINGS_HEADER, &["critical", "trauma"]).unwrap();
    let mut checker = Checker::new(&units, &vec![&law; units.len()], columns)
        .unwrap()
        .keep_census();
    checker.hold_to_plans(0, &plans);
    let mut whole = lmp_core::staffing::check::Totals::default();
    whole
        .add(checker.check_piece(&readings[header_end + 1..], 2).unwrap())
        .unwrap();
    let whole = whole.finish();
    assert_eq!(blocks.readings, whole.readings);
    assert_eq!(blocks.overall(), whole.overall());
    assert_eq!(blocks.flagged, whole.flagged);
    assert_eq!(blocks.census, whole.census);
    assert_eq!(blocks.census.len(), units.len() * 365);
    assert_eq!(blocks.overall().below_plan_hours, 8760);
    assert!(blocks.flagged.iter().all(|h| h.unit == 0 || !h.below_plan.any()));
    assert_eq!(blocks.overall().hours as usize, units.len() * 8760);
    // The sample has its short stretches, but most hours comply.
    let short = blocks.overall().short_hours as f64 / blocks.overall().hours as f64;
    assert!(short > 0.005 && short < 0.1, "{short}");
}

#[test]
fn a_bad_row_is_named_by_line_and_column_wherever_it_is() {
    let (units, mut readings) = year_of_one_hospital();
    let law = title22();
    // A row deep in the file, in a later block, with a negative census.
    let lines: Vec<usize> = readings
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let target = 300_000;
    let start = lines[target - 2] + 1;
    let row = String::from_utf8(readings[start..lines[target - 1]].to_vec()).unwrap();
    let fields: Vec<&str> = row.split(',').collect();
    let bad = format!(
        "{},{},-3{}",
        fields[0],
        fields[1],
        &row[fields[0].len() + fields[1].len() + 2 + fields[2].len()..]
    );
    readings.splice(start..lines[target - 1], bad.bytes());
    let (file, line, column, reason) = import_error(check_readings(
        &vec![&law; units.len()],
        "units.csv",
        &units,
        "readings.csv",
        &readings[..],
        Holding::default(),
        &|_| {},
    ));
    assert_eq!(
        (file.as_str(), line, column),
        ("readings.csv", target as u64, 3),
        "{reason}"
    );
    assert!(reason.contains("whole number"), "{reason}");

    let header_only = format!("{READINGS_HEADER}\n");
    let empty = check_readings(
        &vec![&law; units.len()],
        "units.csv",
        &units,
        "readings.csv",
        header_only.as_bytes(),
        Holding::default(),
        &|_| {},
    )
    .unwrap();
    assert_eq!(empty.1.overall().hours, 0);
    let (_, line, _, reason) = import_error(check_readings(
        &vec![&law; units.len()],
        "units.csv",
        &units,
        "r.csv",
        &b""[..],
        Holding::default(),
        &|_| {},
    ));
    assert_eq!(line, 1);
    assert!(reason.contains("empty"), "{reason}");
    let (_, line, column, _) = import_error(check_readings(
        &vec![&law; units.len()],
        "units.csv",
        &units,
        "r.csv",
        &b"unit,at,rn\n"[..],
        Holding::default(),
        &|_| {},
    ));
    assert_eq!((line, column), (1, 1));
}

#[test]
fn a_bad_units_file_is_refused_whole() {
    let header = "unit,name,facility,region,unit_type,beds,licensed_roles\n";
    for (rows, line, column, says) in [
        (
            "MS1,Med Surg,H1,R,med-surg,30,rn\nMS1,Again,H1,R,med-surg,30,rn\n",
            3,
            1,
            "listed twice",
        ),
        ("MS1,Med Surg,H1,R,med-surg,thirty,rn\n", 2, 6, "whole number"),
        ("MS1,Med Surg,H1,R,med-surg,30,\n", 2, 7, "licensed nurses"),
        ("MS1,,H1,R,med-surg,30,rn\n", 2, 2, "name"),
    ] {
        let text = format!("{header}{rows}");
        let (_, l, c, reason) = import_error(read_units("units.csv", text.as_bytes()));
        assert_eq!((l, c), (line, column), "{rows}: {reason}");
        assert!(reason.contains(says), "{reason}");
    }
    // A unit type no rule knows is named in the units file.
    let units = read_units("units.csv", format!("{header}B1,Burns,H1,R,burns,10,rn\n").as_bytes()).unwrap();
    let readings = format!("{READINGS_HEADER}\n");
    let (file, line, column, reason) = import_error(check_readings(
        &[&title22()],
        "units.csv",
        &units,
        "r.csv",
        readings.as_bytes(),
        Holding::default(),
        &|_| {},
    ));
    assert_eq!((file.as_str(), line, column), ("units.csv", 2, 5));
    assert!(reason.contains("burns"), "{reason}");
}
