//! Domain types and rules of a labor-management partnership.
//!
//! Pure and synchronous: no I/O, no SQL, no HTTP. Every rule lives here once
//! (who may do what, what a body needs to be whole, how the audit chain is
//! hashed, what a valid import row is) with its tests beside it.

pub mod audit;
pub mod body;
pub mod import;
pub mod org;
pub mod paging;
pub mod person;
pub mod policy;
pub mod search;
pub mod side;

pub use side::Side;
