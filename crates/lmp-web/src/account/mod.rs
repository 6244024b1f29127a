//! Signing in and out, personal access tokens, who the caller is, and the
//! partnership's sign-ins kept by its administrator, and invitations by
//! email for those without single sign-on.

pub mod actions;
pub mod api;
mod pages;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(pages::sign_in::form).post(pages::sign_in::submit))
        .route("/sign-in/sso", get(pages::sign_in::sso_begin))
        .route("/sign-in/sso/callback", get(pages::sign_in::sso_return))
        .route("/sign-out", post(pages::sign_in::sign_out))
        .route("/tokens", get(pages::tokens::list).post(pages::tokens::create))
        .route("/tokens/{id}/revoke", post(pages::tokens::revoke))
        .route("/sign-ins", get(pages::sign_ins::list))
        .route("/sign-ins/invite", post(pages::sign_ins::invite))
        .route("/sign-ins/{id}", post(pages::sign_ins::change))
        .route(
            "/invitations/{token}",
            get(pages::invitation::form).post(pages::invitation::accept),
        )
        .nest(
            "/api/v1",
            Router::new()
                .route("/me", get(api::me))
                .route("/users", get(api::sign_ins))
                .route("/users/{id}", get(api::sign_in).post(api::change_sign_in))
                .route("/invitations", get(api::invitations).post(api::invite)),
        )
}
