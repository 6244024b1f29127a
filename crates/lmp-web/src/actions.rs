//! The changes both the pages and the API offer, written once: parse what was
//! sent, ask the policy for the side concerned, change, and drop the cached
//! dashboard counts. Handlers only unpack their request and render the result.

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use lmp_core::body::BodyRole;
use lmp_core::person::StandingRole as CoreStandingRole;
use lmp_core::policy::{authorize, Action, Actor, Permit};
use lmp_core::side::UnknownSide;
use lmp_core::Side;
use lmp_store::model::{Seat, StandingRole};

/// Someone named in a request: by id (the API) or by employee number (a form).
pub enum PersonRef<'a> {
    Id(i64),
    EmployeeNo(&'a str),
}

impl PersonRef<'_> {
    async fn resolve(&self, state: &AppState, partnership_id: i64) -> AppResult<i64> {
        match self {
            PersonRef::Id(id) => Ok(*id),
            PersonRef::EmployeeNo(no) => {
                let no = no.trim();
                state
                    .store
                    .person_id_by_employee_no(partnership_id, no)
                    .await?
                    .ok_or_else(|| AppError::Rule(format!("No one has employee number {no:?} here: check the number.")))
            }
        }
    }
}

fn side_permit(actor: &Actor, side: Side) -> AppResult<Permit> {
    Ok(authorize(actor, Action::ChangeSeat { side }, actor.partnership_id)?)
}

/// May the caller give or take this seat: by their role's side, or, for a
/// member's seat, as the body's co-lead for that side?
async fn seat_permit(state: &AppState, actor: &Actor, body_id: i64, role: BodyRole, side: Side) -> AppResult<Permit> {
    match side_permit(actor, side) {
        Err(AppError::Forbidden) if role == BodyRole::Member => {
            let seats = crate::team_actions::seats_on_team(state, actor, body_id).await?.seats;
            let action = Action::ChangeTeamMember { seats, side };
            Ok(authorize(actor, action, actor.partnership_id)?)
        }
        other => other,
    }
}

fn parse_side(side: &str) -> AppResult<Side> {
    side.parse()
        .map_err(|e: UnknownSide| AppError::BadRequest(e.to_string()))
}

/// Why a co-lead seat is not given or taken like the others.
pub const TWO_KEYS_FOR_CO_LEADS: &str = "A body's co-leads change only with two keys: ask for the change \
     (the body page, or POST /api/v1/joint-changes) and one labor and one management approver must agree.";

pub async fn add_seat(
    state: &AppState,
    actor: &Actor,
    body_id: i64,
    person: PersonRef<'_>,
    role: &str,
    side: &str,
) -> AppResult<Seat> {
    let role: BodyRole = role.parse().map_err(AppError::BadRequest)?;
    let side = parse_side(side)?;
    if role == BodyRole::CoLead {
        return Err(AppError::Rule(TWO_KEYS_FOR_CO_LEADS.into()));
    }
    let permit = seat_permit(state, actor, body_id, role, side).await?;
    let person_id = person.resolve(state, actor.partnership_id).await?;
    let seat = state.store.add_seat(&permit, body_id, person_id, role, side).await?;
    state.seats_changed(actor.partnership_id);
    Ok(seat)
}

/// Take seat `seat_id` of body `body_id` away; the policy is asked about the
/// seat's own side.
pub async fn remove_seat(state: &AppState, actor: &Actor, body_id: i64, seat_id: i64) -> AppResult<()> {
    let seat = state
        .store
        .seat(actor.partnership_id, seat_id)
        .await?
        .filter(|s| s.body_id == body_id)
        .ok_or(AppError::NotFound("seat"))?;
    let role: BodyRole = seat.role.parse().map_err(AppError::BadRequest)?;
    if role == BodyRole::CoLead {
        return Err(AppError::Rule(TWO_KEYS_FOR_CO_LEADS.into()));
    }
    let permit = seat_permit(state, actor, body_id, role, parse_side(&seat.side)?).await?;
    state.store.remove_seat(&permit, seat_id).await?;
    state.seats_changed(actor.partnership_id);
    Ok(())
}

pub async fn add_standing_role(
    state: &AppState,
    actor: &Actor,
    person_id: i64,
    role: &str,
    unit_id: Option<i64>,
    partner: Option<PersonRef<'_>>,
) -> AppResult<StandingRole> {
    let role: CoreStandingRole = role.parse().map_err(AppError::BadRequest)?;
    let permit = side_permit(actor, CoreStandingRole::SIDE)?;
    let partner_id = match partner {
        Some(partner) => Some(partner.resolve(state, actor.partnership_id).await?),
        None => None,
    };
    Ok(state
        .store
        .add_standing_role(&permit, person_id, role, unit_id, partner_id)
        .await?)
}

/// Take standing role `role_id` of person `person_id` away.
pub async fn remove_standing_role(state: &AppState, actor: &Actor, person_id: i64, role_id: i64) -> AppResult<()> {
    let permit = side_permit(actor, CoreStandingRole::SIDE)?;
    state
        .store
        .standing_role(actor.partnership_id, role_id)
        .await?
        .filter(|r| r.person_id == person_id)
        .ok_or(AppError::NotFound("role"))?;
    Ok(state.store.remove_standing_role(&permit, role_id).await?)
}
