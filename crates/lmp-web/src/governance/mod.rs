//! How the partnership governs itself: bodies and their seats, two-key
//! changes, body meetings and notices, decision rules, partnership health
//! and the scorecard.

pub mod actions;
pub mod api;
mod export;
mod pages;
pub mod scorecard_scope;

use crate::state::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    use pages::{bodies, changes, health, meetings, notices, scorecard};
    Router::new()
        .route("/bodies", get(bodies::list).post(bodies::create))
        .route("/teams", get(bodies::teams))
        .route("/bodies/{id}", get(bodies::show).post(bodies::change))
        .route("/bodies/{id}/close", post(bodies::close))
        .route("/bodies/{id}/seats", post(bodies::add_seat))
        .route("/bodies/{id}/seats/{seat_id}/remove", post(bodies::remove_seat))
        .route("/scorecard", get(scorecard::show))
        .route("/scorecard.csv", get(scorecard::csv))
        .route("/scorecard.xlsx", get(scorecard::xlsx))
        .route("/scorecard/teams", get(scorecard::teams))
        .route("/scorecard/decisions", get(scorecard::decisions))
        .route("/changes", get(changes::list).post(changes::request))
        .route("/changes/{id}/approve", post(changes::approve))
        .route("/changes/{id}/withdraw", post(changes::withdraw))
        .route("/notices", get(notices::list))
        .route("/notices/read", post(notices::read))
        .route("/bodies/{id}/meetings", post(meetings::call))
        .route("/meetings/{id}", get(meetings::show))
        .route("/meetings/{id}/invite.ics", get(meetings::ics))
        .route("/meetings/{id}/minutes", post(meetings::minutes))
        .route("/health", get(health::show))
        .nest("/api/v1", api_routes())
}

/// The bodies and seats files, page and API, with their own body limit and
/// time-out: a partnership's whole structure in one file.
pub fn uploads() -> Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::http::StatusCode;
    use std::time::Duration;
    use tower_http::timeout::TimeoutLayer;
    Router::new()
        .route("/api/v1/imports/bodies", post(api::bodies::import_bodies))
        .route("/api/v1/imports/seats", post(api::bodies::import_seats))
        .route("/bodies/import", post(pages::bodies::import_bodies))
        .route("/bodies/import-seats", post(pages::bodies::import_seats))
        .layer(DefaultBodyLimit::max(actions::LARGEST_STRUCTURE_FILE_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10 * 60),
        ))
}

fn api_routes() -> Router<AppState> {
    use api::{bodies, governance, scorecard};
    Router::new()
        .route("/bodies", get(bodies::list).post(bodies::create))
        .route("/teams", get(bodies::teams))
        .route("/bodies/{id}", get(bodies::show).patch(bodies::update))
        .route("/bodies/{id}/close", post(bodies::close))
        .route("/bodies/{id}/seats", get(bodies::members).post(bodies::add_seat))
        .route("/bodies/{id}/seats/{seat_id}", delete(bodies::remove_seat))
        .route("/decisions/{id}/history", get(governance::history))
        .route("/decision-rules", get(governance::rules).put(governance::set_rules))
        .route(
            "/joint-changes",
            get(governance::changes).post(governance::request_change),
        )
        .route("/joint-changes/{id}", get(governance::change))
        .route("/joint-changes/{id}/approve", post(governance::approve))
        .route("/joint-changes/{id}/withdraw", post(governance::withdraw))
        .route("/notices", get(governance::notices))
        .route("/notices/read", post(governance::read_notices))
        .route(
            "/bodies/{id}/meetings",
            get(governance::meetings).post(governance::call_meeting),
        )
        .route("/meetings/{id}", get(governance::meeting))
        .route("/meetings/{id}/invite.ics", get(governance::invite))
        .route("/meetings/{id}/minutes", post(governance::minutes))
        .route("/health", get(governance::health))
        .route("/scorecard", get(scorecard::show))
        .route("/scorecard/teams", get(scorecard::teams))
        .route("/scorecard/participation", get(scorecard::participation))
        .route("/scorecard/decisions", get(scorecard::decisions))
}
