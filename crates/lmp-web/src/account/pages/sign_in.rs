use crate::auth::password::verify_off_runtime;
use crate::auth::session::{self, SignedIn};
use crate::auth::sso::SsoError;
use crate::http::i18n::{tr, tr_with};
use crate::http::PageQuery as Query;
use crate::http::{render, see_other, AppError, PageError, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::Extension;
use axum::Form;
use lmp_store::sign_ins::SsoSignIn;
use serde::Deserialize;
use std::net::SocketAddr;
use std::time::Instant;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    username: String,
    error: Option<String>,
    /// The single sign-on button's words, when the employer's identity
    /// provider is set up.
    sso_label: Option<String>,
    words: crate::http::i18n::Words,
}

impl SignInPage {
    fn new(state: &AppState, username: String, error: Option<String>) -> SignInPage {
        SignInPage {
            username,
            error,
            sso_label: state.sso.as_ref().map(|sso| sso.config.label.clone()),
            words: crate::http::i18n::Words::now(),
        }
    }
}

pub async fn form(State(state): State<AppState>, who: Option<SignedIn>) -> PageResult {
    if who.is_some() {
        return see_other("/");
    }
    render(&SignInPage::new(&state, String::new(), None))
}

/// The cookie that ties a single sign-on's return to the browser that began it.
const SSO_STATE_COOKIE: &str = "lmp_sso_state";

/// Begin single sign-on: to the employer's identity provider, with PKCE.
pub async fn sso_begin(State(state): State<AppState>) -> PageResult {
    let sso = state
        .sso
        .clone()
        .ok_or(PageError(AppError::NotFound("single sign-on")))?;
    let (url, sso_state) = match sso.begin().await {
        Ok(begun) => begun,
        Err(e) => return refused(&state, StatusCode::BAD_GATEWAY, e.to_string()),
    };
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{SSO_STATE_COOKIE}={sso_state}; Path=/sign-in/sso; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        crate::auth::sso::PENDING_FOR.as_secs()
    );
    Ok((StatusCode::SEE_OTHER, [(LOCATION, url)], [(SET_COOKIE, cookie)]).into_response())
}

#[derive(Deserialize)]
pub struct SsoReturn {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Back from the identity provider: check it is this browser's sign-in,
/// exchange the code, and sign in the person the ID token names.
pub async fn sso_return(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(back): Query<SsoReturn>,
) -> PageResult {
    let sso = state
        .sso
        .clone()
        .ok_or(PageError(AppError::NotFound("single sign-on")))?;
    if let Some(error) = back.error {
        let why = back.error_description.unwrap_or(error);
        return refused(
            &state,
            StatusCode::FORBIDDEN,
            tr_with("sign-in-sso-said", &[("why", why)]),
        );
    }
    let ours = session::cookie(&headers, SSO_STATE_COOKIE);
    let (Some(code), Some(sso_state)) = (back.code, back.state) else {
        return refused(&state, StatusCode::BAD_REQUEST, sso_words(&SsoError::Expired));
    };
    if ours.as_deref() != Some(sso_state.as_str()) {
        return refused(&state, StatusCode::BAD_REQUEST, sso_words(&SsoError::Expired));
    }
    let vouched = match sso.finish(&sso_state, &code).await {
        Ok(vouched) => vouched,
        Err(e @ SsoError::Provider(_)) => return refused(&state, StatusCode::BAD_GATEWAY, sso_words(&e)),
        Err(e) => return refused(&state, StatusCode::FORBIDDEN, sso_words(&e)),
    };
    let found = state
        .store
        .sso_sign_in(sso.config.partnership_id, &vouched.subject, &vouched.employee_no)
        .await?;
    let user = match found {
        SsoSignIn::Ready(user) => user,
        SsoSignIn::UnknownPerson => {
            return refused(
                &state,
                StatusCode::FORBIDDEN,
                tr_with("sign-in-sso-unknown", &[("number", vouched.employee_no.clone())]),
            )
        }
        SsoSignIn::Deactivated => return refused(&state, StatusCode::FORBIDDEN, tr("sign-in-deactivated")),
    };
    let clear = format!("{SSO_STATE_COOKIE}=; Path=/sign-in/sso; HttpOnly; SameSite=Lax; Max-Age=0");
    signed_in_home(&state, &user, Some(clear)).await
}

/// The session begins: its cookie set (with `also`, another cookie, beside
/// it), and home.
pub(super) async fn signed_in_home(
    state: &AppState,
    user: &lmp_store::model::User,
    also: Option<String>,
) -> PageResult {
    let session = session::start(state, user).await?;
    let also = also
        .map(|c| HeaderValue::from_str(&c).map_err(|e| AppError::Internal(e.to_string())))
        .transpose()?;
    let cookies = std::iter::once(session).chain(also);
    // Appended, one header per cookie: a cookie list would keep only the last.
    let cookies = axum::response::AppendHeaders(cookies.map(|c| (SET_COOKIE, c)));
    Ok((StatusCode::SEE_OTHER, [(LOCATION, "/".to_string())], cookies).into_response())
}

/// The sign-in page again, saying why single sign-on did not finish.
fn refused(state: &AppState, status: StatusCode, why: String) -> PageResult {
    let page = SignInPage::new(state, String::new(), Some(why));
    Ok((status, Html(page.render()?)).into_response())
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
            return Err(PageError(AppError::TooManyRequests(tr_with(
                "sign-in-too-many",
                &[("minutes", minutes.to_string())],
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
            signed_in_home(&state, &user, None).await
        }
        _ => {
            state.throttle.failed(&name_key, now);
            state.throttle.failed(&addr_key, now);
            let page = SignInPage::new(&state, username, Some(tr("sign-in-no-match")));
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
pub(super) fn check_same_origin(headers: &HeaderMap) -> Result<(), PageError> {
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

/// What single sign-on refused, in the reader's words.
fn sso_words(error: &SsoError) -> String {
    match error {
        SsoError::Expired => tr("sign-in-sso-expired"),
        SsoError::Provider(why) => tr_with("sign-in-sso-unreachable", &[("why", why.clone())]),
        SsoError::Refused(why) => tr_with("sign-in-sso-refused", &[("why", why.clone())]),
        SsoError::NoEmployeeNumber(claim) => tr_with("sign-in-sso-no-number", &[("claim", claim.clone())]),
    }
}
