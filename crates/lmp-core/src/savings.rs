//! Savings a team reports, and when a claim counts as verified: only when
//! the labor and the management co-lead have both signed it, or both
//! sponsors have. Corrections are new claims that replace an earlier one;
//! nothing is edited.

use crate::body::BodyRole;
use crate::language::Language;
use crate::money::Cents;
use crate::refusal::Refusal;
use crate::refuse;
use crate::side::Side;
use jiff::civil::Date;
use serde::Serialize;

crate::text_enum! {
    pub enum SavingsCategory ("savings category") {
        CostReduction => ("cost_reduction", "Cost reduction", "Reducción de costos"),
        CostAvoidance => ("cost_avoidance", "Cost avoidance", "Costos evitados"),
        Revenue => ("revenue", "Revenue", "Ingresos"),
    }
}

/// The limits a claim must keep. The largest plausible single claim is a
/// setting: a team's project saving more than this is a typo until someone
/// with the authority to raise the limit says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SavingsRules {
    pub largest_claim: Cents,
    /// The longest period one claim may cover, in days.
    pub longest_period_days: i32,
}

impl Default for SavingsRules {
    fn default() -> SavingsRules {
        SavingsRules {
            largest_claim: Cents(500_000_000),
            longest_period_days: 366,
        }
    }
}

/// A claim as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClaim {
    pub category: SavingsCategory,
    pub amount: Cents,
    pub period_start: Date,
    pub period_end: Date,
    pub method: String,
    /// Set when this claim corrects an earlier one.
    pub corrects: Option<i64>,
}

/// Which part of a claim a rule refused, so an import can name the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimField {
    Amount,
    Period,
    Method,
}

impl SavingsRules {
    /// As [`SavingsRules::check_field`], the reason only.
    pub fn check(&self, claim: &NewClaim, today: Date) -> Result<(), Refusal> {
        self.check_field(claim, today).map_err(|(_, reason)| reason)
    }

    /// Check a claim; a refusal names the part of the claim at fault.
    pub fn check_field(&self, claim: &NewClaim, today: Date) -> Result<(), (ClaimField, Refusal)> {
        use ClaimField::*;
        // A correction may bring a claim down to nothing; a new claim saves something.
        let smallest = if claim.corrects.is_some() { 0 } else { 1 };
        let (amount, largest, longest) = (claim.amount, self.largest_claim, self.longest_period_days);
        let (start, end) = (claim.period_start, claim.period_end);
        if amount.get() < smallest {
            let reason = if claim.corrects.is_some() {
                refuse!(
                    "a correction cannot be negative ({amount}); to withdraw a claim, correct it to 0",
                    "una corrección no puede ser negativa ({amount}); para retirar una reclamación, corríjala a 0"
                )
            } else {
                refuse!(
                    "a saving must be more than $0.00 (got {amount})",
                    "un ahorro debe ser mayor que $0.00 (se recibió {amount})"
                )
            };
            return Err((Amount, reason));
        }
        if amount > largest {
            return Err((
                Amount,
                refuse!(
                    "{amount} is more than the largest single claim allowed ({largest}); check the amount, or split it by period",
                    "{amount} supera la mayor reclamación individual permitida ({largest}); revise el monto o divídalo por período"
                ),
            ));
        }
        if end < start {
            return Err((
                Period,
                refuse!(
                    "the period ends ({end}) before it starts ({start})",
                    "el período termina ({end}) antes de empezar ({start})"
                ),
            ));
        }
        let days = (end - start).get_days() + 1;
        if days > longest {
            return Err((
                Period,
                refuse!(
                    "one claim covers at most {longest} days (this one {days}); enter one claim per year",
                    "una reclamación cubre como máximo {longest} días (esta, {days}); registre una reclamación por año"
                ),
            ));
        }
        if start > today {
            return Err((
                Period,
                refuse!(
                    "the period cannot start in the future ({start})",
                    "el período no puede empezar en el futuro ({start})"
                ),
            ));
        }
        if claim.method.trim().chars().count() < 10 {
            return Err((
                Method,
                refuse!(
                    "say in words how the saving was worked out and what it assumes",
                    "explique con palabras cómo se calculó el ahorro y qué supone"
                ),
            ));
        }
        Ok(())
    }
}

/// Who signed, in which capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Signature {
    pub person_id: i64,
    pub role: BodyRole,
    pub side: Side,
}

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Both co-leads, or both sponsors, have signed.
    Verified,
    /// Self-reported: the signatures still needed, in words.
    Awaiting,
}

