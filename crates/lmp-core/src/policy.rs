//! Who may do what: the one place every access is decided.
//!
//! Handlers ask [`authorize`] and get a [`Permit`] (which only this module can
//! make) or a [`Denied`]. Writes in the store take a `&Permit`, so a write
//! that skipped the policy does not compile.

use crate::body::BodyRole;
use crate::side::Side;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A sign-in's role within its partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Runs the partnership's data: roles on every side, imports, users.
    PartnershipAdmin,
    /// Union staff or steward: gives and takes labor-side seats.
    LaborRepresentative,
    /// Gives and takes management-side seats.
    Manager,
    /// Reads the partnership's structure; no audit trail.
    Member,
    /// Reads everything, including the audit trail; changes nothing.
    Analyst,
}

impl UserRole {
    pub const ALL: [UserRole; 5] = [
        UserRole::PartnershipAdmin,
        UserRole::LaborRepresentative,
        UserRole::Manager,
        UserRole::Member,
        UserRole::Analyst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::PartnershipAdmin => "partnership_admin",
            UserRole::LaborRepresentative => "labor_representative",
            UserRole::Manager => "manager",
            UserRole::Member => "member",
            UserRole::Analyst => "analyst",
        }
    }

    /// The words people read, in `language`.
    pub fn label_in(self, language: crate::language::Language) -> &'static str {
        match language {
            crate::language::Language::English => self.label(),
            crate::language::Language::Spanish => match self {
                UserRole::PartnershipAdmin => "Administración de la asociación",
                UserRole::LaborRepresentative => "Representante sindical",
                UserRole::Manager => "Gerente",
                UserRole::Member => "Miembro",
                UserRole::Analyst => "Analista",
            },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UserRole::PartnershipAdmin => "Partnership admin",
            UserRole::LaborRepresentative => "Labor representative",
            UserRole::Manager => "Manager",
            UserRole::Member => "Member",
            UserRole::Analyst => "Analyst",
        }
    }

    /// The side whose seats this role may give and take, if it is one side's.
    pub fn side_it_speaks_for(self) -> Option<Side> {
        match self {
            UserRole::LaborRepresentative => Some(Side::Labor),
            UserRole::Manager => Some(Side::Management),
            _ => None,
        }
    }
}

impl fmt::Display for UserRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UserRole {
    type Err = crate::Refusal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UserRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| crate::Refusal::unknown_word("role", s, &UserRole::ALL.map(UserRole::as_str)))
    }
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub partnership_id: i64,
    pub role: UserRole,
}

