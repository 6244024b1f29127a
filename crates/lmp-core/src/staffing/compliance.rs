//! One reading of a unit judged against its ratio: who counts, how many
//! nurses short, how many patients beyond what the nurses there may care
//! for. Readings are judged one by one — "at all times": an hour with a
//! short stretch is short, whatever the rest of the hour looked like.

use super::required::{Census, Ratio, Required};

/// Licensed nurses on duty at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnDuty {
    /// Every licensed nurse on duty (the roles the unit counts).
    pub licensed: u32,
    /// Charge nurses among them not giving direct care at the moment.
    pub charge_not_in_direct_care: u32,
    /// Nurses among them assigned to triage.
    pub triage: u32,
}

/// Whether the rule set lets a charge nurse count while not giving care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeNurse {
    CountsOnlyInDirectCare,
    AlwaysCounts,
}

impl OnDuty {
    /// Nurses counted toward the ratio: never the triage nurse, and a
    /// charge nurse only while giving direct care.
    pub fn counted(&self, charge: ChargeNurse) -> u32 {
        let charge_out = match charge {
            ChargeNurse::CountsOnlyInDirectCare => self.charge_not_in_direct_care,
            ChargeNurse::AlwaysCounts => 0,
        };
        self.licensed.saturating_sub(charge_out + self.triage)
    }
}

/// A reading's verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdict {
    pub required: Required,
    pub counted: u32,
    /// Counted nurses missing.
    pub short: u32,
    /// Triage nurses missing.
    pub triage_short: u32,
    pub patients_affected: u32,
}

impl Verdict {
    pub fn complies(&self) -> bool {
        self.short == 0 && self.triage_short == 0
    }

    /// The worse of two readings in the same hour: an hour is as bad as
    /// its worst moment, never an average.
    pub fn worse(self, other: Verdict) -> Verdict {
        let key = |v: &Verdict| (v.short, v.triage_short, v.patients_affected);
        if key(&other) > key(&self) {
            other
        } else {
            self
        }
    }
}

/// Judge one reading; `required` is what the rule (or layered rules) ask
/// for this census.
pub fn judge(ratio: &Ratio, census: &Census, required: Required, on_duty: &OnDuty, charge: ChargeNurse) -> Verdict {
    let counted = on_duty.counted(charge);
    let short = required.counted_nurses.saturating_sub(counted);
    Verdict {
        required,
        counted,
        short,
        triage_short: required.triage_nurses.saturating_sub(on_duty.triage),
        patients_affected: if short > 0 {
            ratio.patients_affected(census, counted)
        } else {
            0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::rules::{built_in_named, UnitRatio};
    use jiff::civil::date;

    fn unit(unit_type: &str) -> UnitRatio {
        built_in_named("ca-title22")
            .unwrap()
            .in_force(date(2026, 11, 24))
            .unwrap()
            .unit(unit_type)
            .unwrap()
            .clone()
    }

    fn judged(unit_type: &str, census: Census, on_duty: OnDuty) -> Verdict {
        let ratio = unit(unit_type).ratio();
        let required = ratio.required(&census);
        judge(&ratio, &census, required, &on_duty, ChargeNurse::CountsOnlyInDirectCare)
    }

    fn patients(n: u32) -> Census {
        Census {
            patients: n,
            ..Census::default()
        }
    }

    fn licensed(n: u32) -> OnDuty {
        OnDuty {
            licensed: n,
            ..OnDuty::default()
        }
    }

    #[test]
    fn a_charge_nurse_counts_only_while_giving_direct_care() {
        // 10 med-surg patients need 2; three on duty, one of them a charge
        // nurse running the unit: two count, enough.
        let charge = OnDuty {
            licensed: 3,
            charge_not_in_direct_care: 1,
            triage: 0,
        };
        assert!(judged("med-surg", patients(10), charge).complies());
        // Two on duty, one of them the charge nurse off the floor: one counts.
        let verdict = judged("med-surg", patients(10), OnDuty { licensed: 2, ..charge });
        assert_eq!((verdict.counted, verdict.short, verdict.patients_affected), (1, 1, 5));
        // Where a rule set lets the charge nurse always count, both count.
        let ratio = unit("med-surg").ratio();
        let census = patients(10);
        let lenient = judge(
            &ratio,
            &census,
            ratio.required(&census),
            &OnDuty { licensed: 2, ..charge },
            ChargeNurse::AlwaysCounts,
        );
        assert!(lenient.complies());
    }

    #[test]
    fn the_triage_nurse_is_never_counted_and_must_be_there() {
        // 8 ED patients: two counted nurses and a triage nurse.
        let three = OnDuty {
            licensed: 3,
            charge_not_in_direct_care: 0,
            triage: 1,
        };
        assert!(judged("emergency", patients(8), three).complies());
        // Three on duty, none at triage: the ratio holds, triage is missing.
        let verdict = judged("emergency", patients(8), licensed(3));
        assert_eq!((verdict.short, verdict.triage_short), (0, 1));
        assert!(!verdict.complies());
        // Two on duty, one at triage: one counted for eight patients.
        let verdict = judged("emergency", patients(8), OnDuty { licensed: 2, ..three });
        assert_eq!((verdict.counted, verdict.short, verdict.patients_affected), (1, 1, 4));
    }

    #[test]
    fn no_averaging_an_hour_is_as_bad_as_its_worst_reading() {
        // Ten med-surg patients: three nurses at :00, one at :30 while two
        // are on a break nobody covers. Averaged, two nurses would comply;
        // by its readings the hour is a nurse short with 5 patients affected.
        let at_00 = judged("med-surg", patients(10), licensed(3));
        let at_30 = judged("med-surg", patients(10), licensed(1));
        assert!(at_00.complies());
        assert!(judged("med-surg", patients(10), licensed(2)).complies());
        let hour = at_00.worse(at_30);
        assert_eq!((hour.short, hour.patients_affected), (1, 5));
        assert_eq!(at_30.worse(at_00), hour);
    }

    #[test]
    fn an_operating_room_short_of_circulating_nurses() {
        let census = Census {
            occupied_rooms: 4,
            ..Census::default()
        };
        let verdict = judged("operating-room", census, licensed(3));
        assert_eq!(
            (
                verdict.required.counted_nurses,
                verdict.short,
                verdict.patients_affected
            ),
            (4, 1, 1)
        );
    }

    #[test]
    fn mixed_emergency_acuity_short_by_a_nurse() {
        // 1 trauma, 2 critical, 5 others need 4 counted nurses.
        let mut census = patients(8);
        census.acuity[0] = 2;
        census.acuity[1] = 1;
        let verdict = judged(
            "emergency",
            census,
            OnDuty {
                licensed: 4,
                charge_not_in_direct_care: 0,
                triage: 1,
            },
        );
        assert_eq!(
            (verdict.required.counted_nurses, verdict.counted, verdict.short),
            (4, 3, 1)
        );
        assert_eq!(verdict.patients_affected, 1);
    }
}
