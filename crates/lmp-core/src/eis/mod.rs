//! Employment and Income Security: workers displaced by change are placed in
//! other jobs by the agreement's priority rules, rather than laid off.
//!
//! `pool` holds the displaced workers and the open vacancies; `fit` says
//! whether a worker may take a vacancy and how good a fit it is; `priority`
//! orders the workers; `placement` finds the placements that are optimal
//! under the agreement's objective; `explain` says why each worker got what
//! they got.

pub mod explain;
pub mod fit;
pub mod placement;
pub mod pool;
pub mod priority;
pub mod rules;
#[cfg(test)]
mod testing;