/// What they ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Org units, bodies, teams, locals, the dashboard.
    ReadStructure,
    /// The people directory and a person's page.
    ReadPeople,
    /// The audit trail.
    ReadAudit,
    /// Give or take a seat in a body, or a standing role, on `side`.
    ChangeSeat { side: Side },
    /// Bulk imports of org and people.
    Import,
    /// Create, rename, re-parent and close the partnership's bodies (its
    /// councils and teams): the partnership's administrator, who keeps the
    /// structure both sides agreed to.
    ManageBodies,
    /// Schedule class sessions, mark attendance, take in a training file:
    /// the partnership's administrator, for both sides alike.
    RecordTraining,
    /// Grant a sign-in its role, deactivate it or bring it back, invite
    /// someone by email: the partnership's administrator.
    ManageSignIns,
    /// Create and revoke one's own API tokens.
    ManageOwnTokens,
    /// Change the partnership's rules for its teams.
    ConfigureRules,
    /// Raise a decision in a body, add to its record, take a stance: only in
    /// person, from a seat in that body.
    TakePart { seats: SeatsHeld },
    /// Add or remove a member (not a co-lead or sponsor) of a team on
    /// `side`. Each co-lead manages their own side's members.
    ChangeTeamMember { seats: SeatsHeld, side: Side },
    /// Run a team: charter, members, meetings, projects, measurements,
    /// savings claims. Its co-leads and sponsors, on any side.
    RunTeam { seats: SeatsHeld },
    /// Sign a team's savings claim or confirm its level: only in person,
    /// from a co-lead or sponsor seat on the team, so no administrator can
    /// verify a claim for the team.
    SignForTeam { seats: SeatsHeld },
    /// Ask for a change that needs two keys (a body's decision rules or
    /// co-leads, a decision's redaction): an administrator or either side.
    RequestJointChange,
    /// Turn `side`'s key on such a change: only someone who speaks for that
    /// side, so no administrator, and no one person, can turn both.
    ApproveJointChange { side: Side },
    /// Read the trust's books: contributions, the ledger, budgets,
    /// reconciliation and the locals' statements. Those who answer for
    /// either side's money and the analysts; not every member.
    ReadTrust,
    /// Run the trust's books: take in payroll, record remittances and
    /// spending, propose a budget. The partnership's administrator.
    ManageTrust,
    /// Approve a year's budget for the side the actor's person is a trustee
    /// of (`trustee_of`): only in person, so no administrator approves for
    /// the trustees.
    ApproveBudget { trustee_of: Option<Side> },
    /// Read Employment and Income Security: displacements, the transition
    /// pool (workers' pay and protection), vacancies, proposals. Not every member.
    ReadEis,
    /// Run EIS: record a displacement and the workers it affects, post
    /// vacancies, run placement. The administrator, or an EIS
    /// representative of either side in person (`representing`: the side
    /// the actor's person represents, if any).
    ManageEis { representing: Option<Side> },
    /// Speak for the side the actor's person is the EIS representative of:
    /// confirm the alternatives were looked at, accept a proposed placement.
    /// Only in person, so no administrator, and no one person, decides for both.
    SpeakForEis { representing: Option<Side> },
    /// Read the evidence: outcome measures, each team's values, what the
    /// models find. Everyone in the partnership — what partnership achieves
    /// is shown to all who take part in it.
    ReadEvidence,
    /// Read staffing: units, ratio rules, compliance hour by hour. Everyone
    /// in the partnership — front-line workers have a say in staffing.
    ReadStaffing,
    /// Describe units, add a negotiated rule set, take in readings. The
    /// partnership's administrator.
    ManageStaffing,
    /// Write a new version of a unit's staffing plan: a co-lead of the
    /// unit's team, of either side, in person — the plan is built together.
    EditStaffingPlan { seats: SeatsHeld },
    /// Approve a plan version for the side the actor co-leads the unit's
    /// team for, in person; no administrator approves for a team.
    ApproveStaffingPlan { seats: SeatsHeld },
}

/// The actor's own seats in one body: the facts the policy reads there.
/// Made only from the seats themselves, so no handler decides what a
/// person's seats add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatsHeld {
    body_id: i64,
    /// Sides, as bits of [`side_bit`], that the actor holds each role for.
    co_lead: u8,
    sponsor: u8,
    member: u8,
}

fn side_bit(side: Side) -> u8 {
    match side {
        Side::Labor => 1,
        Side::Management => 2,
        Side::Physician => 4,
    }
}

impl SeatsHeld {
    /// The seats one person holds in body `body_id` (seats of anyone else
    /// are not theirs to count, and are left out).
    pub fn in_body(body_id: i64, person_id: i64, seats: &[crate::body::Seat]) -> SeatsHeld {
        let mut held = SeatsHeld::none(body_id);
        for seat in seats.iter().filter(|s| s.person_id == person_id) {
            let bits = match seat.role {
                BodyRole::CoLead => &mut held.co_lead,
                BodyRole::Sponsor => &mut held.sponsor,
                BodyRole::Member => &mut held.member,
            };
            *bits |= side_bit(seat.side);
        }
        held
    }

    /// No seat at all: a sign-in with no person, or a person outside the body.
    pub fn none(body_id: i64) -> SeatsHeld {
        SeatsHeld {
            body_id,
            co_lead: 0,
            sponsor: 0,
            member: 0,
        }
    }

    pub fn body_id(&self) -> i64 {
        self.body_id
    }

    /// The side they co-lead the body for, if any: one person is never both
    /// co-leads, so there is at most one (labor first only for a stable
    /// answer should the data ever say otherwise).
    pub fn co_lead_side(&self) -> Option<Side> {
        Side::ALL.into_iter().find(|side| self.co_leads_for(*side))
    }

    pub fn co_leads_for(&self, side: Side) -> bool {
        self.co_lead & side_bit(side) != 0
    }

    /// Co-lead or sponsor, on any side: the seats that run a team.
    pub fn leads(&self) -> bool {
        self.co_lead | self.sponsor != 0
    }

