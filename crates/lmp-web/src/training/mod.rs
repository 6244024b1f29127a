//! Training: the partnership's classes as a catalog, sessions with their
//! lists, the training file; completions feed Path to Performance at once.

pub mod actions;
pub mod api;
mod pages;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/training", get(pages::show))
        .route("/training/classes/{class}", get(pages::class))
        .route("/training/sessions", post(pages::create_session))
        .route("/training/sessions/{id}", get(pages::session))
        .route("/training/sessions/{id}/attendance", post(pages::mark))
        .nest("/api/v1", api_routes())
}

/// The training file, page and API, with its own body limit and time-out.
pub fn uploads() -> Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::http::StatusCode;
    use std::time::Duration;
    use tower_http::timeout::TimeoutLayer;
    Router::new()
        .route("/api/v1/imports/classes", post(api::import_classes))
        .route("/training/import", post(pages::import))
        .layer(DefaultBodyLimit::max(actions::LARGEST_TRAINING_FILE_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10 * 60),
        ))
}

fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/training/classes", get(api::classes))
        .route("/training/classes/{class}/to-train", get(api::to_train))
        .route("/training/sessions", get(api::sessions).post(api::create_session))
        .route("/training/sessions/{id}", get(api::session))
        .route("/training/sessions/{id}/attendance", post(api::mark_attendance))
        .route("/people/{id}/classes", get(api::person_classes))
}
