//! Employment and Income Security: displacements and their alternatives,
//! the transition pool, vacancies, optimal placement with explanations, and
//! acceptance by both sides.

pub mod actions;
pub mod api;
mod pages;

use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/eis", get(pages::show))
        .route("/eis/displacements", post(pages::record_displacement))
        .route("/eis/displacements/{id}/alternatives", post(pages::record_alternative))
        .route("/eis/displacements/{id}/confirm", post(pages::confirm))
        .route("/eis/vacancies", post(pages::post_vacancy))
        .route("/eis/runs", post(pages::run))
        .route("/eis/proposals/{id}/accept", post(pages::accept))
        .route("/eis/proposals/{id}/decline", post(pages::decline))
        .nest("/api/v1", api_routes())
}

fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/eis", get(api::board))
        .route(
            "/eis/displacements",
            get(api::displacements).post(api::record_displacement),
        )
        .route("/eis/displacements/{id}", get(api::displacement))
        .route("/eis/displacements/{id}/alternatives", post(api::record_alternative))
        .route("/eis/displacements/{id}/confirm", post(api::confirm))
        .route("/eis/pool", get(api::pool))
        .route("/eis/vacancies", get(api::vacancies).post(api::post_vacancies))
        .route("/eis/runs", post(api::run))
        .route("/eis/proposals", get(api::proposals))
        .route("/eis/proposals/{id}", get(api::proposal))
        .route("/eis/proposals/{id}/accept", post(api::accept))
        .route("/eis/proposals/{id}/decline", post(api::decline))
        .route("/eis/representatives", get(api::representatives))
        .route("/eis/rules", get(api::rules).put(api::set_rules))
}

/// A restructuring's workers and vacancies files: thousands of rows, more
/// than the app's 64 KB limit, read whole (they are megabytes, not hundreds).
pub fn uploads() -> Router<AppState> {
    Router::new()
        .route("/api/v1/eis/displacements/{id}/workers", post(api::add_workers))
        .route("/api/v1/eis/vacancies/import", post(api::import_vacancies))
        .route("/eis/displacements/{id}/workers", post(pages::add_workers))
        .route("/eis/vacancies/import", post(pages::import_vacancies))
        .layer(DefaultBodyLimit::max(actions::LARGEST_EIS_FILE_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(5 * 60),
        ))
}
