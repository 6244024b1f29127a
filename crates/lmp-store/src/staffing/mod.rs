//! Joint staffing in the store: the files of units and hour-by-hour
//! readings, checked against the ratio rules.

pub mod files;
