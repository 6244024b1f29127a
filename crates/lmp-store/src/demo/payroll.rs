//! A pay year as the employer's payroll system would export it, for every
//! union member of a partnership: generated row by row as it is read, so a
//! year of 3.5 million rows never sits in memory. `lmp trust sample-hours`
//! writes it to a file; the demo takes it in through the same import.

use super::Rng;
use crate::{on_pool, Result, Store};
use jiff::civil::Date;
use lmp_core::trust::hours::{PayPeriod, HOURS_COLUMNS};
use std::io::{Read, Write};

/// Pay periods run two weeks, Sunday to Saturday, counted from this Sunday.
const FIRST_PAY_SUNDAY: (i16, i8, i8) = (1997, 1, 5);

/// The biweekly pay periods that end in `year`, up to `through` when given.
pub fn biweekly_periods(year: i16, through: Option<Date>) -> Vec<PayPeriod> {
    let (y, m, d) = FIRST_PAY_SUNDAY;
    let anchor = jiff::civil::date(y, m, d);
    let jan_first = jiff::civil::date(year, 1, 1);
    let days_since = i64::from(anchor.until(jan_first).map_or(0, |s| s.get_days()));
    // The first period whose last day (start + 13) is on or after 1 January.
    let mut index = (days_since - 13).max(0).div_euclid(14);
    let mut periods = Vec::new();
    loop {
        let start = anchor.checked_add(jiff::Span::new().days(index * 14)).unwrap_or(anchor);
        let end = start.checked_add(jiff::Span::new().days(13)).unwrap_or(start);
        index += 1;
        if end.year() < year {
            continue;
        }
        if end.year() > year || through.is_some_and(|t| end > t) {
            return periods;
        }
        if let Ok(period) = PayPeriod::new(start, end) {
            periods.push(period);
        }
    }
}

/// A union member as payroll knows them.
struct Paid {
    employee_no: String,
    local: String,
    facility: String,
    /// Regular hours in a full two weeks: 80 at full time.
    regular: u32,
}

/// The rows of a pay year, made as they are read.
pub struct DemoPayroll {
    people: Vec<Paid>,
    periods: Vec<PayPeriod>,
    period: usize,
    person: usize,
    rng: Rng,
    buffer: Vec<u8>,
    at: usize,
    header_written: bool,
}

impl DemoPayroll {
    /// One row per member per period for most, a second for overtime or
    /// paid leave now and then, and none for a member on unpaid leave.
    fn fill(&mut self) {
        self.buffer.clear();
        self.at = 0;
        if !self.header_written {
            self.header_written = true;
            self.buffer.extend_from_slice(HOURS_COLUMNS.join(",").as_bytes());
            self.buffer.push(b'\n');
        }
        while self.buffer.len() < 1 << 16 && self.period < self.periods.len() {
            let period = self.periods[self.period];
            let (start, end) = (period.start.to_string(), period.end.to_string());
            let person = &self.people[self.person];
            let roll = self.rng.below(1000) as u32;
            let mut row = |kind: &str, hundredths: u32| {
                let _ = writeln!(
                    self.buffer,
                    "{},{},{},{start},{end},{kind},{}.{:02}",
                    person.employee_no,
                    person.local,
                    person.facility,
                    hundredths / 100,
                    hundredths % 100
                );
            };
            let regular = person.regular * 100;
            match roll {
                // Unpaid leave, a gap between jobs: no hours this period.
                0..=19 => {}
                // Paid leave takes a day or more out of regular hours.
                20..=44 => {
                    let leave = 800 * (1 + (roll % 3));
                    row("regular", regular.saturating_sub(leave));
                    row("paid_leave", leave);
                }
                // Overtime: a few hours on top, now and then a double shift.
                45..=64 => {
                    row("regular", regular);
                    row("overtime", 400 + 25 * (roll % 48));
                }
                65..=66 => {
                    row("regular", regular);
                    row("double_time", 800);
                }
                // A sick day.
                67..=74 => {
                    row("regular", regular.saturating_sub(800));
                    row("sick", 800);
                }
                _ => row("regular", regular),
            }
            self.person += 1;
            if self.person == self.people.len() {
                self.person = 0;
                self.period += 1;
            }
        }
    }
}

impl Read for DemoPayroll {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buffer.len() {
            self.fill();
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

impl Store {
    /// A pay year's payroll file for a partnership's union members (the
    /// periods ending in `year`, up to `through`), deterministic for a year.
    pub async fn demo_payroll(&self, partnership_id: i64, year: i16, through: Option<Date>) -> Result<DemoPayroll> {
        let rows: Vec<(String, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT p.employee_no, l.code, \
                    CASE WHEN u.kind IN ('hospital', 'medical_office') THEN u.code ELSE f.code END \
             FROM people p \
             JOIN units l ON l.id = p.local_id \
             JOIN units u ON u.id = p.unit_id \
             LEFT JOIN units f ON f.id = u.parent_id \
             WHERE p.partnership_id = $1 AND p.local_id IS NOT NULL \
               AND (u.kind IN ('hospital', 'medical_office') OR f.kind IN ('hospital', 'medical_office')) \
             ORDER BY p.id"
        )
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        let mut rng = Rng(0x7275_7374 ^ year as u64);
        let people = rows
            .into_iter()
            .map(|(employee_no, local, facility)| Paid {
                employee_no,
                local,
                facility,
                // Most full time; some 0.9 and part time.
                regular: match rng.below(20) {
                    0..=11 => 80,
                    12..=16 => 72,
                    _ => 48,
                },
            })
            .collect();
        Ok(DemoPayroll {
            people,
            periods: biweekly_periods(year, through),
            period: 0,
            person: 0,
            rng,
            buffer: Vec::new(),
            at: 0,
            header_written: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_year_has_26_or_27_biweekly_periods_that_tile_it() {
        for year in 2020..2030 {
            let periods = biweekly_periods(year, None);
            assert!((26..=27).contains(&periods.len()), "{year}: {}", periods.len());
            assert!(periods.iter().all(|p| p.end.year() == year && p.days() == 14));
            assert!(periods.windows(2).all(|w| w[0].end.tomorrow().ok() == Some(w[1].start)));
            assert!(periods[0].end <= date(year, 1, 14));
        }
        let so_far = biweekly_periods(2026, Some(date(2026, 3, 1)));
        assert!(so_far.iter().all(|p| p.end <= date(2026, 3, 1)) && so_far.len() == 4);
    }
}
