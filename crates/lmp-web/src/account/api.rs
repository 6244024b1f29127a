//! `GET /api/v1/me`: who the token belongs to; the partnership's sign-ins
//! for its administrator.

use crate::account::actions;
use crate::http::{ApiJson, ApiPath, ApiQuery, ApiUser, AppError, ErrorBody, PageOf};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::invitations::Invitation;
use lmp_store::sign_ins::{SignIn, SignInFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub username: String,
    pub role: String,
    #[schema(value_type = crate::schemas::Partnership)]
    pub partnership: lmp_store::model::Partnership,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "sign-in",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)), security(("token" = [])))]
pub async fn me(user: ApiUser, State(state): State<AppState>) -> Result<Json<Me>, AppError> {
    user.permit(Action::ReadStructure)?;
    let partnership = state
        .store
        .partnership(user.partnership_id())
        .await?
        .ok_or(AppError::NotFound("partnership"))?;
    Ok(Json(Me {
        user_id: user.0.user_id,
        username: user.0.username.clone(),
        role: user.0.role.as_str().to_string(),
        partnership,
    }))
}

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(me, sign_ins, sign_in, change_sign_in, invitations, invite))]
pub struct Doc;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignInParams {
    /// Matches user names, people's names and employee numbers.
    pub search: Option<String>,
    /// Deactivated sign-ins too (left out by default).
    pub include_deactivated: Option<bool>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The partnership's sign-ins (partnership admins): role and where it comes
/// from, the person, single sign-on or password, deactivated or not.
#[utoipa::path(get, path = "/api/v1/users", tag = "sign-in", params(SignInParams),
    responses((status = 200, body = PageOf<crate::schemas::SignIn>), (status = 403, body = ErrorBody)), security(("token" = [])))]
pub async fn sign_ins(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SignInParams>,
) -> Result<Json<PageOf<SignIn>>, AppError> {
    user.permit(Action::ManageSignIns)?;
    let filter = SignInFilter {
        search: lmp_core::paging::search_term(p.search.as_deref()),
        include_deactivated: p.include_deactivated.unwrap_or(false),
    };
    Ok(Json(
        state
            .store
            .sign_ins_page(user.partnership_id(), &filter, Page::new(p.limit, p.offset))
            .await?
            .into(),
    ))
}

/// One sign-in (partnership admins).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "sign-in", params(("id" = i64, Path)),
    responses((status = 200, body = crate::schemas::SignIn), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn sign_in(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SignIn>, AppError> {
    user.permit(Action::ManageSignIns)?;
    state
        .store
        .sign_in(user.partnership_id(), id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound("sign-in"))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInChangeInput {
    /// grant, deactivate or reactivate.
    pub change: String,
    /// For grant: partnership_admin, labor_representative, manager, member or analyst.
    pub role: Option<String>,
}

/// Grant a sign-in a role, deactivate it (its sessions end, its tokens stop
/// answering) or bring it back (partnership admins), audited. Never one's
/// own, never the partnership's last active administrator.
#[utoipa::path(post, path = "/api/v1/users/{id}", tag = "sign-in", params(("id" = i64, Path)), request_body = SignInChangeInput,
    responses((status = 200, body = crate::schemas::SignIn), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn change_sign_in(
    user: ApiUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SignInChangeInput>,
) -> Result<Json<SignIn>, AppError> {
    let change = actions::parse_change(&input.change, input.role.as_deref())?;
    Ok(Json(actions::change_sign_in(&state, &user.0, id, change).await?))
}

/// How many waiting invitations the list shows.
pub const INVITATIONS_SHOWN: i64 = 100;

/// The invitations sent and not yet taken up, newest first, expired ones
/// too (partnership admins).
#[utoipa::path(get, path = "/api/v1/invitations", tag = "sign-in",
    responses((status = 200, body = Vec<crate::schemas::Invitation>), (status = 403, body = ErrorBody)), security(("token" = [])))]
pub async fn invitations(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<Invitation>>, AppError> {
    user.permit(Action::ManageSignIns)?;
    Ok(Json(
        state
            .store
            .invitations_waiting(user.partnership_id(), INVITATIONS_SHOWN)
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    /// Whom to invite: someone in the people file without a working sign-in.
    pub employee_no: String,
    /// Where the link goes.
    pub email: String,
}

/// Invite someone without single sign-on (partnership admins), audited: a
/// link good once, for a week, is mailed to them, where they choose a user
/// name and a password; the role comes from their record.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "sign-in", request_body = InvitationInput,
    responses((status = 201, body = crate::schemas::Invitation), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn invite(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<InvitationInput>,
) -> Result<(StatusCode, Json<Invitation>), AppError> {
    let invitation = actions::invite(&state, &user.0, &input.employee_no, &input.email).await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}
