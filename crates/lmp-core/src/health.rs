//! The warning signs the research names for a partnership going hollow:
//! co-lead seats left empty, one side missing from meetings, decisions one
//! side only joined late, blocks and escalations, and a slow road to
//! consensus. Computed from the record; the same rule for both sides.

use crate::participation::Participation;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// Whole days within `[from, to)` when no spell covers the seat. Spells
/// (start, end; `None` = still held) may overlap: two co-leads of a side
/// at once leave no vacancy.
pub fn vacancy_days(spells: &[(Timestamp, Option<Timestamp>)], from: Timestamp, to: Timestamp) -> i64 {
    if to <= from {
        return 0;
    }
    let mut clipped: Vec<(Timestamp, Timestamp)> = spells
        .iter()
        .map(|(start, end)| ((*start).max(from), end.unwrap_or(to).min(to)))
        .filter(|(start, end)| start < end)
        .collect();
    clipped.sort();
    let mut covered = SignedDuration::ZERO;
    let mut current: Option<(Timestamp, Timestamp)> = None;
    for (start, end) in clipped {
        current = match current {
            Some((s, e)) if start <= e => Some((s, e.max(end))),
            Some((s, e)) => {
                covered += e.duration_since(s);
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some((s, e)) = current {
        covered += e.duration_since(s);
    }
    (to.duration_since(from) - covered).as_hours() / 24
}

/// Which side, if either, came in only after the other had framed the
/// issue: one side joint, the other consulted or informed.
pub fn late_side(labor: Participation, management: Participation) -> Option<crate::Side> {
    let late = |p: Participation| matches!(p, Participation::Consulted | Participation::Informed);
    match (labor, management) {
        (Participation::Joint, m) if late(m) => Some(crate::Side::Management),
        (l, Participation::Joint) if late(l) => Some(crate::Side::Labor),
        _ => None,
    }
}

/// The middle value, or `None` for none.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// One body's warning signs over a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Signs {
    pub labor_vacancy_days: i64,
    pub management_vacancy_days: i64,
    pub meetings: i64,
    /// Meetings no one of labor, or of management, came to.
    pub meetings_without_labor: i64,
    pub meetings_without_management: i64,
    pub decisions: i64,
    /// Decisions labor, or management, joined only late.
    pub labor_late: i64,
    pub management_late: i64,
    pub blocked: i64,
    pub escalated: i64,
    pub median_days_to_consensus: Option<f64>,
}

impl Signs {
    /// Count a meeting held, by how many of each side came.
    pub fn count_meeting(&mut self, labor_attendees: i64, management_attendees: i64) {
        self.meetings += 1;
        self.meetings_without_labor += i64::from(labor_attendees == 0);
        self.meetings_without_management += i64::from(management_attendees == 0);
    }

    /// Count a decision raised, by how each side took part and whether anyone blocked it.
    pub fn count_decision(&mut self, labor: Participation, management: Participation, blocked: bool) {
        self.decisions += 1;
        match late_side(labor, management) {
            Some(crate::Side::Labor) => self.labor_late += 1,
            Some(crate::Side::Management) => self.management_late += 1,
            _ => {}
        }
        self.blocked += i64::from(blocked);
    }

    /// Add another's counts (a median does not add: it stays as it was).
    pub fn add(&mut self, other: &Signs) {
        self.labor_vacancy_days += other.labor_vacancy_days;
        self.management_vacancy_days += other.management_vacancy_days;
        self.meetings += other.meetings;
        self.meetings_without_labor += other.meetings_without_labor;
        self.meetings_without_management += other.meetings_without_management;
        self.decisions += other.decisions;
        self.labor_late += other.labor_late;
        self.management_late += other.management_late;
        self.blocked += other.blocked;
        self.escalated += other.escalated;
    }

    /// How worrying, to rank bodies: a day of vacancy counts one, a meeting
    /// one side missed entirely five, each late, blocked or escalated
    /// decision ten. The weights are ours: the sources name the signs, not
    /// their weights.
    pub fn concern(&self) -> i64 {
        self.labor_vacancy_days
            + self.management_vacancy_days
            + 5 * (self.meetings_without_labor + self.meetings_without_management)
            + 10 * (self.labor_late + self.management_late + self.blocked + self.escalated)
    }
}

/// A quarter's label, for charts over time: "2026 Q3".
pub fn quarter(at: Timestamp) -> String {
    let date = at.to_zoned(jiff::tz::TimeZone::UTC).date();
    format!("{} Q{}", date.year(), (date.month() - 1) / 3 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> Timestamp {
        Timestamp::from_second(1_780_000_000 + n * 86_400).expect("time")
    }

    #[test]
    fn vacancy_counts_the_days_no_one_held_the_seat() {
        // Held days 0-10 and 20-, window 0-30: 10 days empty.
        let spells = [(day(0), Some(day(10))), (day(20), None)];
        assert_eq!(vacancy_days(&spells, day(0), day(30)), 10);
        // Two overlapping co-leads leave no gap.
        let overlap = [(day(0), Some(day(20))), (day(10), None)];
        assert_eq!(vacancy_days(&overlap, day(0), day(30)), 0);
        // Nobody ever: the whole window.
        assert_eq!(vacancy_days(&[], day(0), day(30)), 30);
        // A spell before the window counts nothing inside it.
        assert_eq!(vacancy_days(&[(day(-50), Some(day(-10)))], day(0), day(7)), 7);
        assert_eq!(vacancy_days(&[], day(5), day(5)), 0);
    }

    #[test]
    fn a_late_side_is_named_whichever_it_is() {
        use Participation::*;
        assert_eq!(late_side(Joint, Consulted), Some(crate::Side::Management));
        assert_eq!(late_side(Informed, Joint), Some(crate::Side::Labor));
        assert_eq!(late_side(Joint, Joint), None);
        assert_eq!(late_side(Consulted, Consulted), None);
        assert_eq!(late_side(Joint, Absent), None);
    }

    #[test]
    fn concern_weighs_both_sides_alike() {
        let labor = Signs {
            labor_vacancy_days: 30,
            labor_late: 2,
            ..Signs::default()
        };
        let management = Signs {
            management_vacancy_days: 30,
            management_late: 2,
            ..Signs::default()
        };
        assert_eq!(labor.concern(), management.concern());
        assert_eq!(labor.concern(), 50);
        let missed = Signs {
            meetings: 4,
            meetings_without_management: 2,
            ..Signs::default()
        };
        assert_eq!(missed.concern(), 10);
        let mut counted = Signs::default();
        counted.count_meeting(3, 0);
        counted.count_meeting(0, 2);
        counted.count_decision(Participation::Joint, Participation::Informed, true);
        counted.count_decision(Participation::Joint, Participation::Joint, false);
        assert_eq!(
            (
                counted.meetings,
                counted.meetings_without_labor,
                counted.meetings_without_management
            ),
            (2, 1, 1)
        );
        assert_eq!(
            (
                counted.decisions,
                counted.management_late,
                counted.labor_late,
                counted.blocked
            ),
            (2, 1, 0, 1)
        );
        let mut total = counted.clone();
        total.add(&counted);
        assert_eq!((total.meetings, total.decisions, total.blocked), (4, 4, 2));
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
        assert_eq!(quarter(Timestamp::from_second(1_780_000_000).expect("t")), "2026 Q2");
    }
}
