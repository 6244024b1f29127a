//! The files of hour-by-hour staffing: the units (what each is, which roles
//! count as licensed nurses) and the readings (census and staff on duty at
//! a moment, one row each). Readings are parsed by hand, field by field,
//! because a year of them for every unit is tens of millions of rows.

use super::rules::MAX_ACUITY_CLASSES;
use crate::import::FieldError;
use crate::refusal::Refusal;
use crate::refuse;

/// The units file's columns.
pub const UNIT_COLUMNS: [&str; 7] = [
    "unit",
    "name",
    "facility",
    "region",
    "unit_type",
    "beds",
    "licensed_roles",
];

/// Columns every readings file has; after them, optionally
/// `occupied_rooms`, `charge_off_care` (charge nurses not giving direct
/// care), `triage` (nurses at triage), a column per acuity class
/// (`critical`, `trauma`), and a column per role with the staff on duty.
pub const READING_COLUMNS: [&str; 3] = ["unit", "at", "patients"];

/// The most roles a readings file may have columns for.
pub const MAX_ROLES: usize = 16;

/// A minute as days since 1970-01-01 and minutes into the day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment {
    pub day: i32,
    pub minute: u16,
}

impl Moment {
    /// The hour this moment falls in, counted from 1970-01-01 00:00.
    pub fn hour(&self) -> i64 {
        i64::from(self.day) * 24 + i64::from(self.minute / 60)
    }

