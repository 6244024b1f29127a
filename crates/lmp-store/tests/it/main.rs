//! The store against real databases: SQLite always, PostgreSQL where
//! `LMP_TEST_POSTGRES` names one (the `./test` script sees to that). One
//! binary, so the crate is linked once and the demo template built once.

mod decisions;
mod eis;
mod evidence;
mod foundation;
mod invitations;
mod schema;
mod scorecard;
mod sign_ins;
mod staffing;
mod staffing_files;
mod structure;
mod teams;
mod training;
mod trust;

use lmp_core::body::{BodyRole, Seat};
use lmp_core::policy::SeatsHeld;
use lmp_core::Side;
use lmp_demo::Scale;
use lmp_store::testing::Template;

/// What a co-lead of `side` in `body` holds there, to ask the policy with.
pub fn co_lead_of(body: i64, side: Side) -> SeatsHeld {
    let seat = Seat {
        person_id: 1,
        role: BodyRole::CoLead,
        side,
    };
    SeatsHeld::in_body(body, 1, &[seat])
}

/// The small demo, loaded once per binary; each test gets its own copy.
pub static DEMO: Template = Template {
    name: "small-demo",
    build: |store| {
        Box::pin(async move {
            lmp_demo::load_demo(&store, Scale::Small, "x", &|_, _| {})
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    },
};
