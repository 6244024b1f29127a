//! Escalation: a decision without consensus by its deadline, or one a
//! member escalates, rises one level (team → department → facility →
//! region → strategy group) with its whole record. Each level has a time
//! limit; at the top a neutral may rule.

use crate::body::BodyLevel;
use serde::{Deserialize, Serialize};

/// Days a decision may stay at each level before it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRules {
    pub team_days: i64,
    pub department_days: i64,
    pub facility_days: i64,
    pub regional_days: i64,
    pub national_days: i64,
}

impl Default for EscalationRules {
    /// Our defaults, where the sources give none: a month at the front line,
    /// a little longer at each level up.
    fn default() -> EscalationRules {
        EscalationRules {
            team_days: 30,
            department_days: 30,
            facility_days: 45,
            regional_days: 60,
            national_days: 90,
        }
    }
}

impl EscalationRules {
    pub fn limit_days(&self, level: BodyLevel) -> i64 {
        match level {
            BodyLevel::Team => self.team_days,
            BodyLevel::Department => self.department_days,
            BodyLevel::Facility => self.facility_days,
            BodyLevel::Regional => self.regional_days,
            BodyLevel::National => self.national_days,
        }
    }
}

/// The level a decision rises to from `level`; the top has none.
pub fn next_level(level: BodyLevel) -> Result<BodyLevel, String> {
    match level {
        BodyLevel::Team => Ok(BodyLevel::Department),
        BodyLevel::Department => Ok(BodyLevel::Facility),
        BodyLevel::Facility => Ok(BodyLevel::Regional),
        BodyLevel::Regional => Ok(BodyLevel::National),
        BodyLevel::National => Err(
            "the strategy group is the top level: nothing is above it to escalate to; record a neutral's ruling instead"
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_rises_one_level_at_a_time_and_not_above_the_top() {
        let mut level = BodyLevel::Team;
        let mut path = vec![level];
        while let Ok(up) = next_level(level) {
            level = up;
            path.push(level);
        }
        assert_eq!(
            path,
            vec![
                BodyLevel::Team,
                BodyLevel::Department,
                BodyLevel::Facility,
                BodyLevel::Regional,
                BodyLevel::National
            ]
        );
        assert!(next_level(BodyLevel::National).unwrap_err().contains("neutral"));
        assert_eq!(EscalationRules::default().limit_days(BodyLevel::Regional), 60);
    }
}
