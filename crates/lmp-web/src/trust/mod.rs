//! The Partnership Trust: payroll hours and the contributions they owe,
//! remittances, the ledger, budgets approved by trustees of both sides, and
//! each local's statement.

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
        .route("/trust", get(pages::show))
        .route("/trust/reconciliation", get(pages::reconciliation))
        .route("/trust/locals/{local}", get(pages::statement))
        .route("/trust/budgets/{id}/approve", post(pages::approve))
        .route("/trust/remittances", post(pages::remit))
        .route("/trust/spending", post(pages::spend))
        .nest("/api/v1", api_routes())
}

fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/trust", get(api::year))
        .route("/trust/locals", get(api::locals))
        .route("/trust/totals", get(api::totals))
        .route("/trust/locals/{code}/statement", get(api::statement))
        .route("/trust/reconciliation", get(api::reconciliation))
        .route("/trust/remittances", post(api::remittances))
        .route("/trust/spending", post(api::spending))
        .route("/trust/budget", get(api::budget))
        .route("/trust/budgets", post(api::propose_budget))
        .route("/trust/budgets/{id}/approve", post(api::approve_budget))
        .route("/trust/trustees", get(api::trustees))
        .route("/trust/rules", get(api::rules).put(api::set_rules))
}

/// Payroll files: a year's is hundreds of megabytes, streamed to disk as it
/// arrives and taken in within a minute or two, so these routes have their
/// own limits, outside the app's.
pub fn uploads() -> Router<AppState> {
    Router::new()
        .route("/api/v1/trust/payroll", post(api::payroll))
        .route("/trust/payroll", post(pages::upload))
        .layer(DefaultBodyLimit::max(actions::LARGEST_PAYROLL_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15 * 60),
        ))
}
