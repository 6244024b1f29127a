//! Partnership bodies — jointly led at every level — and the rules that keep
//! them joint: a labor and a management co-lead, as equals, never one person
//! on both sides.

use crate::language::Language;
use crate::person::PersonKind;
use crate::refusal::Refusal;
use crate::refuse;
use crate::side::Side;
use crate::words::a;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a body sits, from the national strategy group down to a UBT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyLevel {
    National,
    Regional,
    Facility,
    Department,
    /// A unit-based team: a natural work group.
    Team,
}

impl BodyLevel {
    pub const ALL: [BodyLevel; 5] = [
        BodyLevel::National,
        BodyLevel::Regional,
        BodyLevel::Facility,
        BodyLevel::Department,
        BodyLevel::Team,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BodyLevel::National => "national",
            BodyLevel::Regional => "regional",
            BodyLevel::Facility => "facility",
            BodyLevel::Department => "department",
            BodyLevel::Team => "team",
        }
    }

    /// The words people read, in `language`.
    pub fn label_in(self, language: crate::language::Language) -> &'static str {
        match language {
            crate::language::Language::English => self.label(),
            crate::language::Language::Spanish => match self {
                BodyLevel::National => "Grupo estratégico nacional",
                BodyLevel::Regional => "Órgano regional",
                BodyLevel::Facility => "Consejo del centro",
                BodyLevel::Department => "Asociación del departamento",
                BodyLevel::Team => "Equipo de unidad (UBT)",
            },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BodyLevel::National => "National strategy group",
            BodyLevel::Regional => "Regional body",
            BodyLevel::Facility => "Facility council",
            BodyLevel::Department => "Department partnership",
            BodyLevel::Team => "Unit-based team",
        }
    }
}

impl fmt::Display for BodyLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BodyLevel {
    type Err = Refusal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BodyLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| Refusal::unknown_word("level", s, &BodyLevel::ALL.map(BodyLevel::as_str)))
    }
}

impl BodyLevel {
    /// Whether a body at this level may hang under a body at `parent`: a
    /// decision rises along the parents one level at a time, so a parent is
    /// always above (the national strategy group has none). A body may also
    /// stand alone until its parent exists.
    pub fn check_parent(self, parent: Option<BodyLevel>) -> Result<(), Refusal> {
        match parent {
            Some(_) if self == BodyLevel::National => Err(refuse!(
                "the national strategy group is the top: it has no parent body",
                "el grupo estratégico nacional está en la cima: no depende de ningún órgano"
            )),
            Some(parent) if parent >= self => {
                let (mine, above) = (a(&self.label().to_lowercase()), a(&parent.label().to_lowercase()));
                let (mine_es, above_es) = (self.label_in(Language::Spanish), parent.label_in(Language::Spanish));
                Err(refuse!(
                    "{mine} cannot hang under {above}: the parent body must be at a level above",
                    "«{mine_es}» no puede depender de «{above_es}»: el órgano superior debe estar en un nivel más alto"
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Why a body cannot close yet: closing keeps all its history, but nothing
/// may be left hanging from it.
pub fn check_close(open_children: u64, open_decisions: u64) -> Result<(), Refusal> {
    if open_children > 0 {
        return Err(refuse!(
            "{open_children} open bodies hang under this one: move or close them first",
            "{open_children} órganos abiertos dependen de este: muévalos o ciérrelos primero"
        ));
    }
    if open_decisions > 0 {
        return Err(refuse!(
            "{open_decisions} decisions are still open here: adopt, withdraw or raise them first",
            "{open_decisions} decisiones siguen abiertas aquí: adóptelas, retírelas o elévelas primero"
        ));
    }
    Ok(())
}

/// What a person does in a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyRole {
    CoLead,
    Sponsor,
    Member,
}

impl BodyRole {
    pub const ALL: [BodyRole; 3] = [BodyRole::CoLead, BodyRole::Sponsor, BodyRole::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            BodyRole::CoLead => "co_lead",
            BodyRole::Sponsor => "sponsor",
            BodyRole::Member => "member",
        }
    }

    /// The words people read, in `language`.
    pub fn label_in(self, language: crate::language::Language) -> &'static str {
        match language {
            crate::language::Language::English => self.label(),
            crate::language::Language::Spanish => match self {
                BodyRole::CoLead => "Colíder",
                BodyRole::Sponsor => "Patrocinador",
                BodyRole::Member => "Miembro",
            },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BodyRole::CoLead => "Co-lead",
            BodyRole::Sponsor => "Sponsor",
            BodyRole::Member => "Member",
        }
    }
}

impl fmt::Display for BodyRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BodyRole {
    type Err = Refusal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BodyRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| Refusal::unknown_word("role", s, &BodyRole::ALL.map(BodyRole::as_str)))
    }
}

/// One seat in a body: who holds it, in what role, for which side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub person_id: i64,
    pub role: BodyRole,
    pub side: Side,
}

