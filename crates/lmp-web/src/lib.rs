//! The lmp web app: HTML pages for people, a JSON API under `/api/v1` for
//! programs, both over the same store and the same policy.

// Shared pieces, owned by no area.
pub mod api;
pub mod auth;
pub mod background;
pub mod cache;
pub mod http;
pub mod schemas;
pub mod state;

// The areas: each serves its own pages and API routes.
pub mod account;
pub mod audit;
pub mod decisions;
pub mod eis;
pub mod evidence;
pub mod governance;
pub mod org;
pub mod staffing;
pub mod teams;
pub mod training;
pub mod trust;

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
        .merge(account::router())
        .merge(org::router())
        .merge(governance::router())
        .merge(teams::router())
        .merge(training::router())
        .merge(decisions::router())
        .merge(trust::router())
        .merge(eis::router())
        .merge(staffing::router())
        .merge(evidence::router())
        .merge(audit::router())
        .merge(api::router())
        .merge(http::layout::static_files())
        .merge(http::i18n::routes())
        .fallback(http::errors::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .merge(uploads())
        .layer(axum::middleware::from_fn(http::i18n::choose_language))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Routes with their own body limits and time-outs: large files.
fn uploads() -> Router<AppState> {
    Router::new()
        .merge(org::uploads())
        .merge(governance::uploads())
        .merge(training::uploads())
        .merge(trust::uploads())
        .merge(eis::uploads())
        .merge(staffing::uploads())
        .merge(evidence::uploads())
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
