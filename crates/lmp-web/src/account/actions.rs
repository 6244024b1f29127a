//! Sign-ins as the administrator keeps them, and invitations, written once
//! for the page and the API.

use crate::auth::token::{hash_secret, random_secret};
use crate::http::i18n::refusal;
use crate::http::{AppError, AppResult};
use crate::state::AppState;
use lmp_core::policy::{authorize, Action, Actor, UserRole};
use lmp_core::sign_in::SignInChange;
use lmp_store::invitations::Invitation;
use lmp_store::sign_ins::SignIn;

/// A change as a form or the API names it: `grant` with a role,
/// `deactivate` or `reactivate`.
pub fn parse_change(what: &str, role: Option<&str>) -> AppResult<SignInChange> {
    match what {
        "grant" => {
            let role = role.ok_or_else(|| AppError::BadRequest(refusal("refused-role-to-grant", &[])))?;
            Ok(SignInChange::Grant(
                role.trim().parse::<UserRole>().map_err(AppError::BadRequest)?,
            ))
        }
        "deactivate" => Ok(SignInChange::Deactivate),
        "reactivate" => Ok(SignInChange::Reactivate),
        other => Err(AppError::BadRequest(refusal(
            "refused-sign-in-change",
            &[("asked", other.to_string())],
        ))),
    }
}

pub async fn change_sign_in(state: &AppState, actor: &Actor, user_id: i64, change: SignInChange) -> AppResult<SignIn> {
    let permit = authorize(actor, Action::ManageSignIns, actor.partnership_id)?;
    Ok(state
        .store
        .change_sign_in(&permit, user_id, change, lmp_store::today())
        .await?)
}

/// Invite a person to sign in: a fresh secret link, of which the store
/// keeps only the hash, mailed to `email` through the outbox.
pub async fn invite(state: &AppState, actor: &Actor, employee_no: &str, email: &str) -> AppResult<Invitation> {
    let permit = authorize(actor, Action::ManageSignIns, actor.partnership_id)?;
    let secret = random_secret();
    let link = format!("/invitations/{secret}");
    Ok(state
        .store
        .invite(&permit, employee_no, email, &hash_secret(&secret), &link)
        .await?)
}
