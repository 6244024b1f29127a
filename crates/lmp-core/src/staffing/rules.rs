//! Ratio rule sets as data: for each unit type, the most patients one
//! licensed nurse may care for (or, in an operating room, nurses per
//! occupied room), patients of a higher acuity at their own ratio, and
//! nurses who must be there but do not count (the emergency department's
//! triage nurse). A rule set has versions with the day each takes effect.
//! California Title 22 is built in; other states' or negotiated sets are
//! added as data, and a negotiated set layered on a law may only be stricter.

use crate::refusal::Refusal;
use crate::refuse;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The most acuity classes a unit type may name (the ED names two).
pub const MAX_ACUITY_CLASSES: usize = 4;

const CA_TITLE22: &str = include_str!("ca-title22.json");

/// A ratio rule set: its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// Named in kebab-case: `ca-title22`.
    pub code: String,
    pub title: String,
    /// The rule set this one is layered on; it may only be stricter.
    #[serde(default)]
    pub stricter_than: Option<String>,
    /// A charge nurse counts toward the ratio only while giving direct care.
    #[serde(default)]
    pub charge_nurse_counts_only_in_direct_care: bool,
    pub versions: Vec<RuleVersion>,
}

/// The whole table from one day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVersion {
    pub effective_from: Date,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub units: Vec<UnitRatio>,
}

/// One unit type's ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRatio {
    /// Kebab-case: `med-surg`, `emergency`, `operating-room`.
    pub unit_type: String,
    pub label: String,
    /// The most patients per counted licensed nurse, at all times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patients_per_nurse: Option<u32>,
    /// Patients of these classes have their own (stricter) ratio.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acuity: Vec<AcuityRatio>,
    /// Instead of a patient ratio: nurses for each occupied room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nurses_per_occupied_room: Option<u32>,
    /// Nurses who must be on duty whenever there are patients but are not
    /// counted toward the ratio (the ED's triage nurse).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub triage_nurses: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcuityRatio {
    /// Lower-case: `critical`, `trauma`.
    pub class: String,
    pub label: String,
    pub patients_per_nurse: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    Json(String),
    Invalid(Refusal),
    Unknown(String, String),
    NotYetInForce { set: String, day: Date, first: Date },
    Looser { set: String, law: String, what: Refusal },
}

impl From<&RuleError> for Refusal {
    fn from(error: &RuleError) -> Refusal {
        match error {
            RuleError::Json(e) => refuse!(
                "rule set is not valid JSON: {e}",
                "el conjunto de reglas no es JSON válido: {e}"
            ),
            RuleError::Invalid(reason) => reason.clone(),
            RuleError::Unknown(code, known) => refuse!(
                "no rule set named {code:?}; built in: {known}",
                "no hay ningún conjunto de reglas llamado {code:?}; incluidos: {known}"
            ),
            RuleError::NotYetInForce { set, day, first } => refuse!(
                "{set} is not in force on {day}: its first version takes effect on {first}",
                "{set} no está en vigor el {day}: su primera versión entra en vigor el {first}"
            ),
            RuleError::Looser { set, law, what } => what.clone().following(
                &format!("{set} may only be stricter than {law}, but"),
                &format!("{set} solo puede ser más estricto que {law}, pero"),
            ),
        }
    }
}

crate::display_as_refusal!(RuleError);

/// The rule sets that come with the software.
pub fn built_in() -> Vec<RuleSet> {
    // The table is part of the program and checked by its tests.
    vec![RuleSet::from_json(CA_TITLE22).expect("the built-in Title 22 table is valid")]
}

/// A built-in rule set by its code.
pub fn built_in_named(code: &str) -> Result<RuleSet, RuleError> {
    let sets = built_in();
    let names: Vec<String> = sets.iter().map(|s| s.code.clone()).collect();
    sets.into_iter()
        .find(|s| s.code == code)
        .ok_or_else(|| RuleError::Unknown(code.to_string(), names.join(", ")))
}

