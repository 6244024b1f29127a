//! Hour-by-hour compliance over a readings file: each reading judged
//! against the ratio in force that day, each unit-hour as bad as its worst
//! reading, short hours flagged, totals kept per unit and day.
//!
//! A file is cut into pieces checked side by side. A piece keeps each
//! unit's first and last hour aside — a neighbouring piece may hold more
//! readings of that hour — and [`Totals::add`] joins the pieces in file
//! order, so no hour is counted twice or averaged.
//!
//! A unit may also be held to its approved staffing plan: each role's staff
//! on duty against what the plan in force that day asks at that hour of the
//! week. And each hour's census can be kept, for plans derived from history.

use super::compliance::{judge, ChargeNurse, OnDuty, Verdict};
use super::history::{weekday, DayCensus, HourCensus};
use super::hourly::{day_number, Reading, ReadingColumns, MAX_ROLES};
use super::layered::{Layered, StaffingError};
use super::plan::{Plan, HOURS_OF_WEEK, LICENSED};
use super::required::{Census, Ratio, Required};
use super::rules::MAX_ACUITY_CLASSES;
use crate::import::{self, Columns, FieldError};
use crate::refusal::Refusal;
use crate::refuse;
use rustc_hash::FxHashMap;

/// A unit as the units file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDef {
    pub code: String,
    pub name: String,
    pub facility: String,
    pub region: String,
    pub unit_type: String,
    pub beds: u32,
    /// Roles counted as licensed nurses (`rn;lvn`).
    pub licensed_roles: Vec<String>,
}

impl UnitDef {
    /// One row of the units file ([`super::hourly::UNIT_COLUMNS`]).
    pub fn parse(columns: &Columns, fields: &[&str]) -> Result<UnitDef, FieldError> {
        columns.check_width(fields)?;
        let field = |n| columns.field(fields, n);
        let (c, v) = field(0);
        let code = import::code(c, v, "unit")?;
        let (c, name) = field(1);
        if name.is_empty() {
            return Err(FieldError::new(
                c,
                refuse!("the unit needs a name", "la unidad necesita un nombre"),
            ));
        }
        let (c, v) = field(2);
        let facility = import::code(c, v, "facility")?;
        let (c, v) = field(3);
        let region = import::code(c, v, "region")?;
        let (c, unit_type) = field(4);
        if unit_type.is_empty() {
            return Err(FieldError::new(
                c,
                refuse!(
                    "the unit type is empty (med-surg, emergency, …)",
                    "el tipo de unidad está vacío (med-surg, emergency, …)"
                ),
            ));
        }
        let (c, v) = field(5);
        let beds = v.parse().map_err(|_| {
            FieldError::new(
                c,
                refuse!("beds {v:?} is not a whole number", "beds {v:?} no es un número entero"),
            )
        })?;
        let (c, v) = field(6);
        let licensed_roles: Vec<String> = v
            .split(';')
            .map(|r| r.trim().to_ascii_lowercase())
            .filter(|r| !r.is_empty())
            .collect();
        if licensed_roles.is_empty() {
            return Err(FieldError::new(
                c,
                refuse!(
                    "name the roles that count as licensed nurses, like rn;lvn",
                    "nombre los roles que cuentan como personal de enfermería con licencia, como rn;lvn"
                ),
            ));
        }
        Ok(UnitDef {
            code,
            name: name.to_string(),
            facility,
            region,
            unit_type: unit_type.to_string(),
            beds,
            licensed_roles,
        })
    }
}

/// One layer of one version of a unit's rules, ready for readings.
#[derive(Debug, Clone)]
struct Layer {
    ratio: Ratio,
    /// For each acuity column of the file, the class's place in this
    /// layer's rule; none where the layer counts them at its own ratio.
    class_of_column: [Option<u8>; MAX_ACUITY_CLASSES],
}

#[derive(Debug, Clone)]
struct CheckedUnit {
    /// (first day, layers), oldest first.
    versions: Vec<(i32, Vec<Layer>)>,
    /// Which role columns count as licensed nurses.
    licensed: [bool; MAX_ROLES],
    counts_rooms: bool,
    charge: ChargeNurse,
    /// Approved plans the unit is held to, in version order.
    plans: Vec<HeldPlan>,
}

/// The most rows a plan can be held to: licensed nurses and every role
/// column a file may have.
pub const MAX_PLAN_ROWS: usize = MAX_ROLES + 1;

