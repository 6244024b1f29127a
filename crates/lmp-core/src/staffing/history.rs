//! A unit's census hour by hour as the readings found it, kept a day at a
//! time, and the week a plan expects derived from it: for each hour of the
//! week, the census at a chosen percentile of the days seen.

use super::plan::{ExpectedHour, HOURS_OF_WEEK};

/// The census of one hour: the most patients (and of each acuity class
/// and occupied rooms) any reading of the hour found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HourCensus {
    pub patients: u16,
    pub critical: u16,
    pub trauma: u16,
    pub occupied_rooms: u16,
}

impl HourCensus {
    /// The most of each of two readings' counts.
    pub fn most(self, other: HourCensus) -> HourCensus {
        HourCensus {
            patients: self.patients.max(other.patients),
            critical: self.critical.max(other.critical),
            trauma: self.trauma.max(other.trauma),
            occupied_rooms: self.occupied_rooms.max(other.occupied_rooms),
        }
    }
}

/// A day's 24 hours; none where no reading fell in the hour.
pub type DayCensus = [Option<HourCensus>; 24];

/// A day's census as stored: 24 fields joined by commas, each empty (no
/// reading), `patients`, or `patients:critical:trauma:occupied_rooms`
/// where any of the last three is not zero.
pub fn census_text(day: &DayCensus) -> String {
    let mut text = String::with_capacity(24 * 3);
    for (i, hour) in day.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        if let Some(h) = hour {
            if h.critical == 0 && h.trauma == 0 && h.occupied_rooms == 0 {
                text.push_str(&h.patients.to_string());
            } else {
                text.push_str(&format!(
                    "{}:{}:{}:{}",
                    h.patients, h.critical, h.trauma, h.occupied_rooms
                ));
            }
        }
    }
    text
}

/// Read [`census_text`] back; an empty text is a day with no hours kept.
pub fn parse_census(text: &str) -> Result<DayCensus, crate::Refusal> {
    use crate::refuse;
    let mut day: DayCensus = [None; 24];
    if text.is_empty() {
        return Ok(day);
    }
    let fields: Vec<&str> = text.split(',').collect();
    if fields.len() != 24 {
        let count = fields.len();
        return Err(refuse!(
            "a day's census has 24 hours, not {count}",
            "el censo de un día tiene 24 horas, no {count}"
        ));
    }
    for (slot, field) in day.iter_mut().zip(fields) {
        if field.is_empty() {
            continue;
        }
        let numbers: Vec<u16> = field
            .split(':')
            .map(|n| {
                n.parse()
                    .map_err(|_| refuse!("{field:?} is not a census", "{field:?} no es un censo"))
            })
            .collect::<Result<_, _>>()?;
        *slot = Some(match numbers[..] {
            [patients] => HourCensus {
                patients,
                ..HourCensus::default()
            },
            [patients, critical, trauma, occupied_rooms] => HourCensus {
                patients,
                critical,
                trauma,
                occupied_rooms,
            },
            _ => return Err(refuse!("{field:?} is not a census", "{field:?} no es un censo")),
        });
    }
    Ok(day)
}

/// Monday 0 … Sunday 6 of a day counted from 1970-01-01 (a Thursday).
pub fn weekday(day: i32) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// The week derived from history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DerivedWeek {
    pub hours: Vec<ExpectedHour>,
    /// Days the history held.
    pub days: usize,
    /// Hours of the week no reading ever fell in (left at no patients).
    pub hours_without_readings: usize,
}

