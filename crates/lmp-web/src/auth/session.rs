//! Server-side sessions for the web pages: the cookie carries a random token,
//! the database its hash, its user and its CSRF token.

use crate::auth::actor_of;
use crate::auth::token::{hash_secret, random_secret};
use crate::http::{AppError, PageError};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use lmp_core::policy::Actor;
use lmp_store::model::User;

pub const SESSION_COOKIE: &str = "lmp_session";
/// Sign-in is remembered this long on the device that signed in.
pub const SESSION_DAYS: i64 = 30;

/// A signed-in person on a web page.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub actor: Actor,
    /// Every form of this session carries it back; see [`SignedIn::check_csrf`].
    pub csrf: String,
}

impl SignedIn {
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if crate::auth::token::same_secret(&self.csrf, sent) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}

/// The value of cookie `name`, if the request sent one.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

impl SignedIn {
    async fn from_parts(parts: &Parts, state: &AppState) -> Result<SignedIn, AppError> {
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
        let now = jiff::Timestamp::now().as_second();
        let (user, csrf) = state
            .store
            .session_user(&hash_secret(&token), now)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let actor =
            actor_of(&user).ok_or_else(|| AppError::Internal(format!("user {} has an unknown role", user.id)))?;
        Ok(SignedIn { user, actor, csrf })
    }
}

/// Pages reject as pages: no session sends the browser to sign in.
impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(SignedIn::from_parts(parts, state).await?)
    }
}

/// Start a session for `user`; returns the Set-Cookie header value.
pub async fn start(state: &AppState, user: &User) -> Result<HeaderValue, AppError> {
    let token = random_secret();
    let expires = jiff::Timestamp::now().as_second() + SESSION_DAYS * 24 * 3600;
    state
        .store
        .create_session(&hash_secret(&token), user.id, &random_secret(), expires)
        .await?;
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        SESSION_DAYS * 24 * 3600
    );
    HeaderValue::from_str(&value).map_err(|e| AppError::Internal(e.to_string()))
}

/// End the request's session, if any; returns the header that clears the cookie.
pub async fn end(state: &AppState, headers: &HeaderMap) -> Result<(axum::http::HeaderName, HeaderValue), AppError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        state.store.delete_session(&hash_secret(&token)).await?;
    }
    Ok((
        SET_COOKIE,
        HeaderValue::from_static("lmp_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    ))
}

impl axum::extract::OptionalFromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    /// `None` when nobody is signed in; other failures still fail.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match SignedIn::from_parts(parts, state).await {
            Ok(who) => Ok(Some(who)),
            Err(AppError::Unauthorized) => Ok(None),
            Err(e) => Err(PageError(e)),
        }
    }
}
