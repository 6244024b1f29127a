//! Readings files taken in — checked on every core against the ratio and
//! the approved plans, then each unit's days (with their census), every
//! short hour and every role of every hour below the plan written in one
//! transaction — and compliance read back by unit, facility, region, unit
//! type, week, month or quarter, with the worst hours.

use super::files::{check_readings, Holding};
use super::StaffingUnit;
use crate::audit::{AuditAppend, Change};
use crate::bulk::{BulkInsert, Value};
use crate::import::import_error;
use crate::trust::reader::Hashing;
use crate::{in_tx, on_pool, require, Result, Store, StoreError};
use lmp_core::policy::{Action, Permit};
use lmp_core::refuse;
use lmp_core::staffing::check::{Checker, Totals};
use lmp_core::staffing::history::census_text;
use lmp_core::staffing::hourly::civil_from_days;
use lmp_core::staffing::layered::Layered;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

const ROWS_A_BATCH: usize = 20_000;

const DAY_COLUMNS: [&str; 14] = [
    "partnership_id",
    "staffing_unit_id",
    "day",
    "import_id",
    "hours",
    "short_hours",
    "triage_short_hours",
    "nurse_hours_short",
    "patient_hours",
    "patient_hours_affected",
    "below_plan_hours",
    "plan_nurse_hours_short",
    "plan_staff_hours_short",
    "census",
];

const PLAN_GAP_COLUMNS: [&str; 11] = [
    "partnership_id",
    "staffing_unit_id",
    "hour",
    "role",
    "import_id",
    "plan_id",
    "patients",
    "planned",
    "on_duty",
    "short",
    "patients_affected",
];

const SHORT_HOUR_COLUMNS: [&str; 10] = [
    "partnership_id",
    "staffing_unit_id",
    "hour",
    "import_id",
    "patients",
    "required",
    "counted",
    "short",
    "triage_short",
    "patients_affected",
];

/// What a readings file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadingsTaken {
    /// The import's id; the earlier one's when the same file came again.
    pub import_id: i64,
    pub readings: u64,
    pub unit_hours: u64,
    pub unit_days: u64,
    pub short_hours: u64,
    /// Hours any role was below the approved plan in force.
    pub below_plan_hours: u64,
    pub first_day: String,
    pub last_day: String,
    /// The same file was taken in before: nothing changed (unless taken
    /// in again with replace, to hold it to plans approved since).
    pub unchanged: bool,
    /// Unit-days taken in before and replaced (with `replace`).
    pub replaced_days: u64,
}

impl ReadingsTaken {
    /// What was taken in, in a sentence's words.
    pub fn summary(&self) -> String {
        let replaced = if self.replaced_days > 0 {
            format!("; {} unit-days replaced", self.replaced_days)
        } else {
            String::new()
        };
        format!(
            "{} readings, {} unit-hours from {} to {}; {} hours below the ratio, {} below the approved plan{replaced}",
            self.readings, self.unit_hours, self.first_day, self.last_day, self.short_hours, self.below_plan_hours
        )
    }
}

/// Compliance over a stretch of days, for one group.
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct ComplianceRow {
    /// The unit's, facility's or region's code, the unit type, or the
    /// week (its Monday, YYYY-MM-DD), month (YYYY-MM) or quarter (YYYY-Qn).
    pub key: String,
    pub name: String,
    pub hours: i64,
    pub short_hours: i64,
    pub triage_short_hours: i64,
    pub nurse_hours_short: i64,
    pub patient_hours: i64,
    pub patient_hours_affected: i64,
    /// Hours any role was below the approved plan.
    pub below_plan_hours: i64,
    pub plan_nurse_hours_short: i64,
    pub plan_staff_hours_short: i64,
}

/// Days' rows (in order) folded into their weeks, each named by its Monday.
fn by_week(days: Vec<ComplianceRow>) -> Vec<ComplianceRow> {
    let mut weeks: Vec<ComplianceRow> = Vec::new();
    for day in days {
        let monday = day
            .key
            .parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| {
                d.checked_sub(jiff::Span::new().days(d.weekday().to_monday_zero_offset()))
                    .ok()
            })
            .map_or_else(|| day.key.clone(), |d| d.to_string());
        match weeks.last_mut() {
            Some(week) if week.key == monday => week.add(&day),
            _ => weeks.push(ComplianceRow {
                name: format!("week of {monday}"),
                key: monday,
                ..day
            }),
        }
    }
    weeks
}