/// A plan version a unit's readings are held to from its first day on,
/// until a later version's first day.
#[derive(Debug, Clone)]
pub struct ScheduledPlan {
    pub id: i64,
    /// Days since 1970-01-01.
    pub from_day: i32,
    pub plan: Plan,
}

/// Where a plan row's staff on duty come from.
#[derive(Debug, Clone, Copy)]
enum StaffedBy {
    /// Every licensed nurse on duty, triage and charge nurses included.
    Licensed,
    /// A role's column (its place among the role columns).
    Role(usize),
}

#[derive(Debug, Clone)]
struct HeldRow {
    role: String,
    staffed_by: StaffedBy,
    /// Staff the plan asks, by hour of the week.
    staff: Vec<u32>,
}

#[derive(Debug, Clone)]
struct HeldPlan {
    id: i64,
    from_day: i32,
    /// The plan's rows the file has columns for; a row's place here is its
    /// place in [`PlanShort::by_row`].
    rows: Vec<HeldRow>,
}

/// Staff short of the plan in one hour, by the held plan's rows: the
/// fewest on duty at any reading of the hour against the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanShort {
    pub by_row: [u8; MAX_PLAN_ROWS],
}

impl PlanShort {
    pub fn any(&self) -> bool {
        self.by_row.iter().any(|n| *n > 0)
    }

    /// Staff short across the plan's rows.
    pub fn staff(&self) -> u32 {
        self.by_row.iter().map(|n| u32::from(*n)).sum()
    }

    fn most(self, other: PlanShort) -> PlanShort {
        let mut by_row = self.by_row;
        for (slot, n) in by_row.iter_mut().zip(other.by_row) {
            *slot = (*slot).max(n);
        }
        PlanShort { by_row }
    }
}

/// One role of one hour below the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanGap<'a> {
    /// `licensed` or the role's code.
    pub role: &'a str,
    pub planned: u32,
    /// The fewest on duty at any reading of the hour.
    pub on_duty: u32,
    pub short: u32,
    /// The patients whose planned care was missing: the hour's patients
    /// in proportion to the staff missing, rounded up.
    pub patients_affected: u32,
}

/// Checks readings of known units against a layered rule set.
#[derive(Debug)]
pub struct Checker {
    units: Vec<CheckedUnit>,
    index: FxHashMap<Box<[u8]>, u32>,
    columns: ReadingColumns,
    /// The acuity columns (their place among them) kept in each hour's census.
    census_classes: [Option<usize>; 2],
    keep_census: bool,
}

/// A unit-hour's verdict: the worst of its readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitHour {
    pub unit: u32,
    /// Hours since 1970-01-01 00:00.
    pub hour: i64,
    pub patients: u32,
    pub verdict: Verdict,
    /// The line of the reading that decided it.
    pub line: u64,
    /// The most of each count any reading of the hour found.
    pub census: HourCensus,
    pub below_plan: PlanShort,
}

impl UnitHour {
    /// Below the ratio, without its triage nurse, or below the plan.
    pub fn flagged(&self) -> bool {
        !self.verdict.complies() || self.below_plan.any()
    }
}

/// A unit's totals for one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTotals {
    pub hours: u32,
    /// Hours below the ratio (or without their triage nurse).
    pub short_hours: u32,
    pub triage_short_hours: u32,
    pub nurse_hours_short: u32,
    pub patient_hours: u64,
    pub patient_hours_affected: u64,
    /// Hours any role was below the approved plan.
    pub below_plan_hours: u32,
    /// Licensed nurse-hours short of the plan.
    pub plan_nurse_hours_short: u32,
    /// Staff-hours short of the plan, every role.
    pub plan_staff_hours_short: u32,
}

impl DayTotals {
    fn count(&mut self, hour: &UnitHour) {
        self.hours += 1;
        self.short_hours += u32::from(!hour.verdict.complies());
        self.triage_short_hours += u32::from(hour.verdict.triage_short > 0);
        self.nurse_hours_short += hour.verdict.short;
        self.patient_hours += u64::from(hour.patients);
        self.patient_hours_affected += u64::from(hour.verdict.patients_affected);
        self.below_plan_hours += u32::from(hour.below_plan.any());
        // Row 0 is the licensed nurses' whenever a plan is held.
        self.plan_nurse_hours_short += u32::from(hour.below_plan.by_row[0]);
        self.plan_staff_hours_short += hour.below_plan.staff();
    }

