//! `/api/v1/…/decisions`: the IBPS record, stances and participation, as
//! JSON, through the same decision actions as the pages.

use crate::decisions::actions::{self, ContributionInput, RaiseInput, ReasonInput, StanceInput};
use crate::http::{ApiJson, ApiPath, ApiUser, AppError, Created, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lmp_core::policy::Action;
use lmp_store::decisions::{stays_of, Contribution, Decision, DecisionParticipation, Move, StanceRow, Stay};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct BodyDecisions {
    /// Share of the body's adopted decisions made jointly by both sides (the
    /// Partnership Participation Index), in percent; null with none adopted.
    pub participation_percent: Option<u64>,
    pub adopted: u64,
    /// The index by year of adoption, oldest first.
    pub by_year: Vec<YearPercent>,
    /// The latest 200.
    #[schema(value_type = Vec<crate::schemas::DecisionParticipation>)]
    pub decisions: Vec<DecisionParticipation>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YearPercent {
    pub year: i16,
    pub adopted: u64,
    pub participation_percent: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    #[schema(value_type = crate::schemas::Decision)]
    pub decision: Decision,
    /// The whole record, oldest first, each stamped by the server.
    #[schema(value_type = Vec<crate::schemas::Contribution>)]
    pub contributions: Vec<Contribution>,
    /// Each person's latest stance.
    #[schema(value_type = Vec<crate::schemas::StanceRow>)]
    pub stances: Vec<StanceRow>,
    /// Its path up the levels, if escalated.
    #[schema(value_type = Vec<crate::schemas::Move>)]
    pub moves: Vec<Move>,
    /// The time it spent in each body, where it was raised first.
    #[schema(value_type = Vec<crate::schemas::Stay>)]
    pub stays: Vec<Stay>,
}

/// A body's decisions, how each side took part in each, and its participation index.
#[utoipa::path(get, path = "/api/v1/bodies/{id}/decisions", tag = "decisions",
    responses((status = 200, body = BodyDecisions), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn of_body(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BodyDecisions>, AppError> {
    user.permit(Action::ReadStructure)?;
    state
        .store
        .body(user.partnership_id(), id)
        .await?
        .ok_or(AppError::NotFound("body"))?;
    let whole = state.store.body_participation(user.partnership_id(), id).await?;
    Ok(Json(BodyDecisions {
        participation_percent: whole.index.percent(),
        adopted: whole.index.decisions,
        by_year: whole
            .by_year
            .iter()
            .map(|(year, index)| YearPercent {
                year: *year,
                adopted: index.decisions,
                participation_percent: index.percent(),
            })
            .collect(),
        decisions: whole.decisions,
    }))
}

/// Raise an issue in a body, in person, from a seat in it.
#[utoipa::path(post, path = "/api/v1/bodies/{id}/decisions", tag = "decisions", request_body = RaiseInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn raise(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RaiseInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    state
        .store
        .body(user.partnership_id(), id)
        .await?
        .ok_or(AppError::NotFound("body"))?;
    let id = actions::raise(&state, &user.0, id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A decision with its whole record and the stances on it.
#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions",
    responses((status = 200, body = DecisionOut), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn show(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DecisionOut>, AppError> {
    user.permit(Action::ReadStructure)?;
    let pid = user.partnership_id();
    let decision = state
        .store
        .decision(pid, id)
        .await?
        .ok_or(AppError::NotFound("decision"))?;
    let moves = state.store.moves_of(pid, id).await?;
    Ok(Json(DecisionOut {
        stays: stays_of(&decision, &moves, jiff::Timestamp::now()),
        decision,
        contributions: state.store.contributions_of(pid, id).await?,
        stances: state.store.stances_of(pid, id).await?,
        moves,
    }))
}

/// Add to the record at the step the decision is at. A timestamp cannot be sent: the server's clock decides.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/contributions", tag = "decisions", request_body = ContributionInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn contribute(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ContributionInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = actions::contribute(&state, &user.0, id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageOut {
    pub stage: String,
}

/// Move to the next step of interest-based problem solving.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/advance", tag = "decisions",
    responses((status = 200, body = StageOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn advance(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StageOut>, AppError> {
    let stage = actions::advance(&state, &user.0, id).await?;
    Ok(Json(StageOut {
        stage: stage.as_str().into(),
    }))
}

/// Record your stance on the proposed solution; says where consensus stands.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/stances", tag = "decisions", request_body = StanceInput,
    responses((status = 200, description = "where consensus stands: adopted, blocked (by) or awaiting (missing, sides_without_co_lead)"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn stance(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StanceInput>,
) -> Result<Json<lmp_core::decision::Consensus>, AppError> {
    Ok(Json(actions::stance(&state, &user.0, id, input).await?))
}

/// Escalate to the parent body with the whole record; refused above the strategy group.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/escalate", tag = "decisions", request_body = ReasonInput,
    responses((status = 200, body = Created, description = "the body it moved to"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn escalate(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> Result<Json<Created>, AppError> {
    let body = actions::escalate(&state, &user.0, id, &input.text).await?;
    Ok(Json(Created { id: body }))
}

/// After a block: back to generating options.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/reopen", tag = "decisions",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn reopen(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    actions::reopen(&state, &user.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// At the top level only: record a neutral's ruling.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/ruling", tag = "decisions", request_body = ReasonInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn ruling(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> Result<StatusCode, AppError> {
    actions::ruling(&state, &user.0, id, &input.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(of_body, raise, show, contribute, advance, stance, escalate, reopen, ruling))]
pub struct Doc;
