//! Outcome measures and the monthly values a file gives for them.
//!
//! A measure is in force only once one labor and one management approver
//! have accepted its definition (the two-key path), so neither side can
//! choose alone what counts as an outcome.

use crate::import::{code, text, Columns, FieldError};
use crate::improvement::{parse_value, Direction};
use crate::refusal::Refusal;
use crate::refuse;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// The four points of the Value Compass an outcome can speak to.
    pub enum Domain ("domain") {
        Quality => ("quality", "Quality", "Calidad"),
        Service => ("service", "Service", "Servicio"),
        Cost => ("cost", "Cost", "Costo"),
        Workplace => ("workplace", "Workplace", "Lugar de trabajo"),
    }
}

pub const MAX_DEFINITION_CHARS: usize = 2_000;

/// An outcome measure as both sides accept it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureDefinition {
    /// How files name it: `injuries`, `lost_days`.
    pub code: String,
    pub name: String,
    pub domain: Domain,
    /// What is counted, how, and over whom.
    pub definition: String,
    /// What one value is in: `claims per 100 FTE`, `days`, `percent`.
    pub unit: String,
    pub direction: Direction,
}

impl MeasureDefinition {
    /// The definition is whole before anyone is asked to accept it.
    pub fn check(&self) -> Result<(), Refusal> {
        let field = |r: Result<String, FieldError>| r.map(|_| ()).map_err(|e| e.reason);
        field(code(1, &self.code, "the measure's code"))?;
        field(text(1, self.name.trim(), "the measure's name", true))?;
        field(text(1, self.unit.trim(), "the measure's unit", true))?;
        let definition = self.definition.trim();
        if definition.is_empty() {
            return Err(refuse!(
                "say what the measure counts, how and over whom: both sides accept the definition",
                "diga qué cuenta la medida, cómo y sobre quiénes: las dos partes aceptan la definición"
            ));
        }
        if definition.chars().count() > MAX_DEFINITION_CHARS {
            return Err(refuse!(
                "a definition is at most {MAX_DEFINITION_CHARS} characters",
                "una definición tiene como máximo {MAX_DEFINITION_CHARS} caracteres"
            ));
        }
        Ok(())
    }
}

/// Columns of an outcomes file: one team's value of one measure in one month.
pub const OUTCOME_COLUMNS: [&str; 4] = ["team_code", "measure", "month", "value"];

/// One row of an outcomes file, its codes still to resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRow<'a> {
    pub team_code: &'a str,
    pub measure: &'a str,
    /// Months since January of year 0 (`year * 12 + month - 1`).
    pub month: i32,
    pub value: f64,
}

/// The last month that has ended on `today`, as a month index: the
/// latest an outcome may be counted for.
pub fn last_ended_month(today: jiff::civil::Date) -> i32 {
    i32::from(today.year()) * 12 + i32::from(today.month()) - 2
}

/// A month index as files write it: `YYYY-MM`.
pub fn month_name(month: i32) -> String {
    format!("{:04}-{:02}", month.div_euclid(12), month.rem_euclid(12) + 1)
}

/// A month as files write it: `YYYY-MM`.
pub fn parse_month(column: usize, value: &str) -> Result<i32, FieldError> {
    let bad = || {
        FieldError::new(
            column,
            refuse!(
                "month {value:?} is not a month (YYYY-MM)",
                "el mes {value:?} no es un mes (AAAA-MM)"
            ),
        )
    };
    let bytes = value.as_bytes();
    if bytes.len() != 7 || bytes[4] != b'-' {
        return Err(bad());
    }
    let year: i32 = value[..4].parse().map_err(|_| bad())?;
    let month: i32 = value[5..].parse().map_err(|_| bad())?;
    if !(1..=12).contains(&month) || year < 1900 {
        return Err(bad());
    }
    Ok(year * 12 + month - 1)
}

/// Parse one row. `latest` is the last month a value may be for (this
/// month): an outcome is counted once it has happened.
pub fn parse_outcome_row<'a>(columns: &Columns, fields: &[&'a str], latest: i32) -> Result<OutcomeRow<'a>, FieldError> {
    columns.check_width(fields)?;
    let (c, team_code) = columns.field(fields, 0);
    if team_code.is_empty() {
        return Err(crate::import::empty(c, "team_code"));
    }
    let (c, measure) = columns.field(fields, 1);
    if measure.is_empty() {
        return Err(crate::import::empty(c, "measure"));
    }
    let (c, month_text) = columns.field(fields, 2);
    let month = parse_month(c, month_text)?;
    if month > latest {
        return Err(FieldError::new(
            c,
            refuse!(
                "month {month_text} has not ended: an outcome is counted once it has happened",
                "el mes {month_text} no ha terminado: un resultado se cuenta cuando ya ocurrió"
            ),
        ));
    }
    let (c, value_text) = columns.field(fields, 3);
    let value = parse_value(value_text).map_err(|e| FieldError::new(c, e.after("value", "valor")))?;
    Ok(OutcomeRow {
        team_code,
        measure,
        month,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    fn columns() -> Columns {
        Columns::from_header(&OUTCOME_COLUMNS, &OUTCOME_COLUMNS).expect("header")
    }

    #[test]
    fn a_row_is_a_team_a_measure_a_month_and_a_number() {
        let row = parse_outcome_row(&columns(), &["T-1", "injuries", "2026-03", "1.25"], 2026 * 12 + 10).expect("row");
        assert_eq!(row.month, 2026 * 12 + 2);
        assert_eq!(row.value, 1.25);
    }

    #[test]
    fn a_bad_row_says_which_column_and_why_in_both_languages() {
        let latest = 2026 * 12 + 10;
        let e = parse_outcome_row(&columns(), &["T-1", "injuries", "2026-13", "1"], latest).unwrap_err();
        assert_eq!(e.column, 3);
        assert!(e.reason.contains("is not a month"), "{}", e.reason);
        assert!(e.reason.in_language(Language::Spanish).contains("no es un mes"));
        let e = parse_outcome_row(&columns(), &["T-1", "injuries", "2026-12", "1"], latest).unwrap_err();
        assert!(e.reason.contains("has not ended"), "{}", e.reason);
        let e = parse_outcome_row(&columns(), &["T-1", "injuries", "2026-01", "NaN"], latest).unwrap_err();
        assert_eq!(e.column, 4);
        let e = parse_outcome_row(&columns(), &["T-1", "injuries", "2026-01"], latest).unwrap_err();
        assert!(e.reason.contains("fields"), "{}", e.reason);
    }

    #[test]
    fn a_definition_says_what_it_counts() {
        let mut measure = MeasureDefinition {
            code: "injuries".into(),
            name: "Injury claims".into(),
            domain: Domain::Workplace,
            definition: "Workers' compensation claims filed, per 100 FTE".into(),
            unit: "claims per 100 FTE".into(),
            direction: Direction::Down,
        };
        assert_eq!(measure.check(), Ok(()));
        measure.definition = "  ".into();
        assert!(measure.check().unwrap_err().contains("say what the measure counts"));
        measure.definition = "x".into();
        measure.code = "has space".into();
        assert!(measure.check().is_err());
    }
}
