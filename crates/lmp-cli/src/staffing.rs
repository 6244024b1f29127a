//! `lmp staffing …` that needs no database: one case checked against a
//! ratio rule set, and the rule set's table.

use crate::commands::{display_name, file_progress, partnership_id};
use crate::StaffingAction;
use anyhow::{anyhow, bail, Context, Result};
use jiff::civil::Date;
use lmp_core::policy::{Action, Permit};
use lmp_core::staffing::check::DayTotals;
use lmp_core::staffing::hourly::civil_from_days;
use lmp_core::staffing::layered::Layered;
use lmp_core::staffing::rules::{built_in, built_in_named, RuleSet, UnitRatio};
use lmp_demo::staffing::{sample_hospitals, units_csv, StaffingSample, READINGS_HEADER};
use lmp_store::staffing::compliance::ComplianceFilter;
use lmp_store::staffing::files::{check_readings, read_units, Holding};
use lmp_store::Store;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

impl StaffingAction {
    /// Units, readings, compliance and a partnership's rule sets live in
    /// the database; one case, the table, the file check and samples do not.
    pub fn needs_database(&self) -> bool {
        matches!(
            self,
            StaffingAction::Units { .. }
                | StaffingAction::ImportReadings { .. }
                | StaffingAction::Compliance { .. }
                | StaffingAction::RuleSet { .. }
        )
    }
}

