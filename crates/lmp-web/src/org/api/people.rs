use crate::http::{ApiJson, ApiPath, ApiQuery, ApiUser, AppError, ErrorBody, PageOf, PersonRef};
use crate::org::actions;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::model::{Person, Seat, StandingRole};
use lmp_store::people::PeopleFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    /// union_member, manager or physician.
    pub kind: Option<String>,
    pub local_id: Option<i64>,
    /// People in this unit or below it.
    pub unit_id: Option<i64>,
    pub search: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The people directory.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleParams),
    responses((status = 200, body = PageOf<crate::schemas::Person>), (status = 401, body = ErrorBody)), security(("token" = [])))]
pub async fn list(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<PeopleParams>,
) -> Result<Json<PageOf<Person>>, AppError> {
    user.permit(Action::ReadPeople)?;
    let filter = PeopleFilter {
        search: lmp_core::paging::search_term(p.search.as_deref()),
        kind: p.kind.filter(|k| !k.is_empty()),
        local_id: p.local_id,
        within_unit: p.unit_id,
    };
    let page = Page::new(p.limit, p.offset);
    Ok(Json(
        state
            .store
            .people_page(user.partnership_id(), &filter, page)
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetail {
    #[serde(flatten)]
    #[schema(value_type = crate::schemas::Person)]
    pub person: Person,
    #[schema(value_type = Vec<crate::schemas::Seat>)]
    pub seats: Vec<Seat>,
    #[schema(value_type = Vec<crate::schemas::StandingRole>)]
    pub standing_roles: Vec<StandingRole>,
}

/// One person: who they are and every seat and standing role they hold.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = PersonDetail), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn show(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PersonDetail>, AppError> {
    user.permit(Action::ReadPeople)?;
    let pid = user.partnership_id();
    let person = state.store.person(pid, id).await?.ok_or(AppError::NotFound("person"))?;
    let seats = state.store.seats_of_person(pid, id).await?;
    let standing_roles = state.store.standing_roles_of_person(pid, id).await?;
    Ok(Json(PersonDetail {
        person,
        seats,
        standing_roles,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewStandingRole {
    /// steward or labor_partner.
    pub role: String,
    /// Where the role serves (a region, facility or department).
    pub unit_id: Option<i64>,
    /// For a Labor Partner: the manager they work beside.
    pub partner_id: Option<i64>,
}

/// Make a union member a steward or a Labor Partner. Labor representatives
/// and partnership admins may.
#[utoipa::path(post, path = "/api/v1/people/{id}/roles", tag = "people", params(("id" = i64, Path)),
    request_body = NewStandingRole,
    responses((status = 201, body = crate::schemas::StandingRole), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn add_role(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(new): ApiJson<NewStandingRole>,
) -> Result<(StatusCode, Json<StandingRole>), AppError> {
    let partner = new.partner_id.map(PersonRef::Id);
    let added = actions::add_standing_role(&state, &user.0, id, &new.role, new.unit_id, partner).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Take a steward or Labor Partner role away.
#[utoipa::path(delete, path = "/api/v1/people/{id}/roles/{role_id}", tag = "people",
    params(("id" = i64, Path), ("role_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn remove_role(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath((id, role_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::remove_standing_role(&state, &user.0, id, role_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncQuery {
    /// The file's name, as errors will name it.
    pub file_name: String,
    /// Report what would change; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// The nightly HR sync (partnership admins): a people file that names
/// everyone who works here (the body, text/csv: employee_no,name,kind,local_code,unit_code,job_title).
/// Whoever it leaves out has left: their seats and standing roles end, kept
/// as history; a changed unit is a transfer. All or nothing; a bad row is a
/// 400 naming `file:line:column`.
#[utoipa::path(post, path = "/api/v1/imports/people", tag = "people", params(SyncQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = crate::schemas::SyncReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn sync(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SyncQuery>,
    body: axum::body::Body,
) -> Result<Json<lmp_store::import::SyncReport>, AppError> {
    let report = actions::sync_people(&state, &user.0, &q.file_name, body.into_data_stream(), q.dry_run).await?;
    Ok(Json(report))
}