    pub fn add(&mut self, other: &DayTotals) {
        self.hours += other.hours;
        self.short_hours += other.short_hours;
        self.triage_short_hours += other.triage_short_hours;
        self.nurse_hours_short += other.nurse_hours_short;
        self.patient_hours += other.patient_hours;
        self.patient_hours_affected += other.patient_hours_affected;
        self.below_plan_hours += other.below_plan_hours;
        self.plan_nurse_hours_short += other.plan_nurse_hours_short;
        self.plan_staff_hours_short += other.plan_staff_hours_short;
    }
}

/// A unit's readings go forward in time; this one came after `line`'s, earlier.
fn out_of_time_order(line: u64) -> Refusal {
    refuse!(
        "readings of a unit must be in time order: this one is earlier than line {line}'s",
        "las lecturas de una unidad deben ir en orden de tiempo: esta es anterior a la de la línea {line}"
    )
}

/// A bad row: its line, column and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: usize,
    pub reason: Refusal,
}

#[derive(Debug, Clone, Default)]
struct UnitState {
    current: Option<UnitHour>,
    first: Option<UnitHour>,
    closed_any: bool,
}

/// What one piece of a file found.
#[derive(Debug, Default)]
pub struct Piece {
    /// Hours wholly inside the piece, counted.
    days: FxHashMap<(u32, i32), DayTotals>,
    /// Flagged hours wholly inside the piece.
    flagged: Vec<UnitHour>,
    /// Each unit's first and last hour, kept aside for the join.
    edges: Vec<(u32, UnitHour)>,
    census: Option<FxHashMap<(u32, i32), DayCensus>>,
    pub readings: u64,
}

/// Everything checked so far, pieces joined in file order.
#[derive(Debug, Default)]
pub struct Totals {
    pub days: FxHashMap<(u32, i32), DayTotals>,
    /// Hours below the ratio or the plan, by unit and hour once finished.
    pub flagged: Vec<UnitHour>,
    /// Each unit-day's census hour by hour, when the checker keeps it.
    pub census: FxHashMap<(u32, i32), DayCensus>,
    open: FxHashMap<u32, UnitHour>,
    keep_census: bool,
    pub readings: u64,
}

impl Checker {
    /// Compile each unit's rules (`rules[i]` governs `units[i]`), every
    /// version, for this file's columns.
    pub fn new(
        units: &[UnitDef],
        rules: &[&Layered],
        columns: ReadingColumns,
    ) -> Result<Checker, (usize, StaffingError)> {
        let mut checked = Vec::with_capacity(units.len());
        let mut index = FxHashMap::default();
        for (i, (unit, layered)) in units.iter().zip(rules).enumerate() {
            let charge = if layered.top().charge_nurse_counts_only_in_direct_care {
                ChargeNurse::CountsOnlyInDirectCare
            } else {
                ChargeNurse::AlwaysCounts
            };
            // Every day any layer changes.
            let mut boundaries: Vec<i32> = layered
                .sets()
                .iter()
                .flat_map(|s| s.versions.iter().map(|v| day_number(v.effective_from)))
                .collect();
            boundaries.sort_unstable();
            boundaries.dedup();
            let mut versions = Vec::new();
            for &from in &boundaries {
                let day = super::hourly::civil_from_days(from);
                let Ok(layers) = layered.layers(&unit.unit_type, day) else {
                    continue;
                };
                let layers: Vec<Layer> = layers
                    .iter()
                    .map(|layer| {
                        let mut class_of_column = [None; MAX_ACUITY_CLASSES];
                        for (slot, (_, name)) in class_of_column.iter_mut().zip(&columns.acuity) {
                            *slot = layer.unit.acuity.iter().position(|c| &c.class == name).map(|p| p as u8);
                        }
                        Layer {
                            ratio: layer.unit.ratio(),
                            class_of_column,
                        }
                    })
                    .collect();
                versions.push((from, layers));
            }
            if versions.is_empty() {
                // Not a type any layer knows: the error lists the types.
                let today = super::hourly::civil_from_days(*boundaries.last().unwrap_or(&0));
                return Err((
                    i,
                    layered
                        .layers(&unit.unit_type, today)
                        .err()
                        .unwrap_or_else(|| StaffingError::UnknownUnitType {
                            sets: layered.top().code.clone(),
                            unit_type: unit.unit_type.clone(),
                            known: String::new(),
                        }),
                ));
            }
            let mut licensed = [false; MAX_ROLES];
            for (slot, (_, role)) in licensed.iter_mut().zip(&columns.roles) {
                *slot = unit.licensed_roles.contains(role);
            }
            let counts_rooms = versions
                .iter()
                .any(|(_, layers)| layers.iter().any(|l| l.ratio.counts_rooms()));
            index.insert(unit.code.as_bytes().into(), i as u32);
            checked.push(CheckedUnit {
                versions,
                licensed,
                counts_rooms,
                charge,
                plans: Vec::new(),
            });
        }
        let class_place = |name: &str| columns.acuity.iter().position(|(_, n)| n == name);
        Ok(Checker {
            units: checked,
            index,
            census_classes: [class_place("critical"), class_place("trauma")],
            columns,
            keep_census: false,
        })
    }

