//! The lmp web app: HTML pages for people, a JSON API under `/api/v1` for
//! programs, both over the same store and the same policy.

pub mod actions;
pub mod api;
pub mod auth;
pub mod background;
pub mod charts;
pub mod dashboard_cache;
pub mod decision_actions;
pub mod eis_actions;
pub mod error;
pub mod export;
pub mod governance_actions;
pub mod pages;
pub mod scorecard_scope;
pub mod spool;
pub mod staffing_actions;
pub mod state;
pub mod team_actions;
pub mod trust_actions;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderName, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use state::AppState;

/// Requests larger than this are refused with 413: no form or API call here
/// needs more.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole app as one router.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(healthz))
        .merge(pages::router())
        .nest("/api/v1", api::router())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .merge(uploads())
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Payroll files: a year's is hundreds of megabytes, streamed to disk as it
/// arrives and taken in within a minute or two, so these two routes have
/// their own limits.
fn uploads() -> Router<AppState> {
    Router::new()
        .route("/api/v1/trust/payroll", axum::routing::post(api::trust::payroll))
        .route("/trust/payroll", axum::routing::post(pages::trust::upload))
        .layer(DefaultBodyLimit::max(trust_actions::LARGEST_PAYROLL_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15 * 60),
        ))
        .merge(eis_uploads())
        .merge(staffing_uploads())
}

/// Units files and a year of hourly readings (most of a gigabyte), spooled
/// to disk as they arrive.
fn staffing_uploads() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/staffing/units/import",
            axum::routing::post(api::staffing::import_units),
        )
        .route(
            "/api/v1/staffing/readings",
            axum::routing::post(api::staffing::readings),
        )
        .route("/staffing/units", axum::routing::post(pages::staffing::import_units))
        .route(
            "/staffing/readings",
            axum::routing::post(pages::staffing::import_readings),
        )
        .layer(DefaultBodyLimit::max(staffing_actions::LARGEST_READINGS_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15 * 60),
        ))
}

/// A restructuring's workers and vacancies files: thousands of rows, more
/// than the app's 64 KB limit, read whole (they are megabytes, not hundreds).
fn eis_uploads() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/eis/displacements/{id}/workers",
            axum::routing::post(api::eis::add_workers),
        )
        .route(
            "/api/v1/eis/vacancies/import",
            axum::routing::post(api::eis::import_vacancies),
        )
        .route(
            "/eis/displacements/{id}/workers",
            axum::routing::post(pages::eis::add_workers),
        )
        .route(
            "/eis/vacancies/import",
            axum::routing::post(pages::eis::import_vacancies),
        )
        .layer(DefaultBodyLimit::max(eis_actions::LARGEST_EIS_FILE_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(5 * 60),
        ))
}

/// Serve on `listener` until `shutdown` resolves. Tests pass a listener on
/// port 0.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Answers without sign-in: is the app up and its database reachable?
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            Json(serde_json::json!({"status": "ok", "database": state.store.backend()})),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, "no-store")],
                Json(serde_json::json!({"status": "unavailable", "database": state.store.backend()})),
            )
        }
    }
}
