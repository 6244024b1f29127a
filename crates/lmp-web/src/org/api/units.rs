use crate::http::{ApiPath, ApiQuery, ApiUser, AppError, ErrorBody, ListParams, PageOf};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::dashboard::Dashboard;
use lmp_store::model::{Local, StandingRole, Unit};
use lmp_store::org::UnitFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The home page's counts.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "structure",
    responses((status = 200, body = crate::schemas::Dashboard), (status = 401, body = ErrorBody)), security(("token" = [])))]
pub async fn dashboard(user: ApiUser, State(state): State<AppState>) -> Result<Json<Dashboard>, AppError> {
    user.permit(Action::ReadStructure)?;
    Ok(Json(state.dashboard(user.partnership_id()).await?.as_ref().clone()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitParams {
    /// region, hospital, medical_office, department, international or local.
    pub kind: Option<String>,
    pub parent_id: Option<i64>,
    pub search: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// Units of the employer's and the unions' structures.
#[utoipa::path(get, path = "/api/v1/units", tag = "structure", params(UnitParams),
    responses((status = 200, body = PageOf<crate::schemas::Unit>), (status = 401, body = ErrorBody)), security(("token" = [])))]
pub async fn list(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<UnitParams>,
) -> Result<Json<PageOf<Unit>>, AppError> {
    user.permit(Action::ReadStructure)?;
    let filter = UnitFilter {
        kind: p.kind.filter(|k| !k.is_empty()),
        parent_id: p.parent_id,
        search: lmp_core::paging::search_term(p.search.as_deref()),
    };
    Ok(Json(
        state
            .store
            .units_page(user.partnership_id(), &filter, Page::new(p.limit, p.offset))
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitDetail {
    #[serde(flatten)]
    #[schema(value_type = crate::schemas::Unit)]
    pub unit: Unit,
    /// From the root down to this unit.
    #[schema(value_type = Vec<crate::schemas::Unit>)]
    pub path: Vec<Unit>,
}

/// One unit, with its path from the root.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "structure", params(("id" = i64, Path)),
    responses((status = 200, body = UnitDetail), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn show(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UnitDetail>, AppError> {
    user.permit(Action::ReadStructure)?;
    let pid = user.partnership_id();
    let unit = state.store.unit(pid, id).await?.ok_or(AppError::NotFound("unit"))?;
    let path = state.store.unit_path(pid, id).await?;
    Ok(Json(UnitDetail { unit, path }))
}

/// Local unions, largest first.
#[utoipa::path(get, path = "/api/v1/locals", tag = "structure", params(ListParams),
    responses((status = 200, body = PageOf<crate::schemas::Local>), (status = 401, body = ErrorBody)), security(("token" = [])))]
pub async fn locals(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<PageOf<Local>>, AppError> {
    user.permit(Action::ReadStructure)?;
    Ok(Json(
        state
            .store
            .locals_page(user.partnership_id(), p.search().as_deref(), p.page())
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocalDetail {
    #[serde(flatten)]
    #[schema(value_type = crate::schemas::Local)]
    pub local: Local,
    /// The first page of its stewards (`/api/v1/locals/{id}/stewards` pages
    /// on); `/api/v1/people?local_id=` lists its members.
    #[schema(value_type = PageOf<crate::schemas::StandingRole>)]
    pub stewards: PageOf<StandingRole>,
}

/// One local, with its stewards.
#[utoipa::path(get, path = "/api/v1/locals/{id}", tag = "structure", params(("id" = i64, Path)),
    responses((status = 200, body = LocalDetail), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn local(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LocalDetail>, AppError> {
    user.permit(Action::ReadStructure)?;
    let pid = user.partnership_id();
    let local = state.store.local(pid, id).await?.ok_or(AppError::NotFound("local"))?;
    let stewards = state
        .store
        .stewards_of_local(pid, id, None, Page::new(Some(200), None))
        .await?
        .into();
    Ok(Json(LocalDetail { local, stewards }))
}

/// A local's stewards, a page at a time, with where each serves.
#[utoipa::path(get, path = "/api/v1/locals/{id}/stewards", tag = "structure", params(("id" = i64, Path), ListParams),
    responses((status = 200, body = PageOf<crate::schemas::StandingRole>), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn stewards(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<PageOf<StandingRole>>, AppError> {
    user.permit(Action::ReadPeople)?;
    let pid = user.partnership_id();
    state.store.local(pid, id).await?.ok_or(AppError::NotFound("local"))?;
    Ok(Json(
        state.store.stewards_of_local(pid, id, None, p.page()).await?.into(),
    ))
}