    /// "2026-01-31T07:00", "2026-01-31 07:30" or with seconds (ignored).
    pub fn parse(text: &[u8]) -> Result<Moment, Refusal> {
        let bad = || {
            let shown = String::from_utf8_lossy(text);
            refuse!(
                "{shown:?} is not a time like 2026-01-31T07:00",
                "{shown:?} no es una hora como 2026-01-31T07:00"
            )
        };
        if text.len() < 16
            || text[4] != b'-'
            || text[7] != b'-'
            || (text[10] != b'T' && text[10] != b' ')
            || text[13] != b':'
        {
            return Err(bad());
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, Refusal> {
            text[range].iter().try_fold(0_u32, |n, b| {
                if b.is_ascii_digit() {
                    Ok(n * 10 + u32::from(b - b'0'))
                } else {
                    Err(bad())
                }
            })
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (hour, minute) = (number(11..13)?, number(14..16)?);
        let seconds_ok = match &text[16..] {
            [] => true,
            [b':', s1, s2] => s1.is_ascii_digit() && s2.is_ascii_digit(),
            _ => false,
        };
        if !seconds_ok || hour > 23 || minute > 59 || !(1..=12).contains(&month) {
            return Err(bad());
        }
        if day < 1 || day > days_in_month(year, month) {
            let month = String::from_utf8_lossy(&text[..7]);
            return Err(refuse!("{month} has no day {day}", "{month} no tiene día {day}"));
        }
        Ok(Moment {
            day: days_from_civil(year as i32, month, day),
            minute: (hour * 60 + minute) as u16,
        })
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = month as i32;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day as i32 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The day number of a date.
pub fn day_number(date: jiff::civil::Date) -> i32 {
    days_from_civil(date.year().into(), date.month() as u32, date.day() as u32)
}

/// The date of a day number, for showing.
pub fn civil_from_days(days: i32) -> jiff::civil::Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    jiff::civil::date(year as i16, month as i8, day as i8)
}

/// What a readings file's header says each column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadingColumns {
    width: usize,
    unit: usize,
    at: usize,
    patients: usize,
    occupied_rooms: Option<usize>,
    charge_off_care: Option<usize>,
    triage: Option<usize>,
    /// (column, acuity class position in the rule's list) — resolved per
    /// unit type by the checker; here by class name.
    pub acuity: Vec<(usize, String)>,
    /// (column, role code).
    pub roles: Vec<(usize, String)>,
}

/// One row of a readings file, numbers parsed; roles and acuity by the
/// header's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading<'a> {
    pub unit: &'a [u8],
    pub at: Moment,
    pub patients: u32,
    pub occupied_rooms: Option<u32>,
    pub charge_off_care: u32,
    pub triage: u32,
    pub acuity: [u32; MAX_ACUITY_CLASSES],
    pub on_duty: [u32; MAX_ROLES],
}

impl ReadingColumns {
    /// `acuity_classes`: the class names any unit type's rule names;
    /// every other column not of the fixed ones is a role.
    pub fn from_header(header: &str, acuity_classes: &[&str]) -> Result<ReadingColumns, FieldError> {
        let names: Vec<&str> = header
            .trim_end_matches(['\r', '\n'])
            .split(',')
            .map(str::trim)
            .collect();
        let find = |name: &str| names.iter().position(|n| *n == name);
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(FieldError::new(
                    i + 1,
                    refuse!("column {name:?} appears twice", "la columna {name:?} aparece dos veces"),
                ));
            }
            if name.is_empty() {
                return Err(FieldError::new(
                    i + 1,
                    refuse!("a column has no name", "una columna no tiene nombre"),
                ));
            }
        }
        let mut required = [0; 3];
        for (slot, name) in required.iter_mut().zip(READING_COLUMNS) {
            *slot = find(name).ok_or_else(|| {
                let needed = READING_COLUMNS.join(",");
                FieldError::new(
                    1,
                    refuse!(
                        "the header has no {name:?} column; it needs {needed}",
                        "el encabezado no tiene la columna {name:?}; necesita {needed}"
                    ),
                )
            })?;
        }
        let fixed = ["unit", "at", "patients", "occupied_rooms", "charge_off_care", "triage"];
        let mut acuity = Vec::new();
        let mut roles = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if fixed.contains(name) {
                continue;
            }
            if acuity_classes.contains(name) {
                acuity.push((i, name.to_string()));
            } else if name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                roles.push((i, name.to_string()));
            } else {
                return Err(FieldError::new(
                    i + 1,
                    refuse!(
                        "column {name:?}: a role's column is its code in lower case (rn, lvn, cna)",
                        "columna {name:?}: la columna de un rol es su código en minúsculas (rn, lvn, cna)"
                    ),
                ));
            }
        }
        if roles.is_empty() {
            return Err(FieldError::new(
                names.len(),
                refuse!(
                    "the header names no role: give a column of staff on duty per role (rn, lvn, …)",
                    "el encabezado no nombra ningún rol: dé una columna de personal de turno por rol (rn, lvn, …)"
                ),
            ));
        }
        if roles.len() > MAX_ROLES {
            return Err(FieldError::new(
                names.len(),
                refuse!(
                    "at most {MAX_ROLES} role columns",
                    "como máximo {MAX_ROLES} columnas de rol"
                ),
            ));
        }
        if acuity.len() > MAX_ACUITY_CLASSES {
            return Err(FieldError::new(
                names.len(),
                refuse!(
                    "at most {MAX_ACUITY_CLASSES} acuity columns",
                    "como máximo {MAX_ACUITY_CLASSES} columnas de agudeza"
                ),
            ));
        }
        Ok(ReadingColumns {
            width: names.len(),
            unit: required[0],
            at: required[1],
            patients: required[2],
            occupied_rooms: find("occupied_rooms"),
            charge_off_care: find("charge_off_care"),
            triage: find("triage"),
            acuity,
            roles,
        })
    }

    /// Parse one line (without its end), field by field.
    pub fn parse<'a>(&self, line: &'a [u8]) -> Result<Reading<'a>, FieldError> {
        let mut fields: [&[u8]; 64] = [&[]; 64];
        let mut count = 0;
        for field in line.split(|b| *b == b',') {
            if count == fields.len() {
                return Err(FieldError::new(
                    count + 1,
                    refuse!("too many fields", "demasiados campos"),
                ));
            }
            fields[count] = field;
            count += 1;
        }
        if count != self.width {
            let width = self.width;
            return Err(FieldError::new(
                count.min(width) + 1,
                refuse!(
                    "expected {width} fields, found {count}",
                    "se esperaban {width} campos, hay {count}"
                ),
            ));
        }
        let number = |at: usize| -> Result<u32, FieldError> {
            let field = trim(fields[at]);
            if field.is_empty() || field.len() > 6 || !field.iter().all(u8::is_ascii_digit) {
                let shown = String::from_utf8_lossy(field);
                return Err(FieldError::new(
                    at + 1,
                    refuse!(
                        "{shown:?} is not a whole number of 0 or more",
                        "{shown:?} no es un número entero de 0 o más"
                    ),
                ));
            }
            Ok(field.iter().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
        };
        let unit = trim(fields[self.unit]);
        if unit.is_empty() {
            return Err(FieldError::new(
                self.unit + 1,
                refuse!("the unit is empty", "la unidad está vacía"),
            ));
        }
        let at = Moment::parse(trim(fields[self.at])).map_err(|reason| FieldError::new(self.at + 1, reason))?;
        let mut reading = Reading {
            unit,
            at,
            patients: number(self.patients)?,
            occupied_rooms: self.occupied_rooms.map(number).transpose()?,
            charge_off_care: self.charge_off_care.map(number).transpose()?.unwrap_or(0),
            triage: self.triage.map(number).transpose()?.unwrap_or(0),
            ..Reading::default()
        };
        for (slot, (at, _)) in reading.acuity.iter_mut().zip(&self.acuity) {
            *slot = number(*at)?;
        }
        for (slot, (at, _)) in reading.on_duty.iter_mut().zip(&self.roles) {
            *slot = number(*at)?;
        }
        Ok(reading)
    }

    pub fn patients_column(&self) -> usize {
        self.patients + 1
    }

    pub fn unit_column(&self) -> usize {
        self.unit + 1
    }

    pub fn at_column(&self) -> usize {
        self.at + 1
    }
}

