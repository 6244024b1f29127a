//! Domain types and rules of a labor-management partnership.
//!
//! Pure and synchronous: no I/O, no SQL, no HTTP. Every rule lives here once
//! (who may do what, what a body needs to be whole, how the audit chain is
//! hashed, what a valid import row is) with its tests beside it.

pub mod text_enum;

pub mod audit;
pub mod body;
pub mod body_import;
pub mod decision;
pub mod decision_record;
pub mod eis;
pub mod escalation;
pub mod evidence;
pub mod health;
pub mod import;
pub mod improvement;
pub mod language;
pub mod meeting;
pub mod money;
pub mod notice;
pub mod org;
pub mod paging;
pub mod participation;
pub mod path;
pub mod person;
pub mod policy;
pub mod refusal;
pub mod run_chart;
pub mod savings;
pub mod search;
pub mod side;
pub mod sign_in;
pub mod staffing;
pub mod team;
pub mod team_import;
pub mod team_rules;
pub mod time;
pub mod training;
pub mod trust;
pub mod two_key;
pub mod words;

pub use money::Cents;
pub use refusal::Refusal;
pub use side::Side;
