//! Changes that need two keys: a body's decision rules, its co-leads, the
//! redaction of a decision, and an outcome measure's definition. One labor and one management approver must
//! both say yes before the change is made; no administrator, and no one
//! person, can turn both keys.

use crate::decision::DecisionMode;
use crate::evidence::measure::MeasureDefinition;
use crate::language::Language;
use crate::refusal::Refusal;
use crate::refuse;
use crate::side::Side;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    pub enum JointChangeKind ("kind of change") {
        DecisionRules => ("decision_rules", "A body's decision rules", "Las reglas de decisión de un órgano"),
        CoLead => ("co_lead", "A body's co-leads", "Los colíderes de un órgano"),
        Redaction => ("redaction", "Redacting a decision", "Censurar una decisión"),
        OutcomeMeasure => ("outcome_measure", "An outcome measure", "Una medida de resultados"),
    }
}

/// What is to change, exactly as it will be applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum JointChange {
    /// The body's charter: decides or recommends; its own time limit in days
    /// (`None`: the partnership's limit for its level).
    DecisionRules {
        mode: DecisionMode,
        time_limit_days: Option<i64>,
    },
    /// Seat a co-lead for `side`.
    AddCoLead { person_id: i64, side: Side },
    /// Take a co-lead seat away.
    RemoveCoLead { seat_id: i64, person_id: i64, side: Side },
    /// Hide what a decision's record says (the words, not the fact of it).
    Redact,
    /// Put an outcome measure in force, as defined: what counts as an
    /// outcome is chosen by both sides.
    DefineMeasure { measure: MeasureDefinition },
}

impl JointChange {
    pub fn kind(&self) -> JointChangeKind {
        match self {
            JointChange::DecisionRules { .. } => JointChangeKind::DecisionRules,
            JointChange::AddCoLead { .. } | JointChange::RemoveCoLead { .. } => JointChangeKind::CoLead,
            JointChange::Redact => JointChangeKind::Redaction,
            JointChange::DefineMeasure { .. } => JointChangeKind::OutcomeMeasure,
        }
    }

    /// Check the change itself before anyone is asked to approve it.
    pub fn check(&self) -> Result<(), Refusal> {
        match self {
            JointChange::DecisionRules {
                time_limit_days: Some(days),
                ..
            } if !(1..=365).contains(days) => Err(refuse!(
                "a time limit is 1 to 365 days, not {days}",
                "un plazo va de 1 a 365 días, no {days}"
            )),
            JointChange::DefineMeasure { measure } => measure.check(),
            _ => Ok(()),
        }
    }
}

/// Why a key would not turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRefused {
    NotASide(Side),
    AlreadyTurned { side: Side, by: String },
    BothByOne,
}

impl From<&KeyRefused> for Refusal {
    fn from(refused: &KeyRefused) -> Refusal {
        match refused {
            KeyRefused::NotASide(side) => {
                let side_es = side.label_in(Language::Spanish);
                refuse!(
                    "only labor and management hold keys, not {side}",
                    "solo la parte sindical y la gerencia tienen llave, no «{side_es}»"
                )
            }
            KeyRefused::AlreadyTurned { side, by } => {
                let side_es = side.label_in(Language::Spanish);
                refuse!(
                    "{side}'s key is already turned, by {by}",
                    "la llave de «{side_es}» ya está girada, por {by}"
                )
            }
            KeyRefused::BothByOne => refuse!(
                "one person cannot turn both keys: the other side must approve",
                "una persona no puede girar las dos llaves: la otra parte debe aprobar"
            ),
        }
    }
}

crate::display_as_refusal!(KeyRefused);

/// Who has turned each key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Keys {
    pub labor: Option<String>,
    pub management: Option<String>,
}

impl Keys {
    /// Turn `side`'s key as `approver`. Each key turns once, and one person
    /// never turns both.
    pub fn turn(&mut self, side: Side, approver: &str) -> Result<(), KeyRefused> {
        let (mine, theirs) = match side {
            Side::Labor => (&mut self.labor, &self.management),
            Side::Management => (&mut self.management, &self.labor),
            other => return Err(KeyRefused::NotASide(other)),
        };
        if let Some(already) = mine {
            return Err(KeyRefused::AlreadyTurned {
                side,
                by: already.clone(),
            });
        }
        if theirs.as_deref() == Some(approver) {
            return Err(KeyRefused::BothByOne);
        }
        *mine = Some(approver.to_string());
        Ok(())
    }

    /// Both turned: the change may be made.
    pub fn both_turned(&self) -> bool {
        self.labor.is_some() && self.management.is_some()
    }

    /// The sides whose keys are still to turn.
    pub fn waiting_for(&self) -> Vec<Side> {
        let mut sides = Vec::new();
        if self.labor.is_none() {
            sides.push(Side::Labor);
        }
        if self.management.is_none() {
            sides.push(Side::Management);
        }
        sides
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_turn_a_key_before_anything_changes() {
        let mut keys = Keys::default();
        assert!(!keys.both_turned());
        keys.turn(Side::Labor, "rivera").expect("labor");
        assert_eq!(keys.waiting_for(), vec![Side::Management]);
        assert!(keys
            .turn(Side::Labor, "chen")
            .unwrap_err()
            .to_string()
            .contains("already"));
        assert_eq!(keys.turn(Side::Management, "rivera"), Err(KeyRefused::BothByOne));
        keys.turn(Side::Management, "okafor").expect("management");
        assert!(keys.both_turned());
        assert!(Keys::default().turn(Side::Physician, "x").is_err());
    }

    #[test]
    fn a_change_is_checked_before_approval() {
        let rules = |days| JointChange::DecisionRules {
            mode: DecisionMode::Recommend,
            time_limit_days: days,
        };
        assert_eq!(rules(Some(30)).check(), Ok(()));
        assert_eq!(rules(None).check(), Ok(()));
        assert!(rules(Some(0)).check().is_err());
        assert_eq!(JointChange::Redact.kind(), JointChangeKind::Redaction);
        let json = serde_json::to_string(&rules(Some(14))).expect("json");
        assert_eq!(
            serde_json::from_str::<JointChange>(&json).expect("back"),
            rules(Some(14))
        );
    }
}
