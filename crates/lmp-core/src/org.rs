//! The two structures a partnership joins: the employer's (regions,
//! facilities, departments) and the unions' (internationals and their locals).

use crate::words::a;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A unit of either structure, as an HR system names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Region,
    Hospital,
    MedicalOffice,
    Department,
    International,
    Local,
}

impl UnitKind {
    pub const ALL: [UnitKind; 6] = [
        UnitKind::Region,
        UnitKind::Hospital,
        UnitKind::MedicalOffice,
        UnitKind::Department,
        UnitKind::International,
        UnitKind::Local,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Region => "region",
            UnitKind::Hospital => "hospital",
            UnitKind::MedicalOffice => "medical_office",
            UnitKind::Department => "department",
            UnitKind::International => "international",
            UnitKind::Local => "local",
        }
    }

    /// The words people read, in `language`.
    pub fn label_in(self, language: crate::language::Language) -> &'static str {
        match language {
            crate::language::Language::English => self.label(),
            crate::language::Language::Spanish => match self {
                UnitKind::Region => "Región",
                UnitKind::Hospital => "Hospital",
                UnitKind::MedicalOffice => "Consultorio médico",
                UnitKind::Department => "Departamento",
                UnitKind::International => "Sindicato internacional",
                UnitKind::Local => "Sindicato local",
            },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Region => "Region",
            UnitKind::Hospital => "Hospital",
            UnitKind::MedicalOffice => "Medical office",
            UnitKind::Department => "Department",
            UnitKind::International => "International union",
            UnitKind::Local => "Local union",
        }
    }

    /// True for the employer's side of the structure.
    pub fn is_employer_unit(self) -> bool {
        !self.is_union()
    }

    pub fn is_union(self) -> bool {
        matches!(self, UnitKind::International | UnitKind::Local)
    }

    /// What a unit of this kind may hang under; `None` means it is a root.
    pub fn parent_kinds(self) -> Option<&'static [UnitKind]> {
        match self {
            UnitKind::Region | UnitKind::International => None,
            UnitKind::Hospital | UnitKind::MedicalOffice => Some(&[UnitKind::Region]),
            UnitKind::Department => Some(&[UnitKind::Hospital, UnitKind::MedicalOffice]),
            UnitKind::Local => Some(&[UnitKind::International]),
        }
    }

    /// Check that `parent` (if any) is a place this kind may hang.
    pub fn check_parent(self, parent: Option<UnitKind>) -> Result<(), crate::Refusal> {
        let (mine, mine_es) = (a(self.as_str()), self.as_str());
        match (self.parent_kinds(), parent) {
            (None, None) => Ok(()),
            (None, Some(p)) => {
                let (named, named_es) = (a(p.as_str()), p.as_str());
                Err(crate::refuse!(
                    "{mine} has no parent, but parent_code names {named}",
                    "«{mine_es}» no depende de nada, pero parent_code nombra «{named_es}»"
                ))
            }
            (Some(kinds), None) => {
                let (wanted, wanted_es) = (a(&join_kinds(kinds, "or")), join_kinds(kinds, "o"));
                Err(crate::refuse!(
                    "{mine} needs a parent_code naming {wanted}",
                    "«{mine_es}» necesita un parent_code que nombre {wanted_es}"
                ))
            }
            (Some(kinds), Some(p)) if kinds.contains(&p) => Ok(()),
            (Some(kinds), Some(p)) => {
                let (wanted, wanted_es) = (a(&join_kinds(kinds, "or")), join_kinds(kinds, "o"));
                let (named, named_es) = (a(p.as_str()), p.as_str());
                Err(crate::refuse!(
                    "{mine} must hang under {wanted}, not {named}",
                    "«{mine_es}» debe depender de {wanted_es}, no de «{named_es}»"
                ))
            }
        }
    }
}

/// Kinds as a list with `or` in the reader's language before the last.
fn join_kinds(kinds: &[UnitKind], or: &str) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(&format!(" {or} "))
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UnitKind {
    type Err = crate::Refusal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::Refusal::unknown_word("kind", s, &UnitKind::ALL.map(UnitKind::as_str)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employer_units_nest_region_facility_department() {
        assert!(UnitKind::Region.check_parent(None).is_ok());
        assert!(UnitKind::Hospital.check_parent(Some(UnitKind::Region)).is_ok());
        assert!(UnitKind::Department.check_parent(Some(UnitKind::MedicalOffice)).is_ok());
        assert!(UnitKind::Department.check_parent(Some(UnitKind::Region)).is_err());
        assert!(UnitKind::Hospital.check_parent(None).is_err());
        assert!(UnitKind::Region.check_parent(Some(UnitKind::Region)).is_err());
    }

    #[test]
    fn locals_hang_under_internationals() {
        assert!(UnitKind::Local.check_parent(Some(UnitKind::International)).is_ok());
        assert!(UnitKind::Local.check_parent(Some(UnitKind::Hospital)).is_err());
    }

    #[test]
    fn kinds_round_trip() {
        for kind in UnitKind::ALL {
            assert_eq!(kind.as_str().parse::<UnitKind>(), Ok(kind));
        }
    }
}
