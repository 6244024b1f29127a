//! `/api/v1/staffing`: joint staffing — ratio rule sets (California Title 22
//! built in, the partnership's own layered on a law), what one case needs,
//! nursing units, readings files, compliance by unit, facility, region,
//! unit type, week, month or quarter with the worst hours below the ratio
//! and below the approved plan, and plans built jointly — from history,
//! weighed by "what if", approved by both sides.

use crate::http::{ApiJson, ApiPath, ApiQuery, ApiUser, AppError, ErrorBody};
use crate::staffing::actions::{self, CaseAnswer, CaseQuery, FilterQuery, HistoryQuery, PlanWrite};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lmp_core::policy::Action;
use lmp_core::staffing::plan::{PlanInput, WhatIf};
use lmp_core::staffing::rules::RuleSet;
use lmp_store::staffing::compliance::{ComplianceRow, PlanGapHour, ReadingsTaken, ShortHour};
use lmp_store::staffing::plans::PlanVersion;
use lmp_store::staffing::{StaffingUnit, UnitsTaken};
use serde::Deserialize;
use utoipa::IntoParams;

/// Every rule set: the built-in laws and the partnership's own, each with all its versions.
#[utoipa::path(get, path = "/api/v1/staffing/rules", tag = "staffing",
    responses((status = 200, body = [Object])), security(("token" = [])))]
