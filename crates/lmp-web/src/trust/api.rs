//! `/api/v1/trust`: the Partnership Trust's year, its locals' statements,
//! reconciliation, payroll uploads, remittances, spending, budgets and rules.

use crate::http::{ApiJson, ApiPath, ApiQuery, ApiUser, AppError, Created, ErrorBody};
use crate::state::AppState;
use crate::trust::actions::{self, BudgetInput, RemittanceInput, SpendingInput};
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lmp_core::policy::Action;
use lmp_core::trust::rules::TrustRules;
use lmp_store::trust::ledger::{Budget, ReconciliationRow, StatementRow, TrustYear, Trustee};
use lmp_store::trust::{HoursOutcome, Totals};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year (pay periods ending in it); this year when absent.
    pub year: Option<i16>,
}

impl YearQuery {
    pub fn year(&self) -> i16 {
        self.year.unwrap_or_else(|| lmp_store::today().year())
    }
}

/// The trust's year: contributions by source and pay period, remittances,
/// spending beside the approved budget, balances, reconciliation flags.
#[utoipa::path(get, path = "/api/v1/trust", tag = "trust", params(YearQuery),
    responses((status = 200, body = crate::schemas::TrustYear), (status = 403, body = ErrorBody)), security(("token" = [])))]
pub async fn year(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<TrustYear>, AppError> {
    user.permit(Action::ReadTrust)?;
    Ok(Json(state.store.trust_year(user.partnership_id(), q.year()).await?))
}

/// Each local's year, from the ledger: counted hours and both contributions.
#[utoipa::path(get, path = "/api/v1/trust/locals", tag = "trust", params(YearQuery),
    responses((status = 200, body = [crate::schemas::Totals])), security(("token" = [])))]
