//! What the figures say, read the same way for every measure and for both
//! sides: whether an interval leaves chance behind, which way is better,
//! whether teams that moved up already differed before they moved, and
//! which groups are too small to lean on.

use super::fit::{Coefficient, Fit};
use super::models::event_quarter_of;
use crate::improvement::Direction;
use serde::Serialize;

/// Fewer teams than this in a group-year and its mean is shown as a small
/// group: one or two unusual teams move it.
pub const FEW_TEAMS: usize = 5;

/// Whether a group is small enough to be read with care.
pub fn is_few(teams: usize) -> bool {
    teams < FEW_TEAMS
}

/// A difference, read against the measure's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// The whole interval lies on the better side of nothing.
    Better,
    /// The whole interval lies on the worse side.
    Worse,
    /// The interval holds nothing: the data cannot tell it from chance.
    NotClear,
}

impl Reading {
    pub fn as_str(self) -> &'static str {
        match self {
            Reading::Better => "better",
            Reading::Worse => "worse",
            Reading::NotClear => "not_clear",
        }
    }
}

/// How to read `c`, a difference in the measure, when `direction` is better.
pub fn reading(c: &Coefficient, direction: Direction) -> Reading {
    let above = c.low > 0.0;
    let below = c.high < 0.0;
    match (above, below, direction) {
        (true, _, Direction::Up) | (_, true, Direction::Down) => Reading::Better,
        (true, _, Direction::Down) | (_, true, Direction::Up) => Reading::Worse,
        _ => Reading::NotClear,
    }
}

/// The quarters before the move up in which the teams that moved already
/// differed from their quarter just before it, beyond chance. Any at all
/// and what follows the move may be a trend that was already under way,
/// or teams chosen because they were improving.
pub fn differed_before_the_move(event_study: &Fit) -> Vec<i32> {
    event_study
        .coefficients
        .iter()
        .filter(|c| c.low > 0.0 || c.high < 0.0)
        .filter_map(|c| event_quarter_of(&c.name))
        .filter(|q| *q < 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coefficient(name: &str, low: f64, high: f64) -> Coefficient {
        Coefficient {
            name: name.into(),
            estimate: (low + high) / 2.0,
            std_error: (high - low) / 4.0,
            t: 0.0,
            p_value: 0.5,
            low,
            high,
        }
    }

    #[test]
    fn a_difference_reads_by_the_measures_direction_and_its_whole_interval() {
        let fewer = coefficient("level 4", -1.0, -0.4);
        assert_eq!(reading(&fewer, Direction::Down), Reading::Better);
        assert_eq!(reading(&fewer, Direction::Up), Reading::Worse);
        let more = coefficient("level 4", 0.1, 0.4);
        assert_eq!(reading(&more, Direction::Up), Reading::Better);
        assert_eq!(reading(&more, Direction::Down), Reading::Worse);
        let either = coefficient("level 4", -0.3, 0.2);
        assert_eq!(reading(&either, Direction::Down), Reading::NotClear);
        assert_eq!(reading(&either, Direction::Up), Reading::NotClear);
    }

    #[test]
    fn only_quarters_before_the_move_that_left_chance_behind_count_as_a_pre_trend() {
        let fit = Fit {
            coefficients: vec![
                coefficient("q_m4", -0.5, 0.5),
                coefficient("q_m2", 0.1, 0.9),
                coefficient("q_0", -2.0, -1.0),
                coefficient("after", -2.0, -1.0),
            ],
            dropped: Vec::new(),
            observations: 100,
            groups: 10,
            parameters: 20,
            confidence: 0.95,
        };
        assert_eq!(differed_before_the_move(&fit), vec![-2]);
    }

    #[test]
    fn fewer_than_five_teams_is_a_small_group() {
        assert!(is_few(4));
        assert!(!is_few(5));
    }
}
