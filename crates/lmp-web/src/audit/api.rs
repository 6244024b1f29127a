use crate::http::{ApiQuery, ApiUser, AppError, ErrorBody, PageOf};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use lmp_core::paging::Page;
use lmp_core::policy::Action;
use lmp_store::model::AuditRow;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// body, person, unit or user.
    pub entity: Option<String>,
    /// The entity's code (body code, employee number, unit code, user name).
    pub entity_id: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The audit trail, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = PageOf<crate::schemas::AuditRow>), (status = 403, body = ErrorBody)), security(("token" = [])))]
pub async fn list(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> Result<Json<PageOf<AuditRow>>, AppError> {
    user.permit(Action::ReadAudit)?;
    let entity = match (p.entity.as_deref(), p.entity_id.as_deref()) {
        (Some(kind), Some(id)) if !kind.is_empty() => Some((kind, id)),
        _ => None,
    };
    Ok(Json(
        state
            .store
            .audit_page(user.partnership_id(), entity, Page::new(p.limit, p.offset))
            .await?
            .into(),
    ))
}

/// This area's part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(list))]
pub struct Doc;
