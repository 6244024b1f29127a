//! `/api/v1` for what surrounds decisions: a decision's history check and
//! time at each level, two-key changes, notices, body meetings, the
//! partnership's health and its time limits.

use crate::governance::actions::HealthQuery;
use crate::governance::actions::{self, CallMeetingInput, JointChangeInput, MinutesInput};
use crate::http::{ApiJson, ApiPath, ApiQuery, ApiUser, AppError, Created, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use lmp_core::escalation::EscalationRules;
use lmp_core::policy::Action;
use lmp_store::body_meetings::{AgendaItem, Attendee, CalledMeeting};
use lmp_store::decisions::HistoryCheck;
use lmp_store::health::Health;
use lmp_store::joint_changes::JointChangeRow;
use lmp_store::notices::Notice;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Whether a decision's history verifies against the tamper-evident audit log.
#[utoipa::path(get, path = "/api/v1/decisions/{id}/history", tag = "decisions",
    responses((status = 200, body = crate::schemas::HistoryCheck), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn history(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<HistoryCheck>, AppError> {
    user.permit(Action::ReadStructure)?;
    state
        .store
        .decision(user.partnership_id(), id)
        .await?
        .ok_or(AppError::NotFound("decision"))?;
    Ok(Json(state.store.verify_decision(user.partnership_id(), id).await?))
}

/// Two-key changes, waiting first.
#[utoipa::path(get, path = "/api/v1/joint-changes", tag = "two keys",
    responses((status = 200, body = [crate::schemas::JointChangeRow])), security(("token" = [])))]
pub async fn changes(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<JointChangeRow>>, AppError> {
    user.permit(Action::ReadStructure)?;
    Ok(Json(state.store.joint_changes(user.partnership_id(), None, 500).await?))
}

#[utoipa::path(get, path = "/api/v1/joint-changes/{id}", tag = "two keys",
    responses((status = 200, body = crate::schemas::JointChangeRow), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn change(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<JointChangeRow>, AppError> {
    user.permit(Action::ReadStructure)?;
    Ok(Json(
        state
            .store
            .joint_change(user.partnership_id(), id)
            .await?
            .ok_or(AppError::NotFound("change"))?,
    ))
}

/// Ask for a change to a body's decision rules or co-leads, or a decision's
/// redaction. A labor representative's or manager's request turns their own
/// side's key; the other side's approver turns the second.
#[utoipa::path(post, path = "/api/v1/joint-changes", tag = "two keys", request_body = JointChangeInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn request_change(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<JointChangeInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = actions::request_change(&state, &user.0, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Approved {
    /// Both keys are turned and the change is made.
    pub applied: bool,
}

/// Turn your side's key (labor representatives for labor, managers for management).
#[utoipa::path(post, path = "/api/v1/joint-changes/{id}/approve", tag = "two keys",
    responses((status = 200, body = Approved), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn approve(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Approved>, AppError> {
    let applied = actions::approve_change(&state, &user.0, id).await?;
    Ok(Json(Approved { applied }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawInput {
    #[serde(default)]
    pub reason: String,
}

/// Withdraw a waiting change (its requester), or refuse it (either side's approver).
#[utoipa::path(post, path = "/api/v1/joint-changes/{id}/withdraw", tag = "two keys", request_body = WithdrawInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn withdraw(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<WithdrawInput>,
) -> Result<StatusCode, AppError> {
    actions::withdraw_change(&state, &user.0, id, &input.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's notices, unread first (empty for a sign-in linked to no person).
#[utoipa::path(get, path = "/api/v1/notices", tag = "notices",
    responses((status = 200, body = [crate::schemas::Notice])), security(("token" = [])))]
pub async fn notices(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<Notice>>, AppError> {
    user.permit(Action::ReadStructure)?;
    Ok(Json(match crate::http::person_of(&state, &user.0).await? {
        Some(person) => state.store.notices_of(user.partnership_id(), person, 200).await?,
        None => Vec::new(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadInput {
    /// One notice; all when absent.
    pub id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedRead {
    pub marked: u64,
}

#[utoipa::path(post, path = "/api/v1/notices/read", tag = "notices", request_body = ReadInput,
    responses((status = 200, body = MarkedRead)), security(("token" = [])))]
pub async fn read_notices(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ReadInput>,
) -> Result<Json<MarkedRead>, AppError> {
    user.permit(Action::ReadStructure)?;
    let marked = match crate::http::person_of(&state, &user.0).await? {
        Some(person) => {
            state
                .store
                .mark_notices_read(user.partnership_id(), person, input.id)
                .await?
        }
        None => 0,
    };
    Ok(Json(MarkedRead { marked }))
}

/// A body's meetings: the coming ones first, then the latest held.
#[utoipa::path(get, path = "/api/v1/bodies/{id}/meetings", tag = "meetings",
    responses((status = 200, body = [crate::schemas::CalledMeeting]), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn meetings(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CalledMeeting>>, AppError> {
    user.permit(Action::ReadStructure)?;
    state
        .store
        .body(user.partnership_id(), id)
        .await?
        .ok_or(AppError::NotFound("body"))?;
    Ok(Json(
        state
            .store
            .called_meetings_of(user.partnership_id(), id, lmp_store::today())
            .await?,
    ))
}

/// Call a meeting of a body you sit on; its members are told.
#[utoipa::path(post, path = "/api/v1/bodies/{id}/meetings", tag = "meetings", request_body = CallMeetingInput,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn call_meeting(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CallMeetingInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    state
        .store
        .body(user.partnership_id(), id)
        .await?
        .ok_or(AppError::NotFound("body"))?;
    let id = actions::call_meeting(&state, &user.0, id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingOut {
    #[schema(value_type = crate::schemas::CalledMeeting)]
    pub meeting: CalledMeeting,
    #[schema(value_type = Vec<crate::schemas::AgendaItem>)]
    pub agenda: Vec<AgendaItem>,
    /// Who came, each with the side they counted for.
    #[schema(value_type = Vec<crate::schemas::Attendee>)]
    pub attendance: Vec<Attendee>,
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings",
    responses((status = 200, body = MeetingOut), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn meeting(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingOut>, AppError> {
    user.permit(Action::ReadStructure)?;
    let pid = user.partnership_id();
    let meeting = state
        .store
        .called_meeting(pid, id)
        .await?
        .ok_or(AppError::NotFound("meeting"))?;
    Ok(Json(MeetingOut {
        meeting,
        agenda: state.store.agenda_of(pid, id).await?,
        attendance: state.store.attendance_of(pid, id).await?,
    }))
}

/// The meeting as an RFC 5545 calendar file.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/invite.ics", tag = "meetings",
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn invite(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<impl IntoResponse, AppError> {
    user.permit(Action::ReadStructure)?;
    let text = crate::governance::actions::invitation(&state, user.partnership_id(), id).await?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], text))
}

/// After it has met: who came and the minutes (recording again replaces both).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes", tag = "meetings", request_body = MinutesInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn minutes(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MinutesInput>,
) -> Result<StatusCode, AppError> {
    actions::record_minutes(&state, &user.0, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HealthParams {
    /// national, regional, facility, department or team; every level when absent.
    pub level: Option<String>,
    /// One body's signs alone.
    pub body: Option<i64>,
    /// The period of the per-body signs, in months back from now (1-60, default 12).
    pub months: Option<i64>,
}

/// The warning signs per body over the period (most concerning first) and
/// quarter by quarter over four years.
#[utoipa::path(get, path = "/api/v1/health", tag = "health", params(HealthParams),
    responses((status = 200, body = crate::schemas::Health), (status = 400, body = ErrorBody)), security(("token" = [])))]
pub async fn health(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<HealthParams>,
) -> Result<Json<Health>, AppError> {
    user.permit(Action::ReadStructure)?;
    let (which, from, to, months) = HealthQuery {
        level: q.level,
        body: q.body,
        months: q.months,
    }
    .parse()?;
    if let Some(body) = which.body {
        state
            .store
            .body(user.partnership_id(), body)
            .await?
            .ok_or(AppError::NotFound("body"))?;
    }
    let health = state.health(user.partnership_id(), which, months, from, to).await?;
    Ok(Json(health.as_ref().clone()))
}

/// The days a decision may stay at each level before it rises.
#[utoipa::path(get, path = "/api/v1/decision-rules", tag = "decisions",
    responses((status = 200, body = Object)), security(("token" = [])))]
pub async fn rules(user: ApiUser, State(state): State<AppState>) -> Result<Json<EscalationRules>, AppError> {
    user.permit(Action::ReadStructure)?;
    Ok(Json(state.store.escalation_rules(user.partnership_id()).await?))
}

/// Set the time limits (partnership administrators; audited). A body's own
/// limit is part of its charter and changes with two keys.
#[utoipa::path(put, path = "/api/v1/decision-rules", tag = "decisions", request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("token" = [])))]
pub async fn set_rules(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(rules): ApiJson<EscalationRules>,
) -> Result<Json<EscalationRules>, AppError> {
    let permit = user.permit(Action::ConfigureRules)?;
    state.store.set_escalation_rules(&permit, &rules).await?;
    Ok(Json(state.store.escalation_rules(user.partnership_id()).await?))
}
