//! A partnership's own rules for its teams: the Path to Performance criteria
//! and the limits on savings claims. The published criteria and our limits
//! are the default; a partnership may agree others.

use crate::path::PathRules;
use crate::savings::SavingsRules;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRules {
    #[serde(default)]
    pub path: PathRules,
    #[serde(default)]
    pub savings: SavingsRules,
}

impl TeamRules {
    /// Parse and check a rule set someone wrote (JSON, as `lmp teams rules` prints it).
    pub fn parse(json: &str) -> Result<TeamRules, crate::Refusal> {
        let rules: TeamRules = serde_json::from_str(json)
            .map_err(|e| crate::refuse!("the rules do not parse: {e}", "las reglas no se pueden leer: {e}"))?;
        rules.check()?;
        Ok(rules)
    }

    pub fn check(&self) -> Result<(), crate::Refusal> {
        self.path.check()?;
        if self.savings.largest_claim.get() <= 0 {
            return Err(crate::refuse!(
                "savings.largest_claim must be more than 0 cents",
                "savings.largest_claim debe ser mayor que 0 centavos"
            ));
        }
        if !(1..=3_660).contains(&self.savings.longest_period_days) {
            return Err(crate::refuse!(
                "savings.longest_period_days must be 1 to 3660",
                "savings.longest_period_days debe ir de 1 a 3660"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_round_trips_and_bad_sets_are_refused() {
        let json = serde_json::to_string_pretty(&TeamRules::default()).expect("json");
        assert_eq!(TeamRules::parse(&json), Ok(TeamRules::default()));
        assert!(TeamRules::parse("{}").is_ok(), "a missing part keeps its default");
        assert!(TeamRules::parse(r#"{"savings": {"largest_claim": 0, "longest_period_days": 366}}"#).is_err());
        assert!(TeamRules::parse(r#"{"path": {"rules": []}}"#)
            .unwrap_err()
            .contains("at least one"));
        assert!(TeamRules::parse("not json").unwrap_err().contains("do not parse"));
    }
}
