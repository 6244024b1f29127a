//! The files a partnership loads its teams' work from: projects,
//! measurements and savings claims. Parsing here is per row and pure; the
//! store resolves codes and applies a whole file or nothing.

use crate::import::{code, control_character, empty, text, too_long, Columns, FieldError};
use crate::improvement::{
    parse_compass_points, parse_value, CompassPoint, Direction, ProjectStatus, RimQuestions, SmartGoal,
};
use crate::money::Cents;
use crate::refuse;
use crate::savings::SavingsCategory;
use jiff::civil::Date;

pub const PROJECT_COLUMNS: [&str; 15] = [
    "code",
    "team_code",
    "title",
    "status",
    "compass",
    "aim",
    "how_we_know",
    "change_idea",
    "started_on",
    "target_date",
    "measure",
    "unit",
    "baseline",
    "target",
    "balancing",
];
/// Optional: the project another team began, which this one adopts.
pub const PROJECT_OPTIONAL: [&str; 1] = ["adopted_from"];
pub const MEASUREMENT_COLUMNS: [&str; 5] = ["project_code", "measure", "taken_on", "value", "unit"];
pub const SAVINGS_COLUMNS: [&str; 8] = [
    "ref",
    "project_code",
    "category",
    "amount",
    "period_start",
    "period_end",
    "method",
    "corrects_ref",
];

/// Long free text (answers, methods): as [`text`] but up to 2,000 characters.
fn long_text(column: usize, value: &str, what: &str) -> Result<String, FieldError> {
    if value.is_empty() {
        return Err(empty(column, what));
    }
    if value.chars().count() > 2_000 {
        return Err(too_long(column, what, 2_000));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(control_character(column, what));
    }
    Ok(value.to_string())
}

pub fn date(column: usize, value: &str, what: &str) -> Result<Date, FieldError> {
    value.parse().map_err(|_| {
        FieldError::new(
            column,
            refuse!(
                "{what} {value:?} is not a date (YYYY-MM-DD)",
                "{what} {value:?} no es una fecha (AAAA-MM-DD)"
            ),
        )
    })
}

fn number(column: usize, value: &str, what: &str) -> Result<f64, FieldError> {
    parse_value(value).map_err(|e| FieldError::new(column, e.after(what, what)))
}

/// A balancing measure as a file writes it: `name|unit|direction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalancingRow {
    pub name: String,
    pub unit: String,
    pub direction: Direction,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub code: String,
    pub team_code: String,
    pub title: String,
    pub status: ProjectStatus,
    pub compass: Vec<CompassPoint>,
    pub questions: RimQuestions,
    pub started_on: Date,
    pub goal: SmartGoal,
    pub balancing: Vec<BalancingRow>,
    pub adopted_from: Option<String>,
}

