//! Staffing plans built jointly: each version written by a co-lead of the
//! unit's team (either side) with a note of what changed, kept whole; in
//! force only once the labor and the management co-lead have each approved
//! that very version, from the first day its co-leads set, until a later
//! approved version's first day. "What if" weighs a changed plan against
//! the one in force; a plan's week can be derived from the unit's history.

use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use jiff::civil::Date;
use lmp_core::policy::{Action, Permit};
use lmp_core::refuse;
use lmp_core::staffing::check::ScheduledPlan;
use lmp_core::staffing::history::{expected_week, parse_census, DerivedWeek};
use lmp_core::staffing::hourly::day_number;
use lmp_core::staffing::layered::Layered;
use lmp_core::staffing::plan::{build, what_if, Plan, PlanInput, RoleYear, WhatIf};
use lmp_core::two_key::{KeyRefused, Keys};
use serde::Serialize;
use std::collections::BTreeMap;

/// One version of a unit's plan, with the staff it asks for and its year.
#[derive(Debug, Clone, Serialize)]
pub struct PlanVersion {
    pub id: i64,
    pub unit: String,
    pub version: i64,
    pub note: String,
    pub written_by: String,
    pub written_at: String,
    /// The first day this version governs (YYYY-MM-DD).
    pub effective_from: String,
    pub labor_approved_by: Option<String>,
    pub labor_approved_at: Option<String>,
    pub management_approved_by: Option<String>,
    pub management_approved_at: Option<String>,
    /// Both sides approved this version.
    pub approved: bool,
    /// The version in force today: the latest approved one begun by now.
    pub in_force: bool,
    pub input: PlanInput,
    pub plan: Plan,
    pub year: Vec<RoleYear>,
    /// Set by the approval that completes a version: the unit's days from
    /// its first day that were already taken in, and so judged without it.
    /// Taking their file in again with replace holds them to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judged_before_approval: Option<DaysTakenIn>,
}

/// A unit's days of readings already taken in within a span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaysTakenIn {
    pub first: String,
    pub last: String,
    pub days: i64,
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    version: i64,
    input_json: String,
    note: String,
    written_by: String,
    written_at: String,
    effective_from: String,
    labor_approved_by: Option<String>,
    labor_approved_at: Option<String>,
    management_approved_by: Option<String>,
    management_approved_at: Option<String>,
}

const PLAN_SELECT: &str = "SELECT id, version, input_json, note, written_by, written_at, \
     COALESCE(effective_from, substr(written_at, 1, 10)) AS effective_from, labor_approved_by, \
     labor_approved_at, management_approved_by, management_approved_at FROM staffing_plans";

/// A stored plan's input and first day, read back.
fn stored_plan(input_json: &str, effective_from: &str) -> Result<(PlanInput, Date)> {
    let input = serde_json::from_str(input_json)
        .map_err(|e| StoreError::Rule(refuse!("a stored plan: {e}", "un plan guardado: {e}")))?;
    Ok((input, stored_day(effective_from)?))
}

/// A day as stored (YYYY-MM-DD), read back.
fn stored_day(text: &str) -> Result<Date> {
    text.parse()
        .map_err(|e| StoreError::Rule(refuse!("a stored day {text:?}: {e}", "un día guardado {text:?}: {e}")))
}

/// A plan built under the rules in force on its first day.
fn build_on(layered: &Layered, unit_type: &str, day: Date, input: &PlanInput) -> Result<Plan> {
    build(layered, unit_type, day, input).map_err(|e| StoreError::Rule(e.into()))
}

impl Store {
    /// Build a plan for one of the partnership's units under its rules on `day`.
    async fn build_plan(&self, partnership_id: i64, unit_code: &str, input: &PlanInput, day: Date) -> Result<Plan> {
        let unit = self.staffing_unit(partnership_id, unit_code).await?;
        let layered = self.staffing_layered(partnership_id, &unit.rule_set).await?;
        build_on(&layered, &unit.unit_type, day, input)
    }