    /// Keep each unit-day's census hour by hour in the totals.
    pub fn keep_census(mut self) -> Checker {
        self.keep_census = true;
        self
    }

    /// Hold `unit`'s readings to these approved plans, given in version
    /// order: each from its first day until a later version's. A plan's
    /// roles the file has no column for are not judged.
    pub fn hold_to_plans(&mut self, unit: usize, plans: &[ScheduledPlan]) {
        let Some(checked) = self.units.get_mut(unit) else {
            return;
        };
        checked.plans = plans
            .iter()
            .map(|scheduled| {
                let rows = scheduled
                    .plan
                    .roles
                    .iter()
                    .zip(&scheduled.plan.staff)
                    .filter_map(|(role, staff)| {
                        let staffed_by = if role == LICENSED {
                            StaffedBy::Licensed
                        } else {
                            StaffedBy::Role(self.columns.roles.iter().position(|(_, r)| r == role)?)
                        };
                        (staff.len() == HOURS_OF_WEEK).then(|| HeldRow {
                            role: role.clone(),
                            staffed_by,
                            staff: staff.clone(),
                        })
                    })
                    .take(MAX_PLAN_ROWS)
                    .collect();
                HeldPlan {
                    id: scheduled.id,
                    from_day: scheduled.from_day,
                    rows,
                }
            })
            .collect();
    }

    /// The plan held on a day: the latest version begun by then.
    fn held_plan(&self, unit: u32, day: i32) -> Option<&HeldPlan> {
        self.units[unit as usize].plans.iter().rev().find(|p| p.from_day <= day)
    }

    /// A flagged hour's roles below the plan it was held to, with the
    /// plan's id; none when it was not below a plan.
    pub fn plan_gaps(&self, hour: &UnitHour) -> Option<(i64, Vec<PlanGap<'_>>)> {
        if !hour.below_plan.any() {
            return None;
        }
        let plan = self.held_plan(hour.unit, hour.hour.div_euclid(24) as i32)?;
        let hour_of_week = hour_of_week(hour.hour);
        let patients = u32::from(hour.census.patients);
        let gaps = plan
            .rows
            .iter()
            .zip(hour.below_plan.by_row)
            .filter(|(_, short)| *short > 0)
            .map(|(row, short)| {
                let planned = row.staff[hour_of_week];
                let short = u32::from(short);
                PlanGap {
                    role: &row.role,
                    planned,
                    on_duty: planned - short,
                    short,
                    patients_affected: (patients * short).div_ceil(planned.max(1)),
                }
            })
            .collect();
        Some((plan.id, gaps))
    }

