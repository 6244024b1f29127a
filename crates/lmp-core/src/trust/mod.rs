//! The Partnership Trust: payroll hours in, contributions out, and the
//! ledger that accounts for every cent.

pub mod budget;
pub mod contribution;
pub mod hours;
pub mod ledger;
pub mod payroll;
pub mod rules;