/// Why a seat cannot be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatError {
    WrongSide { kind: PersonKind, side: Side },
    AlreadyHeld,
    BothCoLeads,
}

impl From<&SeatError> for Refusal {
    fn from(error: &SeatError) -> Refusal {
        match error {
            SeatError::WrongSide { kind, side } => {
                let (kind_en, kind_es) = (a(&kind.label().to_lowercase()), kind.label_in(Language::Spanish));
                let side_es = side.label_in(Language::Spanish);
                refuse!(
                    "{kind_en} cannot act for the {side} side",
                    "quien es «{kind_es}» no puede actuar por la parte «{side_es}»"
                )
            }
            SeatError::AlreadyHeld => refuse!(
                "this person already holds that seat",
                "esta persona ya ocupa ese puesto"
            ),
            SeatError::BothCoLeads => refuse!(
                "one person cannot be co-lead for two sides of the same body: the co-leads are two equals",
                "una persona no puede ser colíder de dos partes del mismo órgano: los colíderes son dos iguales"
            ),
        }
    }
}

crate::display_as_refusal!(SeatError);

/// Check that `seat` may be added to a body whose current seats are `seats`.
/// `kind` is the workforce of the person taking the seat.
pub fn check_new_seat(seats: &[Seat], seat: Seat, kind: PersonKind) -> Result<(), SeatError> {
    if !kind.may_act_for(seat.side) {
        return Err(SeatError::WrongSide { kind, side: seat.side });
    }
    if seats.contains(&seat) {
        return Err(SeatError::AlreadyHeld);
    }
    let co_leads_elsewhere = seats
        .iter()
        .any(|s| s.person_id == seat.person_id && s.role == BodyRole::CoLead && s.side != seat.side);
    if seat.role == BodyRole::CoLead && co_leads_elsewhere {
        return Err(SeatError::BothCoLeads);
    }
    Ok(())
}

/// The required sides (labor, management) that have no co-lead. A body with a
/// side missing may exist — people leave — but it is flagged wherever shown.
pub fn missing_co_leads(seats: &[Seat]) -> Vec<Side> {
    let count = |side: Side| {
        seats
            .iter()
            .filter(|s| s.role == BodyRole::CoLead && s.side == side)
            .count() as u64
    };
    CoLeadCount {
        labor: count(Side::Labor),
        management: count(Side::Management),
    }
    .missing()
}

/// How many co-leads a body has on each required side, as a list query
/// counts them without loading every seat.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CoLeadCount {
    pub labor: u64,
    pub management: u64,
}

impl CoLeadCount {
    /// The required sides with no co-lead, labor before management only
    /// because that is the order of [`Side::REQUIRED`].
    pub fn missing(self) -> Vec<Side> {
        Side::REQUIRED
            .into_iter()
            .filter(|side| match side {
                Side::Labor => self.labor == 0,
                Side::Management => self.management == 0,
                Side::Physician => false,
            })
            .collect()
    }
}

/// Head-count of a body by side, for its labor/management balance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub labor: u64,
    pub management: u64,
    pub physician: u64,
}

