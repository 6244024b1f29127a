//! `/api/v1/scorecard`: the figures of the scorecard page, and the teams
//! behind any of them.

use super::{ApiQuery, ApiUser, PageOf};
use crate::error::{AppError, ErrorBody};
use crate::scorecard_scope::{parse_behind, resolve, ScopeParams};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::scorecard::{Scorecard, TeamLine};

/// The scorecard of the nation, a region, facility or department (`unit`), or one team (`team`).
#[utoipa::path(get, path = "/api/v1/scorecard", tag = "scorecard", params(ScopeParams),
    responses((status = 200, body = Scorecard), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
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
    responses((status = 200, body = PageOf<TeamLine>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
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
