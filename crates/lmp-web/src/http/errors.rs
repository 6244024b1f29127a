//! One error type for the whole app: each becomes a status and a JSON body
//! with a stable `code` and a human `message` (or, for pages, an error page).
//! Internal causes are logged, never shown.

use askama::Template;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use lmp_core::policy::Denied;
use lmp_core::Refusal;
use lmp_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in first: send `Authorization: Bearer <token>` (create one with `lmp token create` or on the Tokens page)")]
    Unauthorized,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    BadRequest(Refusal),
    /// A partnership rule refused the change.
    #[error("{0}")]
    Rule(Refusal),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("the request is too large")]
    PayloadTooLarge,
    #[error("the form has expired or did not come from this site: reload the page and try again")]
    Csrf,
    #[error("something went wrong on our side; it has been logged")]
    Internal(String),
}

/// The JSON body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable, for programs: unauthorized, forbidden, not_found, bad_request,
    /// rule_violation, too_many_requests, payload_too_large, csrf, internal.
    pub code: &'static str,
    /// For people.
    pub message: String,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Rule(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Rule(_) => "rule_violation",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::Csrf => "csrf",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        (self.status(), Json(self.body())).into_response()
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> AppError {
        match denied {
            Denied::NotFound => AppError::NotFound("resource"),
            Denied::Forbidden => AppError::Forbidden,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Rule(reason) => AppError::Rule(reason),
            StoreError::Denied(denied) => denied.into(),
            StoreError::Import {
                file,
                line,
                column,
                reason,
            } => AppError::BadRequest(
                reason.after(&format!("{file}:{line}:{column}"), &format!("{file}:{line}:{column}")),
            ),
            e if e.is_unique_violation() => AppError::Rule(crate::http::i18n::refusal("refused-already-exists", &[])),
            e => AppError::Internal(e.to_string()),
        }
    }
}

fn rejection(status: StatusCode, text: String) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(Refusal::as_written(text))
    }
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> AppError {
        rejection(r.status(), r.body_text())
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> AppError {
        rejection(r.status(), r.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(r: PathRejection) -> AppError {
        match r.status() {
            StatusCode::NOT_FOUND => AppError::NotFound("resource"),
            status => rejection(status, r.body_text()),
        }
    }
}

impl From<FormRejection> for AppError {
    fn from(r: FormRejection) -> AppError {
        rejection(r.status(), r.body_text())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> AppError {
        AppError::Internal(format!("template: {e}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// An error on a page: a sign-in redirect, or a page that says what to do.
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
    words: crate::http::i18n::Words,
}

impl AppError {
    /// The message for a person, in this request's language.
    pub fn in_words(&self) -> String {
        message_in_words(self)
    }
}

/// An error's message for a person, in the reader's language: the words
/// this module writes are in the catalogues; a rule's reason or a field's
/// complaint is in every language already.
fn message_in_words(error: &AppError) -> String {
    use crate::http::i18n::{tr, tr_with};
    match error {
        AppError::NotFound(what) => {
            let key = format!("thing-{}", what.replace(' ', "-"));
            let thing = tr(&key);
            if thing == key {
                error.to_string()
            } else {
                tr_with("error-not-found", &[("thing", thing)])
            }
        }
        AppError::Unauthorized => tr("error-unauthorized"),
        AppError::Forbidden => tr("error-forbidden"),
        AppError::PayloadTooLarge => tr("error-too-large"),
        AppError::Csrf => tr("error-csrf"),
        AppError::Internal(_) => tr("error-internal"),
        AppError::BadRequest(reason) | AppError::Rule(reason) => {
            reason.in_language(crate::http::i18n::current()).to_string()
        }
        AppError::TooManyRequests(_) => error.to_string(),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let AppError::Unauthorized = self.0 {
            return Redirect::to("/sign-in").into_response();
        }
        if let AppError::Internal(cause) = &self.0 {
            tracing::error!(%cause, "internal error on a page");
        }
        let status = self.0.status();
        let page = ErrorPage {
            status: status.as_u16(),
            message: message_in_words(&self.0),
            words: crate::http::i18n::Words::now(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.0.to_string()).into_response(),
        }
    }
}

pub type PageResult = Result<Response, PageError>;

pub async fn not_found() -> PageError {
    PageError(AppError::NotFound("page"))
}
