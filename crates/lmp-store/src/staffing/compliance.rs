//! Readings files taken in — checked on every core, then each unit's days
//! and every short hour written in one transaction — and compliance read
//! back by unit, facility, region or month, with the worst hours.

use super::files::check_readings;
use super::StaffingUnit;
use crate::audit::{AuditAppend, Change};
use crate::bulk::{BulkInsert, Value};
use crate::import::import_error;
use crate::trust::reader::Hashing;
use crate::{in_tx, on_pool, require, Result, Store, StoreError};
use lmp_core::policy::{Action, Permit};
use lmp_core::staffing::check::Totals;
use lmp_core::staffing::hourly::civil_from_days;
use lmp_core::staffing::layered::Layered;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

const ROWS_A_BATCH: usize = 20_000;

const DAY_COLUMNS: [&str; 10] = [
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReadingsTaken {
    /// The import's id; the earlier one's when the same file came again.
    pub import_id: i64,
    pub readings: u64,
    pub unit_hours: u64,
    pub unit_days: u64,
    pub short_hours: u64,
    pub first_day: String,
    pub last_day: String,
    /// The same file was taken in before: nothing changed.
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
            "{} readings, {} unit-hours from {} to {}; {} hours below the ratio{replaced}",
            self.readings, self.unit_hours, self.first_day, self.last_day, self.short_hours
        )
    }
}

/// Compliance over a stretch of days, for one group.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct ComplianceRow {
    /// The unit's, facility's or region's code, or the month (YYYY-MM).
    pub key: String,
    pub name: String,
    pub hours: i64,
    pub short_hours: i64,
    pub triage_short_hours: i64,
    pub nurse_hours_short: i64,
    pub patient_hours: i64,
    pub patient_hours_affected: i64,
}

impl ComplianceRow {
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
    Month,
}

impl std::str::FromStr for ComplianceBy {
    type Err = StoreError;
    fn from_str(text: &str) -> Result<ComplianceBy> {
        match text {
            "unit" => Ok(ComplianceBy::Unit),
            "facility" => Ok(ComplianceBy::Facility),
            "region" => Ok(ComplianceBy::Region),
            "month" => Ok(ComplianceBy::Month),
            other => Err(StoreError::Rule(format!(
                "group by {other:?}: choose unit, facility, region or month"
            ))),
        }
    }
}

/// An hour below the ratio, as its worst reading found it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
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

/// Filters on compliance and short hours.
#[derive(Debug, Clone, Default)]
pub struct ComplianceFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub facility: Option<String>,
    pub region: Option<String>,
    pub unit: Option<String>,
}

