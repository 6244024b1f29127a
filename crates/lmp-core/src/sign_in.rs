//! Sign-ins as the administrator keeps them: a role granted, a sign-in
//! deactivated or brought back, and the role a person's own record gives
//! them when they sign in through the employer's identity provider.

use crate::language::Language;
use crate::policy::UserRole;
use crate::refusal::Refusal;
use crate::refuse;
use crate::Side;

/// What an administrator does to a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInChange {
    Grant(UserRole),
    Deactivate,
    Reactivate,
}

/// What the rules read about the sign-in being changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInFacts {
    /// The administrator is changing their own sign-in.
    pub is_self: bool,
    pub role: UserRole,
    pub active: bool,
    /// Active administrators of the partnership, this one included.
    pub active_admins: u64,
}

/// Why a change is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    OwnSignIn,
    LastAdministrator,
    AlreadyActive,
    AlreadyDeactivated,
    AlreadyHasRole(UserRole),
    Deactivated,
}

impl From<&SignInError> for Refusal {
    fn from(error: &SignInError) -> Refusal {
        match error {
            SignInError::OwnSignIn => refuse!(
                "you cannot take away your own sign-in or role: ask another administrator",
                "no puede quitarse su propio acceso ni su rol: pídalo a otro administrador"
            ),
            SignInError::LastAdministrator => refuse!(
                "this is the partnership's last active administrator: make another first",
                "es el último administrador activo de la alianza: nombre a otro primero"
            ),
            SignInError::AlreadyActive => refuse!("the sign-in is already active", "el acceso ya está activo"),
            SignInError::AlreadyDeactivated => {
                refuse!("the sign-in is already deactivated", "el acceso ya está desactivado")
            }
            SignInError::AlreadyHasRole(role) => {
                let (role_en, role_es) = (role.label(), role.label_in(Language::Spanish));
                refuse!(
                    "the sign-in is already {role_en}",
                    "el acceso ya tiene el rol «{role_es}»"
                )
            }
            SignInError::Deactivated => refuse!(
                "the sign-in is deactivated: bring it back first",
                "el acceso está desactivado: reactívelo primero"
            ),
        }
    }
}

crate::display_as_refusal!(SignInError);

pub fn check_sign_in_change(facts: SignInFacts, change: SignInChange) -> Result<(), SignInError> {
    let takes_admin = facts.role == UserRole::PartnershipAdmin
        && facts.active
        && matches!(change, SignInChange::Deactivate | SignInChange::Grant(_))
        && change != SignInChange::Grant(UserRole::PartnershipAdmin);
    match change {
        SignInChange::Reactivate if facts.active => return Err(SignInError::AlreadyActive),
        SignInChange::Deactivate if !facts.active => return Err(SignInError::AlreadyDeactivated),
        SignInChange::Grant(role) if role == facts.role => return Err(SignInError::AlreadyHasRole(role)),
        SignInChange::Grant(_) if !facts.active => return Err(SignInError::Deactivated),
        _ => {}
    }
    if facts.is_self && change != SignInChange::Reactivate {
        return Err(SignInError::OwnSignIn);
    }
    if takes_admin && facts.active_admins <= 1 {
        return Err(SignInError::LastAdministrator);
    }
    Ok(())
}

/// What a person's record says of them, for the role it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordFacts {
    /// The side the person acts for (a physician's sign-in reads as a member).
    pub side: Side,
    /// A steward or Labor Partner.
    pub standing_role: bool,
    /// A co-lead or sponsor of a body above the teams (a council, a
    /// regional body, the strategy group).
    pub leads_a_council: bool,
}

/// The role a sign-in made by single sign-on has when no one granted it
/// one: those who speak for their side at a council, or hold a standing
/// role, give and take their side's seats; everyone else is a member (their
/// seats still let them run their teams and take part in decisions). The
/// same rule for both sides.
pub fn role_from_record(facts: RecordFacts) -> UserRole {
    if !(facts.standing_role || facts.leads_a_council) {
        return UserRole::Member;
    }
    match facts.side {
        Side::Labor => UserRole::LaborRepresentative,
        Side::Management => UserRole::Manager,
        Side::Physician => UserRole::Member,
    }
}

/// How long an emailed invitation stays good, in days.
pub const INVITATION_DAYS: i64 = 7;
/// The shortest password a sign-in may have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A password someone chooses: long enough to be worth having.
pub fn check_new_password(password: &str) -> Result<(), Refusal> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(refuse!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters",
            "la contraseña debe tener al menos {MIN_PASSWORD_CHARS} caracteres"
        ));
    }
    Ok(())
}

