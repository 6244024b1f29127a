//! Staffing's changes and questions, written once for the pages and the
//! API: units from a file, a negotiated rule set, a readings upload spooled
//! to disk and taken in by the same import as the command line, and what
//! one case needs under a rule set.

use crate::http::upload::{file_name, Spooled};
use crate::http::{AppError, AppResult};
use crate::state::AppState;
use axum::body::Bytes;
use futures::Stream;
use lmp_core::policy::{authorize, Action, Actor};
use lmp_core::staffing::rules::RuleSet;
use lmp_store::staffing::compliance::{ComplianceFilter, ReadingsTaken};
use lmp_store::staffing::UnitsTaken;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The largest readings file taken over the web: a year of hourly readings
/// for several times the demo's 2,000 units.
pub const LARGEST_READINGS_BYTES: usize = 4 << 30;

/// A date a form or query may leave empty.
fn optional_day(what: &str, value: &Option<String>) -> AppResult<Option<jiff::civil::Date>> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| crate::http::parse_day(what, t))
        .transpose()
}

/// Describe units from a units file.
pub async fn import_units(
    state: &AppState,
    actor: &Actor,
    name: &str,
    bytes: &[u8],
    rule_set: Option<&str>,
) -> AppResult<UnitsTaken> {
    let permit = authorize(actor, Action::ManageStaffing, actor.partnership_id)?;
    let name = file_name(name, "units")?;
    Ok(state
        .store
        .import_staffing_units(&permit, name, bytes, rule_set.filter(|s| !s.trim().is_empty()))
        .await?)
}

/// Take in a readings file as it streams in.
pub async fn import_readings<E: std::fmt::Display>(
    state: &AppState,
    actor: &Actor,
    name: &str,
    body: impl Stream<Item = Result<Bytes, E>>,
    replace: bool,
) -> AppResult<ReadingsTaken> {
    let permit = authorize(actor, Action::ManageStaffing, actor.partnership_id)?;
    let name = file_name(name, "readings")?;
    let spooled = Spooled::take(body).await?;
    let taken = state
        .store
        .import_staffing_readings(&permit, name, spooled.reader()?, replace, std::sync::Arc::new(|_| {}))
        .await?;
    Ok(taken)
}

/// Add or replace one of the partnership's rule sets.
pub async fn save_rule_set(state: &AppState, actor: &Actor, set: RuleSet) -> AppResult<RuleSet> {
    let permit = authorize(actor, Action::ManageStaffing, actor.partnership_id)?;
    Ok(state.store.save_staffing_rule_set(&permit, set).await?)
}

/// One case: a unit type and who is in it.
#[derive(Debug, Clone, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// The rule set (ca-title22 by default, or one of the partnership's).
    pub rules: Option<String>,
    /// Kebab-case: med-surg, emergency, operating-room, …
    pub unit_type: String,
    /// Patients in the unit (for the ED, all of them).
    #[serde(default)]
    pub patients: u32,
    /// ED: how many of the patients are critical-care patients.
    #[serde(default)]
    pub critical: u32,
    /// ED: how many are trauma patients.
    #[serde(default)]
    pub trauma: u32,
    /// Operating room: rooms with a patient in them.
    pub occupied_rooms: Option<u32>,
    /// The day whose rules apply, YYYY-MM-DD; today by default.
    pub on: Option<String>,
}

/// What a case needs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseAnswer {
    /// Licensed nurses counted toward the ratio, at all times.
    pub counted_nurses: u32,
    /// Triage nurses on duty besides, not counted.
    pub triage_nurses: u32,
    /// The rule sets that asked, the law first, with the version in force.
    pub rules: Vec<String>,
}

pub async fn required(state: &AppState, actor: &Actor, q: &CaseQuery) -> AppResult<CaseAnswer> {
    authorize(actor, Action::ReadStaffing, actor.partnership_id)?;
    let code = q.rules.as_deref().filter(|r| !r.is_empty()).unwrap_or("ca-title22");
    let layered = state.store.staffing_layered(actor.partnership_id, code).await?;
    let day = match q.on.as_deref().filter(|d| !d.is_empty()) {
        Some(text) => crate::http::parse_day("on", text)?,
        None => lmp_store::today(),
    };
    let mut by_class = Vec::new();
    if q.critical > 0 {
        by_class.push(("critical", q.critical));
    }
    if q.trauma > 0 {
        by_class.push(("trauma", q.trauma));
    }
    let unit_type = q.unit_type.trim();
    let bad = |e: lmp_core::staffing::layered::StaffingError| AppError::BadRequest(e.into());
    let layers = layered.layers(unit_type, day).map_err(bad)?;
    let rules = layers
        .iter()
        .map(|l| format!("{} (from {}): {}", l.set.code, l.version.effective_from, l.unit.label))
        .collect();
    let need = layered
        .required(unit_type, day, q.patients, &by_class, q.occupied_rooms)
        .map_err(bad)?;
    Ok(CaseAnswer {
        counted_nurses: need.counted_nurses,
        triage_nurses: need.triage_nurses,
        rules,
    })
}

