//! How many licensed nurses a unit needs for the patients in it at one
//! moment, and how many patients the nurses on duty can lawfully care for.
//!
//! Mixed acuity (the ED's trauma and critical-care patients beside the
//! rest): no nurse may have more patients than the strictest ratio among
//! her own patients allows. Filling nurses strictest patients first, each
//! taking patients in that order until her limit, needs the fewest nurses;
//! filling loosest first covers the most patients with the nurses there.

use super::rules::{UnitRatio, MAX_ACUITY_CLASSES};

/// A unit's ratio in the form the hour-by-hour check uses: acuity classes
/// by position, groups sorted strictest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratio {
    /// Patients per nurse for the patients of no acuity class; 0 for a
    /// unit counted by occupied rooms.
    base: u32,
    nurses_per_room: u32,
    pub triage_nurses: u32,
    /// Patients per nurse of each acuity class, in the rule's order.
    class_ratio: [u32; MAX_ACUITY_CLASSES],
    classes: usize,
}

/// Who is in a unit at one moment. `acuity[i]` of the `patients` belong to
/// the rule's i-th acuity class; the rest are at the unit's own ratio.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    pub patients: u32,
    pub acuity: [u32; MAX_ACUITY_CLASSES],
    pub occupied_rooms: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CensusError {
    MoreInClassesThanPatients {
        classes: u32,
        patients: u32,
    },
    RoomsNeeded {
        unit_type: String,
    },
    UnknownClass {
        unit_type: String,
        class: String,
        known: String,
    },
}

impl From<&CensusError> for crate::Refusal {
    fn from(error: &CensusError) -> crate::Refusal {
        use crate::refuse;
        match error {
            CensusError::MoreInClassesThanPatients { classes, patients } => refuse!(
                "{classes} patients are in acuity classes but only {patients} patients in all",
                "{classes} pacientes están en clases de agudeza pero solo hay {patients} pacientes en total"
            ),
            CensusError::RoomsNeeded { unit_type } => refuse!(
                "{unit_type} counts occupied rooms: give the number of occupied rooms",
                "{unit_type} cuenta habitaciones ocupadas: dé el número de habitaciones ocupadas"
            ),
            CensusError::UnknownClass {
                unit_type,
                class,
                known,
            } => refuse!(
                "{unit_type} has no acuity class {class:?}; its classes: {known}",
                "{unit_type} no tiene la clase de agudeza {class:?}; sus clases: {known}"
            ),
        }
    }
}

crate::display_as_refusal!(CensusError);

/// What the rule asks at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Required {
    /// Licensed nurses counted toward the ratio.
    pub counted_nurses: u32,
    /// Nurses who must also be there, not counted (the ED's triage nurse).
    pub triage_nurses: u32,
}

impl Required {
    /// A layered rule asks the stricter of the two at every moment.
    pub fn stricter(self, other: Required) -> Required {
        Required {
            counted_nurses: self.counted_nurses.max(other.counted_nurses),
            triage_nurses: self.triage_nurses.max(other.triage_nurses),
        }
    }
}

impl UnitRatio {
    pub fn ratio(&self) -> Ratio {
        let mut class_ratio = [0; MAX_ACUITY_CLASSES];
        for (slot, class) in class_ratio.iter_mut().zip(&self.acuity) {
            *slot = class.patients_per_nurse;
        }
        Ratio {
            base: self.patients_per_nurse.unwrap_or(0),
            nurses_per_room: self.nurses_per_occupied_room.unwrap_or(0),
            triage_nurses: self.triage_nurses,
            class_ratio,
            classes: self.acuity.len(),
        }
    }

    /// A census from named counts, checked against this unit's classes.
    pub fn census(
        &self,
        patients: u32,
        by_class: &[(&str, u32)],
        occupied_rooms: Option<u32>,
    ) -> Result<Census, CensusError> {
        let mut census = Census {
            patients,
            occupied_rooms: occupied_rooms.unwrap_or(0),
            ..Census::default()
        };
        if self.nurses_per_occupied_room.is_some() && occupied_rooms.is_none() {
            return Err(CensusError::RoomsNeeded {
                unit_type: self.unit_type.clone(),
            });
        }
        for (name, count) in by_class {
            let Some(i) = self.acuity.iter().position(|c| c.class == *name) else {
                let known: Vec<&str> = self.acuity.iter().map(|c| c.class.as_str()).collect();
                return Err(CensusError::UnknownClass {
                    unit_type: self.unit_type.clone(),
                    class: name.to_string(),
                    known: if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    },
                });
            };
            census.acuity[i] += count;
        }
        let in_classes: u32 = census.acuity.iter().sum();
        if in_classes > patients {
            return Err(CensusError::MoreInClassesThanPatients {
                classes: in_classes,
                patients,
            });
        }
        Ok(census)
    }
}

