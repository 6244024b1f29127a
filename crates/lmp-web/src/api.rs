//! `/api/v1`: the same resources as the pages, as JSON, for programs that
//! sign in with a personal access token. Each area serves its own routes;
//! this holds the OpenAPI document that gathers them.

use crate::http::{AppError, ErrorBody};
use crate::state::AppState;
use axum::routing::{any, get};
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// What `/api/v1` answers besides the areas' own routes: the OpenAPI
/// document, and a JSON 404 for anything else under it.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1", any(api_not_found))
        .route("/api/v1/{*rest}", any(api_not_found))
}

async fn api_not_found() -> AppError {
    AppError::NotFound("API route")
}

#[derive(OpenApi)]
#[openapi(
    info(title = "lmp API", description = "The labor-management partnership: its structure, people, bodies, unit-based teams \
        (charters, meetings, improvement projects, measurements, tests of change, savings and their signatures, Path to Performance), training (the classes, sessions and attendance, completions), \
        joint decisions (interest-based problem solving, consensus, escalation, participation), two-key changes, notices, meetings, \
        partnership health, the Partnership Trust (payroll hours, contributions, the ledger, budgets), Employment and Income \
        Security (displacements, the transition pool, vacancies, optimal placement with explanations, joint acceptance), safe staffing, the evidence (outcome measures by team level, participation and engagement, with the models behind them) and the audit trail. \
        Every call needs `Authorization: Bearer <token>`; lists take `limit`, `offset` and `search` and return \
        `{items, total, limit, offset, next_offset}`; errors are `{code, message}`."),
    components(schemas(ErrorBody)),
    modifiers(&TokenAuth)
)]
pub struct ApiDoc;

struct TokenAuth;

impl Modify for TokenAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole document: the frame above, and each area's paths.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for area in [
        crate::account::api::Doc::openapi(),
        crate::org::api::Doc::openapi(),
        crate::governance::api::Doc::openapi(),
        crate::teams::api::Doc::openapi(),
        crate::training::api::Doc::openapi(),
        crate::decisions::api::Doc::openapi(),
        crate::trust::api::Doc::openapi(),
        crate::eis::api::Doc::openapi(),
        crate::staffing::api::Doc::openapi(),
        crate::evidence::api::Doc::openapi(),
        crate::audit::api::Doc::openapi(),
    ] {
        doc.merge(area);
    }
    doc
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
