use crate::http::{ApiJson, ApiPath, ApiQuery, ApiUser, AppError, ErrorBody, PageOf};
use crate::state::AppState;
use crate::training::actions::{self, AttendanceMark, CatalogClass, SessionInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lmp_core::body::BodyRole;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::import::ImportReport;
use lmp_store::training::{AttendanceReport, ClassAttendee, ClassSession, Completion, LeaderToTrain};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    classes,
    to_train,
    sessions,
    create_session,
    session,
    mark_attendance,
    import_classes,
    person_classes
))]
pub struct Doc;

/// The partnership's classes: what each is for, where Path to Performance
/// asks for it, how many completed it, how many team leaders still need it.
#[utoipa::path(get, path = "/api/v1/training/classes", tag = "training",
    responses((status = 200, body = Vec<CatalogClass>), (status = 401, body = ErrorBody)), security(("token" = [])))]
pub async fn classes(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<CatalogClass>>, AppError> {
    Ok(Json(
        actions::catalog(&state, &user.0, lmp_core::language::Language::English).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ToTrainParams {
    /// co_lead (the default) or sponsor.
    pub role: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// Leaders of open teams (co-leads, or sponsors) who have not completed a
/// class, by team: whom to enrol next.
#[utoipa::path(get, path = "/api/v1/training/classes/{class}/to-train", tag = "training",
    params(("class" = String, Path), ToTrainParams),
    responses((status = 200, body = PageOf<crate::schemas::LeaderToTrain>), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn to_train(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(class): ApiPath<String>,
    ApiQuery(p): ApiQuery<ToTrainParams>,
) -> Result<Json<PageOf<LeaderToTrain>>, AppError> {
    user.permit(Action::ReadStructure)?;
    let class = actions::parse_class(&class)?;
    let role: BodyRole = p
        .role
        .as_deref()
        .unwrap_or("co_lead")
        .parse()
        .map_err(AppError::BadRequest)?;
    let page = Page::new(p.limit, p.offset);
    Ok(Json(
        state
            .store
            .leaders_to_train(user.partnership_id(), class, role, page)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionParams {
    /// Only sessions held on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// Sessions of the classes, latest first, with how many are enrolled,
/// attended and absent.
#[utoipa::path(get, path = "/api/v1/training/sessions", tag = "training", params(SessionParams),
    responses((status = 200, body = PageOf<crate::schemas::ClassSession>), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn sessions(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SessionParams>,
) -> Result<Json<PageOf<ClassSession>>, AppError> {
    user.permit(Action::ReadStructure)?;
    let from = match p.from.as_deref().filter(|f| !f.trim().is_empty()) {
        Some(day) => Some(crate::http::parse_day("from", day)?),
        None => None,
    };
    Ok(Json(
        state
            .store
            .class_sessions(user.partnership_id(), from, Page::new(p.limit, p.offset))
            .await?
            .into(),
    ))
}

/// Schedule a session of a class (partnership admins).
#[utoipa::path(post, path = "/api/v1/training/sessions", tag = "training", request_body = SessionInput,
    responses((status = 201, body = crate::schemas::ClassSession), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("token" = [])))]
pub async fn create_session(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<(StatusCode, Json<ClassSession>), AppError> {
    let session = actions::create_session(&state, &user.0, input).await?;
    Ok((StatusCode::CREATED, Json(session)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDetail {
    #[schema(value_type = crate::schemas::ClassSession)]
    pub session: ClassSession,
    #[schema(value_type = Vec<crate::schemas::ClassAttendee>)]
    pub attendance: Vec<ClassAttendee>,
}

/// One session and its list.
#[utoipa::path(get, path = "/api/v1/training/sessions/{id}", tag = "training", params(("id" = i64, Path)),
    responses((status = 200, body = SessionDetail), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn session(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SessionDetail>, AppError> {
    user.permit(Action::ReadStructure)?;
    let pid = user.partnership_id();
    let session = state
        .store
        .class_session(pid, id)
        .await?
        .ok_or(AppError::NotFound("class session"))?;
    let attendance = state.store.session_attendance(pid, id).await?;
    Ok(Json(SessionDetail { session, attendance }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    pub marks: Vec<AttendanceMark>,
}

/// Enrol people on a session, or mark them attended or absent (partnership
/// admins), all or none. Attending, once the session's day has come,
/// completes the class; a mark taken back takes back the completion it gave.
#[utoipa::path(post, path = "/api/v1/training/sessions/{id}/attendance", tag = "training", params(("id" = i64, Path)),
    request_body = AttendanceInput,
    responses((status = 200, body = crate::schemas::AttendanceReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn mark_attendance(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Result<Json<AttendanceReport>, AppError> {
    Ok(Json(actions::mark_attendance(&state, &user.0, id, &input.marks).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name, as errors will name it.
    pub file_name: String,
}

/// Upload a training file (the body, text/csv: employee_no,class,completed_on[,source]),
/// partnership admins. All of it or none: a bad row is a 400 naming
/// `file:line:column`; a person's first completion of a class counts, so
/// the same file again changes nothing. The teams are re-rated at once.
#[utoipa::path(post, path = "/api/v1/imports/classes", tag = "training", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = crate::schemas::ImportReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn import_classes(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Body,
) -> Result<Json<ImportReport>, AppError> {
    let report = actions::import_classes(&state, &user.0, &q.file_name, body.into_data_stream()).await?;
    Ok(Json(report))
}

/// The classes a person has completed, and where each was recorded.
#[utoipa::path(get, path = "/api/v1/people/{id}/classes", tag = "training", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<crate::schemas::Completion>), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn person_classes(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<Completion>>, AppError> {
    user.permit(Action::ReadPeople)?;
    let pid = user.partnership_id();
    state.store.person(pid, id).await?.ok_or(AppError::NotFound("person"))?;
    Ok(Json(state.store.completions_of(pid, id).await?))
}