    /// A sponsor seat, on any side: sponsors confirm or dispute a team's level.
    pub fn sponsors(&self) -> bool {
        self.sponsor != 0
    }

    /// Any seat at all in the body.
    pub fn holds_any(&self) -> bool {
        self.co_lead | self.sponsor | self.member != 0
    }
}

/// Proof that the policy allowed an action. Only [`authorize`] makes one.
#[derive(Debug, Clone)]
pub struct Permit {
    actor: Actor,
    action: Action,
}

impl Permit {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn action(&self) -> Action {
        self.action
    }

    /// Whether this is the operator's permit (see [`Permit::operator`]).
    pub fn is_operator(&self) -> bool {
        self.actor.user_id == 0 && self.actor.username == "operator"
    }

    /// For trusted operator commands run on the server itself (`lmp import`,
    /// `lmp demo`): the operator has the machine, so the policy has nothing to
    /// decide, but the audit trail still names who acted.
    pub fn operator(partnership_id: i64, action: Action) -> Permit {
        Permit {
            actor: Actor {
                user_id: 0,
                username: "operator".into(),
                partnership_id,
                role: UserRole::PartnershipAdmin,
            },
            action,
        }
    }
}

/// Why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The resource belongs to another partnership. Said as "not found", so a
    /// user cannot even learn that it exists.
    #[error("not found")]
    NotFound,
    #[error("your role does not allow this")]
    Forbidden,
}

