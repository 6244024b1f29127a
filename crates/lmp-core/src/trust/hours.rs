//! Hours as payroll reports them: in hundredths of an hour, within a pay
//! period of whole days.

use crate::refusal::Refusal;
use crate::refuse;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Columns of the long payroll layout: one row per worker, pay period and
/// hour type. The ids and codes are those `lmp export people` writes.
pub const HOURS_COLUMNS: [&str; 7] = [
    "worker_id",
    "local",
    "facility",
    "period_start",
    "period_end",
    "hour_type",
    "hours",
];

/// The longest pay period accepted: a month.
pub const LONGEST_PERIOD_DAYS: i64 = 31;

/// Hours in hundredths (8.25 h is 825): exact, never a float.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hundredths(pub i64);

impl Hundredths {
    /// Parse hours as payroll writes them: `8`, `8.5`, `80.25`. At most two
    /// decimals, never negative; nothing is rounded.
    pub fn parse(text: &[u8]) -> Result<Hundredths, Refusal> {
        // Read back as text only when refused: this runs once per payroll row.
        let shown = || String::from_utf8_lossy(text);
        if text.first() == Some(&b'-') {
            let shown = shown();
            return Err(refuse!(
                "negative hours ({shown}): hours worked cannot be below 0",
                "horas negativas ({shown}): las horas trabajadas no pueden ser menos de 0"
            ));
        }
        let (whole, fraction) = match text.iter().position(|b| *b == b'.') {
            Some(dot) => (&text[..dot], &text[dot + 1..]),
            None => (text, &text[..0]),
        };
        let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
        if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
            let shown = shown();
            return Err(refuse!(
                "{shown:?} is not a number of hours, like 80 or 7.75",
                "{shown:?} no es un número de horas, como 80 o 7.75"
            ));
        }
        if fraction.len() > 2 {
            let shown = shown();
            return Err(refuse!(
                "{shown:?} has more than two decimals: hours are kept to the hundredth",
                "{shown:?} tiene más de dos decimales: las horas se llevan al centésimo"
            ));
        }
        // Nine digits of whole hours is far past any real figure and keeps
        // every sum of a year's file inside an i64.
        if whole.len() > 9 {
            let shown = shown();
            return Err(refuse!(
                "{shown:?} is not a possible number of hours",
                "{shown:?} no es un número de horas posible"
            ));
        }
        let number = |s: &[u8]| s.iter().fold(0_i64, |n, d| n * 10 + i64::from(d - b'0'));
        let hundredths = match fraction.len() {
            0 => 0,
            1 => number(fraction) * 10,
            _ => number(fraction),
        };
        Ok(Hundredths(number(whole) * 100 + hundredths))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// `1234.50`, as files and reports show hours.
    pub fn to_plain(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// Whole hours with thousands separators, for pages: `16,357,682`.
    pub fn whole_hours(self) -> String {
        crate::money::group_thousands((self.0 / 100).unsigned_abs())
    }
}

impl std::ops::Add for Hundredths {
    type Output = Hundredths;
    fn add(self, other: Hundredths) -> Hundredths {
        Hundredths(self.0 + other.0)
    }
}

impl std::ops::AddAssign for Hundredths {
    fn add_assign(&mut self, other: Hundredths) {
        self.0 += other.0;
    }
}

/// A pay period: its first and last day, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PayPeriod {
    pub start: Date,
    pub end: Date,
}

impl PayPeriod {
    /// A period as a file names it; refused when it ends before it starts or
    /// runs longer than a month.
    pub fn new(start: Date, end: Date) -> Result<PayPeriod, Refusal> {
        if end < start {
            return Err(refuse!(
                "the pay period ends ({end}) before it starts ({start})",
                "el período de pago termina ({end}) antes de empezar ({start})"
            ));
        }
        let period = PayPeriod { start, end };
        let days = period.days();
        if days > LONGEST_PERIOD_DAYS {
            return Err(refuse!(
                "a pay period of {days} days ({start} to {end}): the longest accepted is {LONGEST_PERIOD_DAYS}",
                "un período de pago de {days} días ({start} a {end}): el más largo aceptado es de {LONGEST_PERIOD_DAYS}"
            ));
        }
        Ok(period)
    }