/// Compliance filters as a query string carries them.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// First day, YYYY-MM-DD.
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD.
    pub to: Option<String>,
    /// A facility's code.
    pub facility: Option<String>,
    /// A region's code.
    pub region: Option<String>,
    /// A unit's code.
    pub unit: Option<String>,
}

impl FilterQuery {
    pub fn filter(&self) -> AppResult<ComplianceFilter> {
        let day = |value: &Option<String>, what: &str| -> AppResult<Option<String>> {
            Ok(optional_day(what, value)?.map(|d| d.to_string()))
        };
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Ok(ComplianceFilter {
            from: day(&self.from, "from")?,
            to: day(&self.to, "to")?,
            facility: text(&self.facility),
            region: text(&self.region),
            unit: text(&self.unit),
        })
    }
}

/// A new version of a unit's plan and what it changes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanWrite {
    #[schema(value_type = Object)]
    pub input: lmp_core::staffing::plan::PlanInput,
    /// What this version changes and why.
    pub note: String,
    /// The first day it governs once both sides approve (YYYY-MM-DD; today by default).
    #[serde(default)]
    pub effective_from: Option<String>,
}

/// The team whose co-leads build `unit_code`'s plan.
async fn plan_team(state: &AppState, actor: &Actor, unit_code: &str) -> AppResult<i64> {
    let unit = state.store.staffing_unit(actor.partnership_id, unit_code).await?;
    unit.team_id.ok_or_else(|| {
        AppError::Rule(crate::http::i18n::refusal(
            "refused-unit-has-no-team",
            &[("unit", unit_code.to_string())],
        ))
    })
}

/// Writing `unit_code`'s plan, as the actor would ask it of the policy.
async fn edit_plan_action(state: &AppState, actor: &Actor, unit_code: &str) -> AppResult<Action> {
    let team_id = plan_team(state, actor, unit_code).await?;
    let seats = crate::http::seats_in_body(state, actor, team_id).await?.seats;
    Ok(Action::EditStaffingPlan { seats })
}

/// Write the next version: a co-lead of the unit's team, of either side, in person.
pub async fn write_plan(
    state: &AppState,
    actor: &Actor,
    unit_code: &str,
    input: PlanWrite,
) -> AppResult<lmp_store::staffing::plans::PlanVersion> {
    let action = edit_plan_action(state, actor, unit_code).await?;
    let permit = authorize(actor, action, actor.partnership_id)?;
    let effective_from = optional_day("effective_from", &input.effective_from)?;
    Ok(state
        .store
        .write_staffing_plan(&permit, unit_code, &input.input, &input.note, effective_from)
        .await?)
}

/// Whether the policy lets the actor write `unit_code`'s plan: false too
/// for a unit unknown or without a team yet.
pub async fn co_leads_plan(state: &AppState, actor: &Actor, unit_code: &str) -> AppResult<bool> {
    match edit_plan_action(state, actor, unit_code).await {
        Ok(action) => Ok(authorize(actor, action, actor.partnership_id).is_ok()),
        Err(AppError::NotFound(_) | AppError::Rule(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Which history a plan's week is derived from.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// First day, YYYY-MM-DD (by default 52 weeks before `to`).
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (by default the unit's last day taken in).
    pub to: Option<String>,
    /// Each hour of the week at this percentile of the days seen, 0–100 (75 by default).
    pub percentile: Option<u32>,
}

/// The percentile a derived week takes when none is asked for: three
/// weeks in four no busier.
pub const USUAL_PERCENTILE: u32 = 75;

/// A unit's expected week derived from its readings.
pub async fn history(
    state: &AppState,
    actor: &Actor,
    unit_code: &str,
    q: &HistoryQuery,
) -> AppResult<lmp_core::staffing::history::DerivedWeek> {
    authorize(actor, Action::ReadStaffing, actor.partnership_id)?;
    Ok(state
        .store
        .staffing_history(
            actor.partnership_id,
            unit_code,
            optional_day("from", &q.from)?,
            optional_day("to", &q.to)?,
            q.percentile.unwrap_or(USUAL_PERCENTILE),
        )
        .await?)
}

/// Approve the latest version for the side the caller co-leads the team for.
pub async fn approve_plan(
    state: &AppState,
    actor: &Actor,
    plan_id: i64,
) -> AppResult<lmp_store::staffing::plans::PlanVersion> {
    let (_, team_id) = state.store.staffing_plan_unit(actor.partnership_id, plan_id).await?;
    let team_id = team_id.ok_or(AppError::Forbidden)?;
    let seats = crate::http::seats_in_body(state, actor, team_id).await?.seats;
    let permit = authorize(actor, Action::ApproveStaffingPlan { seats }, actor.partnership_id)?;
    Ok(state.store.approve_staffing_plan(&permit, plan_id).await?)
}
