//! Money is whole cents in an `i64`: exact, never a float.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    pub fn get(self) -> i64 {
        self.0
    }

    /// Parse dollars as people write them: `1234`, `1234.5`, `1,234.56`,
    /// `$1234.56`, `-12.00`. At most two decimals; nothing is rounded.
    pub fn parse_dollars(text: &str) -> Result<Cents, crate::Refusal> {
        use crate::refuse;
        let trimmed = text.trim();
        let (negative, rest) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let rest = rest.strip_prefix('$').unwrap_or(rest).replace(',', "");
        let (whole, fraction) = match rest.split_once('.') {
            Some((w, f)) => (w, f),
            None => (rest.as_str(), ""),
        };
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !digits_only(whole) || !digits_only(fraction) {
            return Err(refuse!(
                "{text:?} is not an amount of dollars, like 1234.56",
                "{text:?} no es una cantidad de dólares, como 1234.56"
            ));
        }
        if fraction.len() > 2 {
            return Err(refuse!(
                "{text:?} has more than two decimals: amounts are whole cents",
                "{text:?} tiene más de dos decimales: los montos son centavos enteros"
            ));
        }
        let too_large = || refuse!("{text:?} is too large", "{text:?} es demasiado grande");
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| too_large())?
        };
        let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| too_large())?;
        let total = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .ok_or_else(too_large)?;
        Ok(Cents(if negative { -total } else { total }))
    }

    /// Dollars and cents without a sign or separators: `1234.56`, as files hold them.
    pub fn to_plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Dollars and cents with thousands separators, for statements: `$1,234.56`.
    pub fn dollars(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}${}.{:02}", group_thousands(abs / 100), abs % 100)
    }

    /// Whole dollars with thousands separators, for headline figures.
    pub fn whole_dollars(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}${}", group_thousands(self.0.unsigned_abs() / 100))
    }

    /// Dollars to one decimal of thousands, millions or billions, for a
    /// chart's axis: `$1.5 M`, `$250 K`, `$900`.
    pub fn short_dollars(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let cents = u128::from(self.0.unsigned_abs());
        if cents < 99_950 {
            return format!("{sign}${}", (cents + 50) / 100);
        }
        // The smallest unit under which the rounded figure stays below 1,000.
        for (unit, size) in [("K", 100_000_u128), ("M", 100_000_000), ("B", 100_000_000_000)] {
            let tenths = (cents * 10 + size / 2) / size;
            if tenths < 10_000 || unit == "B" {
                let (whole, tenth) = (tenths / 10, tenths % 10);
                return if tenth == 0 {
                    format!("{sign}${whole} {unit}")
                } else {
                    format!("{sign}${whole}.{tenth} {unit}")
                };
            }
        }
        unreachable!("the last unit always answers")
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, other: Cents) -> Cents {
        Cents(self.0 + other.0)
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        iter.fold(Cents::ZERO, |a, b| a + b)
    }
}

/// `$1,234.56`.
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}${}.{:02}", group_thousands(abs / 100), abs % 100)
    }
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_axis_shows_short_dollars() {
        assert_eq!(Cents(150_000_000).short_dollars(), "$1.5 M");
        assert_eq!(Cents(25_000_000).short_dollars(), "$250 K");
        assert_eq!(Cents(90_000).short_dollars(), "$900");
        assert_eq!(Cents(99_949).short_dollars(), "$999");
        assert_eq!(Cents(99_950).short_dollars(), "$1 K");
        assert_eq!(Cents(99_999_999).short_dollars(), "$1 M");
        assert_eq!(Cents(60_200_000_000).short_dollars(), "$602 M");
        assert_eq!(Cents(-120_000).short_dollars(), "-$1.2 K");
        assert_eq!(Cents(0).short_dollars(), "$0");
    }

    #[test]
    fn statements_show_dollars_and_cents_with_separators() {
        assert_eq!(Cents(147_219_731).dollars(), "$1,472,197.31");
        assert_eq!(Cents(-5).dollars(), "-$0.05");
    }
    use proptest::prelude::*;

    #[test]
    fn dollars_parse_exactly() {
        assert_eq!(Cents::parse_dollars("1234.56"), Ok(Cents(123_456)));
        assert_eq!(Cents::parse_dollars("$1,234.5"), Ok(Cents(123_450)));
        assert_eq!(Cents::parse_dollars("12"), Ok(Cents(1_200)));
        assert_eq!(Cents::parse_dollars(".07"), Ok(Cents(7)));
        assert_eq!(Cents::parse_dollars("-3.10"), Ok(Cents(-310)));
        assert!(Cents::parse_dollars("1.234").is_err());
        assert!(Cents::parse_dollars("1e5").is_err());
        assert!(Cents::parse_dollars("").is_err());
        assert!(Cents::parse_dollars("99999999999999999999").is_err());
    }

    #[test]
    fn amounts_show_with_separators() {
        assert_eq!(Cents(60_265_695_500).to_string(), "$602,656,955.00");
        assert_eq!(Cents(-5).to_string(), "-$0.05");
        assert_eq!(Cents(123_456).whole_dollars(), "$1,234");
        assert_eq!(Cents(-123_456).to_plain(), "-1234.56");
    }

    proptest! {
        #[test]
        fn plain_text_round_trips(c in -1_000_000_000_000i64..1_000_000_000_000) {
            prop_assert_eq!(Cents::parse_dollars(&Cents(c).to_plain()), Ok(Cents(c)));
            prop_assert_eq!(Cents::parse_dollars(&Cents(c).to_string()), Ok(Cents(c)));
        }
    }
}