/// For each hour of the week, the census at `percentile` (nearest rank,
/// 0–100) of the days seen: at 75, three weeks in four had no more
/// patients at that hour. Each count is taken on its own; the acuity
/// classes never exceed the patients. Acuity against the usual is left at
/// 100%: the readings do not measure it.
pub fn expected_week(days: &[(i32, DayCensus)], percentile: u32) -> DerivedWeek {
    let mut seen: Vec<Vec<HourCensus>> = vec![Vec::new(); HOURS_OF_WEEK];
    for (day, census) in days {
        for (hour, found) in census.iter().enumerate() {
            if let Some(found) = found {
                seen[weekday(*day) * 24 + hour].push(*found);
            }
        }
    }
    let percentile = percentile.min(100) as usize;
    let at_rank = |mut values: Vec<u16>| -> u32 {
        values.sort_unstable();
        let rank = (values.len() * percentile).div_ceil(100).max(1);
        u32::from(values[rank - 1])
    };
    let hours = seen
        .iter()
        .map(|found| {
            if found.is_empty() {
                return ExpectedHour {
                    acuity_percent: 100,
                    ..ExpectedHour::default()
                };
            }
            let patients = at_rank(found.iter().map(|h| h.patients).collect());
            let critical = at_rank(found.iter().map(|h| h.critical).collect()).min(patients);
            let trauma = at_rank(found.iter().map(|h| h.trauma).collect()).min(patients - critical);
            ExpectedHour {
                patients,
                critical,
                trauma,
                occupied_rooms: at_rank(found.iter().map(|h| h.occupied_rooms).collect()),
                acuity_percent: 100,
            }
        })
        .collect();
    DerivedWeek {
        hours,
        days: days.len(),
        hours_without_readings: seen.iter().filter(|s| s.is_empty()).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::hourly::days_from_civil;

    fn patients(n: u16) -> Option<HourCensus> {
        Some(HourCensus {
            patients: n,
            ..HourCensus::default()
        })
    }

    #[test]
    fn a_day_reads_back_as_it_was_written() {
        let mut day: DayCensus = [None; 24];
        day[0] = patients(22);
        day[7] = Some(HourCensus {
            patients: 9,
            critical: 2,
            trauma: 1,
            occupied_rooms: 0,
        });
        day[23] = patients(0);
        let text = census_text(&day);
        assert!(text.starts_with("22,,,,,,,9:2:1:0,"), "{text}");
        assert!(text.ends_with(",0"), "{text}");
        assert_eq!(parse_census(&text).unwrap(), day);
        assert_eq!(parse_census("").unwrap(), [None; 24]);
        assert!(parse_census("1,2").is_err());
        assert!(parse_census(&format!("a{}", ",".repeat(23))).is_err());
        assert!(parse_census(&format!("1:2{}", ",".repeat(23))).is_err());
    }

    #[test]
    fn each_hour_of_the_week_takes_its_percentile_by_hand() {
        // 2026-11-23 was a Monday.
        let monday = days_from_civil(2026, 11, 23);
        assert_eq!(weekday(monday), 0);
        // Four Mondays with 10, 20, 30, 40 patients at 08:00; one Tuesday.
        let mut days = Vec::new();
        for (week, n) in [10, 20, 30, 40].into_iter().enumerate() {
            let mut census: DayCensus = [None; 24];
            census[8] = patients(n);
            days.push((monday + 7 * week as i32, census));
        }
        let mut tuesday: DayCensus = [None; 24];
        tuesday[8] = Some(HourCensus {
            patients: 5,
            critical: 3,
            trauma: 4,
            occupied_rooms: 0,
        });
        days.push((monday + 1, tuesday));
        let at = |p| expected_week(&days, p);
        // Nearest rank: 50% of 4 is the 2nd, 75% the 3rd, 100% the 4th.
        assert_eq!(at(50).hours[8].patients, 20);
        assert_eq!(at(75).hours[8].patients, 30);
        assert_eq!(at(100).hours[8].patients, 40);
        assert_eq!(at(0).hours[8].patients, 10);
        let week = at(75);
        assert_eq!((week.days, week.hours_without_readings), (5, 166));
        // Acuity classes never exceed the patients.
        let tuesday = week.hours[24 + 8];
        assert_eq!((tuesday.patients, tuesday.critical, tuesday.trauma), (5, 3, 2));
        assert_eq!(week.hours[0].acuity_percent, 100);
    }
}