pub async fn locals(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<Totals>>, AppError> {
    user.permit(Action::ReadTrust)?;
    Ok(Json(
        state.store.trust_year_by_local(user.partnership_id(), q.year()).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TotalsQuery {
    pub year: Option<i16>,
    /// local, facility, region or period.
    pub by: String,
}

/// The year's contributions by local, facility, region or pay period: every
/// grouping sums to the same total, the ledger's.
#[utoipa::path(get, path = "/api/v1/trust/totals", tag = "trust", params(TotalsQuery),
    responses((status = 200, body = [crate::schemas::Totals]), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn totals(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<TotalsQuery>,
) -> Result<Json<Vec<Totals>>, AppError> {
    user.permit(Action::ReadTrust)?;
    let by = q.by.parse().map_err(AppError::BadRequest)?;
    let year = q.year.unwrap_or_else(|| lmp_store::today().year());
    Ok(Json(state.store.trust_totals(user.partnership_id(), year, by).await?))
}

/// A local's statement, pay period by pay period: hours, contributions, remittances.
#[utoipa::path(get, path = "/api/v1/trust/locals/{code}/statement", tag = "trust", params(("code" = String, Path), YearQuery),
    responses((status = 200, body = [crate::schemas::StatementRow]), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn statement(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<StatementRow>>, AppError> {
    user.permit(Action::ReadTrust)?;
    Ok(Json(
        state
            .store
            .trust_local_statement(user.partnership_id(), &code, q.year())
            .await?,
    ))
}

/// Every pay period and local of the year: owed, remitted, matched / short / over / unpaid.
#[utoipa::path(get, path = "/api/v1/trust/reconciliation", tag = "trust", params(YearQuery),
    responses((status = 200, body = [crate::schemas::ReconciliationRow])), security(("token" = [])))]
pub async fn reconciliation(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<ReconciliationRow>>, AppError> {
    user.permit(Action::ReadTrust)?;
    Ok(Json(
        state
            .store
            .trust_reconciliation(user.partnership_id(), q.year())
            .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayrollQuery {
    /// The file's name, as errors will name it.
    pub file_name: String,
    /// Correct pay periods taken in before (the difference is posted as an adjustment).
    #[serde(default)]
    pub replace: bool,
}

/// Upload a payroll file (the body, text/csv: worker_id,local,facility,period_start,period_end,hour_type,hours).
/// All of it or none: a bad row is a 400 naming `file:line:column`. The same file again changes nothing.
#[utoipa::path(post, path = "/api/v1/trust/payroll", tag = "trust", params(PayrollQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = crate::schemas::HoursOutcome), (status = 200, body = crate::schemas::HoursOutcome, description = "taken in before: nothing changed"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn payroll(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PayrollQuery>,
    body: Body,
) -> Result<(StatusCode, Json<HoursOutcome>), AppError> {
    let outcome = actions::import_payroll(&state, &user.0, &q.file_name, body.into_data_stream(), q.replace).await?;
    let status = match outcome {
        HoursOutcome::Imported(_) => StatusCode::CREATED,
        HoursOutcome::Unchanged { .. } => StatusCode::OK,
    };
    Ok((status, Json(outcome)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// How many were new (one recorded before is not recorded again).
    pub recorded: usize,
}

/// Record the employer's remittances, all or none.
#[utoipa::path(post, path = "/api/v1/trust/remittances", tag = "trust", request_body = [RemittanceInput],
    responses((status = 201, body = Recorded), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn remittances(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<Vec<RemittanceInput>>,
) -> Result<(StatusCode, Json<Recorded>), AppError> {
    let recorded = actions::record_remittances(&state, &user.0, input).await?;
    Ok((StatusCode::CREATED, Json(Recorded { recorded })))
}

/// Record money the trust spent.
#[utoipa::path(post, path = "/api/v1/trust/spending", tag = "trust", request_body = SpendingInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn spending(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<SpendingInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = actions::record_spending(&state, &user.0, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The year's budget as proposed, with each side's approval.
#[utoipa::path(get, path = "/api/v1/trust/budget", tag = "trust", params(YearQuery),
    responses((status = 200, body = crate::schemas::Budget), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn budget(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Budget>, AppError> {
    user.permit(Action::ReadTrust)?;
    Ok(Json(
        state
            .store
            .trust_budget(user.partnership_id(), q.year())
            .await?
            .ok_or(AppError::NotFound("budget"))?,
    ))
}

/// Propose a year's budget; it needs a labor and a management trustee's approval.
#[utoipa::path(post, path = "/api/v1/trust/budgets", tag = "trust", request_body = BudgetInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn propose_budget(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<BudgetInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = actions::propose_budget(&state, &user.0, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Approve a budget for your side, as a trustee of it.
#[utoipa::path(post, path = "/api/v1/trust/budgets/{id}/approve", tag = "trust",
    responses((status = 200, body = crate::schemas::Budget), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn approve_budget(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Budget>, AppError> {
    Ok(Json(actions::approve_budget(&state, &user.0, id).await?))
}

/// The trustees of each side.
#[utoipa::path(get, path = "/api/v1/trust/trustees", tag = "trust",
    responses((status = 200, body = [crate::schemas::Trustee])), security(("token" = [])))]
pub async fn trustees(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<Trustee>>, AppError> {
    user.permit(Action::ReadTrust)?;
    Ok(Json(state.store.trustees(user.partnership_id()).await?))
}

/// The funding rules: hour types counted, rates, the employer's formula, each from the day it takes effect.
#[utoipa::path(get, path = "/api/v1/trust/rules", tag = "trust",
    responses((status = 200, body = Object)), security(("token" = [])))]
pub async fn rules(user: ApiUser, State(state): State<AppState>) -> Result<Json<TrustRules>, AppError> {
    user.permit(Action::ReadTrust)?;
    Ok(Json(state.store.trust_rules(user.partnership_id()).await?))
}

/// Agree new funding rules (administrators); periods taken in keep what was computed then.
#[utoipa::path(put, path = "/api/v1/trust/rules", tag = "trust", request_body = Object,
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("token" = [])))]
pub async fn set_rules(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(rules): ApiJson<TrustRules>,
) -> Result<Json<TrustRules>, AppError> {
    let permit = user.permit(Action::ConfigureRules)?;
    rules.check().map_err(AppError::BadRequest)?;
    state.store.set_trust_rules(&permit, &rules).await?;
    Ok(Json(state.store.trust_rules(user.partnership_id()).await?))
}

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    year,
    locals,
    totals,
    statement,
    reconciliation,
    payroll,
    remittances,
    spending,
    budget,
    propose_budget,
    approve_budget,
    trustees,
    rules,
    set_rules
))]
pub struct Doc;
