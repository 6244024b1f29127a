//! `/api/v1/scorecard`: the figures of the scorecard page, and the teams
//! behind any of them.

use crate::governance::scorecard_scope::{parse_behind, resolve, ScopeParams};
use crate::http::{ApiQuery, ApiUser, AppError, ErrorBody, PageOf};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::scorecard::{Scorecard, TeamLine};

/// The scorecard of the nation, a region, facility or department (`unit`), or one team (`team`).
#[utoipa::path(get, path = "/api/v1/scorecard", tag = "scorecard", params(ScopeParams),
    responses((status = 200, body = crate::schemas::Scorecard), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn show(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ScopeParams>,
) -> Result<Json<Scorecard>, AppError> {
    user.permit(Action::ReadStructure)?;
    let resolved = resolve(&state, user.partnership_id(), &params).await?;
    Ok(Json(
        state
            .store
            .scorecard(user.partnership_id(), resolved.scope, lmp_store::today())
            .await?,
    ))
}

/// The teams behind a figure: `behind` is all, level:N, top_levels,
/// compass:POINT, year:YYYY, undocumented or missing_leader.
#[utoipa::path(get, path = "/api/v1/scorecard/teams", tag = "scorecard", params(ScopeParams),
    responses((status = 200, body = PageOf<crate::schemas::TeamLine>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn teams(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ScopeParams>,
) -> Result<Json<PageOf<TeamLine>>, AppError> {
    user.permit(Action::ReadStructure)?;
    let resolved = resolve(&state, user.partnership_id(), &params).await?;
    let behind = parse_behind(params.behind.as_deref())?;
    let page = Page::new(params.limit, params.offset);
    Ok(Json(
        state
            .store
            .scorecard_teams(user.partnership_id(), resolved.scope, &behind, lmp_store::today(), page)
            .await?
            .into(),
    ))
}

/// The Partnership Participation Index of every body in scope, by level and
/// by year of adoption.
#[utoipa::path(get, path = "/api/v1/scorecard/participation", tag = "scorecard", params(ScopeParams),
    responses((status = 200, body = crate::schemas::Rollup), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn participation(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ScopeParams>,
) -> Result<Json<lmp_store::decisions::Rollup>, AppError> {
    user.permit(Action::ReadStructure)?;
    let resolved = resolve(&state, user.partnership_id(), &params).await?;
    Ok(Json(
        state
            .store
            .participation_rollup(user.partnership_id(), resolved.scope)
            .await?,
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionsBehindParams {
    pub unit: Option<i64>,
    pub team: Option<i64>,
    /// national, regional, facility, department or team.
    pub level: Option<String>,
    /// The year of adoption.
    pub year: Option<i16>,
    /// true: only decisions made jointly; false: only those not.
    pub joint: Option<bool>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DecisionsBehind {
    pub total: usize,
    /// The latest 500 at most.
    #[schema(value_type = Vec<crate::schemas::DecisionLine>)]
    pub decisions: Vec<lmp_store::decisions::DecisionLine>,
}

/// The adopted decisions behind a participation figure, with how each side took part.
#[utoipa::path(get, path = "/api/v1/scorecard/decisions", tag = "scorecard", params(DecisionsBehindParams),
    responses((status = 200, body = DecisionsBehind), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn decisions(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<DecisionsBehindParams>,
) -> Result<Json<DecisionsBehind>, AppError> {
    user.permit(Action::ReadStructure)?;
    let scope = ScopeParams {
        unit: params.unit,
        team: params.team,
        ..ScopeParams::default()
    };
    let resolved = resolve(&state, user.partnership_id(), &scope).await?;
    let behind = lmp_store::decisions::Behind {
        level: params.level,
        year: params.year,
        joint: params.joint,
    };
    let (total, decisions) = state
        .store
        .decisions_behind(user.partnership_id(), resolved.scope, &behind, 500)
        .await?;
    Ok(Json(DecisionsBehind { total, decisions }))
}