impl Store {
    /// Take in a readings file: checked against each unit's rules, then
    /// each unit's days and every short hour written, all or none. The same
    /// file again changes nothing; a unit-day taken in before is refused
    /// unless `replace`, which replaces those days. `progress` hears bytes read.
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
            return Err(StoreError::Rule(
                "describe the units first (lmp staffing units FILE, or the units file on the Staffing page)".into(),
            ));
        }
        let mut sets: BTreeMap<String, Layered> = BTreeMap::new();
        for unit in &units {
            if !sets.contains_key(&unit.rule_set) {
                sets.insert(unit.rule_set.clone(), self.staffing_layered(pid, &unit.rule_set).await?);
            }
        }
        let file_name = file.to_string();
        let units_for_check = units.clone();
        let (totals, sha256) = tokio::task::spawn_blocking(move || -> Result<(Totals, String)> {
            let defs: Vec<_> = units_for_check.iter().map(StaffingUnit::def).collect();
            let rules: Vec<&Layered> = units_for_check.iter().map(|u| &sets[&u.rule_set]).collect();
            let mut hashing = Hashing::new(reader);
            let totals = check_readings(&rules, "units", &defs, &file_name, &mut hashing, &*progress)?;
            let sha = hashing
                .finish()
                .map_err(|e| import_error(&file_name, 0, 1, format!("cannot read: {e}")))?;
            Ok((totals, sha))
        })
        .await
        .map_err(|e| StoreError::Rule(format!("the check stopped: {e}")))??;
        let earlier: Option<(i64, i64, i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, readings, unit_hours, first_day, last_day FROM staffing_imports \
             WHERE partnership_id = $1 AND sha256 = $2"
        )
        .bind(pid)
        .bind(&sha256)
        .fetch_optional(pool)
        .await?);
        if let Some((import_id, readings, unit_hours, first_day, last_day)) = earlier {
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
            return Err(import_error(file, 2, 1, "the file has no readings"));
        };
        let (first_day, last_day) = (civil_from_days(first).to_string(), civil_from_days(last).to_string());
        let day_text = |d: i32| civil_from_days(d).to_string();
        let mut days: Vec<(i64, String, &lmp_core::staffing::check::DayTotals)> = totals
            .days
            .iter()
            .map(|((u, d), t)| (units[*u as usize].id, day_text(*d), t))
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
            let overlapping: Vec<&(i64, String, _)> = days
                .iter()
                .filter(|(u, d, _)| existing.contains(&(*u, d.clone())))
                .collect();
            if let Some((unit_id, day, _)) = overlapping.first() {
                if !replace {
                    let code = units.iter().find(|u| u.id == *unit_id).map_or("", |u| u.code.as_str());
                    return Err(StoreError::Rule(format!(
                        "{file}: {} unit-days were taken in before (the first: {code} on {day}); \
                         take the file in with replace to put these readings in their place",
                        overlapping.len()
                    )));
                }
                for (unit_id, day, _) in &overlapping {
                    for table in ["staffing_days", "staffing_short_hours"] {
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
            let import_id: i64 = sqlx::query_scalar(
                "INSERT INTO staffing_imports (partnership_id, sha256, file_name, readings, unit_hours, first_day, \
                 last_day, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
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
            .await?;
            // Rows built a batch at a time, so a year never sits in memory twice.
            for batch in days.chunks(ROWS_A_BATCH) {
                let rows: Vec<Vec<Value>> = batch
                    .iter()
                    .map(|(unit_id, day, t)| {
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
                        ]
                    })
                    .collect();
                tx.insert_rows("staffing_days", &DAY_COLUMNS, &rows).await?;
            }
            for batch in totals.short.chunks(ROWS_A_BATCH) {
                let rows: Vec<Vec<Value>> = batch
                    .iter()
                    .map(|h| {
                        let v = h.verdict;
                        vec![
                            pid.into(),
                            units[h.unit as usize].id.into(),
                            format!(
                                "{}T{:02}:00",
                                civil_from_days(h.hour.div_euclid(24) as i32),
                                h.hour.rem_euclid(24)
                            )
                            .into(),
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
            let taken = ReadingsTaken {
                import_id,
                readings: totals.readings,
                unit_hours: u64::from(all.hours),
                unit_days: days.len() as u64,
                short_hours: totals.short.len() as u64,
                first_day: first_day.clone(),
                last_day: last_day.clone(),
                unchanged: false,
                replaced_days: overlapping.len() as u64,
            };
            let change = Change::new("staffing.readings", "staffing_import", import_id).after(&serde_json::json!({
                "file": file, "sha256": sha256, "readings": taken.readings, "unit_hours": taken.unit_hours,
                "short_hours": taken.short_hours, "first_day": first_day, "last_day": last_day,
                "replaced_days": taken.replaced_days,
            }));
            tx.append_audit(pid, &actor, vec![change]).await?;
            taken
        });
        Ok(taken)
    }

    /// Compliance grouped by unit, facility, region or month, worst first
    /// (months in order).
    pub async fn staffing_compliance(
        &self,
        partnership_id: i64,
        by: ComplianceBy,
        filter: &ComplianceFilter,
    ) -> Result<Vec<ComplianceRow>> {
        let (key, name, order) = match by {
            ComplianceBy::Unit => ("su.code", "MAX(su.name)", "short_hours DESC, key"),
            ComplianceBy::Facility => ("f.code", "MAX(f.name)", "short_hours DESC, key"),
            ComplianceBy::Region => (
                "COALESCE(r.code, '')",
                "MAX(COALESCE(r.name, ''))",
                "short_hours DESC, key",
            ),
            ComplianceBy::Month => ("substr(d.day, 1, 7)", "substr(d.day, 1, 7)", "key"),
        };
        let sql = format!(
            "SELECT {key} AS key, {name} AS name, CAST(SUM(d.hours) AS BIGINT) AS hours, \
             CAST(SUM(d.short_hours) AS BIGINT) AS short_hours, \
             CAST(SUM(d.triage_short_hours) AS BIGINT) AS triage_short_hours, \
             CAST(SUM(d.nurse_hours_short) AS BIGINT) AS nurse_hours_short, \
             CAST(SUM(d.patient_hours) AS BIGINT) AS patient_hours, \
             CAST(SUM(d.patient_hours_affected) AS BIGINT) AS patient_hours_affected \
             FROM staffing_days d JOIN staffing_units su ON su.id = d.staffing_unit_id \
             JOIN units f ON f.id = su.facility_id LEFT JOIN units r ON r.id = f.parent_id \
             WHERE d.partnership_id = $1 AND ($2 IS NULL OR d.day >= $2) AND ($3 IS NULL OR d.day <= $3) \
             AND ($4 IS NULL OR f.code = $4) AND ($5 IS NULL OR r.code = $5) AND ($6 IS NULL OR su.code = $6) \
             GROUP BY {key} ORDER BY {order}"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(&filter.from)
            .bind(&filter.to)
            .bind(&filter.facility)
            .bind(&filter.region)
            .bind(&filter.unit)
            .fetch_all(pool)
            .await?))
    }

    /// The worst hours: most nurses short, then most patients affected.
    pub async fn staffing_short_hours(
        &self,
        partnership_id: i64,
        filter: &ComplianceFilter,
        limit: i64,
    ) -> Result<Vec<ShortHour>> {
        let from = filter.from.as_ref().map(|d| format!("{d}T00:00"));
        let to = filter.to.as_ref().map(|d| format!("{d}T23:00"));
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT su.code AS unit, su.name AS unit_name, su.unit_type, f.code AS facility, h.hour, h.patients, \
             h.required, h.counted, h.short, h.triage_short, h.patients_affected \
             FROM staffing_short_hours h JOIN staffing_units su ON su.id = h.staffing_unit_id \
             JOIN units f ON f.id = su.facility_id LEFT JOIN units r ON r.id = f.parent_id \
             WHERE h.partnership_id = $1 AND ($2 IS NULL OR h.hour >= $2) AND ($3 IS NULL OR h.hour <= $3) \
             AND ($4 IS NULL OR f.code = $4) AND ($5 IS NULL OR r.code = $5) AND ($6 IS NULL OR su.code = $6) \
             ORDER BY h.short DESC, h.patients_affected DESC, h.hour, su.code LIMIT $7"
        )
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