pub fn parse_project_row(columns: &Columns, fields: &[&str]) -> Result<ProjectRow, FieldError> {
    columns.check_width(fields)?;
    let get = |n: usize| columns.field(fields, n);
    let (c, v) = get(0);
    let code = code(c, v, "code")?;
    let (c, v) = get(1);
    let team_code = crate::import::code(c, v, "team_code")?;
    let (c, v) = get(2);
    let title = text(c, v, "title", true)?;
    let (c, v) = get(3);
    let status: ProjectStatus = v.parse().map_err(|e| FieldError::new(c, e))?;
    let (c, v) = get(4);
    let compass = parse_compass_points(v).map_err(|e| FieldError::new(c, e))?;
    let (c, v) = get(5);
    let aim = long_text(c, v, "aim")?;
    let (c, v) = get(6);
    let how_we_know = long_text(c, v, "how_we_know")?;
    let (c, v) = get(7);
    let change_idea = long_text(c, v, "change_idea")?;
    let (c, v) = get(8);
    let started_on = date(c, v, "started_on")?;
    let (target_column, v) = get(9);
    let target_date = date(target_column, v, "target_date")?;
    let (c, v) = get(10);
    let measure = text(c, v, "measure", true)?;
    let (c, v) = get(11);
    let unit = text(c, v, "unit", true)?;
    let (c, v) = get(12);
    let baseline = number(c, v, "baseline")?;
    let (target_value_column, v) = get(13);
    let target = number(target_value_column, v, "target")?;
    let goal = SmartGoal {
        measure,
        unit,
        baseline,
        target,
        target_date,
    };
    goal.check(started_on).map_err(|e| {
        let column = if e.to_string().contains("target date") {
            target_column
        } else {
            target_value_column
        };
        FieldError::new(column, e)
    })?;
    let (c, v) = get(14);
    let mut balancing = Vec::new();
    for part in v.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let pieces: Vec<&str> = part.split('|').map(str::trim).collect();
        let [name, unit, direction] = pieces[..] else {
            return Err(FieldError::new(
                c,
                refuse!(
                    "balancing measure {part:?}: write name|unit|direction, e.g. Overtime hours|hours per pay period|down",
                    "medida de equilibrio {part:?}: escriba nombre|unidad|dirección, p. ej. Horas extra|horas por período de pago|down"
                ),
            ));
        };
        let direction: Direction = direction.parse().map_err(|e| FieldError::new(c, e))?;
        if name.is_empty() || unit.is_empty() {
            return Err(FieldError::new(
                c,
                refuse!(
                    "a balancing measure needs a name and a unit",
                    "una medida de equilibrio necesita un nombre y una unidad"
                ),
            ));
        }
        if name == goal.measure {
            return Err(FieldError::new(
                c,
                refuse!(
                    "a balancing measure differs from the main measure",
                    "una medida de equilibrio es distinta de la medida principal"
                ),
            ));
        }
        balancing.push(BalancingRow {
            name: text(c, name, "balancing measure", true)?,
            unit: text(c, unit, "balancing unit", true)?,
            direction,
        });
    }
    let adopted_from = match columns.optional_field(fields, "adopted_from") {
        Some((_, "")) | None => None,
        Some((c, v)) => Some(crate::import::code(c, v, "adopted_from")?),
    };
    if adopted_from.as_deref() == Some(code.as_str()) {
        let column = columns.column("adopted_from");
        return Err(FieldError::new(
            column,
            refuse!(
                "a project cannot adopt itself",
                "un proyecto no puede adoptarse a sí mismo"
            ),
        ));
    }
    Ok(ProjectRow {
        code,
        team_code,
        title,
        status,
        compass,
        questions: RimQuestions {
            aim,
            how_we_know,
            change_idea,
        },
        started_on,
        goal,
        balancing,
        adopted_from,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementRow {
    pub project_code: String,
    pub measure: String,
    pub taken_on: Date,
    pub value: f64,
    pub unit: String,
}

pub fn parse_measurement_row(columns: &Columns, fields: &[&str]) -> Result<MeasurementRow, FieldError> {
    columns.check_width(fields)?;
    let get = |n: usize| columns.field(fields, n);
    let (c, v) = get(0);
    let project_code = code(c, v, "project_code")?;
    let (c, v) = get(1);
    let measure = text(c, v, "measure", true)?;
    let (c, v) = get(2);
    let taken_on = date(c, v, "taken_on")?;
    let (c, v) = get(3);
    let value = number(c, v, "value")?;
    let (c, v) = get(4);
    let unit = text(c, v, "unit", true)?;
    Ok(MeasurementRow {
        project_code,
        measure,
        taken_on,
        value,
        unit,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavingsRow {
    pub reference: String,
    pub project_code: String,
    pub category: SavingsCategory,
    pub amount: Cents,
    pub period_start: Date,
    pub period_end: Date,
    pub method: String,
    pub corrects_ref: Option<String>,
}

pub fn parse_savings_row(columns: &Columns, fields: &[&str]) -> Result<SavingsRow, FieldError> {
    columns.check_width(fields)?;
    let get = |n: usize| columns.field(fields, n);
    let (c, v) = get(0);
    let reference = code(c, v, "ref")?;
    let (c, v) = get(1);
    let project_code = code(c, v, "project_code")?;
    let (c, v) = get(2);
    let category: SavingsCategory = v.parse().map_err(|e| FieldError::new(c, e))?;
    let (c, v) = get(3);
    let amount = Cents::parse_dollars(v).map_err(|e| FieldError::new(c, e))?;
    let (c, v) = get(4);
    let period_start = date(c, v, "period_start")?;
    let (c, v) = get(5);
    let period_end = date(c, v, "period_end")?;
    let (c, v) = get(6);
    let method = long_text(c, v, "method")?;
    let (c, v) = get(7);
    let corrects_ref = if v.is_empty() {
        None
    } else {
        Some(code(c, v, "corrects_ref")?)
    };
    Ok(SavingsRow {
        reference,
        project_code,
        category,
        amount,
        period_start,
        period_end,
        method,
        corrects_ref,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(expected: &[&'static str]) -> Columns {
        Columns::from_header(expected, expected).expect("header")
    }

    #[test]
    fn a_project_row_needs_a_compass_point_and_a_smart_goal() {
        let cols = columns(&PROJECT_COLUMNS);
        let mut row = vec![
            "P-1",
            "UBT-1",
            "Fewer falls",
            "testing",
            "best_quality",
            "Fewer falls at night",
            "Falls per 1,000 days",
            "Hourly rounding",
            "2026-01-05",
            "2026-09-30",
            "Falls",
            "per 1,000 patient days",
            "3.8",
            "2.2",
            "Overtime hours|hours per pay period|down",
        ];
        let parsed = parse_project_row(&cols, &row).expect("row");
        assert_eq!(parsed.balancing[0].direction, Direction::Down);
        assert_eq!(parsed.goal.target, 2.2);
        row[4] = "";
        assert_eq!(parse_project_row(&cols, &row).unwrap_err().column, 5);
        row[4] = "best_quality";
        row[13] = "3.8";
        assert_eq!(
            parse_project_row(&cols, &row).unwrap_err().column,
            14,
            "target equals baseline"
        );
        row[13] = "2.2";
        row[9] = "2025-12-01";
        assert_eq!(parse_project_row(&cols, &row).unwrap_err().column, 10);
        row[9] = "2026-09-30";
        row[14] = "Overtime hours|hours";
        assert_eq!(parse_project_row(&cols, &row).unwrap_err().column, 15);
    }

    #[test]
    fn measurement_and_savings_rows_name_their_bad_column() {
        let cols = columns(&MEASUREMENT_COLUMNS);
        let ok = parse_measurement_row(&cols, &["P-1", "Falls", "2026-02-01", "3.1", "per 1,000 patient days"]);
        assert!(ok.is_ok());
        assert_eq!(
            parse_measurement_row(&cols, &["P-1", "Falls", "2026-02-30", "3", "x"])
                .unwrap_err()
                .column,
            3
        );
        assert_eq!(
            parse_measurement_row(&cols, &["P-1", "Falls", "2026-02-01", "lots", "x"])
                .unwrap_err()
                .column,
            4
        );
        let cols = columns(&SAVINGS_COLUMNS);
        let row = [
            "S-1",
            "P-1",
            "cost_reduction",
            "12,500.00",
            "2026-01-01",
            "2026-06-30",
            "Fewer deliveries",
            "",
        ];
        assert_eq!(parse_savings_row(&cols, &row).expect("row").amount, Cents(1_250_000));
        let mut bad = row;
        bad[3] = "12.345";
        assert_eq!(parse_savings_row(&cols, &bad).unwrap_err().column, 4);
        bad = row;
        bad[2] = "windfall";
        assert_eq!(parse_savings_row(&cols, &bad).unwrap_err().column, 3);
    }
}
