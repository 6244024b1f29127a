//! What a unit-based team does: its charter, champion and meetings, its
//! improvement projects (measurements, tests of change, status), savings and
//! their signatures, and its Path to Performance level.

pub mod actions;
pub mod api;
mod pages;

use crate::state::AppState;
use axum::routing::{get, post, put};
use axum::Router;

pub fn router() -> Router<AppState> {
    use pages::{projects, teams};
    Router::new()
        .route("/my-teams", get(teams::mine))
        .route("/teams/{id}", get(teams::show))
        .route("/teams/{id}/charter", post(teams::charter))
        .route("/teams/{id}/champion", post(teams::champion))
        .route("/teams/{id}/meetings", post(teams::meeting))
        .route("/teams/{id}/assessment", post(teams::assessment))
        .route("/teams/{id}/review", post(teams::review))
        .route("/teams/{id}/projects/new", get(teams::new_project))
        .route("/teams/{id}/projects", post(teams::create_project))
        .route("/projects/{id}", get(projects::show))
        .route("/projects/{id}/measurements", post(projects::measurement))
        .route("/projects/{id}/tests", post(projects::test))
        .route("/projects/{id}/tests/{test_id}/finish", post(projects::finish_test))
        .route("/projects/{id}/status", post(projects::status))
        .route("/projects/{id}/claims", post(projects::claim))
        .route("/projects/{id}/adopt", post(projects::adopt))
        .route("/claims/{id}/sign", post(projects::sign))
        .nest("/api/v1", api_routes())
}

fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/teams/{id}", get(api::show))
        .route("/teams/{id}/levels", get(api::levels))
        .route("/teams/{id}/assessment", post(api::assessment))
        .route("/teams/{id}/review", post(api::review))
        .route("/teams/{id}/charter/{section}", put(api::charter))
        .route("/teams/{id}/champion", put(api::champion))
        .route("/teams/{id}/meetings", get(api::meetings).post(api::record_meeting))
        .route("/teams/{id}/projects", get(api::projects).post(api::create_project))
        .route("/teams/{id}/savings", get(api::savings))
        .route("/projects/{id}", get(api::project))
        .route(
            "/projects/{id}/measurements",
            get(api::measurements).post(api::add_measurement),
        )
        .route("/projects/{id}/tests", post(api::add_test))
        .route("/projects/{id}/tests/{test_id}/result", post(api::finish_test))
        .route("/projects/{id}/status", put(api::set_status))
        .route("/projects/{id}/savings", post(api::add_claim))
        .route("/savings/{id}/signatures", post(api::sign))
}
