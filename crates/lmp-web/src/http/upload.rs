//! Large uploads (a year of payroll, a year of staffing readings) spooled
//! to disk as they arrive — never whole in memory — and read back by the
//! same imports as the command line; and smaller files read whole from a
//! page's form.

use super::errors::{AppError, AppResult};
use crate::auth::session::SignedIn;
use crate::http::i18n::refusal;
use axum::body::Bytes;
use axum::extract::multipart::Field;
use axum::extract::Multipart;
use futures::{Stream, StreamExt};
use std::io::BufReader;
use tokio::io::AsyncWriteExt;

/// An upload on disk for as long as it is being taken in.
pub struct Spooled(std::path::PathBuf);

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl Spooled {
    /// Write the body to a file of its own as it streams in.
    pub async fn take<E: std::fmt::Display>(body: impl Stream<Item = Result<Bytes, E>>) -> AppResult<Spooled> {
        let spooled = Spooled(std::env::temp_dir().join(format!(
            "lmp-upload-{}-{:016x}.csv",
            std::process::id(),
            rand::random::<u64>()
        )));
        let failed = |e: std::io::Error| AppError::Internal(format!("spooling an upload: {e}"));
        let mut file = tokio::fs::File::create(&spooled.0).await.map_err(failed)?;
        let mut body = std::pin::pin!(body);
        while let Some(chunk) = body.next().await {
            let chunk = chunk
                .map_err(|e| AppError::BadRequest(refusal("refused-upload-stopped", &[("why", e.to_string())])))?;
            file.write_all(&chunk).await.map_err(failed)?;
        }
        file.flush().await.map_err(failed)?;
        Ok(spooled)
    }

    pub fn reader(&self) -> AppResult<BufReader<std::fs::File>> {
        let file = std::fs::File::open(&self.0).map_err(|e| AppError::Internal(format!("reading an upload: {e}")))?;
        Ok(BufReader::with_capacity(1 << 16, file))
    }
}

/// An upload's name, as errors will name it: trimmed, present, not too long.
pub fn file_name<'a>(name: &'a str, what: &str) -> AppResult<&'a str> {
    let name = name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(AppError::BadRequest(refusal(
            "refused-name-file",
            &[("what", what.to_string())],
        )));
    }
    Ok(name)
}

/// What a page's upload form says besides its file.
pub struct UploadForm {
    pub file_name: String,
    /// The form's "replace" box was ticked.
    pub replace: bool,
    /// The form's "dry_run" box was ticked: say what would change, write nothing.
    pub dry_run: bool,
}

/// The one way a page's upload form is read. The CSRF token (and the
/// "replace" box, where the form has one) come before the file, so they are
/// known before its bytes arrive; `take` gets the file as a stream of
/// chunks, never whole in memory. `what` names the file in the error when
/// none was chosen; `default_name` stands in when the browser sent none.
pub async fn with_uploaded_file<T>(
    who: &SignedIn,
    mut form: Multipart,
    what: &str,
    default_name: &str,
    take: impl AsyncFnOnce(UploadForm, Field<'_>) -> T,
) -> AppResult<T> {
    let (mut csrf, mut replace, mut dry_run) = (String::new(), false, false);
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(refusal("refused-upload-unreadable", &[("why", e.to_string())])))?
    {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "replace" => replace = true,
            "dry_run" => dry_run = true,
            "file" => {
                who.check_csrf(&csrf)?;
                let file_name = field.file_name().unwrap_or(default_name).to_string();
                return Ok(take(
                    UploadForm {
                        file_name,
                        replace,
                        dry_run,
                    },
                    field,
                )
                .await);
            }
            _ => {}
        }
    }
    Err(AppError::BadRequest(refusal(
        "refused-choose-file",
        &[("what", what.to_string())],
    )))
}

/// A small CSV file from a page's form, read whole: its name and bytes.
pub async fn uploaded(who: &SignedIn, form: Multipart) -> AppResult<(String, Vec<u8>)> {
    with_uploaded_file(who, form, "CSV", "upload.csv", async |upload, field| {
        let bytes = field
            .bytes()
            .await
            .map_err(|e| AppError::BadRequest(refusal("refused-upload-stopped", &[("why", e.to_string())])))?;
        Ok((upload.file_name, bytes.to_vec()))
    })
    .await?
}
