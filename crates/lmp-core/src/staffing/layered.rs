//! A rule set with the laws beneath it: at every moment the unit needs
//! what the strictest of them asks. A set names the one it is layered on
//! (`stricter_than`) and is checked to be no looser when it is put together.

use super::required::{CensusError, Required};
use super::rules::{RuleError, RuleSet, RuleVersion, UnitRatio};
use crate::refusal::Refusal;
use crate::refuse;
use jiff::civil::Date;

#[derive(Debug, Clone)]
pub struct Layered {
    /// The law first, then each set layered on it.
    sets: Vec<RuleSet>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffingError {
    Rule(RuleError),
    Census(CensusError),
    UnknownUnitType {
        sets: String,
        unit_type: String,
        known: String,
    },
    MissingLaw {
        set: String,
        missing: String,
    },
    Circle(String),
}

impl From<RuleError> for StaffingError {
    fn from(error: RuleError) -> StaffingError {
        StaffingError::Rule(error)
    }
}

impl From<CensusError> for StaffingError {
    fn from(error: CensusError) -> StaffingError {
        StaffingError::Census(error)
    }
}

impl From<&StaffingError> for Refusal {
    fn from(error: &StaffingError) -> Refusal {
        match error {
            StaffingError::Rule(e) => e.into(),
            StaffingError::Census(e) => e.into(),
            StaffingError::UnknownUnitType { sets, unit_type, known } => refuse!(
                "no rule in {sets} for unit type {unit_type:?}; unit types: {known}",
                "no hay ninguna regla en {sets} para el tipo de unidad {unit_type:?}; tipos de unidad: {known}"
            ),
            StaffingError::MissingLaw { set, missing } => refuse!(
                "{set} is layered on {missing}, which is not known",
                "{set} se superpone a {missing}, que no se conoce"
            ),
            StaffingError::Circle(circle) => refuse!(
                "rule sets layered in a circle: {circle}",
                "conjuntos de reglas superpuestos en círculo: {circle}"
            ),
        }
    }
}

crate::display_as_refusal!(StaffingError);

/// One set's rule for a unit type on a day.
#[derive(Debug, Clone, Copy)]
pub struct Layer<'a> {
    pub set: &'a RuleSet,
    pub version: &'a RuleVersion,
    pub unit: &'a UnitRatio,
}

impl Layered {
    /// `set` with the sets beneath it, found by `lookup`; each layer is
    /// checked to be no looser than the one beneath.
    pub fn new(set: RuleSet, lookup: impl Fn(&str) -> Option<RuleSet>) -> Result<Layered, StaffingError> {
        let mut sets = vec![set];
        while let Some(beneath) = sets.last().and_then(|s| s.stricter_than.clone()) {
            if sets.iter().any(|s| s.code == beneath) {
                let names: Vec<&str> = sets.iter().map(|s| s.code.as_str()).collect();
                return Err(StaffingError::Circle(format!("{} → {beneath}", names.join(" → "))));
            }
            let law = lookup(&beneath).ok_or_else(|| StaffingError::MissingLaw {
                set: sets.last().map(|s| s.code.clone()).unwrap_or_default(),
                missing: beneath.clone(),
            })?;
            law.check()?;
            sets.last().map(|upper| upper.check_stricter_than(&law)).transpose()?;
            sets.push(law);
        }
        sets.reverse();
        Ok(Layered { sets })
    }

    pub fn sets(&self) -> &[RuleSet] {
        &self.sets
    }

    /// The top set (the one asked for).
    pub fn top(&self) -> &RuleSet {
        &self.sets[self.sets.len() - 1]
    }

