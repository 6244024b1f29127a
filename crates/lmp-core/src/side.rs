//! The sides of a partnership. Labor and management are equals: nothing here
//! ranks one above the other or picks one as a default.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The side a person acts for when they hold a role in a partnership body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Labor,
    Management,
    /// Physicians sit beside both sides (a UBT may have a physician co-lead;
    /// the strategy group has physician leaders) without being either.
    Physician,
}

impl Side {
    pub const ALL: [Side; 3] = [Side::Labor, Side::Management, Side::Physician];
    /// The two sides every body must have a co-lead from.
    pub const REQUIRED: [Side; 2] = [Side::Labor, Side::Management];

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Labor => "labor",
            Side::Management => "management",
            Side::Physician => "physician",
        }
    }

    /// The words people read, in `language`.
    pub fn label_in(self, language: crate::language::Language) -> &'static str {
        match language {
            crate::language::Language::English => self.label(),
            crate::language::Language::Spanish => match self {
                Side::Labor => "Sindicato",
                Side::Management => "Gerencia",
                Side::Physician => "Médicos",
            },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Side::Labor => "Labor",
            Side::Management => "Management",
            Side::Physician => "Physician",
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSide(pub String);

impl From<&UnknownSide> for crate::Refusal {
    fn from(UnknownSide(side): &UnknownSide) -> crate::Refusal {
        crate::Refusal::unknown_word("side", side, &Side::ALL.map(Side::as_str))
    }
}

crate::display_as_refusal!(UnknownSide);

impl FromStr for Side {
    type Err = UnknownSide;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Side::ALL
            .into_iter()
            .find(|side| side.as_str() == s)
            .ok_or_else(|| UnknownSide(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_round_trip_through_text() {
        for side in Side::ALL {
            assert_eq!(side.as_str().parse::<Side>(), Ok(side));
        }
        assert!("union".parse::<Side>().is_err());
    }
}