    /// Check a piece of the file: whole lines, the first numbered `first_line`.
    pub fn check_piece(&self, bytes: &[u8], first_line: u64) -> Result<Piece, RowError> {
        let mut piece = Piece {
            census: self.keep_census.then(FxHashMap::default),
            ..Piece::default()
        };
        let mut states: Vec<UnitState> = vec![UnitState::default(); self.units.len()];
        for (this_line, row) in (first_line..).zip(bytes.split(|b| *b == b'\n')) {
            if row.is_empty() || row == b"\r" {
                continue;
            }
            let row_error = |e: FieldError| RowError {
                line: this_line,
                column: e.column,
                reason: e.reason,
            };
            let reading = self.columns.parse(row).map_err(row_error)?;
            let Some(&unit) = self.index.get(reading.unit) else {
                let unit = String::from_utf8_lossy(reading.unit);
                return Err(row_error(FieldError::new(
                    self.columns.unit_column(),
                    refuse!(
                        "no unit {unit:?} in the units file",
                        "no hay ninguna unidad {unit:?} en el archivo de unidades"
                    ),
                )));
            };
            let (verdict, below_plan) = self.judge(unit, &reading).map_err(row_error)?;
            let hour = UnitHour {
                unit,
                hour: reading.at.hour(),
                patients: reading.patients,
                verdict,
                line: this_line,
                census: self.census(&reading),
                below_plan,
            };
            piece.readings += 1;
            let state = &mut states[unit as usize];
            match state.current {
                Some(current) if current.hour == hour.hour => {
                    state.current = Some(worse(current, hour));
                }
                Some(current) if current.hour > hour.hour => {
                    return Err(row_error(FieldError::new(
                        self.columns.at_column(),
                        out_of_time_order(current.line),
                    )));
                }
                Some(current) => {
                    if state.closed_any {
                        piece.count(&current);
                    } else {
                        state.first = Some(current);
                        state.closed_any = true;
                    }
                    state.current = Some(hour);
                }
                None => state.current = Some(hour),
            }
        }
        for (unit, state) in states.into_iter().enumerate() {
            for hour in [state.first, state.current].into_iter().flatten() {
                piece.edges.push((unit as u32, hour));
            }
        }
        Ok(piece)
    }

    fn census(&self, reading: &Reading) -> HourCensus {
        let count = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
        let class = |place: Option<usize>| place.map_or(0, |p| count(reading.acuity[p]));
        HourCensus {
            patients: count(reading.patients),
            critical: class(self.census_classes[0]),
            trauma: class(self.census_classes[1]),
            occupied_rooms: count(reading.occupied_rooms.unwrap_or(0)),
        }
    }

    /// Staff short of the plan held that day, at this reading.
    fn below_plan(&self, unit: u32, reading: &Reading, licensed: u32) -> PlanShort {
        let mut short = PlanShort::default();
        let Some(plan) = self.held_plan(unit, reading.at.day) else {
            return short;
        };
        let hour_of_week = hour_of_week(reading.at.hour());
        for (slot, row) in short.by_row.iter_mut().zip(&plan.rows) {
            let on_duty = match row.staffed_by {
                StaffedBy::Licensed => licensed,
                StaffedBy::Role(place) => reading.on_duty[place],
            };
            *slot = u8::try_from(row.staff[hour_of_week].saturating_sub(on_duty)).unwrap_or(u8::MAX);
        }
        short
    }

    fn judge(&self, unit: u32, reading: &Reading) -> Result<(Verdict, PlanShort), FieldError> {
        let checked = &self.units[unit as usize];
        let in_classes: u32 = reading.acuity.iter().sum();
        if in_classes > reading.patients {
            let patients = reading.patients;
            return Err(FieldError::new(
                self.columns.patients_column(),
                refuse!(
                    "{patients} patients, but {in_classes} in acuity classes",
                    "{patients} pacientes, pero {in_classes} en clases de agudeza"
                ),
            ));
        }
        if checked.counts_rooms && reading.occupied_rooms.is_none() {
            return Err(FieldError::new(
                self.columns.unit_column(),
                refuse!(
                    "this unit counts occupied rooms: the file needs an occupied_rooms column",
                    "esta unidad cuenta habitaciones ocupadas: el archivo necesita una columna occupied_rooms"
                ),
            ));
        }
        let day = reading.at.day;
        // Versions are few; the last that began on or before the day.
        let Some((_, layers)) = checked.versions.iter().rev().find(|(from, _)| *from <= day) else {
            return Err(FieldError::new(
                self.columns.at_column(),
                refuse!(
                    "no ratio rule was in force on this day",
                    "ninguna regla de proporción estaba en vigor ese día"
                ),
            ));
        };
        let licensed: u32 = reading
            .on_duty
            .iter()
            .zip(&checked.licensed)
            .filter(|(_, counts)| **counts)
            .map(|(n, _)| *n)
            .sum();
        let below_plan = self.below_plan(unit, reading, licensed);
        let on_duty = OnDuty {
            licensed,
            charge_not_in_direct_care: reading.charge_off_care,
            triage: reading.triage,
        };
        // Patients affected are counted by the layer asking the most.
        let mut strictest: Option<(u32, &Layer, Census)> = None;
        let mut required = Required::default();
        for layer in layers {
            let mut census = Census {
                patients: reading.patients,
                occupied_rooms: reading.occupied_rooms.unwrap_or(0),
                ..Census::default()
            };
            for (count, class) in reading.acuity.iter().zip(&layer.class_of_column) {
                if let Some(class) = class {
                    census.acuity[*class as usize] += count;
                }
            }
            let asks = layer.ratio.required(&census);
            required = required.stricter(asks);
            if strictest
                .as_ref()
                .is_none_or(|(most, _, _)| asks.counted_nurses > *most)
            {
                strictest = Some((asks.counted_nurses, layer, census));
            }
        }
        let Some((_, layer, census)) = strictest else {
            return Ok((Verdict::default(), below_plan));
        };
        Ok((
            judge(&layer.ratio, &census, required, &on_duty, checked.charge),
            below_plan,
        ))
    }
}

