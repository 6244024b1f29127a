//! `/api/v1/eis`: Employment and Income Security — displacements and their
//! alternatives, the transition pool, vacancies, placement runs, proposals
//! with their explanations, joint acceptance, declines, the board, the rules.

use crate::eis::actions::{self, AlternativeInput, DeclineInput, DisplacementInput, VacancyInput};
use crate::http::{ApiJson, ApiPath, ApiUser, AppError, Created, ErrorBody};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use lmp_core::eis::rules::EisRules;
use lmp_core::policy::Action;
use lmp_store::eis::pool::{PoolWorker, Taken, Vacancy};
use lmp_store::eis::runs::{Board, Proposal, Run};
use lmp_store::eis::{Displacement, Representative};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AllQuery {
    /// Everyone or everything, not only those still open.
    #[serde(default)]
    pub all: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The file's name, as errors will name it.
    pub file_name: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunQuery {
    /// The run; the latest when absent.
    pub run: Option<i64>,
}

/// The redeployment board: the pool, protection running out, proposals
/// awaiting acceptance, placements, retraining, by region and local, and
/// the days each placement took.
#[utoipa::path(get, path = "/api/v1/eis", tag = "eis",
    responses((status = 200, body = crate::schemas::Board), (status = 403, body = ErrorBody)), security(("token" = [])))]
pub async fn board(user: ApiUser, State(state): State<AppState>) -> Result<Json<Board>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_board(user.partnership_id()).await?))
}

/// Displacements, latest first, each with its alternatives and confirmations.
#[utoipa::path(get, path = "/api/v1/eis/displacements", tag = "eis",
    responses((status = 200, body = [crate::schemas::Displacement])), security(("token" = [])))]
pub async fn displacements(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<Displacement>>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_displacements(user.partnership_id()).await?))
}

/// Record a displacement; refused unless its notice is at least the rule's (60 days by default).
#[utoipa::path(post, path = "/api/v1/eis/displacements", tag = "eis", request_body = DisplacementInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn record_displacement(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<DisplacementInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = actions::record_displacement(&state, &user.0, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(get, path = "/api/v1/eis/displacements/{id}", tag = "eis",
    responses((status = 200, body = crate::schemas::Displacement), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn displacement(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Displacement>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_displacement(user.partnership_id(), id).await?))
}

/// Record what was found for an alternative (an EIS representative, in person).
#[utoipa::path(post, path = "/api/v1/eis/displacements/{id}/alternatives", tag = "eis", request_body = AlternativeInput,
    responses((status = 200, body = crate::schemas::Displacement), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn record_alternative(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AlternativeInput>,
) -> Result<Json<Displacement>, AppError> {
    Ok(Json(actions::record_alternative(&state, &user.0, id, input).await?))
}

/// Confirm for your side that every alternative was looked at; both sides open the pool.
#[utoipa::path(post, path = "/api/v1/eis/displacements/{id}/confirm", tag = "eis",
    responses((status = 200, body = crate::schemas::Displacement), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn confirm(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Displacement>, AppError> {
    Ok(Json(actions::confirm_alternatives(&state, &user.0, id).await?))
}

/// Take a displacement's workers into the pool: the body is a workers file (text/csv:
/// worker_id,job_class,licences,fte,shift,pay_band,region,seniority_date[,hourly_rate,facility]),
/// worker_id being the employee number. All or none; the same file again changes nothing.
#[utoipa::path(post, path = "/api/v1/eis/displacements/{id}/workers", tag = "eis", params(FileQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = crate::schemas::Taken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn add_workers(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<FileQuery>,
    body: Bytes,
) -> Result<Json<Taken>, AppError> {
    let name = q.file_name.unwrap_or_else(|| "workers.csv".into());
    Ok(Json(actions::add_workers(&state, &user.0, id, &name, &body).await?))
}

/// The transition pool, with each worker's days of protection left.
#[utoipa::path(get, path = "/api/v1/eis/pool", tag = "eis", params(AllQuery),
    responses((status = 200, body = [crate::schemas::PoolWorker])), security(("token" = [])))]
pub async fn pool(
    user: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<AllQuery>,
) -> Result<Json<Vec<PoolWorker>>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_pool(user.partnership_id(), q.all).await?))
}

/// Vacancies: the open ones, or all.
#[utoipa::path(get, path = "/api/v1/eis/vacancies", tag = "eis", params(AllQuery),
    responses((status = 200, body = [crate::schemas::Vacancy])), security(("token" = [])))]
pub async fn vacancies(
    user: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<AllQuery>,
) -> Result<Json<Vec<Vacancy>>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_vacancies(user.partnership_id(), q.all).await?))
}

