//! Signing in and out, personal access tokens, and who the caller is.

pub mod api;
mod pages;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(pages::sign_in::form).post(pages::sign_in::submit))
        .route("/sign-out", post(pages::sign_in::sign_out))
        .route("/tokens", get(pages::tokens::list).post(pages::tokens::create))
        .route("/tokens/{id}/revoke", post(pages::tokens::revoke))
        .nest("/api/v1", Router::new().route("/me", get(api::me)))
}