impl Ratio {
    pub fn counts_rooms(&self) -> bool {
        self.nurses_per_room > 0
    }

    /// (patients per nurse, patients) for each group, strictest first.
    fn groups(&self, census: &Census) -> ([(u32, u32); MAX_ACUITY_CLASSES + 1], usize) {
        let mut groups = [(0, 0); MAX_ACUITY_CLASSES + 1];
        let in_classes: u32 = census.acuity[..self.classes].iter().sum();
        groups[0] = (self.base, census.patients.saturating_sub(in_classes));
        for i in 0..self.classes {
            groups[i + 1] = (self.class_ratio[i], census.acuity[i]);
        }
        let used = self.classes + 1;
        groups[..used].sort_unstable_by_key(|(per, _)| *per);
        (groups, used)
    }

    /// The least licensed nurses the rule asks for this census.
    pub fn required(&self, census: &Census) -> Required {
        if self.counts_rooms() {
            return Required {
                counted_nurses: census.occupied_rooms * self.nurses_per_room,
                triage_nurses: 0,
            };
        }
        let (groups, used) = self.groups(census);
        let mut nurses = 0;
        // Places left with the last nurse opened, whose limit is the
        // strictest ratio among her patients.
        let mut spare = 0;
        for &(per, count) in &groups[..used] {
            let from_spare = spare.min(count);
            spare -= from_spare;
            let left = count - from_spare;
            if left > 0 {
                let opened = left.div_ceil(per);
                nurses += opened;
                spare = opened * per - left;
            }
        }
        Required {
            counted_nurses: nurses,
            triage_nurses: if census.patients > 0 { self.triage_nurses } else { 0 },
        }
    }

    /// How many patients `nurses` counted nurses can lawfully care for,
    /// loosest patients first.
    pub fn coverable(&self, census: &Census, nurses: u32) -> u32 {
        if self.counts_rooms() {
            return (nurses / self.nurses_per_room).min(census.occupied_rooms);
        }
        let (groups, used) = self.groups(census);
        let mut covered = 0;
        let mut nurses_left = nurses;
        // The last nurse opened and her patients so far.
        let mut taken: Option<u32> = None;
        for &(per, count) in groups[..used].iter().rev() {
            let mut left = count;
            if let Some(had) = taken.as_mut() {
                let more = per.saturating_sub(*had).min(left);
                *had += more;
                left -= more;
                covered += more;
            }
            while left > 0 && nurses_left > 0 {
                nurses_left -= 1;
                let more = per.min(left);
                taken = Some(more);
                left -= more;
                covered += more;
            }
        }
        covered
    }