/// The hour of the week, Monday 00:00 first, of an hour since 1970.
pub fn hour_of_week(hour: i64) -> usize {
    weekday(hour.div_euclid(24) as i32) * 24 + hour.rem_euclid(24) as usize
}

/// Two readings of one hour as one: the worse verdict (on a tie, the
/// earlier), the most of each census count, the most short of each role.
fn worse(a: UnitHour, b: UnitHour) -> UnitHour {
    let mut hour = if a.verdict.worse(b.verdict) == a.verdict { a } else { b };
    hour.census = a.census.most(b.census);
    hour.below_plan = a.below_plan.most(b.below_plan);
    hour
}

/// Count a closed hour into a day's totals, the flagged list and the census.
fn count_hour(
    days: &mut FxHashMap<(u32, i32), DayTotals>,
    flagged: &mut Vec<UnitHour>,
    census: Option<&mut FxHashMap<(u32, i32), DayCensus>>,
    hour: &UnitHour,
) {
    let key = (hour.unit, hour.hour.div_euclid(24) as i32);
    days.entry(key).or_default().count(hour);
    if hour.flagged() {
        flagged.push(*hour);
    }
    if let Some(census) = census {
        census.entry(key).or_insert([None; 24])[hour.hour.rem_euclid(24) as usize] = Some(hour.census);
    }
}

impl Piece {
    fn count(&mut self, hour: &UnitHour) {
        count_hour(&mut self.days, &mut self.flagged, self.census.as_mut(), hour);
    }
}

impl Totals {
    /// Join the next piece of the file (pieces must come in file order).
    pub fn add(&mut self, piece: Piece) -> Result<(), RowError> {
        self.readings += piece.readings;
        for (key, totals) in piece.days {
            self.days.entry(key).or_default().add(&totals);
        }
        self.flagged.extend(piece.flagged);
        if let Some(census) = piece.census {
            self.keep_census = true;
            for (key, hours) in census {
                let day = self.census.entry(key).or_insert([None; 24]);
                for (slot, hour) in day.iter_mut().zip(hours) {
                    if hour.is_some() {
                        *slot = hour;
                    }
                }
            }
        }
        for (unit, hour) in piece.edges {
            match self.open.get(&unit).copied() {
                Some(open) if open.hour == hour.hour => {
                    self.open.insert(unit, worse(open, hour));
                }
                Some(open) if open.hour > hour.hour => {
                    return Err(RowError {
                        line: hour.line,
                        column: 0,
                        reason: out_of_time_order(open.line),
                    });
                }
                Some(open) => {
                    self.count(&open);
                    self.open.insert(unit, hour);
                }
                None => {
                    self.open.insert(unit, hour);
                }
            }
        }
        Ok(())
    }

    fn count(&mut self, hour: &UnitHour) {
        let census = self.keep_census.then_some(&mut self.census);
        count_hour(&mut self.days, &mut self.flagged, census, hour);
    }

    /// Count the hours still open: the file has ended.
    pub fn finish(mut self) -> Totals {
        let open: Vec<UnitHour> = self.open.drain().map(|(_, h)| h).collect();
        for hour in open {
            self.count(&hour);
        }
        self.flagged.sort_unstable_by_key(|h| (h.unit, h.hour));
        self
    }