/// A user name someone chooses: 3 to 64 letters, digits, '.', '_' or '-'.
pub fn check_username(name: &str) -> Result<(), Refusal> {
    let count = name.chars().count();
    if !(3..=64).contains(&count) {
        return Err(refuse!(
            "a user name has 3 to 64 characters",
            "un nombre de usuario tiene de 3 a 64 caracteres"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(refuse!(
            "a user name has letters, digits, '.', '_' or '-', not {bad:?}",
            "un nombre de usuario lleva letras, dígitos, '.', '_' o '-', no {bad:?}"
        ));
    }
    Ok(())
}

/// The invitation's email: its subject and its words (the link follows them).
pub fn invitation_mail(partnership: &str, person: &str) -> (String, String) {
    (
        format!("You are invited to sign in to {partnership}"),
        format!(
            "{person}, you are invited to sign in to {partnership}, where the partnership's councils and teams keep their work. \
             Open the link to choose a user name and a password; it works once, for {INVITATION_DAYS} days."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(role: UserRole, active: bool, active_admins: u64) -> SignInFacts {
        SignInFacts {
            is_self: false,
            role,
            active,
            active_admins,
        }
    }

    #[test]
    fn the_last_administrator_stays() {
        let last = facts(UserRole::PartnershipAdmin, true, 1);
        for change in [SignInChange::Deactivate, SignInChange::Grant(UserRole::Member)] {
            assert_eq!(check_sign_in_change(last, change), Err(SignInError::LastAdministrator));
        }
        let one_of_two = facts(UserRole::PartnershipAdmin, true, 2);
        assert!(check_sign_in_change(one_of_two, SignInChange::Deactivate).is_ok());
        assert!(check_sign_in_change(facts(UserRole::Member, true, 1), SignInChange::Deactivate).is_ok());
    }

    #[test]
    fn no_one_takes_away_their_own_sign_in() {
        let me = SignInFacts {
            is_self: true,
            ..facts(UserRole::PartnershipAdmin, true, 3)
        };
        assert_eq!(
            check_sign_in_change(me, SignInChange::Deactivate),
            Err(SignInError::OwnSignIn)
        );
        assert_eq!(
            check_sign_in_change(me, SignInChange::Grant(UserRole::Analyst)),
            Err(SignInError::OwnSignIn)
        );
    }

    #[test]
    fn a_change_that_changes_nothing_is_refused() {
        let member = facts(UserRole::Member, true, 1);
        assert_eq!(
            check_sign_in_change(member, SignInChange::Reactivate),
            Err(SignInError::AlreadyActive)
        );
        assert!(check_sign_in_change(member, SignInChange::Grant(UserRole::Member)).is_err());
        let gone = facts(UserRole::Member, false, 1);
        assert!(check_sign_in_change(gone, SignInChange::Deactivate).is_err());
        assert_eq!(
            check_sign_in_change(gone, SignInChange::Grant(UserRole::Manager)),
            Err(SignInError::Deactivated)
        );
        assert!(check_sign_in_change(gone, SignInChange::Reactivate).is_ok());
    }

    #[test]
    fn chosen_names_and_passwords_are_checked() {
        assert!(check_username("ana.ruiz").is_ok());
        assert!(check_username("an").is_err());
        assert!(check_username("ana ruiz").is_err());
        assert!(check_new_password("seven77").is_err());
        assert!(check_new_password("eight888").is_ok());
        let (subject, body) = invitation_mail("Oak Partnership", "Ana Ruiz");
        assert!(subject.contains("Oak Partnership") && body.starts_with("Ana Ruiz"));
    }

    #[test]
    fn the_record_gives_each_side_the_same_role() {
        let of = |side, standing_role, leads_a_council| {
            role_from_record(RecordFacts {
                side,
                standing_role,
                leads_a_council,
            })
        };
        assert_eq!(of(Side::Labor, false, false), UserRole::Member);
        assert_eq!(of(Side::Management, false, false), UserRole::Member);
        assert_eq!(of(Side::Labor, false, true), UserRole::LaborRepresentative);
        assert_eq!(of(Side::Management, false, true), UserRole::Manager);
        assert_eq!(of(Side::Labor, true, false), UserRole::LaborRepresentative);
        assert_eq!(of(Side::Physician, true, true), UserRole::Member);
    }
}