    /// Patients beyond what the nurses on duty can lawfully care for (for
    /// a unit counted by rooms: occupied rooms without their nurses).
    pub fn patients_affected(&self, census: &Census, nurses: u32) -> u32 {
        let all = if self.counts_rooms() {
            census.occupied_rooms
        } else {
            census.patients
        };
        all - self.coverable(census, nurses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::rules::built_in_named;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn unit(unit_type: &str) -> UnitRatio {
        built_in_named("ca-title22")
            .unwrap()
            .in_force(date(2026, 11, 24))
            .unwrap()
            .unit(unit_type)
            .unwrap()
            .clone()
    }

    fn nurses(unit_type: &str, patients: u32) -> u32 {
        let unit = unit(unit_type);
        unit.ratio()
            .required(&unit.census(patients, &[], None).unwrap())
            .counted_nurses
    }

    /// Each row of the table, worked by hand: one patient needs a nurse, a
    /// full load needs one, one more needs a second.
    #[test]
    fn every_row_of_title22_by_hand() {
        let rows = [
            ("critical-care", 2, [(1, 1), (2, 1), (3, 2), (5, 3), (8, 4)]),
            ("nicu", 2, [(1, 1), (2, 1), (3, 2), (7, 4), (10, 5)]),
            ("post-anesthesia", 2, [(1, 1), (2, 1), (3, 2), (6, 3), (9, 5)]),
            ("labor-delivery", 2, [(1, 1), (2, 1), (3, 2), (4, 2), (11, 6)]),
            ("step-down", 3, [(1, 1), (3, 1), (4, 2), (9, 3), (10, 4)]),
            ("telemetry", 4, [(1, 1), (4, 1), (5, 2), (16, 4), (17, 5)]),
            ("pediatrics", 4, [(1, 1), (4, 1), (5, 2), (12, 3), (13, 4)]),
            ("antepartum", 4, [(1, 1), (4, 1), (5, 2), (8, 2), (9, 3)]),
            ("postpartum-couplets", 4, [(1, 1), (4, 1), (5, 2), (8, 2), (20, 5)]),
            ("emergency", 4, [(1, 1), (4, 1), (5, 2), (8, 2), (30, 8)]),
            ("specialty", 4, [(1, 1), (4, 1), (5, 2), (14, 4), (16, 4)]),
            ("continuing-care-nursery", 4, [(1, 1), (4, 1), (5, 2), (9, 3), (12, 3)]),
            ("med-surg", 5, [(1, 1), (5, 1), (6, 2), (24, 5), (26, 6)]),
            ("psychiatric", 6, [(1, 1), (6, 1), (7, 2), (18, 3), (19, 4)]),
            ("postpartum-mothers", 6, [(1, 1), (6, 1), (7, 2), (12, 2), (13, 3)]),
            ("well-baby-nursery", 8, [(1, 1), (8, 1), (9, 2), (16, 2), (17, 3)]),
        ];
        for (unit_type, per, worked) in rows {
            assert_eq!(unit(unit_type).patients_per_nurse, Some(per), "{unit_type}");
            assert_eq!(nurses(unit_type, 0), 0, "{unit_type} empty");
            for (patients, expected) in worked {
                assert_eq!(
                    nurses(unit_type, patients),
                    expected,
                    "{unit_type} with {patients} patients"
                );
            }
        }
    }

    #[test]
    fn an_operating_room_needs_a_circulating_nurse_per_occupied_room() {
        let or = unit("operating-room");
        let ratio = or.ratio();
        let census = or.census(0, &[], Some(3)).unwrap();
        assert_eq!(ratio.required(&census).counted_nurses, 3);
        assert_eq!(ratio.patients_affected(&census, 2), 1);
        assert_eq!(ratio.required(&or.census(5, &[], Some(0)).unwrap()).counted_nurses, 0);
        assert!(matches!(or.census(3, &[], None), Err(CensusError::RoomsNeeded { .. })));
    }

    #[test]
    fn emergency_patients_at_their_own_ratios() {
        let ed = unit("emergency");
        let ratio = ed.ratio();
        let need = |patients, critical, trauma| {
            ratio
                .required(
                    &ed.census(patients, &[("critical", critical), ("trauma", trauma)], None)
                        .unwrap(),
                )
                .counted_nurses
        };
        // 8 patients, none critical: 8 / 4.
        assert_eq!(need(8, 0, 0), 2);
        // 1 trauma (a nurse of their own), 2 critical (one nurse), 5 others (two).
        assert_eq!(need(8, 2, 1), 4);
        // 3 critical: two nurses, the second with room for one more patient.
        assert_eq!(need(3, 3, 0), 2);
        assert_eq!(need(4, 3, 0), 2);
        assert_eq!(need(5, 3, 0), 3);
        // 2 trauma patients: two nurses, no one else in their care.
        assert_eq!(need(2, 0, 2), 2);
        assert_eq!(need(3, 0, 2), 3);
        assert!(matches!(
            ed.census(2, &[("critical", 2), ("trauma", 1)], None),
            Err(CensusError::MoreInClassesThanPatients {
                classes: 3,
                patients: 2
            })
        ));
        assert!(matches!(
            ed.census(2, &[("burns", 1)], None),
            Err(CensusError::UnknownClass { .. })
        ));
    }

    #[test]
    fn the_triage_nurse_is_asked_for_beside_the_ratio_whenever_there_are_patients() {
        let ed = unit("emergency");
        let ratio = ed.ratio();
        let required = ratio.required(&ed.census(4, &[], None).unwrap());
        assert_eq!(
            required,
            Required {
                counted_nurses: 1,
                triage_nurses: 1
            }
        );
        assert_eq!(ratio.required(&ed.census(0, &[], None).unwrap()), Required::default());
        let med_surg = unit("med-surg");
        assert_eq!(
            med_surg
                .ratio()
                .required(&med_surg.census(5, &[], None).unwrap())
                .triage_nurses,
            0
        );
    }

    #[test]
    fn patients_affected_are_those_beyond_what_the_nurses_on_duty_may_care_for() {
        let med_surg = unit("med-surg");
        let census = med_surg.census(12, &[], None).unwrap();
        assert_eq!(med_surg.ratio().patients_affected(&census, 2), 2);
        assert_eq!(med_surg.ratio().patients_affected(&census, 3), 0);
        let ed = unit("emergency");
        let census = ed.census(8, &[("critical", 2), ("trauma", 1)], None).unwrap();
        // Three nurses: four others, then one more other and a critical pair.
        assert_eq!(ed.ratio().patients_affected(&census, 3), 1);
    }

    /// Brute force: every way of handing out patients, each nurse within
    /// the strictest ratio among her own.
    fn fewest_nurses(groups: &[(u32, u32)]) -> u32 {
        fn go(groups: &[(u32, u32)], counts: &mut Vec<u32>) -> u32 {
            if counts.iter().all(|c| *c == 0) {
                return 0;
            }
            let mut best = u32::MAX;
            for_each_load(groups, counts, &mut |load, counts| {
                best = best.min(1 + go(groups, counts));
                let _ = load;
            });
            best
        }
        go(groups, &mut groups.iter().map(|g| g.1).collect())
    }

    fn most_covered(groups: &[(u32, u32)], nurses: u32) -> u32 {
        fn go(groups: &[(u32, u32)], counts: &mut Vec<u32>, nurses: u32) -> u32 {
            if nurses == 0 {
                return 0;
            }
            let mut best = 0;
            for_each_load(groups, counts, &mut |load, counts| {
                best = best.max(load + go(groups, counts, nurses - 1));
            });
            best
        }
        go(groups, &mut groups.iter().map(|g| g.1).collect(), nurses)
    }

    /// Calls `f` with each non-empty lawful load one nurse could take
    /// (`counts` lowered by it for the call).
    fn for_each_load(groups: &[(u32, u32)], counts: &mut Vec<u32>, f: &mut dyn FnMut(u32, &mut Vec<u32>)) {
        let mut take = vec![0; groups.len()];
        loop {
            let mut i = 0;
            while i < take.len() {
                if take[i] < counts[i] {
                    take[i] += 1;
                    break;
                }
                take[i] = 0;
                i += 1;
            }
            if i == take.len() {
                return;
            }
            let load: u32 = take.iter().sum();
            let limit = groups
                .iter()
                .zip(&take)
                .filter(|(_, t)| **t > 0)
                .map(|(g, _)| g.0)
                .min()
                .unwrap_or(0);
            if load <= limit {
                for (c, t) in counts.iter_mut().zip(&take) {
                    *c -= t;
                }
                f(load, counts);
                for (c, t) in counts.iter_mut().zip(&take) {
                    *c += t;
                }
            }
        }
    }

    proptest! {
        #[test]
        fn mixed_acuity_needs_the_fewest_nurses_and_covers_the_most(
            others in 0..7_u32, critical in 0..5_u32, trauma in 0..3_u32, nurses in 0..5_u32,
        ) {
            let ed = unit("emergency");
            let ratio = ed.ratio();
            let census = ed.census(others + critical + trauma, &[("critical", critical), ("trauma", trauma)], None).unwrap();
            let groups = [(4, others), (2, critical), (1, trauma)];
            prop_assert_eq!(ratio.required(&census).counted_nurses, fewest_nurses(&groups));
            prop_assert_eq!(ratio.coverable(&census, nurses), most_covered(&groups, nurses));
        }
    }
}
