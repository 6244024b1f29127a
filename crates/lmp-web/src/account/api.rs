//! `GET /api/v1/me`: who the token belongs to.

use crate::http::{ApiUser, AppError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use lmp_core::policy::Action;
use serde::Serialize;
use utoipa::ToSchema;

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
#[openapi(paths(me))]
pub struct Doc;
