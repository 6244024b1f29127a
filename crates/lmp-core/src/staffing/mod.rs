//! Joint staffing: ratio rule sets as data (California Title 22 built in,
//! others layered on a law and only stricter), what a unit needs for the
//! patients in it, and each reading judged.

pub mod check;
pub mod compliance;
pub mod history;
pub mod hourly;
pub mod layered;
pub mod plan;
pub mod required;
pub mod rules;
