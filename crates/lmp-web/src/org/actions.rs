//! Standing roles (steward, chief steward, ...), given and taken once for the
//! pages and the API: the policy is asked for the role's side.

use crate::http::{AppError, AppResult, PersonRef};
use crate::state::AppState;
use lmp_core::person::StandingRole as CoreStandingRole;
use lmp_core::policy::{authorize, Action, Actor, Permit};
use lmp_store::model::StandingRole;

/// Standing roles are held for one side, and given or taken by that side.
fn role_permit(actor: &Actor) -> AppResult<Permit> {
    let side = CoreStandingRole::SIDE;
    Ok(authorize(actor, Action::ChangeSeat { side }, actor.partnership_id)?)
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
    let permit = role_permit(actor)?;
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
    let permit = role_permit(actor)?;
    state
        .store
        .standing_role(actor.partnership_id, role_id)
        .await?
        .filter(|r| r.person_id == person_id)
        .ok_or(AppError::NotFound("role"))?;
    Ok(state.store.remove_standing_role(&permit, role_id).await?)
}

/// The largest people file taken over the web: several times the largest
/// partnership's workforce.
pub const LARGEST_PEOPLE_FILE_BYTES: usize = 256 << 20;

/// The nightly HR sync over the web (partnership admins): a complete people
/// file spooled to disk as it arrives, then taken in as `lmp import people
/// --complete` takes it.
pub async fn sync_people<E: std::fmt::Display>(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    body: impl futures::Stream<Item = Result<axum::body::Bytes, E>>,
    dry_run: bool,
) -> AppResult<lmp_store::import::SyncReport> {
    let permit = authorize(actor, Action::Import, actor.partnership_id)?;
    let name = crate::http::upload::file_name(file_name, "people")?;
    let spooled = crate::http::upload::Spooled::take(body).await?;
    let sync = lmp_store::import::PeopleSync {
        today: lmp_store::today(),
        dry_run,
    };
    let report = state.store.sync_people(&permit, name, spooled.reader()?, &sync).await?;
    if !dry_run {
        state.seats_changed(actor.partnership_id);
    }
    Ok(report)
}