/// Decide whether `actor` may do `action` on something owned by
/// `owner_partnership`.
pub fn authorize(actor: &Actor, action: Action, owner_partnership: i64) -> Result<Permit, Denied> {
    if actor.partnership_id != owner_partnership {
        return Err(Denied::NotFound);
    }
    let in_person = actor.role != UserRole::Analyst;
    let speaks_for = actor.role.side_it_speaks_for();
    let allowed = match action {
        Action::ReadStructure | Action::ReadPeople | Action::ManageOwnTokens => true,
        Action::ReadAudit => matches!(actor.role, UserRole::PartnershipAdmin | UserRole::Analyst),
        Action::ChangeSeat { side } => actor.role == UserRole::PartnershipAdmin || speaks_for == Some(side),
        Action::Import
        | Action::ConfigureRules
        | Action::ManageBodies
        | Action::RecordTraining
        | Action::ManageSignIns => actor.role == UserRole::PartnershipAdmin,
        Action::RunTeam { seats } => seats.leads() && in_person || actor.role == UserRole::PartnershipAdmin,
        Action::SignForTeam { seats } => seats.leads() && in_person,
        Action::TakePart { seats } => seats.holds_any() && in_person,
        Action::RequestJointChange => matches!(
            actor.role,
            UserRole::PartnershipAdmin | UserRole::LaborRepresentative | UserRole::Manager
        ),
        Action::ApproveJointChange { side } => speaks_for == Some(side),
        Action::ReadTrust => actor.role != UserRole::Member,
        Action::ManageTrust => actor.role == UserRole::PartnershipAdmin,
        Action::ApproveBudget { trustee_of } => trustee_of.is_some() && speaks_for == trustee_of,
        Action::ReadEis => actor.role != UserRole::Member,
        Action::ReadStaffing | Action::ReadEvidence => true,
        Action::ManageStaffing => actor.role == UserRole::PartnershipAdmin,
        Action::EditStaffingPlan { seats } => seats.co_lead_side().is_some(),
        Action::ApproveStaffingPlan { seats } => seats.co_lead_side().is_some(),
        Action::ManageEis { representing } => {
            actor.role == UserRole::PartnershipAdmin || representing.is_some() && speaks_for.is_some()
        }
        Action::SpeakForEis { representing } => representing.is_some() && speaks_for == representing,
        Action::ChangeTeamMember { seats, side } => {
            actor.role == UserRole::PartnershipAdmin
                || speaks_for == Some(side)
                || seats.co_leads_for(side) && in_person
        }
    };
    if allowed {
        Ok(Permit {
            actor: actor.clone(),
            action,
        })
    } else {
        Err(Denied::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: UserRole) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            partnership_id: 7,
            role,
        }
    }

    /// Person 5's seats in body 3: one seat of `role` for `side`, or none.
    fn seats(held: Option<(BodyRole, Side)>) -> SeatsHeld {
        let mut seats = vec![crate::body::Seat {
            person_id: 6,
            role: BodyRole::CoLead,
            side: Side::Management,
        }];
        seats.extend(held.map(|(role, side)| crate::body::Seat {
            person_id: 5,
            role,
            side,
        }));
        SeatsHeld::in_body(3, 5, &seats)
    }

    const LEADS: Option<(BodyRole, Side)> = Some((BodyRole::Sponsor, Side::Labor));
    const NONE: Option<(BodyRole, Side)> = None;

    #[test]
    fn seats_held_count_only_the_persons_own() {
        let held = seats(Some((BodyRole::Member, Side::Labor)));
        assert_eq!(held.body_id(), 3);
        assert!(held.holds_any() && !held.leads());
        assert_eq!(
            held.co_lead_side(),
            None,
            "the other person's co-lead seat is not theirs"
        );
        let co_lead = seats(Some((BodyRole::CoLead, Side::Labor)));
        assert!(co_lead.leads() && co_lead.co_leads_for(Side::Labor) && !co_lead.co_leads_for(Side::Management));
        assert_eq!(co_lead.co_lead_side(), Some(Side::Labor));
        assert!(!seats(NONE).holds_any());
        assert_eq!(SeatsHeld::none(3), seats(NONE));
    }

    #[test]
    fn another_partnership_sees_nothing() {
        for role in UserRole::ALL {
            assert_eq!(
                authorize(&actor(role), Action::ReadStructure, 8).err(),
                Some(Denied::NotFound)
            );
        }
    }

    #[test]
    fn each_side_changes_only_its_own_seats() {
        let labor = actor(UserRole::LaborRepresentative);
        let manager = actor(UserRole::Manager);
        assert!(authorize(&labor, Action::ChangeSeat { side: Side::Labor }, 7).is_ok());
        assert_eq!(
            authorize(&labor, Action::ChangeSeat { side: Side::Management }, 7).err(),
            Some(Denied::Forbidden)
        );
        assert!(authorize(&manager, Action::ChangeSeat { side: Side::Management }, 7).is_ok());
        assert_eq!(
            authorize(&manager, Action::ChangeSeat { side: Side::Labor }, 7).err(),
            Some(Denied::Forbidden)
        );
        for side in Side::ALL {
            assert!(authorize(&actor(UserRole::PartnershipAdmin), Action::ChangeSeat { side }, 7).is_ok());
        }
    }

    #[test]
    fn readers_read_and_change_nothing() {
        for role in [UserRole::Member, UserRole::Analyst] {
            let a = actor(role);
            assert!(authorize(&a, Action::ReadStructure, 7).is_ok());
            assert!(authorize(&a, Action::ReadPeople, 7).is_ok());
            assert!(authorize(&a, Action::Import, 7).is_err());
            for side in Side::ALL {
                assert!(authorize(&a, Action::ChangeSeat { side }, 7).is_err());
            }
        }
        assert!(authorize(&actor(UserRole::Analyst), Action::ReadAudit, 7).is_ok());
        assert!(authorize(&actor(UserRole::Member), Action::ReadAudit, 7).is_err());
    }

    #[test]
    fn neither_side_alone_reshapes_the_bodies_or_the_training_record() {
        for action in [Action::ManageBodies, Action::RecordTraining, Action::ManageSignIns] {
            assert!(authorize(&actor(UserRole::PartnershipAdmin), action, 7).is_ok());
            for role in [
                UserRole::LaborRepresentative,
                UserRole::Manager,
                UserRole::Member,
                UserRole::Analyst,
            ] {
                assert_eq!(authorize(&actor(role), action, 7).err(), Some(Denied::Forbidden));
            }
        }
    }

    #[test]
    fn a_team_is_run_by_its_leaders_and_signed_for_only_in_person() {
        for role in [UserRole::LaborRepresentative, UserRole::Manager, UserRole::Member] {
            assert!(authorize(&actor(role), Action::RunTeam { seats: seats(LEADS) }, 7).is_ok());
            assert!(authorize(&actor(role), Action::RunTeam { seats: seats(NONE) }, 7).is_err());
            assert!(authorize(&actor(role), Action::SignForTeam { seats: seats(LEADS) }, 7).is_ok());
            assert!(authorize(&actor(role), Action::SignForTeam { seats: seats(NONE) }, 7).is_err());
        }
        let admin = actor(UserRole::PartnershipAdmin);
        assert!(authorize(&admin, Action::RunTeam { seats: seats(NONE) }, 7).is_ok());
        assert!(authorize(&admin, Action::SignForTeam { seats: seats(NONE) }, 7).is_err());
        let analyst = actor(UserRole::Analyst);
        assert!(authorize(&analyst, Action::RunTeam { seats: seats(LEADS) }, 7).is_err());
        assert!(authorize(&analyst, Action::SignForTeam { seats: seats(LEADS) }, 7).is_err());
    }

    #[test]
    fn a_co_lead_manages_the_members_of_their_own_side() {
        let member = actor(UserRole::Member);
        let labor_members = |co_lead_of_side: bool| Action::ChangeTeamMember {
            seats: seats(co_lead_of_side.then_some((BodyRole::CoLead, Side::Labor))),
            side: Side::Labor,
        };
        assert!(authorize(&member, labor_members(true), 7).is_ok());
        assert!(authorize(&member, labor_members(false), 7).is_err());
        assert!(authorize(&actor(UserRole::LaborRepresentative), labor_members(false), 7).is_ok());
        assert!(authorize(&actor(UserRole::Manager), labor_members(false), 7).is_err());
        assert!(authorize(&actor(UserRole::Analyst), labor_members(true), 7).is_err());
    }

    #[test]
    fn each_key_is_turned_only_by_its_own_side() {
        for side in Side::REQUIRED {
            let approve = Action::ApproveJointChange { side };
            assert!(authorize(&actor(UserRole::PartnershipAdmin), approve, 7).is_err());
            assert!(authorize(&actor(UserRole::Analyst), approve, 7).is_err());
            assert!(authorize(&actor(UserRole::Member), approve, 7).is_err());
        }
        let labor = actor(UserRole::LaborRepresentative);
        let manager = actor(UserRole::Manager);
        assert!(authorize(&labor, Action::ApproveJointChange { side: Side::Labor }, 7).is_ok());
        assert!(authorize(&labor, Action::ApproveJointChange { side: Side::Management }, 7).is_err());
        assert!(authorize(&manager, Action::ApproveJointChange { side: Side::Management }, 7).is_ok());
        assert!(authorize(&manager, Action::ApproveJointChange { side: Side::Labor }, 7).is_err());
        assert!(authorize(&actor(UserRole::PartnershipAdmin), Action::RequestJointChange, 7).is_ok());
        assert!(authorize(&actor(UserRole::Member), Action::RequestJointChange, 7).is_err());
    }

    #[test]
    fn the_trust_is_run_by_its_administrator_and_its_budget_approved_by_trustees_of_each_side() {
        for role in [
            UserRole::PartnershipAdmin,
            UserRole::Analyst,
            UserRole::LaborRepresentative,
            UserRole::Manager,
        ] {
            assert!(authorize(&actor(role), Action::ReadTrust, 7).is_ok(), "{role:?}");
        }
        assert!(authorize(&actor(UserRole::Member), Action::ReadTrust, 7).is_err());
        assert!(authorize(&actor(UserRole::PartnershipAdmin), Action::ManageTrust, 7).is_ok());
        assert!(authorize(&actor(UserRole::Manager), Action::ManageTrust, 7).is_err());
        assert_eq!(
            authorize(&actor(UserRole::PartnershipAdmin), Action::ReadTrust, 8).err(),
            Some(Denied::NotFound)
        );
        for (role, side) in [
            (UserRole::LaborRepresentative, Side::Labor),
            (UserRole::Manager, Side::Management),
        ] {
            let approve = |side: Side, is_trustee: bool| Action::ApproveBudget {
                trustee_of: is_trustee.then_some(side),
            };
            assert!(authorize(&actor(role), approve(side, true), 7).is_ok());
            assert!(
                authorize(&actor(role), approve(side, false), 7).is_err(),
                "a trustee, in person"
            );
            let other = if side == Side::Labor {
                Side::Management
            } else {
                Side::Labor
            };
            assert!(
                authorize(&actor(role), approve(other, true), 7).is_err(),
                "for their own side only"
            );
            assert!(authorize(&actor(UserRole::PartnershipAdmin), approve(side, true), 7).is_err());
        }
    }

    #[test]
    fn the_permit_names_its_actor() {
        let permit = authorize(&actor(UserRole::Analyst), Action::ReadAudit, 7).expect("allowed");
        assert_eq!(permit.actor().role, UserRole::Analyst);
        assert_eq!(permit.action(), Action::ReadAudit);
    }

    #[test]
    fn staffing_is_read_by_everyone_and_run_by_the_administrator() {
        for role in [
            UserRole::Member,
            UserRole::Analyst,
            UserRole::Manager,
            UserRole::LaborRepresentative,
        ] {
            assert!(authorize(&actor(role), Action::ReadStaffing, 7).is_ok(), "{role:?}");
            assert!(authorize(&actor(role), Action::ManageStaffing, 7).is_err(), "{role:?}");
            assert!(authorize(&actor(role), Action::ReadEvidence, 7).is_ok(), "{role:?}");
        }
        assert!(authorize(&actor(UserRole::Analyst), Action::ReadEvidence, 8).is_err());
        assert!(authorize(&actor(UserRole::PartnershipAdmin), Action::ManageStaffing, 7).is_ok());
        assert!(authorize(&actor(UserRole::PartnershipAdmin), Action::ReadStaffing, 8).is_err());
        // Plans: the team's co-leads, in person; never the administrator for them.
        let edit = |co_leads_team: bool| Action::EditStaffingPlan {
            seats: seats(co_leads_team.then_some((BodyRole::CoLead, Side::Management))),
        };
        assert!(authorize(&actor(UserRole::Member), edit(true), 7).is_ok());
        assert!(authorize(&actor(UserRole::PartnershipAdmin), edit(false), 7).is_err());
        let approve = |co_lead_of_side: bool| Action::ApproveStaffingPlan {
            seats: seats(co_lead_of_side.then_some((BodyRole::CoLead, Side::Labor))),
        };
        let sponsor = Action::ApproveStaffingPlan { seats: seats(LEADS) };
        assert!(
            authorize(&actor(UserRole::Member), sponsor, 7).is_err(),
            "a co-lead, not a sponsor"
        );
        assert!(authorize(&actor(UserRole::Member), approve(true), 7).is_ok());
        assert!(authorize(&actor(UserRole::PartnershipAdmin), approve(false), 7).is_err());
    }

    #[test]
    fn eis_is_run_by_the_administrator_or_a_representative_and_decided_by_each_sides_representative() {
        assert!(authorize(&actor(UserRole::Member), Action::ReadEis, 7).is_err());
        assert!(authorize(&actor(UserRole::Analyst), Action::ReadEis, 7).is_ok());
        let manage = |representing| Action::ManageEis { representing };
        assert!(authorize(&actor(UserRole::PartnershipAdmin), manage(None), 7).is_ok());
        assert!(authorize(&actor(UserRole::Manager), manage(None), 7).is_err());
        assert!(authorize(&actor(UserRole::Manager), manage(Some(Side::Management)), 7).is_ok());
        assert!(authorize(&actor(UserRole::LaborRepresentative), manage(Some(Side::Labor)), 7).is_ok());
        assert!(authorize(&actor(UserRole::Analyst), manage(Some(Side::Labor)), 7).is_err());
        for (role, side, other) in [
            (UserRole::LaborRepresentative, Side::Labor, Side::Management),
            (UserRole::Manager, Side::Management, Side::Labor),
        ] {
            let speak = |representing| Action::SpeakForEis { representing };
            assert!(authorize(&actor(role), speak(Some(side)), 7).is_ok());
            assert!(authorize(&actor(role), speak(None), 7).is_err(), "in person");
            assert!(
                authorize(&actor(role), speak(Some(other)), 7).is_err(),
                "never for the other side"
            );
            assert_eq!(
                authorize(&actor(role), speak(Some(side)), 8).err(),
                Some(Denied::NotFound)
            );
        }
        let representing = Some(Side::Labor);
        assert!(authorize(
            &actor(UserRole::PartnershipAdmin),
            Action::SpeakForEis { representing },
            7
        )
        .is_err());
    }
}
