//! Who is asking: passwords, sessions (pages), bearer tokens (API), and the
//! throttle on failed sign-ins.

pub mod password;
pub mod session;
pub mod sso;
pub mod throttle;
pub mod token;

use lmp_core::policy::{Actor, UserRole};
use lmp_store::model::User;

/// The policy's view of a signed-in user.
pub fn actor_of(user: &User) -> Option<Actor> {
    Some(Actor {
        user_id: user.id,
        username: user.username.clone(),
        partnership_id: user.partnership_id,
        role: user.role.parse::<UserRole>().ok()?,
    })
}
