use crate::auth::session::SignedIn;
use crate::auth::token::{hash_secret, new_api_token};
use crate::http::i18n::tr;
use crate::http::PagePath as Path;
use crate::http::{permit, render, AppError, Layout, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::Form;
use lmp_core::policy::Action;
use lmp_store::model::ApiToken;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<ApiToken>,
    /// A token just made: shown once, never again.
    created: Option<String>,
    message: Option<String>,
}

async fn page(state: &AppState, who: &SignedIn, created: Option<String>, message: Option<String>) -> PageResult {
    let tokens = state.store.api_tokens_of(who.user.id).await?;
    let layout = Layout::new(state, who, tr("tokens-title"))
        .await?
        .crumb("/tokens", tr("tokens-title"));
    render(&TokensPage {
        layout,
        tokens,
        created,
        message,
    })
}

pub async fn list(State(state): State<AppState>, who: SignedIn) -> PageResult {
    permit(&who, Action::ManageOwnTokens)?;
    page(&state, &who, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct NewToken {
    csrf: String,
    name: String,
}

pub async fn create(State(state): State<AppState>, who: SignedIn, Form(form): Form<NewToken>) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let permit = permit(&who, Action::ManageOwnTokens)?;
    let name = lmp_core::import::text(1, form.name.trim(), "name", true)
        .map_err(|e| AppError::BadRequest(crate::http::i18n::about_field("field-token-name", &[], e.reason)))?;
    let token = new_api_token();
    state
        .store
        .create_api_token(&permit, &name, &hash_secret(&token))
        .await?;
    page(&state, &who, Some(token), None).await
}

pub async fn revoke(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<crate::http::CsrfForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let permit = permit(&who, Action::ManageOwnTokens)?;
    state.store.revoke_api_token(&permit, id).await?;
    page(&state, &who, None, Some(tr("done-token-revoked"))).await
}