pub async fn run_with_database(store: &Store, action: StaffingAction) -> Result<()> {
    match action {
        StaffingAction::Units {
            file,
            rule_set,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let handle = File::open(&file).with_context(|| format!("opening {}", file.display()))?;
            let taken = store
                .import_staffing_units(
                    &Permit::operator(pid, Action::ManageStaffing),
                    &display_name(&file),
                    std::io::BufReader::new(handle),
                    rule_set.as_deref(),
                )
                .await?;
            println!(
                "{} units added, {} changed, {} unchanged.",
                taken.added, taken.changed, taken.unchanged
            );
        }
        StaffingAction::ImportReadings {
            file,
            replace,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let handle = File::open(&file).with_context(|| format!("opening {}", file.display()))?;
            let bar = file_progress(handle.metadata().map(|m| m.len()).unwrap_or(0));
            let label = display_name(&file);
            let started = Instant::now();
            let progress = bar.clone();
            let taken = store
                .import_staffing_readings(
                    &Permit::operator(pid, Action::ManageStaffing),
                    &label,
                    std::io::BufReader::with_capacity(1 << 16, handle),
                    replace,
                    std::sync::Arc::new(move |read| progress.set_position(read)),
                )
                .await;
            bar.finish_and_clear();
            let taken = taken?;
            if taken.unchanged {
                println!(
                    "{label} was taken in before (import {}): nothing changed.",
                    taken.import_id
                );
            } else {
                println!(
                    "Imported {label}: {} ({:.1} s).",
                    taken.summary(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        StaffingAction::Compliance {
            by,
            from,
            to,
            partnership,
        } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let filter = ComplianceFilter {
                from: from
                    .as_deref()
                    .map(|d| day(Some(d)))
                    .transpose()?
                    .map(|d| d.to_string()),
                to: to.as_deref().map(|d| day(Some(d))).transpose()?.map(|d| d.to_string()),
                ..ComplianceFilter::default()
            };
            let rows = store.staffing_compliance(pid, by.parse()?, &filter).await?;
            println!(
                "{:<18}{:>12}{:>12}{:>10}{:>14}{:>14}{:>12}  name",
                by, "unit-hours", "below", "at/above", "nurse-hours", "pt-hours hit", "below plan"
            );
            for row in rows {
                // A month, week or quarter is its own name; say it once.
                let name = if row.name == row.key { "" } else { row.name.as_str() };
                let line = format!(
                    "{:<18}{:>12}{:>12}{:>9.1}%{:>14}{:>14}{:>12}  {}",
                    row.key,
                    row.hours,
                    row.short_hours,
                    row.compliant_percent(),
                    row.nurse_hours_short,
                    row.patient_hours_affected,
                    row.below_plan_hours,
                    name
                );
                println!("{}", line.trim_end());
            }
        }
        StaffingAction::RuleSet { file, partnership } => {
            let pid = partnership_id(store, partnership.as_deref()).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let set = RuleSet::from_json(&text).with_context(|| format!("reading {}", file.display()))?;
            let saved = store
                .save_staffing_rule_set(&Permit::operator(pid, Action::ManageStaffing), set)
                .await?;
            println!("Rule set {} saved ({} versions).", saved.code, saved.versions.len());
        }
        other => run(other)?,
    }
    Ok(())
}

pub fn run(action: StaffingAction) -> Result<()> {
    match action {
        StaffingAction::Required {
            rules,
            unit_type,
            patients,
            occupied_rooms,
            critical,
            trauma,
            on,
        } => {
            let layered = load(&rules)?;
            let day = day(on.as_deref())?;
            let mut by_class = Vec::new();
            by_class.extend(critical.map(|n| ("critical", n)));
            by_class.extend(trauma.map(|n| ("trauma", n)));
            required(&layered, &unit_type, day, patients, occupied_rooms, &by_class)
        }
        StaffingAction::Check {
            rules,
            units,
            readings,
            short_hours,
        } => check(&load(&rules)?, &units, &readings, short_hours.as_deref()),
        StaffingAction::Sample {
            hospitals,
            year,
            seed,
            out_dir,
        } => sample(hospitals, year, seed, &out_dir),
        StaffingAction::Units { .. }
        | StaffingAction::ImportReadings { .. }
        | StaffingAction::Compliance { .. }
        | StaffingAction::RuleSet { .. } => unreachable!("needs the database: run_with_database handles it"),
        StaffingAction::Rules { rules, on, json } => {
            let layered = load(&rules)?;
            if json {
                println!("{}", layered.top().to_json());
                return Ok(());
            }
            list(&layered, day(on.as_deref())?)
        }
    }
}

/// A built-in set by name, or a JSON file, with the sets beneath it.
fn load(rules: &str) -> Result<Layered> {
    let set = if Path::new(rules).is_file() {
        let text = std::fs::read_to_string(rules).with_context(|| format!("reading {rules}"))?;
        RuleSet::from_json(&text).with_context(|| format!("reading {rules}"))?
    } else {
        built_in_named(rules)?
    };
    Ok(Layered::new(set, |code| {
        built_in().into_iter().find(|s| s.code == code)
    })?)
}

fn day(on: Option<&str>) -> Result<Date> {
    match on {
        Some(text) => text
            .parse()
            .map_err(|e| anyhow!("--on {text:?}: not a date like 2026-01-31 ({e})")),
        None => Ok(jiff::Zoned::now().date()),
    }
}

fn required(
    layered: &Layered,
    unit_type: &str,
    day: Date,
    patients: Option<u32>,
    occupied_rooms: Option<u32>,
    by_class: &[(&str, u32)],
) -> Result<()> {
    let layers = layered.layers(unit_type, day)?;
    let counts_rooms = layers.iter().any(|l| l.unit.nurses_per_occupied_room.is_some());
    if counts_rooms && occupied_rooms.is_none() {
        bail!("{unit_type} counts occupied rooms: give --occupied-rooms N");
    }
    if patients.is_none() && !counts_rooms {
        bail!("give --patients N");
    }
    let patients = patients.unwrap_or(0);
    let need = layered.required(unit_type, day, patients, by_class, occupied_rooms)?;
    for layer in &layers {
        println!(
            "{} ({}), in force since {}: {} — {}",
            layer.set.code,
            layer.set.title,
            layer.version.effective_from,
            layer.unit.label,
            describe(layer.unit)
        );
    }
    if counts_rooms {
        println!("{} occupied rooms", occupied_rooms.unwrap_or(0));
    } else {
        let in_classes: Vec<String> = by_class
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(class, n)| format!("{n} {class}"))
            .collect();
        if in_classes.is_empty() {
            println!("{patients} patients");
        } else {
            println!("{patients} patients, of whom {}", in_classes.join(", "));
        }
    }
    if need.triage_nurses > 0 {
        println!(
            "plus {} triage nurse{} on duty, not counted toward the ratio",
            need.triage_nurses,
            if need.triage_nurses == 1 { "" } else { "s" }
        );
    }
    println!("minimum licensed nurses counted toward the ratio, at all times:");
    println!("{}", need.counted_nurses);
    Ok(())
}

/// "1:5", "1:4; critical 1:2, trauma 1:1; 1 triage nurse not counted".
fn describe(unit: &UnitRatio) -> String {
    let mut parts = Vec::new();
    if let Some(per) = unit.patients_per_nurse {
        parts.push(format!("1:{per}"));
    }
    if let Some(per_room) = unit.nurses_per_occupied_room {
        parts.push(format!("{per_room} nurse per occupied room"));
    }
    if !unit.acuity.is_empty() {
        let classes: Vec<String> = unit
            .acuity
            .iter()
            .map(|c| format!("{} 1:{}", c.label, c.patients_per_nurse))
            .collect();
        parts.push(classes.join(", "));
    }
    if unit.triage_nurses > 0 {
        parts.push(format!("{} triage nurse not counted", unit.triage_nurses));
    }
    parts.join("; ")
}

fn list(layered: &Layered, day: Date) -> Result<()> {
    for set in layered.sets() {
        let version = set.in_force(day)?;
        println!("{} — {}", set.code, set.title);
        if let Some(law) = &set.stricter_than {
            println!("layered on {law}: only stricter");
        }
        println!(
            "version in force on {day}: since {}. {}",
            version.effective_from, version.note
        );
        println!("{:<26}{:<12}unit", "unit type", "ratio");
        for unit in &version.units {
            let ratio = match (unit.patients_per_nurse, unit.nurses_per_occupied_room) {
                (Some(per), _) => format!("1:{per}"),
                (None, Some(per_room)) => format!("{per_room}/room"),
                (None, None) => String::new(),
            };
            let mut label = unit.label.clone();
            for class in &unit.acuity {
                label.push_str(&format!("; {} 1:{}", class.label, class.patients_per_nurse));
            }
            if unit.triage_nurses > 0 {
                label.push_str(&format!("; {} triage nurse, not counted", unit.triage_nurses));
            }
            println!("{:<26}{:<12}{}", unit.unit_type, ratio, label);
        }
        let charge = if set.charge_nurse_counts_only_in_direct_care {
            "a charge nurse counts only while giving direct care"
        } else {
            "a charge nurse counts"
        };
        println!("At all times, breaks included, never averaged over an hour or a shift; {charge}.");
        let later: Vec<String> = set
            .versions
            .iter()
            .filter(|v| v.effective_from != version.effective_from)
            .map(|v| v.effective_from.to_string())
            .collect();
        if !later.is_empty() {
            println!("other versions: {} (--on DAY)", later.join(", "));
        }
        println!();
    }
    Ok(())
}

fn check(layered: &Layered, units: &Path, readings: &Path, short_hours: Option<&Path>) -> Result<()> {
    let started = Instant::now();
    let units_name = display_name(units);
    let readings_name = display_name(readings);
    let unit_file = File::open(units).with_context(|| format!("opening {}", units.display()))?;
    let units = read_units(&units_name, unit_file)?;
    let file = File::open(readings).with_context(|| format!("opening {}", readings.display()))?;
    let bar = file_progress(file.metadata().map(|m| m.len()).unwrap_or(0));
    let rules = vec![layered; units.len()];
    let holding = Holding::default();
    let (_, totals) = check_readings(&rules, &units_name, &units, &readings_name, file, holding, &|read| {
        bar.set_position(read)
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    if let Some(path) = short_hours {
        let mut out = BufWriter::new(File::create(path).with_context(|| format!("creating {}", path.display()))?);
        writeln!(
            out,
            "unit,facility,hour,patients,required,counted,short,triage_short,patients_affected,line"
        )?;
        for hour in &totals.flagged {
            let unit = &units[hour.unit as usize];
            let verdict = hour.verdict;
            writeln!(
                out,
                "{},{},{}T{:02}:00,{},{},{},{},{},{},{}",
                unit.code,
                unit.facility,
                civil_from_days(hour.hour.div_euclid(24) as i32),
                hour.hour.rem_euclid(24),
                hour.patients,
                verdict.required.counted_nurses,
                verdict.counted,
                verdict.short,
                verdict.triage_short,
                verdict.patients_affected,
                hour.line
            )?;
        }
        out.flush()?;
    }
    let all = totals.overall();
    let mut by_unit = vec![DayTotals::default(); units.len()];
    for ((unit, _), day) in &totals.days {
        by_unit[*unit as usize].add(day);
    }
    let mut worst: Vec<(usize, &DayTotals)> = by_unit.iter().enumerate().filter(|(_, t)| t.short_hours > 0).collect();
    worst.sort_by_key(|(u, t)| (std::cmp::Reverse(t.short_hours), *u));
    println!(
        "{} readings, {} unit-hours of {} units checked in {:.2} s",
        totals.readings,
        all.hours,
        units.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "{} hours below the ratio ({:.2}%), {} of them without a triage nurse; {} nurse-hours short; {} patient-hours affected",
        all.short_hours,
        percent(all.short_hours.into(), all.hours.into()),
        all.triage_short_hours,
        all.nurse_hours_short,
        all.patient_hours_affected
    );
    for (unit, t) in worst.iter().take(5) {
        println!(
            "  {} ({}, {}): {} short hours, {} nurse-hours short",
            units[*unit].code, units[*unit].unit_type, units[*unit].facility, t.short_hours, t.nurse_hours_short
        );
    }
    Ok(())
}

fn percent(part: u64, all: u64) -> f64 {
    if all == 0 {
        0.0
    } else {
        part as f64 * 100.0 / all as f64
    }
}

fn sample(hospitals: usize, year: i32, seed: u64, out_dir: &Path) -> Result<()> {
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let sample = StaffingSample::new(&sample_hospitals(hospitals), year, seed);
    std::fs::write(out_dir.join("units.csv"), units_csv(&sample))?;
    // Written beside the target and renamed, so a readings file is whole or absent.
    let target = out_dir.join("readings.csv");
    let partial = out_dir.join("readings.csv.partial");
    let mut out = BufWriter::with_capacity(
        1 << 20,
        File::create(&partial).with_context(|| format!("creating {}", partial.display()))?,
    );
    writeln!(out, "{READINGS_HEADER}")?;
    let mut buffer = Vec::with_capacity(8 << 20);
    for day in 0..sample.hours() / 24 {
        buffer.clear();
        sample.write_readings(day * 24, day * 24 + 24, &mut buffer);
        out.write_all(&buffer)?;
    }
    out.flush()?;
    drop(out);
    std::fs::rename(&partial, &target)?;
    eprintln!(
        "{} units in {hospitals} hospitals, a year of hourly readings: {}",
        sample.unit_count(),
        target.display()
    );
    Ok(())
}
