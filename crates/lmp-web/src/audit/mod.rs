//! The audit trail: every change, hash-chained, for those allowed to read it.

pub mod api;
mod pages;

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(pages::list))
        .nest("/api/v1", Router::new().route("/audit", get(api::list)))
}
