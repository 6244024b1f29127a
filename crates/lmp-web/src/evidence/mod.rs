//! Evidence that partnership works: each outcome measure both sides put in
//! force, by team level, participation and engagement over time, the
//! models behind it with their caveats in words, the exact data and models
//! to fit again, and outcomes files taken in.

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

/// The largest outcomes file taken over the web: ten years of forty
/// measures for several thousand teams.
pub const LARGEST_OUTCOMES_BYTES: usize = 2 << 30;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evidence", get(pages::show))
        .route("/evidence/{code}/panel.csv", get(pages::panel))
        .route("/evidence/{code}/models.json", get(pages::models))
        .nest("/api/v1", api_routes())
}

fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/evidence/measures", get(api::measures))
        .route("/evidence/measures/{code}", get(api::measure))
        .route("/evidence/measures/{code}/panel.csv", get(api::panel))
        .route("/evidence/measures/{code}/models.json", get(api::models))
}

/// Outcomes files, spooled to disk as they arrive.
pub fn uploads() -> Router<AppState> {
    Router::new()
        .route("/api/v1/evidence/outcomes", post(api::import_outcomes))
        .route("/evidence/outcomes", post(pages::import_outcomes))
        .layer(DefaultBodyLimit::max(LARGEST_OUTCOMES_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15 * 60),
        ))
}
