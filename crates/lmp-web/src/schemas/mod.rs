//! The API's documented shapes of what the store hands back. The store's
//! rows serialise themselves; these types only describe them to the OpenAPI
//! document, so the HTTP contract lives beside the HTTP code and the store
//! knows nothing of it. `tests/it/api_schemas.rs` checks every GET the API
//! serves against these, so a row that drifts from its schema fails there.

use serde::Serialize;
use utoipa::ToSchema;

mod body_meetings;
mod dashboard;
mod decisions;
mod eis;
mod evidence;
mod health;
mod joint_changes;
mod model;
mod notices;
mod scorecard;
mod staffing;
mod teams;
mod training;
mod trust;

pub use body_meetings::*;
pub use dashboard::*;
pub use decisions::*;
pub use eis::*;
pub use evidence::*;
pub use health::*;
pub use joint_changes::*;
pub use model::*;
pub use notices::*;
pub use scorecard::*;
pub use staffing::*;
pub use teams::*;
pub use training::*;
pub use trust::*;