/// Post vacancies, all or none; errors name `vacancies:LINE:COLUMN`, the first vacancy on line 2.
#[utoipa::path(post, path = "/api/v1/eis/vacancies", tag = "eis", request_body = [VacancyInput],
    responses((status = 200, body = crate::schemas::Taken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn post_vacancies(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<Vec<VacancyInput>>,
) -> Result<Json<Taken>, AppError> {
    Ok(Json(actions::post_vacancies(&state, &user.0, input).await?))
}

/// Post vacancies from a vacancies file (text/csv: vacancy_id,job_class,required_licences,fte,shift,
/// pay_band,region,retrain_from[,pay_min,pay_max,facility]). All or none; the same file again changes nothing.
#[utoipa::path(post, path = "/api/v1/eis/vacancies/import", tag = "eis", params(FileQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = crate::schemas::Taken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn import_vacancies(
    user: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<FileQuery>,
    body: Bytes,
) -> Result<Json<Taken>, AppError> {
    let name = q.file_name.unwrap_or_else(|| "vacancies.csv".into());
    Ok(Json(actions::import_vacancies(&state, &user.0, &name, &body).await?))
}

/// Run placement over the whole pool and every open vacancy: optimal by the
/// agreement's priority rules, each proposal with its explanation.
#[utoipa::path(post, path = "/api/v1/eis/runs", tag = "eis",
    responses((status = 201, body = crate::schemas::Run), (status = 403, body = ErrorBody)), security(("token" = [])))]
pub async fn run(user: ApiUser, State(state): State<AppState>) -> Result<(StatusCode, Json<Run>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(actions::run_placement(&state, &user.0).await?),
    ))
}

/// A run's proposals in priority order, each with its explanation.
#[utoipa::path(get, path = "/api/v1/eis/proposals", tag = "eis", params(RunQuery),
    responses((status = 200, body = [crate::schemas::Proposal])), security(("token" = [])))]
pub async fn proposals(
    user: ApiUser,
    State(state): State<AppState>,
    Query(q): Query<RunQuery>,
) -> Result<Json<Vec<Proposal>>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_proposals(user.partnership_id(), q.run).await?))
}

#[utoipa::path(get, path = "/api/v1/eis/proposals/{id}", tag = "eis",
    responses((status = 200, body = crate::schemas::Proposal), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn proposal(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Proposal>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_proposal(user.partnership_id(), id).await?))
}

/// Accept a proposal for your side (an EIS representative, in person). With both sides, it is a placement.
#[utoipa::path(post, path = "/api/v1/eis/proposals/{id}/accept", tag = "eis",
    responses((status = 200, body = crate::schemas::Proposal), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn accept(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Proposal>, AppError> {
    Ok(Json(actions::accept(&state, &user.0, id).await?))
}

/// Record that the worker declines; a comparable job declined ends income protection.
#[utoipa::path(post, path = "/api/v1/eis/proposals/{id}/decline", tag = "eis", request_body = DeclineInput,
    responses((status = 200, body = crate::schemas::Proposal), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn decline(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DeclineInput>,
) -> Result<Json<Proposal>, AppError> {
    Ok(Json(actions::decline(&state, &user.0, id, input).await?))
}

/// The EIS representatives of each side.
#[utoipa::path(get, path = "/api/v1/eis/representatives", tag = "eis",
    responses((status = 200, body = [crate::schemas::Representative])), security(("token" = [])))]
pub async fn representatives(
    user: ApiUser,
    State(state): State<AppState>,
) -> Result<Json<Vec<Representative>>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_representatives(user.partnership_id()).await?))
}

/// The EIS rules: notice, alternatives, protection, retraining, priority, each from the day it takes effect.
#[utoipa::path(get, path = "/api/v1/eis/rules", tag = "eis",
    responses((status = 200, body = Object)), security(("token" = [])))]
pub async fn rules(user: ApiUser, State(state): State<AppState>) -> Result<Json<EisRules>, AppError> {
    user.permit(Action::ReadEis)?;
    Ok(Json(state.store.eis_rules(user.partnership_id()).await?))
}

/// Agree new EIS rules (administrators).
#[utoipa::path(put, path = "/api/v1/eis/rules", tag = "eis", request_body = Object,
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn set_rules(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(rules): ApiJson<EisRules>,
) -> Result<Json<EisRules>, AppError> {
    let permit = user.permit(Action::ConfigureRules)?;
    rules.check().map_err(AppError::BadRequest)?;
    state.store.set_eis_rules(&permit, &rules).await?;
    Ok(Json(state.store.eis_rules(user.partnership_id()).await?))
}

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    board,
    displacements,
    record_displacement,
    displacement,
    record_alternative,
    confirm,
    add_workers,
    pool,
    vacancies,
    post_vacancies,
    import_vacancies,
    run,
    proposals,
    proposal,
    accept,
    decline,
    representatives,
    rules,
    set_rules
))]
pub struct Doc;
