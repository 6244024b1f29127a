//! Joint decisions, worked through interest-based problem solving and
//! adopted only by consensus: every member taking part records a stance,
//! both sides' co-leads among them, and no block stands. No votes are
//! counted and no side has a casting vote.

use crate::body::BodyRole;
use crate::language::Language;
use crate::refusal::Refusal;
use crate::refuse;
use crate::side::Side;
use serde::Serialize;

crate::text_enum! {
    /// Where a decision stands, in the order IBPS works through it.
    pub enum Stage ("stage") {
        /// The issue and each side's interests are being stated.
        Framing => ("framing", "Framing the issue and interests", "Planteamiento del problema y de los intereses"),
        /// Options are generated together.
        Options => ("options", "Generating options", "Generación de opciones"),
        /// Criteria are agreed and the options evaluated against them.
        Evaluating => ("evaluating", "Agreeing criteria and evaluating", "Acuerdo de criterios y evaluación"),
        /// A solution is proposed and members record their stances.
        Deciding => ("deciding", "Seeking consensus", "Búsqueda del consenso"),
        Adopted => ("adopted", "Adopted by consensus", "Adoptada por consenso"),
        /// Decided by a neutral at the top level.
        Ruled => ("ruled", "Ruled by a neutral", "Resuelta por un neutral"),
    }
}

impl Stage {
    /// Whether the decision still takes contributions here.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Stage::Framing | Stage::Options | Stage::Evaluating | Stage::Deciding
        )
    }

    /// The stage that follows when the body moves on.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Framing => Some(Stage::Options),
            Stage::Options => Some(Stage::Evaluating),
            Stage::Evaluating => Some(Stage::Deciding),
            _ => None,
        }
    }
}

crate::text_enum! {
    /// What someone adds to a decision's record.
    pub enum ContributionKind ("contribution") {
        Issue => ("issue", "Issue statement", "Planteamiento del problema"),
        Interest => ("interest", "Interest", "Interés"),
        /// An option (named so it is never confused with Rust's `Option`).
        Alternative => ("option", "Option", "Opción"),
        Criterion => ("criterion", "Criterion", "Criterio"),
        Evaluation => ("evaluation", "Evaluation of an option", "Evaluación de una opción"),
        Solution => ("solution", "Proposed solution", "Solución propuesta"),
        Comment => ("comment", "Comment", "Comentario"),
        /// A neutral's (arbitrator's) ruling, recorded at the top level.
        Ruling => ("ruling", "Neutral's ruling", "Resolución del neutral"),
    }
}

impl ContributionKind {
    /// The stages in which this kind of contribution belongs. A comment is
    /// welcome at any open stage, and after: that is how a side informed
    /// late still has its say on the record.
    pub fn allowed_in(self, stage: Stage) -> bool {
        use ContributionKind::*;
        match self {
            Issue | Interest => stage == Stage::Framing,
            Alternative => stage == Stage::Options,
            Criterion | Evaluation => stage == Stage::Evaluating,
            Solution => matches!(stage, Stage::Evaluating | Stage::Deciding),
            Comment => true,
            Ruling => stage.is_open(),
        }
    }
}

pub fn check_contribution(stage: Stage, kind: ContributionKind, text: &str) -> Result<(), Refusal> {
    let (kind_en, kind_es) = (
        kind.label().to_lowercase(),
        kind.label_in(Language::Spanish).to_lowercase(),
    );
    if text.trim().is_empty() {
        return Err(refuse!("the {kind_en} is empty", "falta el texto: {kind_es}"));
    }
    if text.chars().count() > 4_000 {
        return Err(refuse!(
            "a contribution is at most 4,000 characters",
            "una aportación tiene como máximo 4.000 caracteres"
        ));
    }
    if !kind.allowed_in(stage) {
        let (stage_en, stage_es) = (stage.label(), stage.label_in(Language::Spanish));
        return Err(refuse!(
            "a decision at the stage \"{stage_en}\" does not take a new {kind_en}",
            "una decisión en la etapa «{stage_es}» no admite nada nuevo de este tipo: {kind_es}"
        ));
    }
    Ok(())
}

crate::text_enum! {
    /// What a body's charter says its decisions are.
    pub enum DecisionMode ("decision mode") {
        /// The body decides, by consensus.
        Consensus => ("consensus", "Decides by consensus", "Decide por consenso"),
        /// The body reaches consensus on a recommendation to the level above.
        Recommend => ("recommend", "Recommends", "Recomienda"),
    }
}

/// An evaluation scores an option against a criterion, 1 (poor) to 5 (best).
pub fn check_score(score: i64) -> Result<(), Refusal> {
    if (1..=5).contains(&score) {
        Ok(())
    } else {
        Err(refuse!(
            "a score is 1 to 5, not {score}",
            "una puntuación va de 1 a 5, no {score}"
        ))
    }
}

crate::text_enum! {
    pub enum Stance ("stance") {
        Support => ("support", "Support", "Apoyo"),
        CanLiveWith => ("can_live_with", "Can live with it", "Puedo aceptarla"),
        Block => ("block", "Block", "Bloqueo"),
    }
}

/// Check a stance as recorded: living with it, or blocking, says why.
pub fn check_stance(stance: Stance, reason: &str) -> Result<(), Refusal> {
    match stance {
        Stance::Support => Ok(()),
        Stance::CanLiveWith | Stance::Block if reason.trim().is_empty() => {
            let (stance_en, stance_es) = (stance.label(), stance.label_in(Language::Spanish));
            Err(refuse!(
                "\"{stance_en}\" needs a reason: say what you can live with, or what would have to change",
                "«{stance_es}» necesita un motivo: diga con qué puede vivir o qué tendría que cambiar"
            ))
        }
        _ => Ok(()),
    }
}