impl ComplianceRow {
    /// Rows added up; none when there are none.
    pub fn total(rows: &[ComplianceRow]) -> Option<ComplianceRow> {
        let (first, rest) = rows.split_first()?;
        let mut all = ComplianceRow {
            key: String::new(),
            name: String::new(),
            ..first.clone()
        };
        for row in rest {
            all.add(row);
        }
        Some(all)
    }

    fn add(&mut self, other: &ComplianceRow) {
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

    /// Share of hours at or above the plan, in percent.
    pub fn at_plan_percent(&self) -> f64 {
        if self.hours == 0 {
            100.0
        } else {
            100.0 * (self.hours - self.below_plan_hours) as f64 / self.hours as f64
        }
    }

    /// Share of hours at or above the ratio, in percent.
    pub fn compliant_percent(&self) -> f64 {
        if self.hours == 0 {
            100.0
        } else {
            100.0 * (self.hours - self.short_hours) as f64 / self.hours as f64
        }
    }
}

/// How compliance is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplianceBy {
    Unit,
    Facility,
    Region,
    UnitType,
    Week,
    Month,
    Quarter,
}

impl ComplianceBy {
    pub const ALL: [(ComplianceBy, &'static str); 7] = [
        (ComplianceBy::Unit, "unit"),
        (ComplianceBy::Facility, "facility"),
        (ComplianceBy::Region, "region"),
        (ComplianceBy::UnitType, "unit-type"),
        (ComplianceBy::Week, "week"),
        (ComplianceBy::Month, "month"),
        (ComplianceBy::Quarter, "quarter"),
    ];
}

impl std::str::FromStr for ComplianceBy {
    type Err = StoreError;
    fn from_str(text: &str) -> Result<ComplianceBy> {
        ComplianceBy::ALL
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(by, _)| *by)
            .ok_or_else(|| {
                let names: Vec<&str> = ComplianceBy::ALL.iter().map(|(_, n)| *n).collect();
                let names = names.join(", ");
                StoreError::Rule(refuse!(
                    "group by {text:?}: choose {names}",
                    "agrupar por {text:?}: elija {names}"
                ))
            })
    }
}

/// An hour below the ratio, as its worst reading found it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ShortHour {
    pub unit: String,
    pub unit_name: String,
    pub unit_type: String,
    pub facility: String,
    /// YYYY-MM-DDTHH:00
    pub hour: String,
    pub patients: i64,
    /// Licensed nurses the ratio asks for, counted toward it.
    pub required: i64,
    /// Licensed nurses on duty who counted.
    pub counted: i64,
    /// Nurses short.
    pub short: i64,
    /// Triage nurses missing.
    pub triage_short: i64,
    /// Patients beyond what the nurses on duty could lawfully care for.
    pub patients_affected: i64,
}

/// A role's hour below the approved plan, as the hour's fewest on duty found it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PlanGapHour {
    pub unit: String,
    pub unit_name: String,
    pub unit_type: String,
    pub facility: String,
    /// YYYY-MM-DDTHH:00
    pub hour: String,
    /// `licensed` (every licensed nurse, triage and charge included) or the role.
    pub role: String,
    /// The plan version the hour was held to.
    pub plan_version: i64,
    pub patients: i64,
    pub planned: i64,
    pub on_duty: i64,
    pub short: i64,
    /// The patients in proportion to the planned staff missing.
    pub patients_affected: i64,
}

/// Filters on compliance and short hours.
#[derive(Debug, Clone, Default)]
pub struct ComplianceFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub facility: Option<String>,
    pub region: Option<String>,
    pub unit: Option<String>,
}

impl ComplianceFilter {
    /// The filter's first and last day as their first and last hour, as
    /// hours are stored.
    fn hours(&self) -> (Option<String>, Option<String>) {
        (
            self.from.as_ref().map(|d| format!("{d}T00:00")),
            self.to.as_ref().map(|d| format!("{d}T23:00")),
        )
    }
}

