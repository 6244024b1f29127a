//! Safe staffing: the jointly agreed rules, each unit's required staff,
//! hourly readings and compliance, the worst hours, and unit staffing plans
//! approved by both sides.

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
        .route("/staffing", get(pages::show))
        .route("/staffing/plans/{id}/approve", post(pages::approve_plan))
        .route("/staffing/units/{code}/plan", post(pages::plan_form))
        .nest("/api/v1", api_routes())
}

fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/staffing/rules", get(api::rules).put(api::save_rules))
        .route("/staffing/required", get(api::required))
        .route("/staffing/units", get(api::units))
        .route("/staffing/compliance", get(api::compliance))
        .route("/staffing/short-hours", get(api::short_hours))
        .route("/staffing/plan-gaps", get(api::plan_gaps))
        .route("/staffing/units/{code}/history", get(api::history))
        .route("/staffing/units/{code}/plans", get(api::plans).post(api::write_plan))
        .route("/staffing/units/{code}/what-if", post(api::what_if))
        .route("/staffing/plans/{id}/approve", post(api::approve_plan))
}

/// Units files and a year of hourly readings (most of a gigabyte), spooled
/// to disk as they arrive.
pub fn uploads() -> Router<AppState> {
    Router::new()
        .route("/api/v1/staffing/units/import", post(api::import_units))
        .route("/api/v1/staffing/readings", post(api::readings))
        .route("/staffing/units", post(pages::import_units))
        .route("/staffing/readings", post(pages::import_readings))
        .layer(DefaultBodyLimit::max(actions::LARGEST_READINGS_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15 * 60),
        ))
}
