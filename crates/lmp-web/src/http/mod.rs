//! What every area shares and no area owns: errors, what handlers take from
//! a request, the page frame, uploads, charts, and the caller's own seats.
//! Areas import from here, never from one another.

pub mod caller;
pub mod charts;
pub mod download;
pub mod errors;
pub mod extractors;
pub mod i18n;
pub mod json;
pub mod layout;
pub mod refs;
pub mod upload;

pub use caller::{person_of, seats_in_body, take_part_permit, MySeats};
pub use download::download;
pub use errors::{AppError, AppResult, ErrorBody, PageError, PageResult};
pub use extractors::{
    ApiJson, ApiPath, ApiQuery, ApiUser, CsrfForm, Fields, ListParams, ListQuery, Notice, PagePath, PageQuery,
};
pub use json::{Created, PageOf};
pub use layout::{back_to, permit, render, see_other, Layout, Pager};
pub use refs::{parse_day, parse_side, PersonRef};
pub use upload::{uploaded, with_uploaded_file, Spooled, UploadForm};