/// An hour since 1970 as stored: YYYY-MM-DDTHH:00.
fn hour_text(hour: i64) -> String {
    format!(
        "{}T{:02}:00",
        civil_from_days(hour.div_euclid(24) as i32),
        hour.rem_euclid(24)
    )
}

impl Store {
    /// Take in a readings file: checked against each unit's rules and
    /// approved plans, then each unit's days, every short hour and every
    /// hour below the plan written, all or none. The same file again
    /// changes nothing; a unit-day taken in before is refused unless
    /// `replace`, which replaces those days (and so holds them to plans
    /// approved since). `progress` hears bytes read.
    pub async fn import_staffing_readings<R: Read + Send + 'static>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        replace: bool,
        progress: Arc<dyn Fn(u64) + Send + Sync>,
    ) -> Result<ReadingsTaken> {
        let pid = require(permit, |a| matches!(a, Action::ManageStaffing))?;
        let units = self.staffing_units(pid).await?;
        if units.is_empty() {
            return Err(StoreError::Rule(refuse!(
"describe the units first (lmp staffing units FILE, or the units file on the Staffing page)",
"describa primero las unidades (lmp staffing units ARCHIVO, o el archivo de unidades en la página de Dotación)"
)));
        }
        let mut sets: BTreeMap<String, Layered> = BTreeMap::new();
        for unit in &units {
            if !sets.contains_key(&unit.rule_set) {
                sets.insert(unit.rule_set.clone(), self.staffing_layered(pid, &unit.rule_set).await?);
            }
        }
        let mut held = self.held_staffing_plans(pid, &sets).await?;
        let holding = Holding {
            plans: units
                .iter()
                .enumerate()
                .filter_map(|(i, u)| Some((i, held.remove(&u.id)?)))
                .collect(),
            keep_census: true,
        };
        let file_name = file.to_string();
        let units_for_check = units.clone();
        let (checker, totals, sha256) = tokio::task::spawn_blocking(move || -> Result<(Checker, Totals, String)> {
            let defs: Vec<_> = units_for_check.iter().map(StaffingUnit::def).collect();
            let rules: Vec<&Layered> = units_for_check.iter().map(|u| &sets[&u.rule_set]).collect();
            let mut hashing = Hashing::new(reader);
            let (checker, totals) =
                check_readings(&rules, "units", &defs, &file_name, &mut hashing, holding, &*progress)?;
            let sha = hashing
                .finish()
                .map_err(|e| import_error(&file_name, 0, 1, refuse!("cannot read: {e}", "no se puede leer: {e}")))?;
            Ok((checker, totals, sha))
        })
        .await
        .map_err(|e| StoreError::Rule(refuse!("the check stopped: {e}", "la comprobación se detuvo: {e}")))??;
        let earlier: Option<(i64, i64, i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, readings, unit_hours, first_day, last_day FROM staffing_imports \
             WHERE partnership_id = $1 AND sha256 = $2"
        )
        .bind(pid)
        .bind(&sha256)
        .fetch_optional(pool)
        .await?);
        let same_file_again = earlier.as_ref().map(|e| e.0);
        if let Some((import_id, readings, unit_hours, first_day, last_day)) = earlier.filter(|_| !replace) {
            return Ok(ReadingsTaken {
                import_id,
                readings: readings as u64,
                unit_hours: unit_hours as u64,
                first_day,
                last_day,
                unchanged: true,
                ..ReadingsTaken::default()
            });
        }
        let all = totals.overall();
        let (Some(first), Some(last)) = (
            totals.days.keys().map(|(_, d)| *d).min(),
            totals.days.keys().map(|(_, d)| *d).max(),
        ) else {
            return Err(import_error(
                file,
                2,
                1,
                refuse!("the file has no readings", "el archivo no tiene lecturas"),
            ));
        };
        let (first_day, last_day) = (civil_from_days(first).to_string(), civil_from_days(last).to_string());
        let day_text = |d: i32| civil_from_days(d).to_string();
        // Each day's census text is written a batch at a time, below, so the
        // year's texts never sit in memory beside its census.
        let mut days: Vec<(i64, String, &lmp_core::staffing::check::DayTotals, (u32, i32))> = totals
            .days
            .iter()
            .map(|(key, t)| (units[key.0 as usize].id, day_text(key.1), t, *key))
            .collect();
        days.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let actor = permit.actor().username.clone();
        let now = crate::now_text();
        let taken = in_tx!(self, |tx| {
            // Days already taken in for these units in the file's stretch.
            let existing: Vec<(i64, String)> = sqlx::query_as(
                "SELECT staffing_unit_id, day FROM staffing_days WHERE partnership_id = $1 AND day BETWEEN $2 AND $3",
            )
            .bind(pid)
            .bind(&first_day)
            .bind(&last_day)
            .fetch_all(&mut *tx)
            .await?;
            let existing: std::collections::HashSet<(i64, String)> = existing.into_iter().collect();
            let overlapping: Vec<&(i64, String, _, _)> = days
                .iter()
                .filter(|(u, d, _, _)| existing.contains(&(*u, d.clone())))
                .collect();
            if let Some((unit_id, day, _, _)) = overlapping.first() {
                if !replace {
                    let code = units.iter().find(|u| u.id == *unit_id).map_or("", |u| u.code.as_str());
                    let count = overlapping.len();
                    return Err(StoreError::Rule(refuse!(
                        "{file}: {count} unit-days were taken in before (the first: {code} on {day}); \
                         take the file in with replace to put these readings in their place",
                        "{file}: {count} días-unidad ya se importaron (el primero: {code} el {day}); \
                         importe el archivo con reemplazo para poner estas lecturas en su lugar"
                    )));
                }
                for (unit_id, day, _, _) in &overlapping {
                    for table in ["staffing_days", "staffing_short_hours", "staffing_plan_gaps"] {
                        let column = if table == "staffing_days" {
                            "day"
                        } else {
                            "substr(hour, 1, 10)"
                        };
                        sqlx::query(&format!(
                            "DELETE FROM {table} WHERE partnership_id = $1 AND staffing_unit_id = $2 AND {column} = $3"
                        ))
                        .bind(pid)
                        .bind(unit_id)
                        .bind(day)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            // The same file again with replace keeps its import's row.
            let import_id: i64 = match same_file_again {
                Some(id) => {
                    sqlx::query(
                        "UPDATE staffing_imports SET file_name = $1, imported_at = $2, imported_by = $3 WHERE id = $4",
                    )
                    .bind(file)
                    .bind(&now)
                    .bind(&actor)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO staffing_imports (partnership_id, sha256, file_name, readings, unit_hours, \
                         first_day, last_day, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                         RETURNING id",
                    )
                    .bind(pid)
                    .bind(&sha256)
                    .bind(file)
                    .bind(totals.readings as i64)
                    .bind(i64::from(all.hours))
                    .bind(&first_day)
                    .bind(&last_day)
                    .bind(&now)
                    .bind(&actor)
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            // Rows built a batch at a time, so a year never sits in memory twice.
            for batch in days.chunks(ROWS_A_BATCH) {
                let rows: Vec<Vec<Value>> = batch
                    .iter()
                    .map(|(unit_id, day, t, key)| {
                        let census = totals.census.get(key).map(census_text).unwrap_or_default();
                        vec![
                            pid.into(),
                            (*unit_id).into(),
                            day.as_str().into(),
                            import_id.into(),
                            i64::from(t.hours).into(),
                            i64::from(t.short_hours).into(),
                            i64::from(t.triage_short_hours).into(),
                            i64::from(t.nurse_hours_short).into(),
                            (t.patient_hours as i64).into(),
                            (t.patient_hours_affected as i64).into(),
                            i64::from(t.below_plan_hours).into(),
                            i64::from(t.plan_nurse_hours_short).into(),
                            i64::from(t.plan_staff_hours_short).into(),
                            census.into(),
                        ]
                    })
                    .collect();
                tx.insert_rows("staffing_days", &DAY_COLUMNS, &rows).await?;
            }
            let short: Vec<_> = totals.flagged.iter().filter(|h| !h.verdict.complies()).collect();
            for batch in short.chunks(ROWS_A_BATCH) {
                let rows: Vec<Vec<Value>> = batch
                    .iter()
                    .map(|h| {
                        let v = h.verdict;
                        vec![
                            pid.into(),
                            units[h.unit as usize].id.into(),
                            hour_text(h.hour).into(),
                            import_id.into(),
                            i64::from(h.patients).into(),
                            i64::from(v.required.counted_nurses).into(),
                            i64::from(v.counted).into(),
                            i64::from(v.short).into(),
                            i64::from(v.triage_short).into(),
                            i64::from(v.patients_affected).into(),
                        ]
                    })
                    .collect();
                tx.insert_rows("staffing_short_hours", &SHORT_HOUR_COLUMNS, &rows)
                    .await?;
            }
            let below_plan: Vec<_> = totals.flagged.iter().filter(|h| h.below_plan.any()).collect();
            for batch in below_plan.chunks(ROWS_A_BATCH) {
                let mut rows: Vec<Vec<Value>> = Vec::new();
                for h in batch {
                    let Some((plan_id, gaps)) = checker.plan_gaps(h) else {
                        continue;
                    };
                    for gap in gaps {
                        rows.push(vec![
                            pid.into(),
                            units[h.unit as usize].id.into(),
                            hour_text(h.hour).into(),
                            gap.role.into(),
                            import_id.into(),
                            plan_id.into(),
                            i64::from(h.census.patients).into(),
                            i64::from(gap.planned).into(),
                            i64::from(gap.on_duty).into(),
                            i64::from(gap.short).into(),
                            i64::from(gap.patients_affected).into(),
                        ]);
                    }
                }
                tx.insert_rows("staffing_plan_gaps", &PLAN_GAP_COLUMNS, &rows).await?;
            }
            let taken = ReadingsTaken {
                import_id,
                readings: totals.readings,
                unit_hours: u64::from(all.hours),
                unit_days: days.len() as u64,
                short_hours: short.len() as u64,
                below_plan_hours: below_plan.len() as u64,
                first_day: first_day.clone(),
                last_day: last_day.clone(),
                unchanged: false,
                replaced_days: overlapping.len() as u64,
            };
            let change = Change::new("staffing.readings", "staffing_import", import_id).after(&serde_json::json!({
                "file": file, "sha256": sha256, "readings": taken.readings, "unit_hours": taken.unit_hours,
                "short_hours": taken.short_hours, "below_plan_hours": taken.below_plan_hours,
                "first_day": first_day, "last_day": last_day,
                "replaced_days": taken.replaced_days,
            }));
            tx.append_audit(pid, &actor, vec![change]).await?;
            taken
        });
        Ok(taken)
    }

    /// Compliance grouped by unit, facility, region or unit type, worst
    /// first, or by week, month or quarter, in order.
    pub async fn staffing_compliance(
        &self,
        partnership_id: i64,
        by: ComplianceBy,
        filter: &ComplianceFilter,
    ) -> Result<Vec<ComplianceRow>> {
        const WORST_FIRST: &str = "short_hours DESC, below_plan_hours DESC, key";
        let quarter = "substr(d.day, 1, 4) || '-Q' || CAST((CAST(substr(d.day, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)";
        let (key, name, order) = match by {
            ComplianceBy::Unit => ("su.code", "MAX(su.name)", WORST_FIRST),
            ComplianceBy::Facility => ("f.code", "MAX(f.name)", WORST_FIRST),
            ComplianceBy::Region => ("COALESCE(r.code, '')", "MAX(COALESCE(r.name, ''))", WORST_FIRST),
            ComplianceBy::UnitType => ("su.unit_type", "su.unit_type", WORST_FIRST),
            // Weeks are days folded by their Monday, below.
            ComplianceBy::Week => ("d.day", "d.day", "key"),
            ComplianceBy::Month => ("substr(d.day, 1, 7)", "substr(d.day, 1, 7)", "key"),
            ComplianceBy::Quarter => (quarter, quarter, "key"),
        };
        let sql = format!(
            "SELECT {key} AS key, {name} AS name, CAST(SUM(d.hours) AS BIGINT) AS hours, \
             CAST(SUM(d.short_hours) AS BIGINT) AS short_hours, \
             CAST(SUM(d.triage_short_hours) AS BIGINT) AS triage_short_hours, \
             CAST(SUM(d.nurse_hours_short) AS BIGINT) AS nurse_hours_short, \
             CAST(SUM(d.patient_hours) AS BIGINT) AS patient_hours, \
             CAST(SUM(d.patient_hours_affected) AS BIGINT) AS patient_hours_affected, \
             CAST(SUM(d.below_plan_hours) AS BIGINT) AS below_plan_hours, \
             CAST(SUM(d.plan_nurse_hours_short) AS BIGINT) AS plan_nurse_hours_short, \
             CAST(SUM(d.plan_staff_hours_short) AS BIGINT) AS plan_staff_hours_short \
             FROM staffing_days d {filtered} GROUP BY {key} ORDER BY {order}",
            filtered = filtered("d", "day"),
        );
        let rows: Vec<ComplianceRow> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(&filter.from)
            .bind(&filter.to)
            .bind(&filter.facility)
            .bind(&filter.region)
            .bind(&filter.unit)
            .fetch_all(pool)
            .await?);
        Ok(if by == ComplianceBy::Week { by_week(rows) } else { rows })
    }

    /// The worst hours below the approved plan: most staff short, then most
    /// patients affected; each role its own row.
    pub async fn staffing_plan_gaps(
        &self,
        partnership_id: i64,
        filter: &ComplianceFilter,
        limit: i64,
    ) -> Result<Vec<PlanGapHour>> {
        let sql = format!(
            "SELECT su.code AS unit, su.name AS unit_name, su.unit_type, f.code AS facility, g.hour, g.role, \
             p.version AS plan_version, g.patients, g.planned, g.on_duty, g.short, g.patients_affected \
             FROM staffing_plan_gaps g JOIN staffing_plans p ON p.id = g.plan_id {filtered} \
             ORDER BY g.short DESC, g.patients_affected DESC, g.hour, su.code, g.role LIMIT $7",
            filtered = filtered("g", "hour"),
        );
        self.worst(&sql, partnership_id, filter, limit).await
    }

    /// The worst hours: most nurses short, then most patients affected.
    pub async fn staffing_short_hours(
        &self,
        partnership_id: i64,
        filter: &ComplianceFilter,
        limit: i64,
    ) -> Result<Vec<ShortHour>> {
        let sql = format!(
            "SELECT su.code AS unit, su.name AS unit_name, su.unit_type, f.code AS facility, h.hour, h.patients, \
             h.required, h.counted, h.short, h.triage_short, h.patients_affected \
             FROM staffing_short_hours h {filtered} \
             ORDER BY h.short DESC, h.patients_affected DESC, h.hour, su.code LIMIT $7",
            filtered = filtered("h", "hour"),
        );
        self.worst(&sql, partnership_id, filter, limit).await
    }

    /// The rows of one of the worst-hours queries: `sql` ends with
    /// `filtered(…, "hour")` and its ORDER BY, then `LIMIT $7`.
    async fn worst<T>(&self, sql: &str, partnership_id: i64, filter: &ComplianceFilter, limit: i64) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        let (from, to) = filter.hours();
        Ok(on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(partnership_id)
            .bind(from)
            .bind(to)
            .bind(&filter.facility)
            .bind(&filter.region)
            .bind(&filter.unit)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }
}

/// The joins and WHERE clause every compliance query shares: rows of
/// the table aliased `t` for partnership $1, `t.column` from $2 to $3 (each
/// optional), then facility $4, region $5 and unit $6 (each optional) —
/// bound in that order. The unit is `su`, its facility `f`, the region `r`.
fn filtered(t: &str, column: &str) -> String {
    format!(
        "JOIN staffing_units su ON su.id = {t}.staffing_unit_id \
         JOIN units f ON f.id = su.facility_id LEFT JOIN units r ON r.id = f.parent_id \
         WHERE {t}.partnership_id = $1 AND ($2 IS NULL OR {t}.{column} >= $2) AND ($3 IS NULL OR {t}.{column} <= $3) \
         AND ($4 IS NULL OR f.code = $4) AND ($5 IS NULL OR r.code = $5) AND ($6 IS NULL OR su.code = $6)"
    )
}
