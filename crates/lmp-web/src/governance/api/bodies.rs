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
use lmp_store::structure::import::StructureReport;
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
    /// Closed bodies too (their history stays); open ones only by default.
    pub include_closed: Option<bool>,
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
            include_closed: self.include_closed.unwrap_or(false),
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

/// Create a body or a unit-based team (partnership admins). It starts
/// flagged as missing both co-leads: they are added by two keys.
#[utoipa::path(post, path = "/api/v1/bodies", tag = "bodies", request_body = actions::BodyInput,
    responses((status = 201, body = crate::schemas::Body), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn create(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<actions::BodyInput>,
) -> Result<(StatusCode, Json<Body>), AppError> {
    let body = actions::create_body(&state, &user.0, input).await?;
    Ok((StatusCode::CREATED, Json(body)))
}

/// What to change in a body; a field left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BodyPatch {
    pub name: Option<String>,
    /// The body it now reports to; `null` takes it out from under any parent.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
}

/// Tells a field sent as `null` (Some(None)) from one left out (None).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// Rename a body or move it under another parent (partnership admins).
#[utoipa::path(patch, path = "/api/v1/bodies/{id}", tag = "bodies", params(("id" = i64, Path)), request_body = BodyPatch,
    responses((status = 200, body = crate::schemas::Body), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn update(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<BodyPatch>,
) -> Result<Json<Body>, AppError> {
    let change = lmp_store::structure::BodyChange {
        name: patch.name,
        parent_id: patch.parent_id,
    };
    Ok(Json(actions::change_body(&state, &user.0, id, change).await?))
}

/// Close a body today (partnership admins): its seats end and are kept as
/// history; refused while bodies hang under it or decisions are open there.
#[utoipa::path(post, path = "/api/v1/bodies/{id}/close", tag = "bodies", params(("id" = i64, Path)),
    responses((status = 200, body = crate::schemas::Body), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn close(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Body>, AppError> {
    Ok(Json(actions::close_body(&state, &user.0, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name, as errors will name it.
    pub file_name: String,
}

async fn import_file(
    user: ApiUser,
    state: &AppState,
    what: actions::StructureFile,
    q: ImportQuery,
    body: axum::body::Body,
) -> Result<Json<StructureReport>, AppError> {
    let report = actions::import_structure(state, &user.0, what, &q.file_name, body.into_data_stream()).await?;
    Ok(Json(report))
}

/// Upload a bodies file (the body, text/csv: code,level,name,unit_code,parent_code,decides),
/// partnership admins. All of it or none: a bad row is a 400 naming `file:line:column`;
/// the same file again changes nothing.
#[utoipa::path(post, path = "/api/v1/imports/bodies", tag = "bodies", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = crate::schemas::StructureReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn import_bodies(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Body,
) -> Result<Json<StructureReport>, AppError> {
    import_file(user, &state, actions::StructureFile::Bodies, q, body).await
}

/// Upload a seats file (the body, text/csv: body_code,employee_no,role,side,from,to),
/// partnership admins. A row with `to` is a past seat; an unknown person or
/// one who cannot act for the side is a 400 naming `file:line:column`.
#[utoipa::path(post, path = "/api/v1/imports/seats", tag = "bodies", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = crate::schemas::StructureReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn import_seats(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Body,
) -> Result<Json<StructureReport>, AppError> {
    import_file(user, &state, actions::StructureFile::Seats, q, body).await
}
