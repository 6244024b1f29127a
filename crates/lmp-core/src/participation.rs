//! How much of a decision each side took part in, derived from the
//! timestamped record alone — never typed in — and the Partnership
//! Participation Index built from it.
//!
//! "Strong participation" means taking part in decision making, as distinct
//! from being consulted or informed after the fact (Kochan et al., 2008).

use jiff::Timestamp;
use serde::Serialize;

crate::text_enum! {
    pub enum Participation ("participation") {
        /// Contributed while the issue and interests were being framed,
        /// before options closed.
        Joint => ("joint", "Joint", "Conjunta"),
        /// First contributed after options were fixed, before adoption.
        Consulted => ("consulted", "Consulted", "Consultada"),
        /// Only after adoption.
        Informed => ("informed", "Informed", "Informada"),
        /// Not at all.
        Absent => ("absent", "Absent", "Ausente"),
    }
}

/// A side's level for one decision, from the time of its first contribution
/// and the moments the options closed and the decision was adopted.
pub fn participation(
    first_contribution: Option<Timestamp>,
    options_closed_at: Option<Timestamp>,
    adopted_at: Option<Timestamp>,
) -> Participation {
    let Some(first) = first_contribution else {
        return Participation::Absent;
    };
    match (options_closed_at, adopted_at) {
        // The stance that completes a consensus is stamped with the moment of
        // adoption: it took part in adopting, so only later counts as informed.
        (Some(closed), _) if first >= closed => match adopted_at {
            Some(adopted) if first > adopted => Participation::Informed,
            _ => Participation::Consulted,
        },
        (None, Some(adopted)) if first > adopted => Participation::Informed,
        _ => Participation::Joint,
    }
}

/// The Partnership Participation Index of a set of decisions: the share made
/// jointly by both sides, as whole decisions over all decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ParticipationIndex {
    pub decisions: u64,
    pub joint: u64,
}

impl ParticipationIndex {
    pub fn add(&mut self, labor: Participation, management: Participation) {
        self.decisions += 1;
        if labor == Participation::Joint && management == Participation::Joint {
            self.joint += 1;
        }
    }

    /// In whole percent; `None` with no decisions to count.
    pub fn percent(&self) -> Option<u64> {
        (self.decisions > 0).then(|| (self.joint * 100 + self.decisions / 2) / self.decisions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: i64) -> Timestamp {
        Timestamp::from_second(1_780_000_000 + hour * 3600).expect("time")
    }

    #[test]
    fn the_record_alone_says_how_a_side_took_part() {
        let closed = Some(at(10));
        let adopted = Some(at(20));
        assert_eq!(participation(Some(at(1)), closed, adopted), Participation::Joint);
        assert_eq!(participation(Some(at(10)), closed, adopted), Participation::Consulted);
        assert_eq!(participation(Some(at(15)), closed, adopted), Participation::Consulted);
        assert_eq!(
            participation(Some(at(20)), closed, adopted),
            Participation::Consulted,
            "the adopting stance"
        );
        assert_eq!(participation(Some(at(21)), closed, adopted), Participation::Informed);
        assert_eq!(participation(None, closed, adopted), Participation::Absent);
        // Still framing: any contribution so far is joint.
        assert_eq!(participation(Some(at(3)), None, None), Participation::Joint);
        // Options fixed, not yet adopted.
        assert_eq!(participation(Some(at(12)), closed, None), Participation::Consulted);
    }

    #[test]
    fn a_decision_recorded_after_the_fact_counts_as_what_it_was() {
        // Adopted and only then written up, with one side's first word after adoption.
        assert_eq!(
            participation(Some(at(30)), Some(at(5)), Some(at(6))),
            Participation::Informed
        );
    }

    #[test]
    fn the_index_counts_only_decisions_both_sides_made_jointly() {
        let mut index = ParticipationIndex::default();
        assert_eq!(index.percent(), None);
        index.add(Participation::Joint, Participation::Joint);
        index.add(Participation::Consulted, Participation::Joint);
        index.add(Participation::Joint, Participation::Informed);
        assert_eq!(index, ParticipationIndex { decisions: 3, joint: 1 });
        assert_eq!(index.percent(), Some(33));
    }
}