/// A member of the body taking part in the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub person_id: i64,
    pub side: Side,
    pub role: BodyRole,
}

/// Where consensus stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Consensus {
    Adopted,
    /// Blocks stand: the decision goes back to options, or up.
    Blocked {
        by: Vec<i64>,
    },
    /// Still waiting: these members have no stance yet, or a required side's
    /// co-lead is not taking part.
    Awaiting {
        missing: Vec<i64>,
        sides_without_co_lead: Vec<Side>,
    },
}

/// Decide whether `stances` of `participants` make a consensus. Every
/// participant must have a stance; at least one labor and one management
/// co-lead must be among them; a single block stops it.
pub fn consensus(participants: &[Participant], stances: &[(i64, Stance)]) -> Consensus {
    let stance_of = |person: i64| stances.iter().find(|(p, _)| *p == person).map(|(_, s)| *s);
    let blocked: Vec<i64> = participants
        .iter()
        .filter(|p| stance_of(p.person_id) == Some(Stance::Block))
        .map(|p| p.person_id)
        .collect();
    if !blocked.is_empty() {
        return Consensus::Blocked { by: blocked };
    }
    let missing: Vec<i64> = participants
        .iter()
        .filter(|p| stance_of(p.person_id).is_none())
        .map(|p| p.person_id)
        .collect();
    let sides_without_co_lead: Vec<Side> = Side::REQUIRED
        .into_iter()
        .filter(|side| {
            !participants
                .iter()
                .any(|p| p.side == *side && p.role == BodyRole::CoLead)
        })
        .collect();
    if missing.is_empty() && sides_without_co_lead.is_empty() {
        Consensus::Adopted
    } else {
        Consensus::Awaiting {
            missing,
            sides_without_co_lead,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(person_id: i64, side: Side, role: BodyRole) -> Participant {
        Participant { person_id, side, role }
    }

    fn table() -> Vec<Participant> {
        vec![
            p(1, Side::Labor, BodyRole::CoLead),
            p(2, Side::Management, BodyRole::CoLead),
            p(3, Side::Labor, BodyRole::Member),
        ]
    }

    #[test]
    fn everyone_taking_part_must_stand_somewhere() {
        let stances = [(1, Stance::Support), (2, Stance::CanLiveWith)];
        assert_eq!(
            consensus(&table(), &stances),
            Consensus::Awaiting {
                missing: vec![3],
                sides_without_co_lead: vec![]
            }
        );
        let all = [(1, Stance::Support), (2, Stance::CanLiveWith), (3, Stance::Support)];
        assert_eq!(consensus(&table(), &all), Consensus::Adopted);
    }

    #[test]
    fn one_block_stops_it_whoever_blocks() {
        for blocker in [1, 2, 3] {
            let stances: Vec<(i64, Stance)> = [1, 2, 3]
                .into_iter()
                .map(|person| {
                    (
                        person,
                        if person == blocker {
                            Stance::Block
                        } else {
                            Stance::Support
                        },
                    )
                })
                .collect();
            assert_eq!(consensus(&table(), &stances), Consensus::Blocked { by: vec![blocker] });
        }
    }

    #[test]
    fn both_sides_co_leads_take_part_and_no_side_decides_alone() {
        let labor_only = vec![p(1, Side::Labor, BodyRole::CoLead), p(3, Side::Labor, BodyRole::Member)];
        let stances = [(1, Stance::Support), (3, Stance::Support)];
        assert_eq!(
            consensus(&labor_only, &stances),
            Consensus::Awaiting {
                missing: vec![],
                sides_without_co_lead: vec![Side::Management]
            }
        );
        let management_only = vec![p(2, Side::Management, BodyRole::CoLead)];
        assert!(matches!(
            consensus(&management_only, &[(2, Stance::Support)]),
            Consensus::Awaiting { .. }
        ));
        // A stance from someone not taking part counts for nothing.
        let with_outsider = [
            (1, Stance::Support),
            (2, Stance::Support),
            (3, Stance::Support),
            (99, Stance::Block),
        ];
        assert_eq!(consensus(&table(), &with_outsider), Consensus::Adopted);
    }

    #[test]
    fn living_with_it_and_blocking_need_reasons() {
        assert_eq!(check_stance(Stance::Support, ""), Ok(()));
        assert!(check_stance(Stance::Block, "  ")
            .unwrap_err()
            .contains("needs a reason"));
        assert!(check_stance(Stance::CanLiveWith, "").is_err());
        assert_eq!(check_stance(Stance::Block, "Night staffing falls below ratio"), Ok(()));
    }

    #[test]
    fn each_step_takes_its_own_contributions() {
        assert_eq!(
            check_contribution(Stage::Framing, ContributionKind::Interest, "Safe staffing"),
            Ok(())
        );
        assert!(check_contribution(Stage::Framing, ContributionKind::Alternative, "Float pool").is_err());
        assert!(check_contribution(Stage::Options, ContributionKind::Interest, "late interest").is_err());
        assert_eq!(
            check_contribution(Stage::Adopted, ContributionKind::Comment, "We were told after"),
            Ok(())
        );
        assert!(check_contribution(Stage::Options, ContributionKind::Alternative, " ").is_err());
        assert_eq!(Stage::Framing.next(), Some(Stage::Options));
        assert_eq!(Stage::Deciding.next(), None);
        assert!(!Stage::Adopted.is_open());
    }
}