impl Balance {
    /// Counts each person once per side, whatever roles they hold there.
    pub fn of(seats: &[Seat]) -> Balance {
        let mut seen = std::collections::HashSet::new();
        let mut balance = Balance::default();
        for seat in seats {
            if seen.insert((seat.person_id, seat.side)) {
                match seat.side {
                    Side::Labor => balance.labor += 1,
                    Side::Management => balance.management += 1,
                    Side::Physician => balance.physician += 1,
                }
            }
        }
        balance
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn seat(person_id: i64, role: BodyRole, side: Side) -> Seat {
        Seat { person_id, role, side }
    }

    #[test]
    fn a_parent_body_is_always_above() {
        use BodyLevel::*;
        assert!(Team.check_parent(Some(Department)).is_ok());
        assert!(Team.check_parent(Some(Facility)).is_ok());
        assert!(Team.check_parent(None).is_ok());
        assert!(Department.check_parent(Some(Team)).is_err());
        assert!(Facility.check_parent(Some(Facility)).is_err());
        assert!(National.check_parent(Some(National)).is_err());
        assert!(National.check_parent(None).is_ok());
        assert!(Regional.check_parent(Some(National)).is_ok());
    }

    #[test]
    fn a_body_closes_only_with_nothing_left_open() {
        assert!(check_close(0, 0).is_ok());
        assert!(check_close(2, 0).unwrap_err().contains("2 open bodies"));
        assert!(check_close(0, 1).unwrap_err().contains("1 decisions"));
    }

    #[test]
    fn a_body_needs_both_co_leads() {
        let both = [
            seat(1, BodyRole::CoLead, Side::Labor),
            seat(2, BodyRole::CoLead, Side::Management),
        ];
        assert!(missing_co_leads(&both).is_empty());
        assert_eq!(missing_co_leads(&both[..1]), vec![Side::Management]);
        assert_eq!(missing_co_leads(&both[1..]), vec![Side::Labor]);
        assert_eq!(missing_co_leads(&[]), vec![Side::Labor, Side::Management]);
        // A sponsor is not a co-lead.
        assert_eq!(missing_co_leads(&[seat(3, BodyRole::Sponsor, Side::Labor)]).len(), 2);
    }

    #[test]
    fn one_person_cannot_be_both_co_leads() {
        let seats = [seat(1, BodyRole::CoLead, Side::Management)];
        let err = check_new_seat(
            &seats,
            seat(1, BodyRole::CoLead, Side::Physician),
            PersonKind::Physician,
        );
        assert_eq!(err, Err(SeatError::BothCoLeads));
    }

    #[test]
    fn seats_follow_the_persons_side() {
        let err = check_new_seat(
            &[],
            seat(1, BodyRole::CoLead, Side::Management),
            PersonKind::UnionMember,
        );
        assert!(matches!(err, Err(SeatError::WrongSide { .. })));
        let err = check_new_seat(&[], seat(1, BodyRole::CoLead, Side::Labor), PersonKind::Manager);
        assert!(matches!(err, Err(SeatError::WrongSide { .. })));
        assert!(check_new_seat(&[], seat(1, BodyRole::CoLead, Side::Labor), PersonKind::UnionMember).is_ok());
    }

    #[test]
    fn a_seat_is_held_once() {
        let s = seat(1, BodyRole::Member, Side::Labor);
        assert_eq!(
            check_new_seat(&[s], s, PersonKind::UnionMember),
            Err(SeatError::AlreadyHeld)
        );
    }

    #[test]
    fn balance_counts_people_once_per_side() {
        let seats = [
            seat(1, BodyRole::CoLead, Side::Labor),
            seat(1, BodyRole::Member, Side::Labor),
            seat(2, BodyRole::CoLead, Side::Management),
        ];
        assert_eq!(
            Balance::of(&seats),
            Balance {
                labor: 1,
                management: 1,
                physician: 0
            }
        );
    }

    fn any_side() -> impl Strategy<Value = Side> {
        prop_oneof![Just(Side::Labor), Just(Side::Management), Just(Side::Physician)]
    }

    fn any_role() -> impl Strategy<Value = BodyRole> {
        prop_oneof![Just(BodyRole::CoLead), Just(BodyRole::Sponsor), Just(BodyRole::Member)]
    }

    proptest! {
        /// Whatever order seats are given in, a body built through
        /// `check_new_seat` never has one person co-leading two sides.
        #[test]
        fn checked_bodies_never_have_one_person_on_both_sides(
            wanted in proptest::collection::vec((0i64..4, any_role(), any_side()), 0..24)
        ) {
            let mut seats: Vec<Seat> = Vec::new();
            for (person_id, role, side) in wanted {
                let kind = match side {
                    Side::Labor => PersonKind::UnionMember,
                    Side::Management | Side::Physician => PersonKind::Physician,
                };
                let new = seat(person_id, role, side);
                if check_new_seat(&seats, new, kind).is_ok() {
                    seats.push(new);
                }
            }
            for a in &seats {
                for b in &seats {
                    if a.person_id == b.person_id && a.role == BodyRole::CoLead && b.role == BodyRole::CoLead {
                        prop_assert_eq!(a.side, b.side);
                    }
                }
            }
        }

        /// Swapping labor and management in every seat swaps what is missing:
        /// the rule favours neither side.
        #[test]
        fn missing_co_leads_is_symmetric(
            seats in proptest::collection::vec((0i64..6, any_role(), any_side()), 0..12)
        ) {
            let seats: Vec<Seat> = seats.into_iter().map(|(p, r, s)| seat(p, r, s)).collect();
            let mirrored: Vec<Seat> = seats.iter().map(|s| Seat { side: mirror(s.side), ..*s }).collect();
            let mut expected: Vec<Side> = missing_co_leads(&seats).into_iter().map(mirror).collect();
            expected.sort();
            prop_assert_eq!(missing_co_leads(&mirrored), expected);
        }
    }

    fn mirror(side: Side) -> Side {
        match side {
            Side::Labor => Side::Management,
            Side::Management => Side::Labor,
            Side::Physician => Side::Physician,
        }
    }
}
