pub mod dashboard;
pub mod locals;
pub mod people;
pub mod units;