    pub fn days(&self) -> i64 {
        i64::from(self.start.until(self.end).map_or(0, |span| span.get_days())) + 1
    }

    /// No one works more than every hour of every day in the period.
    pub fn most_hours(&self) -> Hundredths {
        Hundredths(self.days() * 24 * 100)
    }

    pub fn overlaps(&self, other: &PayPeriod) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// A period belongs to the year its last day falls in (as pay does: the
    /// period ending 2 January is paid, reported and remitted in the new year).
    pub fn year(&self) -> i16 {
        self.end.year()
    }
}

/// A date as ISO `YYYY-MM-DD`, exactly.
pub fn parse_iso_date(text: &[u8]) -> Result<Date, Refusal> {
    let shown = || String::from_utf8_lossy(text);
    let not_a_date = || {
        let shown = shown();
        refuse!(
            "{shown:?} is not a date written YYYY-MM-DD",
            "{shown:?} no es una fecha escrita AAAA-MM-DD"
        )
    };
    if text.len() != 10 || text[4] != b'-' || text[7] != b'-' {
        return Err(not_a_date());
    }
    let number = |s: &[u8]| -> Option<i64> {
        s.iter()
            .try_fold(0_i64, |n, d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0')))
    };
    match (number(&text[..4]), number(&text[5..7]), number(&text[8..])) {
        (Some(y), Some(m), Some(d)) => Date::new(y as i16, m as i8, d as i8).map_err(|_| {
            let shown = shown();
            refuse!(
                "{shown:?} is not a day of the calendar",
                "{shown:?} no es un día del calendario"
            )
        }),
        _ => Err(not_a_date()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn hours_parse_exactly_to_the_hundredth() {
        assert_eq!(Hundredths::parse(b"80"), Ok(Hundredths(8000)));
        assert_eq!(Hundredths::parse(b"7.5"), Ok(Hundredths(750)));
        assert_eq!(Hundredths::parse(b"7.05"), Ok(Hundredths(705)));
        assert_eq!(Hundredths::parse(b".25"), Ok(Hundredths(25)));
        assert_eq!(Hundredths::parse(b"0"), Ok(Hundredths(0)));
        assert!(Hundredths::parse(b"-1").unwrap_err().contains("negative"));
        assert!(Hundredths::parse(b"1.255").unwrap_err().contains("two decimals"));
        assert!(Hundredths::parse(b"").is_err());
        assert!(Hundredths::parse(b".").is_err());
        assert!(Hundredths::parse(b"8h").is_err());
        assert!(Hundredths::parse(b"1e3").is_err());
        assert!(Hundredths::parse(b"9999999999").is_err());
        assert_eq!(Hundredths(123450).to_plain(), "1234.50");
    }

    #[test]
    fn a_period_is_whole_days_and_at_most_a_month() {
        let two_weeks = PayPeriod::new(date(2026, 1, 4), date(2026, 1, 17)).expect("period");
        assert_eq!(two_weeks.days(), 14);
        assert_eq!(two_weeks.most_hours(), Hundredths(14 * 2400));
        assert!(PayPeriod::new(date(2026, 1, 17), date(2026, 1, 4)).is_err());
        assert!(PayPeriod::new(date(2026, 1, 1), date(2026, 2, 1)).is_err());
        assert_eq!(
            PayPeriod::new(date(2026, 1, 1), date(2026, 1, 1)).map(|p| p.days()),
            Ok(1)
        );
        let next = PayPeriod::new(date(2026, 1, 18), date(2026, 1, 31)).expect("period");
        let shifted = PayPeriod::new(date(2026, 1, 10), date(2026, 1, 23)).expect("period");
        assert!(!two_weeks.overlaps(&next));
        assert!(two_weeks.overlaps(&shifted) && shifted.overlaps(&next));
        let straddling = PayPeriod::new(date(2025, 12, 21), date(2026, 1, 3)).expect("period");
        assert_eq!(straddling.year(), 2026);
    }

    #[test]
    fn dates_are_iso_and_real() {
        assert_eq!(parse_iso_date(b"2026-02-28"), Ok(date(2026, 2, 28)));
        assert!(parse_iso_date(b"2026-02-30").unwrap_err().contains("calendar"));
        assert!(parse_iso_date(b"02/28/2026").is_err());
        assert!(parse_iso_date(b"2026-2-28").is_err());
    }
}
