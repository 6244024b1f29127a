//! The partnership's structure and people: the dashboard, organization
//! units, people and their standing roles, union locals and stewards.

pub mod actions;
pub mod api;
mod pages;

use crate::state::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::dashboard::show))
        .route("/org", get(pages::units::list))
        .route("/org/{id}", get(pages::units::show))
        .route("/people", get(pages::people::list))
        .route("/people/{id}", get(pages::people::show))
        .route("/people/{id}/roles", post(pages::people::add_role))
        .route("/people/{id}/roles/{role_id}/remove", post(pages::people::remove_role))
        .route("/locals", get(pages::locals::list))
        .route("/locals/{id}", get(pages::locals::show))
        .nest("/api/v1", api_routes())
}

/// The nightly people file, with its own body limit and time-out.
pub fn uploads() -> Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::http::StatusCode;
    use std::time::Duration;
    use tower_http::timeout::TimeoutLayer;
    Router::new()
        .route("/api/v1/imports/people", post(api::people::sync))
        .route("/people/sync", post(pages::people::sync))
        .layer(DefaultBodyLimit::max(actions::LARGEST_PEOPLE_FILE_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10 * 60),
        ))
}

fn api_routes() -> Router<AppState> {
    use api::{people, units};
    Router::new()
        .route("/dashboard", get(units::dashboard))
        .route("/people", get(people::list))
        .route("/people/{id}", get(people::show))
        .route("/people/{id}/roles", post(people::add_role))
        .route("/people/{id}/roles/{role_id}", delete(people::remove_role))
        .route("/locals", get(units::locals))
        .route("/locals/{id}", get(units::local))
        .route("/locals/{id}/stewards", get(units::stewards))
        .route("/units", get(units::list))
        .route("/units/{id}", get(units::show))
}