    /// All units' days added up.
    pub fn overall(&self) -> DayTotals {
        let mut all = DayTotals::default();
        for totals in self.days.values() {
            all.add(totals);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::hourly::Moment;
    use crate::staffing::rules::built_in_named;

    fn checker(header: &str) -> Checker {
        let law = Layered::new(built_in_named("ca-title22").unwrap(), |_| None).unwrap();
        let unit = |code: &str, unit_type: &str| UnitDef {
            code: code.into(),
            name: code.into(),
            facility: "H1".into(),
            region: "R".into(),
            unit_type: unit_type.into(),
            beds: 20,
            licensed_roles: vec!["rn".into(), "lvn".into()],
        };
        let units = [
            unit("MS", "med-surg"),
            unit("ED", "emergency"),
            unit("OR", "operating-room"),
        ];
        let columns = ReadingColumns::from_header(header, &["critical", "trauma"]).unwrap();
        Checker::new(&units, &[&law; 3], columns).unwrap()
    }

    const HEADER: &str = "unit,at,patients,critical,trauma,occupied_rooms,charge_off_care,triage,rn,lvn,cna";

    fn check_all(checker: &Checker, text: &str, pieces: &[usize]) -> Totals {
        let mut totals = Totals::default();
        let lines: Vec<&str> = text.lines().collect();
        let mut start = 0;
        for &end in pieces.iter().chain([lines.len()].iter()) {
            let bytes = lines[start..end].join("\n");
            totals
                .add(checker.check_piece(bytes.as_bytes(), start as u64 + 2).unwrap())
                .unwrap();
            start = end;
        }
        totals.finish()
    }

    const DAY: &str = "\
MS,2026-03-01T07:00,10,0,0,0,0,0,2,0,1
ED,2026-03-01T07:00,8,2,1,0,0,1,4,0,1
MS,2026-03-01T07:30,10,0,0,0,0,0,1,0,1
OR,2026-03-01T07:00,0,0,0,3,0,0,3,0,0
MS,2026-03-01T08:00,12,0,0,0,1,0,3,0,1
ED,2026-03-01T08:00,8,0,0,0,0,0,2,1,0
OR,2026-03-01T08:00,0,0,0,4,0,0,3,0,0
MS,2026-03-01T09:00,12,0,0,0,0,0,2,1,1";

    #[test]
    fn each_hour_is_as_bad_as_its_worst_reading_however_the_file_is_cut() {
        let checker = checker(HEADER);
        let whole = check_all(&checker, DAY, &[]);
        // MS 07:00 (one nurse at :30), MS 08:00 (charge nurse off the
        // floor: 2 for 12), ED 07:00 (4 nurses, one at triage, for 1
        // trauma + 2 critical + 5: needs 4), ED 08:00 (no triage nurse),
        // OR 08:00 (3 nurses, 4 rooms) are short; MS 09:00 (3 for 12) is not.
        let short: Vec<(u32, i64)> = whole.flagged.iter().map(|h| (h.unit, h.hour % 24)).collect();
        assert_eq!(short, [(0, 7), (0, 8), (1, 7), (1, 8), (2, 8)]);
        let overall = whole.overall();
        assert_eq!(
            (overall.hours, overall.short_hours, overall.triage_short_hours),
            (7, 5, 1)
        );
        assert_eq!(overall.nurse_hours_short, 1 + 1 + 1 + 1);
        for cut in 1..DAY.lines().count() {
            let pieces = check_all(&checker, DAY, &[cut]);
            assert_eq!(pieces.overall(), overall, "cut at {cut}");
            assert_eq!(pieces.flagged, whole.flagged, "cut at {cut}");
        }
        assert_eq!(check_all(&checker, DAY, &[2, 3, 5]).overall(), overall);
    }

    #[test]
    fn each_hour_is_held_to_the_plan_in_force_that_day_and_its_census_kept() {
        let mut checker = checker(HEADER).keep_census();
        let plan = |licensed: u32| Plan {
            roles: vec![LICENSED.into(), "cna".into(), "clerk".into()],
            staff: vec![
                vec![licensed; HOURS_OF_WEEK],
                vec![1; HOURS_OF_WEEK],
                vec![1; HOURS_OF_WEEK],
            ],
            legal_minimum: vec![licensed; HOURS_OF_WEEK],
        };
        let day = |d| super::super::hourly::days_from_civil(2026, 3, d);
        // Version 2 begins the day after: version 1 holds on 1 March.
        checker.hold_to_plans(
            0,
            &[
                ScheduledPlan {
                    id: 11,
                    from_day: day(1) - 60,
                    plan: plan(3),
                },
                ScheduledPlan {
                    id: 12,
                    from_day: day(2),
                    plan: plan(9),
                },
            ],
        );
        let whole = check_all(&checker, DAY, &[]);
        // MS 07:00: 2 licensed, then 1 at :30 — the fewest, 2 short of 3.
        // 08:00 (3 licensed, the charge nurse among them) and 09:00 meet
        // it; the file has no clerk column, so clerks are not judged.
        let ms: Vec<&UnitHour> = whole.flagged.iter().filter(|h| h.unit == 0).collect();
        assert_eq!(ms.len(), 2, "07:00 and 08:00 are below the ratio");
        let seven = ms[0];
        assert_eq!(seven.below_plan.by_row[..3], [2, 0, 0]);
        let (plan_id, gaps) = checker.plan_gaps(seven).unwrap();
        assert_eq!(plan_id, 11);
        assert_eq!(
            gaps,
            [PlanGap {
                role: "licensed",
                planned: 3,
                on_duty: 1,
                short: 2,
                // 10 patients, 2 of 3 planned nurses missing: 6.7, so 7.
                patients_affected: 7,
            }]
        );
        assert!(checker.plan_gaps(ms[1]).is_none());
        let overall = whole.overall();
        assert_eq!(
            (
                overall.below_plan_hours,
                overall.plan_nurse_hours_short,
                overall.plan_staff_hours_short
            ),
            (1, 2, 2)
        );
        // The census: the most patients any reading of the hour found.
        let census = whole.census[&(0, day(1))];
        assert_eq!(census[8].map(|h| h.patients), Some(12));
        assert_eq!(census[10], None);
        let ed = whole.census[&(1, day(1))][7].unwrap();
        assert_eq!((ed.patients, ed.critical, ed.trauma), (8, 2, 1));
        for cut in 1..DAY.lines().count() {
            let pieces = check_all(&checker, DAY, &[cut]);
            assert_eq!(pieces.overall(), overall, "cut at {cut}");
            assert_eq!(pieces.flagged, whole.flagged, "cut at {cut}");
            assert_eq!(pieces.census, whole.census, "cut at {cut}");
        }
        // A day later, version 2 asks 9 at every hour.
        let next_day = DAY.replace("2026-03-01", "2026-03-02");
        let later = check_all(&checker, &next_day, &[]);
        assert_eq!(later.overall().below_plan_hours, 3);
        assert_eq!(checker.plan_gaps(&later.flagged[0]).unwrap().0, 12);
        assert_eq!(hour_of_week(i64::from(day(2)) * 24 + 5), 5, "2 March 2026 is a Monday");
    }

    #[test]
    fn a_bad_reading_is_named_by_line_and_column() {
        let checker = checker(HEADER);
        let fails = |text: &str| checker.check_piece(text.as_bytes(), 2).unwrap_err();
        let err = fails("MS,2026-03-01T07:00,10,0,0,0,0,0,2,0,1\nXX,2026-03-01T07:00,10,0,0,0,0,0,2,0,1");
        assert_eq!((err.line, err.column), (3, 1));
        let err = fails("ED,2026-03-01T07:00,2,2,1,0,0,1,4,0,1");
        assert_eq!((err.line, err.column), (2, 3));
        let err = fails("MS,2026-03-01T08:00,10,0,0,0,0,0,2,0,1\nMS,2026-03-01T07:00,10,0,0,0,0,0,2,0,1");
        assert!(err.reason.to_string().contains("time order"), "{}", err.reason);
        let without_rooms = self::checker("unit,at,patients,rn");
        let err = without_rooms.check_piece(b"OR,2026-03-01T07:00,0,3", 2).unwrap_err();
        assert!(err.reason.to_string().contains("occupied_rooms"), "{}", err.reason);
        let err = fails("MS,2003-03-01T07:00,10,0,0,0,0,0,2,0,1");
        assert!(err.reason.to_string().contains("no ratio rule"), "{}", err.reason);
        assert_eq!(Moment::parse(b"2026-03-01T07:00").unwrap().hour() % 24, 7);
    }
}
