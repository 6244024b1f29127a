//! Escalation: a decision without consensus by its deadline, or one a
//! member escalates, rises one level (team → department → facility →
//! region → strategy group) with its whole record. Each level has a time
//! limit; at the top a neutral may rule.

use crate::body::BodyLevel;
use crate::language::Language;
use jiff::{SignedDuration, Timestamp};
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

impl EscalationRules {
    /// The days a decision may stay in a body: the body's own limit where its
    /// charter sets one, else the partnership's for the body's level.
    pub fn days_in_body(&self, level: BodyLevel, body_limit_days: Option<i64>) -> i64 {
        body_limit_days.unwrap_or_else(|| self.limit_days(level))
    }

    /// Check limits as a partnership sets them.
    pub fn check(&self) -> Result<(), crate::Refusal> {
        for level in BodyLevel::ALL {
            let days = self.limit_days(level);
            if !(1..=365).contains(&days) {
                let (level_en, level_es) = (level.as_str(), level.label_in(Language::Spanish));
                return Err(crate::refuse!(
                    "the time limit for {level_en} is 1 to 365 days, not {days}",
                    "el plazo para «{level_es}» va de 1 a 365 días, no {days}"
                ));
            }
        }
        Ok(())
    }
}

/// When a decision arriving at `arrived` must be settled, `days` later.
pub fn deadline(arrived: Timestamp, days: i64) -> Timestamp {
    arrived
        .saturating_add(SignedDuration::from_hours(days.clamp(0, 3650) * 24))
        .unwrap_or(arrived)
}

/// Whether an open decision has run past its deadline.
pub fn overdue(deadline: Option<Timestamp>, now: Timestamp) -> bool {
    deadline.is_some_and(|d| now > d)
}

/// How long a decision stayed at each level: from its arrival (raised, then
/// each move up) to the next move, or to when it was settled, or to now.
pub fn stays(
    raised: Timestamp,
    moves: &[Timestamp],
    settled: Option<Timestamp>,
    now: Timestamp,
) -> Vec<SignedDuration> {
    let arrivals: Vec<Timestamp> = std::iter::once(raised).chain(moves.iter().copied()).collect();
    let end = settled.unwrap_or(now);
    arrivals
        .iter()
        .enumerate()
        .map(|(i, arrived)| {
            let left = arrivals.get(i + 1).copied().unwrap_or(end);
            left.duration_since(*arrived).max(SignedDuration::ZERO)
        })
        .collect()
}

/// A stay in words: "3 days 4 hours", "under an hour".
pub fn stay_in_words(stay: SignedDuration) -> String {
    stay_in_words_in(stay, Language::English)
}

/// A stay in words, in `language`: "3 days 4 hours", "3 días 4 horas".
pub fn stay_in_words_in(stay: SignedDuration, language: Language) -> String {
    let hours = stay.as_hours();
    let (days, hours) = (hours / 24, hours % 24);
    let (day, days_word, hour, hours_word, under) = match language {
        Language::English => ("day", "days", "hour", "hours", "under an hour"),
        Language::Spanish => ("día", "días", "hora", "horas", "menos de una hora"),
    };
    let count = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (days, hours) {
        (0, 0) => under.into(),
        (0, h) => count(h, hour, hours_word),
        (d, 0) => count(d, day, days_word),
        (d, h) => format!("{} {}", count(d, day, days_word), count(h, hour, hours_word)),
    }
}

/// The level a decision rises to from `level`; the top has none.
pub fn next_level(level: BodyLevel) -> Result<BodyLevel, crate::Refusal> {
    match level {
        BodyLevel::Team => Ok(BodyLevel::Department),
        BodyLevel::Department => Ok(BodyLevel::Facility),
        BodyLevel::Facility => Ok(BodyLevel::Regional),
        BodyLevel::Regional => Ok(BodyLevel::National),
        BodyLevel::National => Err(crate::refuse!(
            "the strategy group is the top level: nothing is above it to escalate to; record a neutral's ruling instead",
            "el grupo estratégico es el nivel más alto: no hay nada por encima a lo que elevar; registre en su lugar la resolución de un neutral"
        )),
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

    #[test]
    fn deadlines_and_the_time_spent_at_each_level() {
        let t = |hours: i64| Timestamp::from_second(1_780_000_000 + hours * 3600).expect("time");
        let rules = EscalationRules::default();
        assert_eq!(rules.days_in_body(BodyLevel::Team, None), 30);
        assert_eq!(rules.days_in_body(BodyLevel::Team, Some(7)), 7);
        assert_eq!(deadline(t(0), 2), t(48));
        assert!(!overdue(Some(t(48)), t(48)));
        assert!(overdue(Some(t(48)), t(49)));
        assert!(!overdue(None, t(10_000)));
        // Raised, up after 50 hours, up again after 10 more, settled 5 later.
        let stays_now = stays(t(0), &[t(50), t(60)], Some(t(65)), t(1000));
        assert_eq!(
            stays_now,
            vec![
                SignedDuration::from_hours(50),
                SignedDuration::from_hours(10),
                SignedDuration::from_hours(5)
            ]
        );
        // Still open: the last level runs to now.
        assert_eq!(stays(t(0), &[], None, t(3)), vec![SignedDuration::from_hours(3)]);
        assert_eq!(stay_in_words(SignedDuration::from_hours(50)), "2 days 2 hours");
        assert_eq!(stay_in_words(SignedDuration::from_mins(20)), "under an hour");
        assert_eq!(stay_in_words(SignedDuration::from_hours(24)), "1 day");
        assert_eq!(
            stay_in_words_in(SignedDuration::from_hours(50), Language::Spanish),
            "2 días 2 horas"
        );
        assert!(EscalationRules { team_days: 0, ..rules }.check().is_err());
        assert_eq!(rules.check(), Ok(()));
    }
}
