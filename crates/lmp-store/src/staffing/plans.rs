//! Staffing plans built jointly: each version written by a co-lead of the
//! unit's team (either side) with a note of what changed, kept whole; in
//! force only once the labor and the management co-lead have each approved
//! that very version. "What if" weighs a changed plan against the one in force.

use crate::audit::{AuditAppend, Change};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use lmp_core::policy::{Action, Permit};
use lmp_core::staffing::plan::{build, what_if, Plan, PlanInput, RoleYear, WhatIf};
use lmp_core::Side;
use serde::Serialize;

/// One version of a unit's plan, with the staff it asks for and its year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanVersion {
    pub id: i64,
    pub unit: String,
    pub version: i64,
    pub note: String,
    pub written_by: String,
    pub written_at: String,
    pub labor_approved_by: Option<String>,
    pub labor_approved_at: Option<String>,
    pub management_approved_by: Option<String>,
    pub management_approved_at: Option<String>,
    /// Both sides approved this version.
    pub approved: bool,
    /// The approved version in force: the latest approved one.
    pub in_force: bool,
    #[schema(value_type = Object)]
    pub input: PlanInput,
    #[schema(value_type = Object)]
    pub plan: Plan,
    #[schema(value_type = Vec<Object>)]
    pub year: Vec<RoleYear>,
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    version: i64,
    input_json: String,
    note: String,
    written_by: String,
    written_at: String,
    labor_approved_by: Option<String>,
    labor_approved_at: Option<String>,
    management_approved_by: Option<String>,
    management_approved_at: Option<String>,
}

const PLAN_SELECT: &str = "SELECT id, version, input_json, note, written_by, written_at, labor_approved_by, \
     labor_approved_at, management_approved_by, management_approved_at FROM staffing_plans";

impl Store {
    /// Build a plan for one of the partnership's units under its rules today.
    async fn build_plan(&self, partnership_id: i64, unit_code: &str, input: &PlanInput) -> Result<Plan> {
        let unit = self.staffing_unit(partnership_id, unit_code).await?;
        let layered = self.staffing_layered(partnership_id, &unit.rule_set).await?;
        build(&layered, &unit.unit_type, crate::today(), input).map_err(|e| StoreError::Rule(e.to_string()))
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
            let input: PlanInput =
                serde_json::from_str(&row.input_json).map_err(|e| StoreError::Rule(format!("a stored plan: {e}")))?;
            let plan = build(&layered, &unit.unit_type, today, &input).map_err(|e| StoreError::Rule(e.to_string()))?;
            let approved = row.labor_approved_by.is_some() && row.management_approved_by.is_some();
            let in_force = approved && !in_force_found;
            in_force_found |= in_force;
            versions.push(PlanVersion {
                id: row.id,
                unit: unit.code.clone(),
                version: row.version,
                note: row.note,
                written_by: row.written_by,
                written_at: row.written_at,
                labor_approved_by: row.labor_approved_by,
                labor_approved_at: row.labor_approved_at,
                management_approved_by: row.management_approved_by,
                management_approved_at: row.management_approved_at,
                approved,
                in_force,
                year: plan.year(&input.pay_cents),
                input,
                plan,
            });
        }
        Ok(versions)
    }

    /// Write the next version of a unit's plan: a co-lead of its team.
    pub async fn write_staffing_plan(
        &self,
        permit: &Permit,
        unit_code: &str,
        input: &PlanInput,
        note: &str,
    ) -> Result<PlanVersion> {
        let pid = permit.actor().partnership_id;
        let unit = self.staffing_unit(pid, unit_code).await?;
        match permit.action() {
            Action::EditStaffingPlan { team_id, .. } if Some(team_id) == unit.team_id => {}
            _ => return Err(StoreError::Denied(lmp_core::policy::Denied::Forbidden)),
        }
        let note = note.trim();
        if note.is_empty() || note.chars().count() > 2000 {
            return Err(StoreError::Rule(
                "say what this version changes and why (up to 2,000 characters)".into(),
            ));
        }
        // Checked by building it: a plan the rules cannot staff is refused.
        self.build_plan(pid, unit_code, input).await?;
        let json = serde_json::to_string(input).map_err(|e| StoreError::Rule(e.to_string()))?;
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
                 written_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(pid)
            .bind(unit.id)
            .bind(version)
            .bind(&json)
            .bind(note)
            .bind(&actor)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("staffing.plan_written", "staffing_plan", id).after(&serde_json::json!({
                "unit": unit.code, "version": version, "note": note, "input": input,
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
            Action::ApproveStaffingPlan { team_id: t, side, .. } if Some(t) == team_id => side,
            _ => return Err(StoreError::Denied(lmp_core::policy::Denied::Forbidden)),
        };
        let column = match side {
            Side::Labor => "labor",
            Side::Management => "management",
            Side::Physician => {
                return Err(StoreError::Rule(
                    "a staffing plan is approved by the labor and the management co-lead".into(),
                ))
            }
        };
        let actor = permit.actor().username.clone();
        let now = crate::now_text();
        in_tx!(self, |tx| {
            let (version, latest, already): (i64, i64, Option<String>) = sqlx::query_as(&format!(
                "SELECT p.version, (SELECT MAX(version) FROM staffing_plans q WHERE q.staffing_unit_id = p.staffing_unit_id), \
                 p.{column}_approved_by FROM staffing_plans p WHERE p.id = $1"
            ))
            .bind(plan_id)
            .fetch_one(&mut *tx)
            .await?;
            if version != latest {
                return Err(StoreError::Rule(format!(
                    "version {version} has been followed by version {latest}: approve the latest"
                )));
            }
            if let Some(by) = already {
                return Err(StoreError::Rule(format!(
                    "{by} already approved this version for {column}"
                )));
            }
            // Same person for both sides is impossible: one seat, one side.
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
        self.staffing_plan_version(pid, &unit_code, plan_id).await
    }

    /// A changed plan weighed against the one in force (or, if none is, the
    /// latest version): staff-hours and cost a year, role by role.
    pub async fn staffing_what_if(&self, partnership_id: i64, unit_code: &str, changed: &PlanInput) -> Result<WhatIf> {
        let versions = self.staffing_plans(partnership_id, unit_code).await?;
        let base = versions
            .iter()
            .find(|v| v.in_force)
            .or(versions.first())
            .ok_or_else(|| StoreError::Rule(format!("{unit_code} has no staffing plan yet to compare with")))?;
        let after = self.build_plan(partnership_id, unit_code, changed).await?;
        Ok(what_if((&base.plan, &base.input), (&after, changed)))
    }
}
