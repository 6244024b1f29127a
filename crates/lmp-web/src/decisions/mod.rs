//! Joint decisions: interest-based problem solving from issue to consensus,
//! with each member's contributions and stances, escalation and rulings.

pub mod actions;
pub mod api;
mod pages;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bodies/{id}/decisions", post(pages::raise))
        .route("/decisions/{id}", get(pages::show))
        .route("/decisions/{id}/contributions", post(pages::contribute))
        .route("/decisions/{id}/advance", post(pages::advance))
        .route("/decisions/{id}/stances", post(pages::stance))
        .route("/decisions/{id}/escalate", post(pages::escalate))
        .route("/decisions/{id}/reopen", post(pages::reopen))
        .route("/decisions/{id}/ruling", post(pages::ruling))
        .nest("/api/v1", api_routes())
}

fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/bodies/{id}/decisions", get(api::of_body).post(api::raise))
        .route("/decisions/{id}", get(api::show))
        .route("/decisions/{id}/contributions", post(api::contribute))
        .route("/decisions/{id}/advance", post(api::advance))
        .route("/decisions/{id}/stances", post(api::stance))
        .route("/decisions/{id}/escalate", post(api::escalate))
        .route("/decisions/{id}/reopen", post(api::reopen))
        .route("/decisions/{id}/ruling", post(api::ruling))
}
