use crate::auth::password::verify_off_runtime;
use crate::auth::session::{self, SignedIn};
use crate::http::{render, see_other, AppError, PageError, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::Extension;
use axum::Form;
use serde::Deserialize;
use std::net::SocketAddr;
use std::time::Instant;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    username: String,
    error: Option<String>,
}

pub async fn form(who: Option<SignedIn>) -> PageResult {
    if who.is_some() {
        return see_other("/");
    }
    render(&SignInPage {
        username: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

/// Sign in. Failures are throttled per user name and per address, and the
/// answer is the same for an unknown name as for a wrong password.
pub async fn submit(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<Credentials>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    check_same_origin(&headers)?;
    let Form(credentials) = form?;
    let username = credentials.username.trim().to_string();
    let name_key = format!("user:{}", username.to_lowercase());
    let addr_key = format!("addr:{}", connect.map(|c| c.0 .0.ip().to_string()).unwrap_or_default());
    let now = Instant::now();
    for key in [&name_key, &addr_key] {
        if let Err(wait) = state.throttle.check(key, now) {
            let minutes = wait.as_secs().div_ceil(60);
            return Err(PageError(AppError::TooManyRequests(format!(
                "Too many failed sign-ins. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            ))));
        }
    }
    let found = state.store.user_credentials(&username).await?;
    let (user, stored) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let ok = verify_off_runtime(credentials.password, stored, state.dummy_hash.to_string()).await;
    match (ok, user) {
        (true, Some(user)) => {
            state.throttle.succeeded(&name_key);
            let cookie = session::start(&state, &user).await?;
            Ok((
                StatusCode::SEE_OTHER,
                [(LOCATION, "/".to_string())],
                [(SET_COOKIE, cookie)],
            )
                .into_response())
        }
        _ => {
            state.throttle.failed(&name_key, now);
            state.throttle.failed(&addr_key, now);
            let page = SignInPage {
                username,
                error: Some("That user name and password do not match. Check both and try again.".into()),
            };
            Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response())
        }
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Form(form): Form<crate::http::CsrfForm>,
) -> PageResult {
    who.check_csrf(&form.csrf)?;
    let clear = session::end(&state, &headers).await?;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, "/sign-in".to_string())], [clear]).into_response())
}

/// The sign-in form has no session yet to carry a CSRF token: refuse a post
/// whose Origin names another site instead.
fn check_same_origin(headers: &HeaderMap) -> Result<(), PageError> {
    let origin = headers.get("origin").and_then(|v| v.to_str().ok());
    let host = headers.get("host").and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            if origin == "null" || origin_host != host {
                Err(PageError(AppError::Csrf))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}
