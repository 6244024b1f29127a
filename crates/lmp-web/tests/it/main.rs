//! The app over HTTP and in a real browser, on SQLite and (where
//! configured) PostgreSQL. One binary, so the crate is linked once and the
//! demo template built once.

mod api_schemas;
mod architecture;
mod browser;
mod decisions;
mod eis;
mod evidence;
mod governance;
mod helpers;
mod http;
mod sign_ins;
mod sso;
mod staffing;
mod structure;
mod teams;
mod training;
mod trust;
