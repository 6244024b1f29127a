use crate::governance::actions;
use crate::http::{ApiJson, ApiPath, ApiQuery, ApiUser, AppError, ErrorBody, ListParams, PageOf, PersonRef};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::bodies::BodyFilter;
use lmp_store::model::{Body, Seat};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BodyParams {
    /// national, regional, facility, department or team.
    pub level: Option<String>,
    /// Bodies attached to this unit or below it.
    pub unit_id: Option<i64>,
    /// Only bodies missing a labor or a management co-lead.
    pub missing_co_lead: Option<bool>,
    pub search: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

impl BodyParams {
    fn filter(self, level: Option<String>) -> BodyFilter {
        BodyFilter {
            level: level.or(self.level).filter(|l| !l.is_empty()),
            search: lmp_core::paging::search_term(self.search.as_deref()),
            within_unit: self.unit_id,
            missing_co_lead: self.missing_co_lead.unwrap_or(false),
        }
    }
}

/// Partnership bodies at every level; each says which co-lead it is missing.
#[utoipa::path(get, path = "/api/v1/bodies", tag = "bodies", params(BodyParams),
    responses((status = 200, body = PageOf<crate::schemas::Body>), (status = 401, body = ErrorBody)), security(("token" = [])))]
pub async fn list(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<BodyParams>,
) -> Result<Json<PageOf<Body>>, AppError> {
    bodies_at(user, &state, p, None).await
}

/// Unit-based teams: the bodies at the `team` level.
#[utoipa::path(get, path = "/api/v1/teams", tag = "bodies", params(BodyParams),
    responses((status = 200, body = PageOf<crate::schemas::Body>), (status = 401, body = ErrorBody)), security(("token" = [])))]
pub async fn teams(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<BodyParams>,
) -> Result<Json<PageOf<Body>>, AppError> {
    bodies_at(user, &state, p, Some("team".into())).await
}

/// A page of bodies, at `level` when given (else at the one asked for).
async fn bodies_at(
    user: ApiUser,
    state: &AppState,
    p: BodyParams,
    level: Option<String>,
) -> Result<Json<PageOf<Body>>, AppError> {
    user.permit(Action::ReadStructure)?;
    let page = Page::new(p.limit, p.offset);
    let filter = p.filter(level);
    Ok(Json(
        state
            .store
            .bodies_page(user.partnership_id(), &filter, page)
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BodyDetail {
    #[serde(flatten)]
    #[schema(value_type = crate::schemas::Body)]
    pub body: Body,
    /// Co-leads and sponsors.
    #[schema(value_type = Vec<crate::schemas::Seat>)]
    pub leaders: Vec<Seat>,
    /// Head-count by side: `{labor, management, physician}`.
    #[schema(value_type = Object)]
    pub balance: lmp_core::body::Balance,
}

/// One body: its co-leads, sponsors and labor/management balance.
#[utoipa::path(get, path = "/api/v1/bodies/{id}", tag = "bodies", params(("id" = i64, Path)),
    responses((status = 200, body = BodyDetail), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn show(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BodyDetail>, AppError> {
    user.permit(Action::ReadStructure)?;
    let pid = user.partnership_id();
    let body = state.store.body(pid, id).await?.ok_or(AppError::NotFound("body"))?;
    let leaders = state.store.body_leaders(pid, id).await?;
    let balance = state.store.body_balance(pid, id).await?;
    Ok(Json(BodyDetail { body, leaders, balance }))
}

/// A body's members, a page at a time.
#[utoipa::path(get, path = "/api/v1/bodies/{id}/seats", tag = "bodies", params(("id" = i64, Path), ListParams),
    responses((status = 200, body = PageOf<crate::schemas::Seat>), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn members(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<PageOf<Seat>>, AppError> {
    user.permit(Action::ReadStructure)?;
    let pid = user.partnership_id();
    state.store.body(pid, id).await?.ok_or(AppError::NotFound("body"))?;
    let members = state
        .store
        .body_members(pid, id, p.search().as_deref(), p.page())
        .await?;
    Ok(Json(members.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewSeat {
    pub person_id: i64,
    /// co_lead, sponsor or member.
    pub role: String,
    /// labor, management or physician.
    pub side: String,
}

/// Give a person a seat. Labor representatives give labor seats, managers
/// management seats, partnership admins any.
#[utoipa::path(post, path = "/api/v1/bodies/{id}/seats", tag = "bodies", params(("id" = i64, Path)), request_body = NewSeat,
    responses((status = 201, body = crate::schemas::Seat), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn add_seat(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(seat): ApiJson<NewSeat>,
) -> Result<(StatusCode, Json<Seat>), AppError> {
    let person = PersonRef::Id(seat.person_id);
    let seat = actions::add_seat(&state, &user.0, id, person, &seat.role, &seat.side).await?;
    Ok((StatusCode::CREATED, Json(seat)))
}

/// Take a seat away.
#[utoipa::path(delete, path = "/api/v1/bodies/{id}/seats/{seat_id}", tag = "bodies",
    params(("id" = i64, Path), ("seat_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn remove_seat(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath((id, seat_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::remove_seat(&state, &user.0, id, seat_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