    /// Each layer's rule for `unit_type` on `day`, the law first; an error
    /// if none has one.
    pub fn layers(&self, unit_type: &str, day: Date) -> Result<Vec<Layer<'_>>, StaffingError> {
        let mut layers = Vec::new();
        let mut in_force = Vec::new();
        for set in &self.sets {
            let Ok(version) = set.in_force(day) else { continue };
            in_force.push(version);
            if let Some(unit) = version.unit(unit_type) {
                layers.push(Layer { set, version, unit });
            }
        }
        if in_force.is_empty() {
            // Nothing in force yet: say so about the law.
            self.sets[0].in_force(day)?;
        }
        if layers.is_empty() {
            let mut known: Vec<&str> = in_force
                .iter()
                .flat_map(|v| v.units.iter().map(|u| u.unit_type.as_str()))
                .collect();
            known.sort_unstable();
            known.dedup();
            let names: Vec<&str> = self.sets.iter().map(|s| s.code.as_str()).collect();
            return Err(StaffingError::UnknownUnitType {
                sets: names.join(" + "),
                unit_type: unit_type.to_string(),
                known: known.join(", "),
            });
        }
        Ok(layers)
    }

    /// What the unit needs for this census on `day`: the strictest layer's
    /// ask. Acuity classes a layer does not name count at its own ratio
    /// there; a class no layer names is an error.
    pub fn required(
        &self,
        unit_type: &str,
        day: Date,
        patients: u32,
        by_class: &[(&str, u32)],
        occupied_rooms: Option<u32>,
    ) -> Result<Required, StaffingError> {
        let layers = self.layers(unit_type, day)?;
        for (class, _) in by_class {
            if !layers.iter().any(|l| l.unit.acuity.iter().any(|c| c.class == *class)) {
                // The law's layer names the error: unknown class.
                layers[0].unit.census(patients, &[(class, 0)], occupied_rooms)?;
            }
        }
        let mut required = Required::default();
        for layer in &layers {
            let known: Vec<(&str, u32)> = by_class
                .iter()
                .copied()
                .filter(|(class, _)| layer.unit.acuity.iter().any(|c| c.class == *class))
                .collect();
            let census = layer.unit.census(patients, &known, occupied_rooms)?;
            required = required.stricter(layer.unit.ratio().required(&census));
        }
        Ok(required)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::rules::{built_in_named, RuleVersion};
    use jiff::civil::date;

    fn law(code: &str) -> Option<RuleSet> {
        built_in_named(code).ok()
    }

    fn agreement(med_surg: u32, stricter_than: &str) -> RuleSet {
        RuleSet {
            code: "local-agreement".into(),
            title: "Negotiated".into(),
            stricter_than: Some(stricter_than.into()),
            charge_nurse_counts_only_in_direct_care: true,
            versions: vec![RuleVersion {
                effective_from: date(2024, 1, 1),
                note: String::new(),
                units: vec![UnitRatio {
                    unit_type: "med-surg".into(),
                    label: "Medical/surgical".into(),
                    patients_per_nurse: Some(med_surg),
                    acuity: vec![],
                    nurses_per_occupied_room: None,
                    triage_nurses: 0,
                }],
            }],
        }
    }

    #[test]
    fn a_layered_set_asks_the_stricter_and_the_law_covers_the_rest() {
        let layered = Layered::new(agreement(4, "ca-title22"), law).unwrap();
        let day = date(2026, 11, 24);
        // 10 med-surg patients: the law asks 2, the agreement (1:4) 3.
        assert_eq!(
            layered.required("med-surg", day, 10, &[], None).unwrap().counted_nurses,
            3
        );
        // Before the agreement took effect, the law alone.
        assert_eq!(
            layered
                .required("med-surg", date(2023, 6, 1), 10, &[], None)
                .unwrap()
                .counted_nurses,
            2
        );
        // The agreement says nothing of the ED: the law's ratios hold.
        let ed = layered
            .required("emergency", day, 8, &[("critical", 2), ("trauma", 1)], None)
            .unwrap();
        assert_eq!((ed.counted_nurses, ed.triage_nurses), (4, 1));
    }

    #[test]
    fn a_looser_agreement_a_missing_law_or_an_unknown_unit_type_is_refused() {
        assert!(matches!(
            Layered::new(agreement(6, "ca-title22"), law),
            Err(StaffingError::Rule(RuleError::Looser { .. }))
        ));
        assert!(matches!(
            Layered::new(agreement(4, "nv-law"), law),
            Err(StaffingError::MissingLaw { .. })
        ));
        let layered = Layered::new(law("ca-title22").unwrap(), law).unwrap();
        let err = layered
            .required("burns", date(2026, 1, 1), 3, &[], None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("burns") && err.contains("med-surg"), "{err}");
        assert!(matches!(
            layered.required("emergency", date(2026, 1, 1), 3, &[("burns", 1)], None),
            Err(StaffingError::Census(CensusError::UnknownClass { .. }))
        ));
    }

    #[test]
    fn sets_layered_in_a_circle_are_refused() {
        let a = agreement(4, "b-set");
        let mut b = agreement(4, "local-agreement");
        b.code = "b-set".into();
        let lookup = |code: &str| (code == "b-set").then(|| b.clone());
        assert!(matches!(Layered::new(a, lookup), Err(StaffingError::Circle(_))));
    }
}
