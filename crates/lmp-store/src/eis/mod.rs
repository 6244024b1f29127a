//! Employment and Income Security: the transition pool and the vacancies.
//!
//! `files`: the workers and vacancies files read into a pool (each row
//! checked, `file:line:column: reason`), and placements written and read back.

pub mod files;