pub async fn rules(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<RuleSet>>, AppError> {
    user.permit(Action::ReadStaffing)?;
    Ok(Json(state.store.staffing_rule_sets(user.partnership_id()).await?))
}

/// Add or replace one of the partnership's rule sets (administrators). One
/// layered on a law (`stricter_than`) must ask at least as much, for every
/// unit type both name, on every day both are in force.
#[utoipa::path(put, path = "/api/v1/staffing/rules", tag = "staffing", request_body = Object,
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn save_rules(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(set): ApiJson<RuleSet>,
) -> Result<Json<RuleSet>, AppError> {
    Ok(Json(actions::save_rule_set(&state, &user.0, set).await?))
}

/// The licensed nurses one case needs: a unit type and who is in it, under a rule set.
#[utoipa::path(get, path = "/api/v1/staffing/required", tag = "staffing", params(CaseQuery),
    responses((status = 200, body = CaseAnswer), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn required(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> Result<Json<CaseAnswer>, AppError> {
    Ok(Json(actions::required(&state, &user.0, &q).await?))
}

/// The nursing units.
#[utoipa::path(get, path = "/api/v1/staffing/units", tag = "staffing",
    responses((status = 200, body = [crate::schemas::StaffingUnit])), security(("token" = [])))]
pub async fn units(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<StaffingUnit>>, AppError> {
    user.permit(Action::ReadStaffing)?;
    Ok(Json(state.store.staffing_units(user.partnership_id()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitsQuery {
    /// The file's name, as errors will name it.
    pub file_name: Option<String>,
    /// The rule set governing these units (ca-title22 by default).
    pub rule_set: Option<String>,
}

/// Describe units (the body, text/csv: unit,name,facility,region,unit_type,beds,licensed_roles),
/// all or none; a unit described before takes the file's terms.
#[utoipa::path(post, path = "/api/v1/staffing/units/import", tag = "staffing", params(UnitsQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = crate::schemas::UnitsTaken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn import_units(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<UnitsQuery>,
    body: Bytes,
) -> Result<Json<UnitsTaken>, AppError> {
    let name = q.file_name.unwrap_or_else(|| "units.csv".into());
    Ok(Json(
        actions::import_units(&state, &user.0, &name, &body, q.rule_set.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadingsQuery {
    /// The file's name, as errors will name it.
    pub file_name: Option<String>,
    /// Put these readings in place of unit-days taken in before.
    #[serde(default)]
    pub replace: bool,
}

/// Take in readings (the body, text/csv: unit,at,patients[,critical,trauma][,occupied_rooms]
/// [,charge_off_care][,triage], then a column per role with the staff on duty). Every reading is
/// judged against its unit's ratio and its approved plan in force that day (each role's column
/// against the plan's row); all or none: a bad row is a 400 naming `file:line:column`. The same
/// file again changes nothing — unless with `replace`, which judges it again against plans
/// approved since.
#[utoipa::path(post, path = "/api/v1/staffing/readings", tag = "staffing", params(ReadingsQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = crate::schemas::ReadingsTaken), (status = 200, body = crate::schemas::ReadingsTaken, description = "taken in before: nothing changed"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn readings(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ReadingsQuery>,
    body: Body,
) -> Result<(StatusCode, Json<ReadingsTaken>), AppError> {
    let name = q.file_name.unwrap_or_else(|| "readings.csv".into());
    let taken = actions::import_readings(&state, &user.0, &name, body.into_data_stream(), q.replace).await?;
    let status = if taken.unchanged {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(taken)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// unit (the default), facility, region, unit-type, week, month or quarter.
    pub by: Option<String>,
}

/// Compliance with the ratio and the approved plans, grouped (worst first;
/// weeks, months and quarters in order): hours checked, hours below the
/// ratio, those without a triage nurse, nurse-hours short, patient-hours and
/// those affected, hours below the plan and staff-hours short of it.
#[utoipa::path(get, path = "/api/v1/staffing/compliance", tag = "staffing", params(ComplianceQuery, FilterQuery),
    responses((status = 200, body = [crate::schemas::ComplianceRow]), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn compliance(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ComplianceQuery>,
    ApiQuery(filter): ApiQuery<FilterQuery>,
) -> Result<Json<Vec<ComplianceRow>>, AppError> {
    user.permit(Action::ReadStaffing)?;
    let by = q.by.as_deref().unwrap_or("unit").parse()?;
    Ok(Json(
        state
            .store
            .staffing_compliance(user.partnership_id(), by, &filter.filter()?)
            .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShortHoursQuery {
    /// How many (up to 1,000; 50 by default).
    pub limit: Option<i64>,
}

/// The worst hours: most nurses short, then most patients affected.
#[utoipa::path(get, path = "/api/v1/staffing/short-hours", tag = "staffing", params(ShortHoursQuery, FilterQuery),
    responses((status = 200, body = [crate::schemas::ShortHour]), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn short_hours(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ShortHoursQuery>,
    ApiQuery(filter): ApiQuery<FilterQuery>,
) -> Result<Json<Vec<ShortHour>>, AppError> {
    user.permit(Action::ReadStaffing)?;
    let limit = q.limit.unwrap_or(50).clamp(1, 1000);
    Ok(Json(
        state
            .store
            .staffing_short_hours(user.partnership_id(), &filter.filter()?, limit)
            .await?,
    ))
}

/// The worst hours below the approved plan: most staff short, then most
/// patients affected; one row per role short.
#[utoipa::path(get, path = "/api/v1/staffing/plan-gaps", tag = "staffing", params(ShortHoursQuery, FilterQuery),
    responses((status = 200, body = [crate::schemas::PlanGapHour]), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn plan_gaps(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ShortHoursQuery>,
    ApiQuery(filter): ApiQuery<FilterQuery>,
) -> Result<Json<Vec<PlanGapHour>>, AppError> {
    user.permit(Action::ReadStaffing)?;
    let limit = q.limit.unwrap_or(50).clamp(1, 1000);
    Ok(Json(
        state
            .store
            .staffing_plan_gaps(user.partnership_id(), &filter.filter()?, limit)
            .await?,
    ))
}

/// A unit's week derived from its readings, to build a plan from: each hour
/// of the week (Monday 00:00 first) at a percentile of the days seen — the
/// census, critical and trauma patients and occupied rooms, each on its own.
#[utoipa::path(get, path = "/api/v1/staffing/units/{code}/history", tag = "staffing", params(HistoryQuery),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn history(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> Result<Json<lmp_core::staffing::history::DerivedWeek>, AppError> {
    Ok(Json(actions::history(&state, &user.0, &code, &q).await?))
}

/// Every version of a unit's staffing plan, newest first: what it was built
/// from, the staff each role needs hour by hour of the week, the year's
/// staff-hours and cost, who wrote it and each side's approval.
#[utoipa::path(get, path = "/api/v1/staffing/units/{code}/plans", tag = "staffing",
    responses((status = 200, body = [crate::schemas::PlanVersion]), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn plans(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Vec<PlanVersion>>, AppError> {
    user.permit(Action::ReadStaffing)?;
    Ok(Json(state.store.staffing_plans(user.partnership_id(), &code).await?))
}

/// Write the next version of a unit's plan: a co-lead of the unit's team,
/// either side, in person. It governs from `effective_from` once both
/// sides' co-leads approve it.
#[utoipa::path(post, path = "/api/v1/staffing/units/{code}/plans", tag = "staffing", request_body = PlanWrite,
    responses((status = 201, body = crate::schemas::PlanVersion), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn write_plan(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<PlanWrite>,
) -> Result<(StatusCode, Json<PlanVersion>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(actions::write_plan(&state, &user.0, &code, input).await?),
    ))
}

/// Approve the latest version for your side: its co-lead of the unit's team, in person.
#[utoipa::path(post, path = "/api/v1/staffing/plans/{id}/approve", tag = "staffing",
    responses((status = 200, body = crate::schemas::PlanVersion), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn approve_plan(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlanVersion>, AppError> {
    Ok(Json(actions::approve_plan(&state, &user.0, id).await?))
}

/// What if: a changed plan input weighed against the plan in force —
/// staff-hours and cost a year, role by role (hours × the plan's pay rates).
#[utoipa::path(post, path = "/api/v1/staffing/units/{code}/what-if", tag = "staffing", request_body = Object,
    responses((status = 200, body = Object), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn what_if(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<Json<WhatIf>, AppError> {
    user.permit(Action::ReadStaffing)?;
    Ok(Json(
        state
            .store
            .staffing_what_if(user.partnership_id(), &code, &input)
            .await?,
    ))
}

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    rules,
    save_rules,
    required,
    units,
    import_units,
    readings,
    compliance,
    short_hours,
    plans,
    write_plan,
    approve_plan,
    what_if,
    plan_gaps,
    history
))]
pub struct Doc;
