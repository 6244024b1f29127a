//! An emailed invitation's page: the person it names chooses a user name
//! and a password, and is signed in.

use super::sign_in::check_same_origin;
use crate::auth::password::hash_password;
use crate::auth::token::hash_secret;
use crate::http::i18n::tr;
use crate::http::PagePath as Path;
use crate::http::{AppError, PageError, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::Form;
use lmp_store::invitations::OpenInvitation;
use lmp_store::StoreError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    /// None when the link is used, expired or unknown.
    invitation: Option<OpenInvitation>,
    username: String,
    error: Option<String>,
    words: crate::http::i18n::Words,
}

pub async fn form(State(state): State<AppState>, Path(token): Path<String>) -> PageResult {
    let invitation = state.store.open_invitation(&hash_secret(&token)).await?;
    page(invitation, String::new(), None)
}

#[derive(Deserialize)]
pub struct Chosen {
    username: String,
    password: String,
    repeated: String,
}

pub async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Chosen>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    check_same_origin(&headers)?;
    let Form(chosen) = form?;
    let token_hash = hash_secret(&token);
    let Some(invitation) = state.store.open_invitation(&token_hash).await? else {
        return page(None, String::new(), None);
    };
    let username = chosen.username.trim().to_string();
    if chosen.password != chosen.repeated {
        return page(Some(invitation), username, Some(tr("error-passwords-differ")));
    }
    if let Err(why) = lmp_core::sign_in::check_new_password(&chosen.password) {
        return page(
            Some(invitation),
            username,
            Some(why.in_language(crate::http::i18n::current()).to_string()),
        );
    }
    let password = chosen.password.clone();
    // Argon2 takes tens of milliseconds of CPU: off the async runtime.
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let user = match state
        .store
        .accept_invitation(&token_hash, &username, &chosen.password, &hash)
        .await
    {
        Ok(user) => user,
        Err(StoreError::Rule(why)) => {
            return page(
                Some(invitation),
                username,
                Some(why.in_language(crate::http::i18n::current()).to_string()),
            )
        }
        Err(StoreError::NotFound(_)) => return page(None, String::new(), None),
        Err(e) => return Err(PageError(e.into())),
    };
    super::sign_in::signed_in_home(&state, &user, None).await
}

/// The page: the form, with what went wrong; or, for a link that no
/// longer works, a 404 saying so.
fn page(invitation: Option<OpenInvitation>, username: String, error: Option<String>) -> PageResult {
    let status = match (&invitation, &error) {
        (None, _) => StatusCode::NOT_FOUND,
        (Some(_), Some(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        (Some(_), None) => StatusCode::OK,
    };
    let html = InvitationPage {
        invitation,
        username,
        error,
        words: crate::http::i18n::Words::now(),
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}
