//! Who is asking, as the policy needs it: the caller's own person and the
//! seats they hold in a body, read once per request.

use super::errors::{AppError, AppResult};
use crate::state::AppState;
use lmp_core::policy::{authorize, Action, Actor, Permit, SeatsHeld};

/// The caller's own person, if their sign-in is linked to one.
pub async fn person_of(state: &AppState, actor: &Actor) -> AppResult<Option<i64>> {
    Ok(state.store.user(actor.user_id).await?.and_then(|u| u.person_id))
}

/// The caller's person and what their own seats in one body are: all the
/// policy needs to decide what they may do there, read once.
pub struct MySeats {
    pub person: Option<i64>,
    pub seats: SeatsHeld,
}

impl MySeats {
    /// May they run this team (co-lead, sponsor, or administrator)?
    pub fn run_permit(&self, actor: &Actor) -> AppResult<Permit> {
        Ok(authorize(
            actor,
            Action::RunTeam { seats: self.seats },
            actor.partnership_id,
        )?)
    }

    /// May they sign for this team in person? Returns the person too.
    pub fn sign_permit(&self, actor: &Actor) -> AppResult<(Permit, i64)> {
        let permit = authorize(actor, Action::SignForTeam { seats: self.seats }, actor.partnership_id)?;
        Ok((permit, self.person.ok_or(AppError::Forbidden)?))
    }

    /// May they take part in this body's decisions, in person?
    pub fn take_part_permit(&self, actor: &Actor) -> AppResult<(Permit, i64)> {
        let permit = authorize(actor, Action::TakePart { seats: self.seats }, actor.partnership_id)?;
        Ok((permit, self.person.ok_or(AppError::Forbidden)?))
    }
}

/// The caller's own seats in a body (a team or any other).
pub async fn seats_in_body(state: &AppState, actor: &Actor, body_id: i64) -> AppResult<MySeats> {
    let person = person_of(state, actor).await?;
    let seats = state.store.seats_held(actor.partnership_id, body_id, person).await?;
    Ok(MySeats { person, seats })
}

/// May the caller take part in `body_id`? Returns their person too.
pub async fn take_part_permit(state: &AppState, actor: &Actor, body_id: i64) -> AppResult<(Permit, i64)> {
    seats_in_body(state, actor, body_id).await?.take_part_permit(actor)
}