fn is_kebab(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl RuleSet {
    pub fn from_json(text: &str) -> Result<RuleSet, RuleError> {
        let set: RuleSet = serde_json::from_str(text).map_err(|e| RuleError::Json(e.to_string()))?;
        set.check()?;
        Ok(set)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Everything a rule set must be before it is used.
    pub fn check(&self) -> Result<(), RuleError> {
        let code = &self.code;
        let invalid = |what: Refusal| Err(RuleError::Invalid(what.after(code, code)));
        if !is_kebab(code) {
            return Err(RuleError::Invalid(refuse!(
                "rule set code {code:?} must be lower-case words joined by hyphens",
                "el código de conjunto de reglas {code:?} debe ser palabras en minúsculas unidas por guiones"
            )));
        }
        if self.stricter_than.as_deref() == Some(code.as_str()) {
            return invalid(refuse!(
                "cannot be layered on itself",
                "no puede superponerse a sí mismo"
            ));
        }
        if self.versions.is_empty() {
            return invalid(refuse!("has no versions", "no tiene versiones"));
        }
        for pair in self.versions.windows(2) {
            let (later, earlier) = (pair[1].effective_from, pair[0].effective_from);
            if later <= earlier {
                return invalid(refuse!(
                    "versions must be in order of their dates; {later} comes after {earlier}",
                    "las versiones deben ir en orden de fecha; {later} viene después de {earlier}"
                ));
            }
        }
        for version in &self.versions {
            let mut seen = BTreeSet::new();
            for unit in &version.units {
                let (from, unit_type) = (version.effective_from, &unit.unit_type);
                let at = format!("version of {from}, unit type {unit_type:?}");
                let at_es = format!("versión del {from}, tipo de unidad {unit_type:?}");
                if !is_kebab(unit_type) {
                    return invalid(
                        refuse!(
                            "unit types are lower-case words joined by hyphens",
                            "los tipos de unidad son palabras en minúsculas unidas por guiones"
                        )
                        .after(&at, &at_es),
                    );
                }
                if !seen.insert(unit_type.as_str()) {
                    return invalid(refuse!("{at} is listed twice", "{at_es} aparece dos veces"));
                }
                if let Err(reason) = unit.check() {
                    return invalid(reason.after(&at, &at_es));
                }
            }
        }
        Ok(())
    }

    /// The version in force on `day`.
    pub fn in_force(&self, day: Date) -> Result<&RuleVersion, RuleError> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.effective_from <= day)
            .ok_or_else(|| RuleError::NotYetInForce {
                set: self.code.clone(),
                day,
                first: self.versions[0].effective_from,
            })
    }

    /// A set layered on `law` must ask at least as much as the law, for
    /// every unit type both name, on every day both are in force.
    pub fn check_stricter_than(&self, law: &RuleSet) -> Result<(), RuleError> {
        let looser = |what: Refusal| RuleError::Looser {
            set: self.code.clone(),
            law: law.code.clone(),
            what,
        };
        for (i, version) in self.versions.iter().enumerate() {
            let until = self.versions.get(i + 1).map(|v| v.effective_from);
            // The law's versions in force at some point of [from, until).
            let overlapping = law.versions.iter().enumerate().filter(|(j, lv)| {
                let law_until = law.versions.get(j + 1).map(|v| v.effective_from);
                until.is_none_or(|u| lv.effective_from < u) && law_until.is_none_or(|lu| version.effective_from < lu)
            });
            for (_, law_version) in overlapping {
                for unit in &version.units {
                    let Some(legal) = law_version.unit(&unit.unit_type) else {
                        continue;
                    };
                    if let Some(what) = unit.looser_than(legal) {
                        let (unit_type, law_code, from) = (&unit.unit_type, &law.code, law_version.effective_from);
                        return Err(looser(what.following(
                            &format!("{unit_type} ({law_code} from {from})"),
                            &format!("{unit_type} ({law_code} desde {from})"),
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

impl RuleVersion {
    pub fn unit(&self, unit_type: &str) -> Option<&UnitRatio> {
        self.units.iter().find(|u| u.unit_type == unit_type)
    }
}

impl UnitRatio {
    fn check(&self) -> Result<(), Refusal> {
        match (self.patients_per_nurse, self.nurses_per_occupied_room) {
            (Some(0), _) => {
                return Err(refuse!(
                    "patients per nurse must be at least 1",
                    "los pacientes por enfermera deben ser al menos 1"
                ))
            }
            (_, Some(0)) => {
                return Err(refuse!(
                    "nurses per occupied room must be at least 1",
                    "las enfermeras por habitación ocupada deben ser al menos 1"
                ))
            }
            (Some(_), Some(_)) => {
                return Err(refuse!(
                    "give patients per nurse or nurses per occupied room, not both",
                    "dé pacientes por enfermera o enfermeras por habitación ocupada, no ambos"
                ))
            }
            (None, None) => {
                return Err(refuse!(
                    "give patients per nurse or nurses per occupied room",
                    "dé pacientes por enfermera o enfermeras por habitación ocupada"
                ))
            }
            (None, Some(_)) if !self.acuity.is_empty() => {
                return Err(refuse!(
                    "acuity classes need a patient ratio, not a room one",
                    "las clases de agudeza necesitan una proporción de pacientes, no de habitaciones"
                ))
            }
            _ => {}
        }
        if self.acuity.len() > MAX_ACUITY_CLASSES {
            return Err(refuse!(
                "at most {MAX_ACUITY_CLASSES} acuity classes",
                "como máximo {MAX_ACUITY_CLASSES} clases de agudeza"
            ));
        }
        let mut seen = BTreeSet::new();
        for class in &self.acuity {
            let name = &class.class;
            if !is_kebab(name) || name == "patients" {
                return Err(refuse!(
                    "acuity class {name:?} must be a lower-case word other than \"patients\"",
                    "la clase de agudeza {name:?} debe ser una palabra en minúsculas distinta de \"patients\""
                ));
            }
            if !seen.insert(name.as_str()) {
                return Err(refuse!(
                    "acuity class {name:?} is listed twice",
                    "la clase de agudeza {name:?} aparece dos veces"
                ));
            }
            if class.patients_per_nurse == 0 {
                return Err(refuse!(
                    "acuity class {name:?}: patients per nurse must be at least 1",
                    "clase de agudeza {name:?}: los pacientes por enfermera deben ser al menos 1"
                ));
            }
            if self
                .patients_per_nurse
                .is_some_and(|base| class.patients_per_nurse > base)
            {
                return Err(refuse!(
                    "acuity class {name:?} may not allow more patients per nurse than the unit's own ratio",
                    "la clase de agudeza {name:?} no puede permitir más pacientes por enfermera que la proporción de la propia unidad"
                ));
            }
        }
        Ok(())
    }

    /// What makes this ratio ask less than `legal`, if anything.
    fn looser_than(&self, legal: &UnitRatio) -> Option<Refusal> {
        match (self.patients_per_nurse, legal.patients_per_nurse) {
            (Some(mine), Some(law)) if mine > law => {
                return Some(refuse!(
                    "allows {mine} patients per nurse where the law allows {law}",
                    "permite {mine} pacientes por enfermera donde la ley permite {law}"
                ))
            }
            (None, Some(_)) => {
                return Some(refuse!(
                    "counts rooms where the law counts patients",
                    "cuenta habitaciones donde la ley cuenta pacientes"
                ))
            }
            _ => {}
        }
        match (self.nurses_per_occupied_room, legal.nurses_per_occupied_room) {
            (Some(mine), Some(law)) if mine < law => {
                return Some(refuse!(
                    "asks {mine} nurses per occupied room where the law asks {law}",
                    "pide {mine} enfermeras por habitación ocupada donde la ley pide {law}"
                ))
            }
            (None, Some(_)) => {
                return Some(refuse!(
                    "counts patients where the law counts occupied rooms",
                    "cuenta pacientes donde la ley cuenta habitaciones ocupadas"
                ))
            }
            _ => {}
        }
        let (mine, law) = (self.triage_nurses, legal.triage_nurses);
        if mine < law {
            return Some(refuse!(
                "asks {mine} triage nurses where the law asks {law}",
                "pide {mine} enfermeras de triaje donde la ley pide {law}"
            ));
        }
        for class in &legal.acuity {
            let mine = self
                .acuity
                .iter()
                .find(|c| c.class == class.class)
                .map(|c| c.patients_per_nurse)
                .or(self.patients_per_nurse);
            if mine.is_some_and(|mine| mine > class.patients_per_nurse) {
                let (mine, name, law) = (mine.unwrap_or_default(), &class.class, class.patients_per_nurse);
                return Some(refuse!(
                    "allows {mine} {name} patients per nurse where the law allows {law}",
                    "permite {mine} pacientes {name} por enfermera donde la ley permite {law}"
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn title22() -> RuleSet {
        built_in_named("ca-title22").unwrap()
    }

    #[test]
    fn the_built_in_table_is_the_one_in_force_today() {
        let law = title22();
        let today = law.in_force(date(2026, 11, 24)).unwrap();
        let per = |t: &str| today.unit(t).and_then(|u| u.patients_per_nurse);
        let table = [
            ("critical-care", 2),
            ("nicu", 2),
            ("post-anesthesia", 2),
            ("labor-delivery", 2),
            ("step-down", 3),
            ("telemetry", 4),
            ("pediatrics", 4),
            ("antepartum", 4),
            ("postpartum-couplets", 4),
            ("emergency", 4),
            ("specialty", 4),
            ("continuing-care-nursery", 4),
            ("med-surg", 5),
            ("psychiatric", 6),
            ("postpartum-mothers", 6),
            ("well-baby-nursery", 8),
        ];
        for (unit_type, max) in table {
            assert_eq!(per(unit_type), Some(max), "{unit_type}");
        }
        assert_eq!(today.units.len(), table.len() + 1);
        let or = today.unit("operating-room").unwrap();
        assert_eq!((or.patients_per_nurse, or.nurses_per_occupied_room), (None, Some(1)));
        let ed = today.unit("emergency").unwrap();
        assert_eq!(ed.triage_nurses, 1);
        let classes: Vec<_> = ed
            .acuity
            .iter()
            .map(|c| (c.class.as_str(), c.patients_per_nurse))
            .collect();
        assert_eq!(classes, [("critical", 2), ("trauma", 1)]);
        assert!(law.charge_nurse_counts_only_in_direct_care);
    }

    #[test]
    fn each_day_takes_the_version_then_in_force() {
        let law = title22();
        let med_surg = |d| law.in_force(d).unwrap().unit("med-surg").unwrap().patients_per_nurse;
        assert_eq!(med_surg(date(2004, 6, 1)), Some(6));
        assert_eq!(med_surg(date(2005, 3, 13)), Some(6));
        assert_eq!(med_surg(date(2005, 3, 14)), Some(5));
        let step_down = |d| law.in_force(d).unwrap().unit("step-down").unwrap().patients_per_nurse;
        assert_eq!(step_down(date(2007, 12, 31)), Some(4));
        assert_eq!(step_down(date(2008, 1, 1)), Some(3));
        assert!(matches!(
            law.in_force(date(2003, 12, 31)),
            Err(RuleError::NotYetInForce { .. })
        ));
    }

    fn negotiated(med_surg: u32, emergency_critical: Option<u32>) -> RuleSet {
        let mut emergency = title22()
            .in_force(date(2026, 1, 1))
            .unwrap()
            .unit("emergency")
            .unwrap()
            .clone();
        if let Some(per) = emergency_critical {
            emergency.acuity[0].patients_per_nurse = per;
        }
        RuleSet {
            code: "local-agreement".into(),
            title: "Negotiated staffing".into(),
            stricter_than: Some("ca-title22".into()),
            charge_nurse_counts_only_in_direct_care: true,
            versions: vec![RuleVersion {
                effective_from: date(2024, 1, 1),
                note: String::new(),
                units: vec![
                    UnitRatio {
                        unit_type: "med-surg".into(),
                        label: "Medical/surgical".into(),
                        patients_per_nurse: Some(med_surg),
                        acuity: vec![],
                        nurses_per_occupied_room: None,
                        triage_nurses: 0,
                    },
                    emergency,
                ],
            }],
        }
    }

    #[test]
    fn a_negotiated_set_may_only_be_stricter_than_the_law() {
        let law = title22();
        negotiated(4, None).check_stricter_than(&law).unwrap();
        negotiated(4, Some(1)).check_stricter_than(&law).unwrap();
        let err = negotiated(6, None).check_stricter_than(&law).unwrap_err().to_string();
        assert!(
            err.contains("med-surg") && err.contains("allows 6 patients per nurse where the law allows 5"),
            "{err}"
        );
        let err = negotiated(4, Some(3))
            .check_stricter_than(&law)
            .unwrap_err()
            .to_string();
        assert!(err.contains("critical"), "{err}");
    }

    #[test]
    fn bad_rule_sets_are_refused_with_the_reason() {
        let refused = |edit: fn(&mut RuleSet)| {
            let mut set = title22();
            edit(&mut set);
            set.check().unwrap_err().to_string()
        };
        assert!(refused(|s| s.versions.clear()).contains("no versions"));
        assert!(refused(|s| s.versions.swap(0, 1)).contains("in order"));
        assert!(refused(|s| s.versions[0].units[0].patients_per_nurse = Some(0)).contains("at least 1"));
        assert!(refused(|s| s.versions[0].units[0].nurses_per_occupied_room = Some(1)).contains("not both"));
        assert!(refused(|s| s.versions[0].units[1].unit_type = "critical-care".into()).contains("twice"));
        assert!(refused(|s| s.versions[0].units[0].unit_type = "Med Surg".into()).contains("hyphens"));
        assert!(refused(|s| s.code = "CA".into()).contains("hyphens"));
        assert!(refused(|s| {
            let ed = s.versions[0]
                .units
                .iter_mut()
                .find(|u| u.unit_type == "emergency")
                .unwrap();
            ed.acuity[0].patients_per_nurse = 6;
        })
        .contains("more patients per nurse"));
        assert!(matches!(RuleSet::from_json("{"), Err(RuleError::Json(_))));
        assert!(matches!(built_in_named("tx"), Err(RuleError::Unknown(..))));
    }

    #[test]
    fn a_rule_set_round_trips_through_json() {
        let law = title22();
        assert_eq!(RuleSet::from_json(&law.to_json()).unwrap(), law);
    }
}
