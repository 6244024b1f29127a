//! Evidence that partnership works: outcome measures, defined jointly, and
//! the statistics that read them by team level, participation and
//! engagement — means with intervals, a regression with controls, and an
//! event study of teams that moved up a level.

pub mod fit;
pub mod interval;
pub mod measure;
pub mod models;
pub mod reading;
pub mod report;
pub mod series;
