//! What handlers take from a request: the caller (a bearer token for the
//! API), JSON, query strings and paths that fail with a JSON error, paging,
//! and a page form's fields with its CSRF token checked.

use super::errors::{AppError, PageError};
use crate::auth::actor_of;
use crate::auth::session::SignedIn;
use crate::auth::token::hash_secret;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use lmp_core::paging::Page;
use lmp_core::policy::{authorize, Action, Actor, Permit};
use serde::Deserialize;
use utoipa::IntoParams;

/// A caller of the API, known by their bearer token.
pub struct ApiUser(pub Actor);

impl ApiUser {
    /// Ask the policy; the resource is always in the caller's partnership,
    /// since every query filters on it.
    pub fn permit(&self, action: Action) -> Result<Permit, AppError> {
        Ok(authorize(&self.0, action, self.0.partnership_id)?)
    }

    pub fn partnership_id(&self) -> i64 {
        self.0.partnership_id
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).ok_or(AppError::Unauthorized)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthorized)?;
        let user = state
            .store
            .user_by_api_token(&hash_secret(token))
            .await?
            .ok_or(AppError::Unauthorized)?;
        let actor =
            actor_of(&user).ok_or_else(|| AppError::Internal(format!("user {} has an unknown role", user.id)))?;
        Ok(ApiUser(actor))
    }
}

/// JSON in, with a JSON error when it does not parse.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// Query strings, with a JSON error when they do not parse.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters, with a JSON error when they do not parse.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// Path parameters on a page: one that does not parse (`/teams/abc`) names
/// no page, so it is the same readable 404 page as any other.
pub struct PagePath<T>(pub T);

impl<T, S> FromRequestParts<S> for PagePath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| PagePath(value))
            .map_err(|_| PageError(AppError::NotFound("page")))
    }
}

/// A page's query string: one that does not parse (`?offset=x`) is the
/// error page saying which part, never the framework's bare text.
pub struct PageQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for PageQuery<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| PageQuery(value))
            .map_err(|rejection| {
                let text = rejection.body_text();
                let why = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                PageError(AppError::BadRequest(crate::http::i18n::refusal(
                    "refused-address-unreadable",
                    &[("why", why.to_string())],
                )))
            })
    }
}

/// Paging and search, common to every list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Matches names (and codes) containing this text, any case.
    pub search: Option<String>,
    /// At most 500; 50 when absent.
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

impl ListParams {
    pub fn page(&self) -> Page {
        Page::new(self.limit, self.offset)
    }

    pub fn search(&self) -> Option<String> {
        lmp_core::paging::search_term(self.search.as_deref())
    }
}

/// Query strings that pages take: search and paging.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    pub search: Option<String>,
    pub offset: Option<u64>,
}

impl ListQuery {
    pub fn search(&self) -> Option<String> {
        lmp_core::paging::search_term(self.search.as_deref())
    }

    pub fn search_text(&self) -> String {
        self.search().unwrap_or_default()
    }

    pub fn page(&self) -> Page {
        Page::new(None, self.offset)
    }
}

/// A form's CSRF field; every form of a signed-in page carries it.
#[derive(Debug, serde::Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// A form's fields in order, repeated names kept (a list of checkboxes).
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// Parse a form body and check its CSRF token.
    pub fn parse(who: &SignedIn, body: &[u8]) -> Result<Fields, PageError> {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|e| {
            AppError::BadRequest(crate::http::i18n::refusal(
                "refused-form-unreadable",
                &[("why", e.to_string())],
            ))
        })?;
        let fields = Fields(fields);
        who.check_csrf(fields.one("csrf"))?;
        Ok(fields)
    }

    /// The first value of `name`, or "" when absent.
    pub fn one(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every value of `name` as ids; a value that is not one is refused.
    pub fn ids(&self, name: &str) -> Result<Vec<i64>, AppError> {
        self.all(name)
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse().map_err(|_| {
                    AppError::BadRequest(crate::http::i18n::refusal(
                        "refused-not-an-id",
                        &[("field", name.to_string()), ("text", v.to_string())],
                    ))
                })
            })
            .collect()
    }

    pub fn optional_id(&self, name: &str) -> Result<Option<i64>, AppError> {
        Ok(self.ids(name)?.into_iter().next())
    }

    /// The number in field `name`; a refusal names the field by the catalogue's `label_key`.
    pub fn number(&self, name: &str, label_key: &str) -> Result<f64, AppError> {
        lmp_core::improvement::parse_value(self.one(name))
            .map_err(|e| AppError::BadRequest(crate::http::i18n::about_field(label_key, &[], e)))
    }
}

/// Messages a redirect brings back to a page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    pub done: Option<String>,
    pub error: Option<String>,
}

/// Our own messages fit; a longer one is someone's text in a crafted link.
const LONGEST_NOTICE: usize = 600;

impl Notice {
    pub fn done(&self) -> Option<&str> {
        self.done.as_deref().filter(|d| d.len() < LONGEST_NOTICE)
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref().filter(|d| d.len() < LONGEST_NOTICE)
    }
}
