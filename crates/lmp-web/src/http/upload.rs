//! Large uploads (a year of payroll, a year of staffing readings) spooled
//! to disk as they arrive — never whole in memory — and read back by the
//! same imports as the command line; and smaller files read whole from a
//! page's form.

use super::errors::{AppError, AppResult};
use crate::auth::session::SignedIn;
use axum::body::Bytes;
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
            let chunk = chunk.map_err(|e| AppError::BadRequest(format!("the upload stopped part-way: {e}")))?;
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
        return Err(AppError::BadRequest(format!(
            "name the {what} file (up to 200 characters)"
        )));
    }
    Ok(name)
}

/// A CSV file from a multipart form: the CSRF token first, then the file.
pub async fn uploaded(who: &SignedIn, mut form: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let mut csrf = String::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("the upload could not be read: {e}")))?
    {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "file" => {
                who.check_csrf(&csrf)?;
                let name = field.file_name().unwrap_or("upload.csv").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(format!("the upload stopped part-way: {e}")))?;
                return Ok((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    Err(AppError::BadRequest("choose a CSV file to upload".into()))
}