fn trim(field: &[u8]) -> &[u8] {
    let field = field.strip_suffix(b"\r").unwrap_or(field);
    let start = field.iter().position(|b| *b != b' ').unwrap_or(field.len());
    let end = field.iter().rposition(|b| *b != b' ').map_or(start, |e| e + 1);
    &field[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_parse_exactly_and_bad_ones_say_why() {
        let at = Moment::parse(b"2026-01-31T07:30").unwrap();
        assert_eq!(civil_from_days(at.day), jiff::civil::date(2026, 1, 31));
        assert_eq!(at.minute, 450);
        assert_eq!(Moment::parse(b"2026-01-31 07:30:00").unwrap(), at);
        assert_eq!(Moment::parse(b"1970-01-01T00:00").unwrap().hour(), 0);
        assert_eq!(Moment::parse(b"2024-02-29T23:00").unwrap().hour() % 24, 23);
        for (bad, says) in [
            (&b"2025-02-29T01:00"[..], "no day 29"),
            (b"2026-13-01T01:00", "not a time"),
            (b"2026-01-01T24:00", "not a time"),
            (b"2026-01-01", "not a time"),
            (b"2026-01-01T07:00Z", "not a time"),
        ] {
            let err = Moment::parse(bad).unwrap_err();
            assert!(err.to_string().contains(says), "{err}");
        }
        for days in [-1000, 0, 19_000, 20_454, 40_000] {
            let date = civil_from_days(days);
            assert_eq!(
                days_from_civil(date.year().into(), date.month() as u32, date.day() as u32),
                days
            );
        }
    }

    #[test]
    fn a_header_names_its_roles_and_acuity_columns() {
        let columns = ReadingColumns::from_header(
            "unit,at,patients,critical,trauma,rn,lvn,cna,triage",
            &["critical", "trauma"],
        )
        .unwrap();
        let roles: Vec<&str> = columns.roles.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(roles, ["rn", "lvn", "cna"]);
        let reading = columns.parse(b"ED-1,2026-01-01T07:00,8,2,1,4,0,2,1").unwrap();
        assert_eq!(reading.unit, b"ED-1");
        assert_eq!(
            (reading.patients, reading.acuity[0], reading.acuity[1], reading.triage),
            (8, 2, 1, 1)
        );
        assert_eq!(&reading.on_duty[..3], &[4, 0, 2]);
        for (header, says) in [
            ("unit,at,rn", "no \"patients\" column"),
            ("unit,at,patients", "names no role"),
            ("unit,at,patients,rn,rn", "appears twice"),
            ("unit,at,patients,RN Staff", "lower case"),
        ] {
            let err = ReadingColumns::from_header(header, &[]).unwrap_err();
            assert!(err.reason.contains(says), "{header}: {}", err.reason);
        }
    }

    #[test]
    fn a_bad_field_is_named_by_its_column() {
        let columns = ReadingColumns::from_header("unit,at,patients,rn", &[]).unwrap();
        for (line, column, says) in [
            (&b"MS-1,2026-01-01T07:00,-1,3"[..], 3, "whole number"),
            (b"MS-1,2026-01-01T07:00,12,3.5", 4, "whole number"),
            (b"MS-1,2026-01-01T07:00,12", 4, "expected 4 fields"),
            (b"MS-1,2026-01-01T07:00,12,3,4", 5, "expected 4 fields"),
            (b"MS-1,yesterday,12,3", 2, "not a time"),
            (b",2026-01-01T07:00,12,3", 1, "empty"),
        ] {
            let err = columns.parse(line).unwrap_err();
            assert_eq!(err.column, column, "{}", String::from_utf8_lossy(line));
            assert!(err.reason.contains(says), "{}", err.reason);
        }
    }
}
