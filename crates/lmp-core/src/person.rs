//! People and the standing roles they hold in the partnership.

use crate::refusal::Refusal;
use crate::refuse;
use crate::side::Side;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which workforce a person belongs to. It fixes the side they can act for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    /// A union-represented worker: a member of exactly one local.
    UnionMember,
    Manager,
    Physician,
}

impl PersonKind {
    pub const ALL: [PersonKind; 3] = [PersonKind::UnionMember, PersonKind::Manager, PersonKind::Physician];

    pub fn as_str(self) -> &'static str {
        match self {
            PersonKind::UnionMember => "union_member",
            PersonKind::Manager => "manager",
            PersonKind::Physician => "physician",
        }
    }

    /// The words people read, in `language`.
    pub fn label_in(self, language: crate::language::Language) -> &'static str {
        match language {
            crate::language::Language::English => self.label(),
            crate::language::Language::Spanish => match self {
                PersonKind::UnionMember => "Afiliado sindical",
                PersonKind::Manager => "Gerente",
                PersonKind::Physician => "Médico",
            },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PersonKind::UnionMember => "Union member",
            PersonKind::Manager => "Manager",
            PersonKind::Physician => "Physician",
        }
    }

    /// May a person of this kind act for `side` in a partnership body?
    /// Physicians may also sit on the management side, as sponsors often do.
    pub fn may_act_for(self, side: Side) -> bool {
        matches!(
            (self, side),
            (PersonKind::UnionMember, Side::Labor)
                | (PersonKind::Manager, Side::Management)
                | (PersonKind::Physician, Side::Physician)
                | (PersonKind::Physician, Side::Management)
        )
    }

    /// The side a person's work puts them on when they hold no seat that
    /// says otherwise (attending a team meeting, say).
    pub fn home_side(self) -> Side {
        match self {
            PersonKind::UnionMember => Side::Labor,
            PersonKind::Manager => Side::Management,
            PersonKind::Physician => Side::Physician,
        }
    }

    /// A worker belongs to exactly one local; managers and physicians to none.
    pub fn check_local(self, has_local: bool) -> Result<(), Refusal> {
        match (self, has_local) {
            (PersonKind::UnionMember, false) => Err(refuse!(
                "a union member must belong to a local (local_code is empty)",
                "un afiliado sindical debe pertenecer a un local (local_code está vacío)"
            )),
            (PersonKind::Manager | PersonKind::Physician, true) => Err(refuse!(
                "only union members belong to a local: leave local_code empty for managers and physicians",
                "solo los afiliados sindicales pertenecen a un local: deje local_code vacío para gerentes y médicos"
            )),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for PersonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PersonKind {
    type Err = Refusal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PersonKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Refusal::unknown_word("kind", s, &PersonKind::ALL.map(PersonKind::as_str)))
    }
}

/// A standing role a person holds outside any one body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandingRole {
    /// A union steward in their local, at their facility.
    Steward,
    /// A union representative who works as an equal beside a named manager.
    LaborPartner,
}

impl StandingRole {
    /// Both are roles of the labor side: those who may change labor seats
    /// may change them.
    pub const SIDE: Side = Side::Labor;

    pub fn as_str(self) -> &'static str {
        match self {
            StandingRole::Steward => "steward",
            StandingRole::LaborPartner => "labor_partner",
        }
    }

    /// The words people read, in `language`.
    pub fn label_in(self, language: crate::language::Language) -> &'static str {
        match language {
            crate::language::Language::English => self.label(),
            crate::language::Language::Spanish => match self {
                StandingRole::Steward => "Delegado sindical",
                StandingRole::LaborPartner => "Socio sindical",
            },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StandingRole::Steward => "Steward",
            StandingRole::LaborPartner => "Labor Partner",
        }
    }
}

impl FromStr for StandingRole {
    type Err = Refusal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "steward" => Ok(StandingRole::Steward),
            "labor_partner" => Ok(StandingRole::LaborPartner),
            _ => Err(Refusal::unknown_word("standing role", s, &["steward", "labor_partner"])),
        }
    }
}

/// Check a standing role: stewards and Labor Partners are union members, and a
/// Labor Partner is paired with a named manager.
pub fn check_standing_role(role: StandingRole, holder: PersonKind, partner: Option<PersonKind>) -> Result<(), Refusal> {
    if holder != PersonKind::UnionMember {
        return Err(refuse!(
            "stewards and Labor Partners are union members",
            "los delegados sindicales y los socios sindicales son afiliados sindicales"
        ));
    }
    match (role, partner) {
        (StandingRole::LaborPartner, Some(PersonKind::Manager)) => Ok(()),
        (StandingRole::LaborPartner, Some(_)) => Err(refuse!(
            "a Labor Partner is paired with a manager",
            "un socio sindical trabaja en pareja con un gerente"
        )),
        (StandingRole::LaborPartner, None) => Err(refuse!(
            "a Labor Partner needs a named manager to work beside",
            "un socio sindical necesita un gerente nombrado con quien trabajar"
        )),
        (StandingRole::Steward, None) => Ok(()),
        (StandingRole::Steward, Some(_)) => Err(refuse!(
            "a steward is not paired with a manager",
            "un delegado sindical no trabaja en pareja con un gerente"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_acts_for_its_own_side() {
        assert!(PersonKind::UnionMember.may_act_for(Side::Labor));
        assert!(!PersonKind::UnionMember.may_act_for(Side::Management));
        assert!(PersonKind::Manager.may_act_for(Side::Management));
        assert!(!PersonKind::Manager.may_act_for(Side::Labor));
        assert!(PersonKind::Physician.may_act_for(Side::Physician));
        assert!(!PersonKind::Physician.may_act_for(Side::Labor));
    }

    #[test]
    fn workers_belong_to_exactly_one_local() {
        assert!(PersonKind::UnionMember.check_local(true).is_ok());
        assert!(PersonKind::UnionMember.check_local(false).is_err());
        assert!(PersonKind::Manager.check_local(true).is_err());
        assert!(PersonKind::Physician.check_local(false).is_ok());
    }

    #[test]
    fn labor_partners_pair_with_managers() {
        use PersonKind::*;
        assert!(check_standing_role(StandingRole::LaborPartner, UnionMember, Some(Manager)).is_ok());
        assert!(check_standing_role(StandingRole::LaborPartner, UnionMember, None).is_err());
        assert!(check_standing_role(StandingRole::LaborPartner, Manager, Some(Manager)).is_err());
        assert!(check_standing_role(StandingRole::Steward, UnionMember, None).is_ok());
    }
}
