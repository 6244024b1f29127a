//! A file for the reader to save, named.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `body` as a download called `name`.
pub fn download(content_type: &'static str, name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}