    /// Every approved plan version, by the unit's id, in version order:
    /// what readings are held to.
    pub(crate) async fn held_staffing_plans(
        &self,
        partnership_id: i64,
        sets: &BTreeMap<String, Layered>,
    ) -> Result<BTreeMap<i64, Vec<ScheduledPlan>>> {
        let rows: Vec<(i64, i64, String, String, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT p.id, p.staffing_unit_id, su.unit_type, su.rule_set, p.input_json, \
             COALESCE(p.effective_from, substr(p.written_at, 1, 10)) FROM staffing_plans p \
             JOIN staffing_units su ON su.id = p.staffing_unit_id WHERE p.partnership_id = $1 \
             AND p.labor_approved_by IS NOT NULL AND p.management_approved_by IS NOT NULL \
             ORDER BY p.staffing_unit_id, p.version"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        let mut held: BTreeMap<i64, Vec<ScheduledPlan>> = BTreeMap::new();
        for (id, unit_id, unit_type, rule_set, input_json, effective_from) in rows {
            let Some(layered) = sets.get(&rule_set) else { continue };
            let (input, day) = stored_plan(&input_json, &effective_from)?;
            let plan = build_on(layered, &unit_type, day, &input)?;
            held.entry(unit_id).or_default().push(ScheduledPlan {
                id,
                from_day: day_number(day),
                plan,
            });
        }
        Ok(held)
    }

    /// Every version of a unit's plan, newest first.
    pub async fn staffing_plans(&self, partnership_id: i64, unit_code: &str) -> Result<Vec<PlanVersion>> {
        let unit = self.staffing_unit(partnership_id, unit_code).await?;
        let rows: Vec<PlanRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{PLAN_SELECT} WHERE partnership_id = $1 AND staffing_unit_id = $2 ORDER BY version DESC"
        ))
        .bind(partnership_id)
        .bind(unit.id)
        .fetch_all(pool)
        .await?);
        // The unit's rules are read once for all its versions.
        let layered = self.staffing_layered(partnership_id, &unit.rule_set).await?;
        let today = crate::today();
        let mut versions = Vec::with_capacity(rows.len());
        let mut in_force_found = false;
        for row in rows {
            let (input, first_day) = stored_plan(&row.input_json, &row.effective_from)?;
            let plan = build_on(&layered, &unit.unit_type, first_day, &input)?;
            let approved = row.labor_approved_by.is_some() && row.management_approved_by.is_some();
            let in_force = approved && first_day <= today && !in_force_found;
            in_force_found |= in_force;
            versions.push(PlanVersion {
                id: row.id,
                unit: unit.code.clone(),
                version: row.version,
                note: row.note,
                written_by: row.written_by,
                written_at: row.written_at,
                effective_from: row.effective_from,
                labor_approved_by: row.labor_approved_by,
                labor_approved_at: row.labor_approved_at,
                management_approved_by: row.management_approved_by,
                management_approved_at: row.management_approved_at,
                approved,
                in_force,
                year: plan.year(&input.pay_cents),
                input,
                plan,
                judged_before_approval: None,
            });
        }
        Ok(versions)
    }

    /// Write the next version of a unit's plan: a co-lead of its team. It
    /// governs from `effective_from` (today when not given) once both
    /// sides approve it.
    pub async fn write_staffing_plan(
        &self,
        permit: &Permit,
        unit_code: &str,
        input: &PlanInput,
        note: &str,
        effective_from: Option<Date>,
    ) -> Result<PlanVersion> {
        let pid = permit.actor().partnership_id;
        let unit = self.staffing_unit(pid, unit_code).await?;
        match permit.action() {
            Action::EditStaffingPlan { seats } if Some(seats.body_id()) == unit.team_id => {}
            _ => return Err(StoreError::Denied(lmp_core::policy::Denied::Forbidden)),
        }
        let note = note.trim();
        if note.is_empty() || note.chars().count() > 2000 {
            return Err(StoreError::Rule(refuse!(
                "say what this version changes and why (up to 2,000 characters)",
                "diga qué cambia esta versión y por qué (hasta 2.000 caracteres)"
            )));
        }
        let effective_from = effective_from.unwrap_or_else(crate::today);
        // Checked by building it: a plan the rules cannot staff is refused.
        self.build_plan(pid, unit_code, input, effective_from).await?;
        let effective_text = effective_from.to_string();
        let json = crate::json_of(input)?;
        let actor = permit.actor().username.clone();
        let now = crate::now_text();
        let id = in_tx!(self, |tx| {
            let latest: Option<i64> =
                sqlx::query_scalar("SELECT MAX(version) FROM staffing_plans WHERE staffing_unit_id = $1")
                    .bind(unit.id)
                    .fetch_one(&mut *tx)
                    .await?;
            let version = latest.unwrap_or(0) + 1;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO staffing_plans (partnership_id, staffing_unit_id, version, input_json, note, written_by, \
                 written_at, effective_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(pid)
            .bind(unit.id)
            .bind(version)
            .bind(&json)
            .bind(note)
            .bind(&actor)
            .bind(&now)
            .bind(&effective_text)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("staffing.plan_written", "staffing_plan", id).after(&serde_json::json!({
                "unit": unit.code, "version": version, "note": note, "effective_from": effective_text, "input": input,
            }));
            tx.append_audit(pid, &actor, vec![change]).await?;
            id
        });
        self.staffing_plan_version(pid, unit_code, id).await
    }

    async fn staffing_plan_version(&self, partnership_id: i64, unit_code: &str, id: i64) -> Result<PlanVersion> {
        self.staffing_plans(partnership_id, unit_code)
            .await?
            .into_iter()
            .find(|v| v.id == id)
            .ok_or(StoreError::NotFound("staffing plan"))
    }

    /// The unit a plan version belongs to: (unit code, team id).
    pub async fn staffing_plan_unit(&self, partnership_id: i64, plan_id: i64) -> Result<(String, Option<i64>)> {
        let row: Option<(String, Option<i64>)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT su.code, su.team_id FROM staffing_plans p JOIN staffing_units su ON su.id = p.staffing_unit_id \
             WHERE p.partnership_id = $1 AND p.id = $2"
        )
        .bind(partnership_id)
        .bind(plan_id)
        .fetch_optional(pool)
        .await?
        });
        row.ok_or(StoreError::NotFound("staffing plan"))
    }

    /// Approve the latest version for the permit's side, once; the version
    /// is in force when both sides have.
    pub async fn approve_staffing_plan(&self, permit: &Permit, plan_id: i64) -> Result<PlanVersion> {
        let pid = permit.actor().partnership_id;
        let (unit_code, team_id) = self.staffing_plan_unit(pid, plan_id).await?;
        let side = match permit.action() {
            Action::ApproveStaffingPlan { seats } if Some(seats.body_id()) == team_id => seats.co_lead_side(),
            _ => None,
        }
        .ok_or(StoreError::Denied(lmp_core::policy::Denied::Forbidden))?;
        let actor = permit.actor().username.clone();
        let now = crate::now_text();
        in_tx!(self, |tx| {
            let (version, latest, labor, management): (i64, i64, Option<String>, Option<String>) = sqlx::query_as(
                "SELECT p.version, (SELECT MAX(version) FROM staffing_plans q WHERE q.staffing_unit_id = p.staffing_unit_id), \
                 p.labor_approved_by, p.management_approved_by FROM staffing_plans p WHERE p.id = $1",
            )
            .bind(plan_id)
            .fetch_one(&mut *tx)
            .await?;
            if version != latest {
                return Err(StoreError::Rule(refuse!(
                    "version {version} has been followed by version {latest}: approve the latest",
                    "a la versión {version} le siguió la versión {latest}: apruebe la más reciente"
                )));
            }
            let mut keys = Keys { labor, management };
            keys.turn(side, &actor).map_err(|refused| {
                StoreError::Rule(match refused {
                    KeyRefused::AlreadyTurned { side, by } => {
                        let side_es = side.label_in(lmp_core::language::Language::Spanish);
                        refuse!(
                            "{by} already approved this version for {side}",
                            "{by} ya aprobó esta versión por la parte «{side_es}»"
                        )
                    }
                    KeyRefused::NotASide(_) => refuse!(
                        "a staffing plan is approved by the labor and the management co-lead",
                        "un plan de dotación lo aprueban el colíder sindical y el de la gerencia"
                    ),
                    KeyRefused::BothByOne => refused.into(),
                })
            })?;
            let column = side.as_str();
            sqlx::query(&format!(
                "UPDATE staffing_plans SET {column}_approved_by = $1, {column}_approved_at = $2 WHERE id = $3"
            ))
            .bind(&actor)
            .bind(&now)
            .bind(plan_id)
            .execute(&mut *tx)
            .await?;
            let change = Change::new("staffing.plan_approved", "staffing_plan", plan_id)
                .after(&serde_json::json!({ "unit": unit_code, "version": version, "side": column }));
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        let mut approved = self.staffing_plan_version(pid, &unit_code, plan_id).await?;
        if approved.approved {
            approved.judged_before_approval = self
                .staffing_days_taken_in(pid, &unit_code, &approved.effective_from)
                .await?;
        }
        Ok(approved)
    }

    /// The unit's days of readings taken in from `from` on, if any.
    async fn staffing_days_taken_in(
        &self,
        partnership_id: i64,
        unit_code: &str,
        from: &str,
    ) -> Result<Option<DaysTakenIn>> {
        let (first, last, days): (Option<String>, Option<String>, i64) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT MIN(d.day), MAX(d.day), COUNT(*) FROM staffing_days d \
             JOIN staffing_units su ON su.id = d.staffing_unit_id \
             WHERE d.partnership_id = $1 AND su.code = $2 AND d.day >= $3"
        )
        .bind(partnership_id)
        .bind(unit_code)
        .bind(from)
        .fetch_one(pool)
        .await?);
        Ok(match (first, last) {
            (Some(first), Some(last)) => Some(DaysTakenIn { first, last, days }),
            _ => None,
        })
    }

    /// A changed plan weighed against the one in force (or, if none is, the
    /// latest version): staff-hours and cost a year, role by role.
    pub async fn staffing_what_if(&self, partnership_id: i64, unit_code: &str, changed: &PlanInput) -> Result<WhatIf> {
        let versions = self.staffing_plans(partnership_id, unit_code).await?;
        let base = versions
            .iter()
            .find(|v| v.in_force)
            .or(versions.first())
            .ok_or_else(|| {
                StoreError::Rule(refuse!(
                    "{unit_code} has no staffing plan yet to compare with",
                    "{unit_code} aún no tiene un plan de dotación con el que comparar"
                ))
            })?;
        let after = self
            .build_plan(partnership_id, unit_code, changed, crate::today())
            .await?;
        Ok(what_if((&base.plan, &base.input), (&after, changed)))
    }

    /// The week a unit's history expects: each hour of the week at
    /// `percentile` of the days taken in between `from` and `to` — by
    /// default the 52 weeks up to the unit's last day taken in.
    pub async fn staffing_history(
        &self,
        partnership_id: i64,
        unit_code: &str,
        from: Option<Date>,
        to: Option<Date>,
        percentile: u32,
    ) -> Result<DerivedWeek> {
        if percentile > 100 {
            return Err(StoreError::Rule(refuse!(
                "percentile {percentile}: choose 0 to 100",
                "percentil {percentile}: elija de 0 a 100"
            )));
        }
        let unit = self.staffing_unit(partnership_id, unit_code).await?;
        let to = match to {
            Some(to) => to,
            None => {
                let last: Option<String> = on_pool!(self, |pool| sqlx::query_scalar(
                    "SELECT MAX(day) FROM staffing_days WHERE staffing_unit_id = $1 AND census <> ''"
                )
                .bind(unit.id)
                .fetch_one(pool)
                .await?);
                let last = last.ok_or_else(|| {
                    StoreError::Rule(refuse!(
                        "{unit_code} has no readings taken in yet",
                        "{unit_code} aún no tiene lecturas importadas"
                    ))
                })?;
                stored_day(&last)?
            }
        };
        let from = from.unwrap_or_else(|| to.checked_sub(jiff::Span::new().days(363)).unwrap_or(to));
        if from > to {
            return Err(StoreError::Rule(refuse!(
                "from {from} is after to {to}",
                "desde {from} es posterior a hasta {to}"
            )));
        }
        let rows: Vec<(String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT day, census FROM staffing_days WHERE staffing_unit_id = $1 AND day BETWEEN $2 AND $3 \
             AND census <> '' ORDER BY day"
        )
        .bind(unit.id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(pool)
        .await?);
        let mut days = Vec::with_capacity(rows.len());
        for (day, census) in rows {
            let date = stored_day(&day)?;
            let census = parse_census(&census).map_err(|e| {
                StoreError::Rule(e.after(&format!("{unit_code} on {day}"), &format!("{unit_code} el {day}")))
            })?;
            days.push((day_number(date), census));
        }
        if days.is_empty() {
            return Err(StoreError::Rule(refuse!(
                "{unit_code} has no readings taken in between {from} and {to}",
                "{unit_code} no tiene lecturas importadas entre {from} y {to}"
            )));
        }
        Ok(expected_week(&days, percentile))
    }
}