/// The pairs whose two signatures verify a claim.
const VERIFYING_ROLES: [BodyRole; 2] = [BodyRole::CoLead, BodyRole::Sponsor];

pub fn verification(signatures: &[Signature]) -> Verification {
    let signed = |role: BodyRole, side: Side| signatures.iter().any(|s| s.role == role && s.side == side);
    let pair_signed = VERIFYING_ROLES
        .into_iter()
        .any(|role| Side::REQUIRED.into_iter().all(|side| signed(role, side)));
    if pair_signed {
        Verification::Verified
    } else {
        Verification::Awaiting
    }
}

/// What a claim still needs, for the page: "the management co-lead (or both
/// sponsors)".
pub fn still_needed(signatures: &[Signature], language: Language) -> Option<String> {
    if verification(signatures) == Verification::Verified {
        return None;
    }
    let missing = |role: BodyRole| -> Vec<Side> {
        Side::REQUIRED
            .into_iter()
            .filter(|side| !signatures.iter().any(|s| s.role == role && s.side == *side))
            .collect()
    };
    let phrase = |sides: &[Side], role: BodyRole| match (language, sides, role) {
        (Language::English, [one], _) => format!("the {} {}", one.label().to_lowercase(), role.label().to_lowercase()),
        (Language::English, _, _) => format!("both {}s", role.label().to_lowercase()),
        (Language::Spanish, [one], role) => format!(
            "el {} {}",
            if role == BodyRole::Sponsor {
                "patrocinador"
            } else {
                "colíder"
            },
            if *one == Side::Labor {
                "sindical"
            } else {
                "de la gerencia"
            }
        ),
        (Language::Spanish, _, BodyRole::Sponsor) => "ambos patrocinadores".to_string(),
        (Language::Spanish, _, _) => "ambos colíderes".to_string(),
    };
    let or = match language {
        Language::English => "or",
        Language::Spanish => "o",
    };
    Some(format!(
        "{}, {or} {}",
        phrase(&missing(BodyRole::CoLead), BodyRole::CoLead),
        phrase(&missing(BodyRole::Sponsor), BodyRole::Sponsor)
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignError {
    NotASigner,
    AlreadySigned,
    Superseded,
}

impl From<&SignError> for Refusal {
    fn from(error: &SignError) -> Refusal {
        match error {
            SignError::NotASigner => refuse!(
                "only the team's labor or management co-leads and sponsors sign savings",
                "solo los colíderes y patrocinadores del equipo, sindicales o de la gerencia, firman los ahorros"
            ),
            SignError::AlreadySigned => {
                refuse!("you have already signed this claim", "usted ya firmó esta reclamación")
            }
            SignError::Superseded => refuse!(
                "this claim has been replaced by a correction; sign the correction instead",
                "esta reclamación fue sustituida por una corrección; firme la corrección"
            ),
        }
    }
}

crate::display_as_refusal!(SignError);

/// May `signer` (a seat the signing person holds on the team) sign a claim
/// already carrying `signatures`?
pub fn check_signature(
    signer: Option<Signature>,
    signatures: &[Signature],
    superseded: bool,
) -> Result<Signature, SignError> {
    let signer = signer
        .filter(|s| VERIFYING_ROLES.contains(&s.role) && Side::REQUIRED.contains(&s.side))
        .ok_or(SignError::NotASigner)?;
    if superseded {
        return Err(SignError::Superseded);
    }
    if signatures.iter().any(|s| s.person_id == signer.person_id) {
        return Err(SignError::AlreadySigned);
    }
    Ok(signer)
}

/// The seat a person signs in, from the seats they hold on the team: a
/// co-lead signs as co-lead, else a sponsor as sponsor.
pub fn signing_seat(person_id: i64, seats: &[crate::body::Seat]) -> Option<Signature> {
    VERIFYING_ROLES.into_iter().find_map(|role| {
        seats
            .iter()
            .find(|s| s.person_id == person_id && s.role == role && Side::REQUIRED.contains(&s.side))
            .map(|s| Signature {
                person_id,
                role: s.role,
                side: s.side,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn claim(amount: i64) -> NewClaim {
        NewClaim {
            category: SavingsCategory::CostReduction,
            amount: Cents(amount),
            period_start: date(2026, 1, 1),
            period_end: date(2026, 12, 31),
            method: "Fewer linen deliveries: 3 a week at $410 each".into(),
            corrects: None,
        }
    }

    fn sig(person_id: i64, role: BodyRole, side: Side) -> Signature {
        Signature { person_id, role, side }
    }

    #[test]
    fn amounts_are_positive_and_plausible() {
        let rules = SavingsRules::default();
        let today = date(2026, 11, 1);
        assert_eq!(rules.check(&claim(6_400_000), today), Ok(()));
        assert!(rules.check(&claim(0), today).unwrap_err().contains("more than $0.00"));
        assert!(rules.check(&claim(-5), today).is_err());
        assert!(rules.check(&claim(900_000_000), today).unwrap_err().contains("largest"));
        let withdrawn = NewClaim {
            corrects: Some(3),
            ..claim(0)
        };
        assert_eq!(rules.check(&withdrawn, today), Ok(()));
        let backwards = NewClaim {
            period_end: date(2025, 12, 1),
            ..claim(100)
        };
        assert!(rules.check(&backwards, today).unwrap_err().contains("before it starts"));
        let too_long = NewClaim {
            period_start: date(2024, 1, 1),
            ..claim(100)
        };
        assert!(rules.check(&too_long, today).unwrap_err().contains("at most 366 days"));
        let no_method = NewClaim {
            method: "trust me".into(),
            ..claim(100)
        };
        assert!(rules.check(&no_method, today).is_err());
    }

    #[test]
    fn both_co_leads_or_both_sponsors_verify_a_claim() {
        use BodyRole::*;
        use Side::*;
        assert_eq!(verification(&[]), Verification::Awaiting);
        assert_eq!(verification(&[sig(1, CoLead, Labor)]), Verification::Awaiting);
        assert_eq!(
            verification(&[sig(1, CoLead, Labor), sig(2, CoLead, Management)]),
            Verification::Verified
        );
        assert_eq!(
            verification(&[sig(3, Sponsor, Management), sig(4, Sponsor, Labor)]),
            Verification::Verified
        );
        // A co-lead of one side and a sponsor of the other are not a pair.
        assert_eq!(
            verification(&[sig(1, CoLead, Labor), sig(3, Sponsor, Management)]),
            Verification::Awaiting
        );
        assert_eq!(
            verification(&[sig(1, CoLead, Physician), sig(2, CoLead, Management)]),
            Verification::Awaiting
        );
    }

    #[test]
    fn the_page_says_what_is_still_needed() {
        use BodyRole::*;
        use Side::*;
        assert_eq!(
            still_needed(&[sig(1, CoLead, Labor)], Language::English).as_deref(),
            Some("the management co-lead, or both sponsors")
        );
        assert_eq!(
            still_needed(&[sig(1, CoLead, Labor)], Language::Spanish).as_deref(),
            Some("el colíder de la gerencia, o ambos patrocinadores")
        );
        assert_eq!(
            still_needed(&[sig(1, Sponsor, Management)], Language::English).as_deref(),
            Some("both co-leads, or the labor sponsor")
        );
        assert_eq!(
            still_needed(&[sig(1, Sponsor, Management)], Language::Spanish).as_deref(),
            Some("ambos colíderes, o el patrocinador sindical")
        );
        assert_eq!(
            still_needed(&[sig(1, CoLead, Labor), sig(2, CoLead, Management)], Language::English),
            None
        );
    }

    #[test]
    fn each_person_signs_once_and_only_leaders_sign() {
        use BodyRole::*;
        use Side::*;
        let labor = sig(1, CoLead, Labor);
        assert_eq!(check_signature(Some(labor), &[], false), Ok(labor));
        assert_eq!(
            check_signature(Some(labor), &[labor], false),
            Err(SignError::AlreadySigned)
        );
        assert_eq!(check_signature(None, &[], false), Err(SignError::NotASigner));
        assert_eq!(
            check_signature(Some(sig(5, Member, Labor)), &[], false),
            Err(SignError::NotASigner)
        );
        assert_eq!(
            check_signature(Some(sig(6, CoLead, Physician)), &[], false),
            Err(SignError::NotASigner)
        );
        assert_eq!(check_signature(Some(labor), &[], true), Err(SignError::Superseded));
    }

    #[test]
    fn a_co_lead_who_also_sponsors_signs_as_co_lead() {
        use crate::body::Seat;
        let seats = [
            Seat {
                person_id: 9,
                role: BodyRole::Sponsor,
                side: Side::Management,
            },
            Seat {
                person_id: 9,
                role: BodyRole::CoLead,
                side: Side::Management,
            },
            Seat {
                person_id: 4,
                role: BodyRole::Member,
                side: Side::Labor,
            },
        ];
        assert_eq!(signing_seat(9, &seats).map(|s| s.role), Some(BodyRole::CoLead));
        assert_eq!(signing_seat(4, &seats), None);
    }
}
