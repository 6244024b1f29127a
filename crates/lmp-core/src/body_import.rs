//! The bodies and seats files: a partnership's councils and teams, and who
//! sat where and when, as a partnership keeps them in a spreadsheet.
//!
//! Parsing here is per row and pure; the store resolves the codes and
//! employee numbers and applies a whole file or nothing.

use crate::body::{BodyLevel, BodyRole};
use crate::decision::DecisionMode;
use crate::import::{code, text, Columns, FieldError};
use crate::refusal::Refusal;
use crate::refuse;
use crate::team_import::date;
use crate::Side;
use jiff::civil::Date;

/// Columns of a bodies file (a header names them; any order).
pub const BODY_COLUMNS: [&str; 6] = ["code", "level", "name", "unit_code", "parent_code", "decides"];
/// Columns of a seats file (a header names them; any order).
pub const SEAT_COLUMNS: [&str; 6] = ["body_code", "employee_no", "role", "side", "from", "to"];

/// One body: a strategy group, council, department partnership or team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRow {
    pub code: String,
    pub level: BodyLevel,
    pub name: String,
    /// The employer unit it belongs to; none for the national group.
    pub unit_code: Option<String>,
    pub parent_code: Option<String>,
    pub decides: DecisionMode,
}

pub fn parse_body_row(columns: &Columns, fields: &[&str]) -> Result<BodyRow, FieldError> {
    columns.check_width(fields)?;
    let (c, value) = columns.field(fields, 0);
    let code = code(c, value, "code")?;
    let (c, value) = columns.field(fields, 1);
    let level = value.parse::<BodyLevel>().map_err(|e| FieldError::new(c, e))?;
    let (c, value) = columns.field(fields, 2);
    let name = text(c, value, "name", true)?;
    let (c, value) = columns.field(fields, 3);
    let unit_code = optional(c, value, "unit_code")?;
    let (c, value) = columns.field(fields, 4);
    let parent_code = optional(c, value, "parent_code")?;
    if parent_code.as_deref() == Some(code.as_str()) {
        return Err(FieldError::new(
            c,
            refuse!(
                "a body cannot be its own parent",
                "un órgano no puede depender de sí mismo"
            ),
        ));
    }
    let (c, value) = columns.field(fields, 5);
    let decides = match value {
        "" => DecisionMode::Consensus,
        word => word.parse::<DecisionMode>().map_err(|e| FieldError::new(c, e))?,
    };
    Ok(BodyRow {
        code,
        level,
        name,
        unit_code,
        parent_code,
        decides,
    })
}

/// One spell in a seat: who, where, in what role, for which side, from
/// when to when (no end: the seat is held now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatRow {
    pub body_code: String,
    pub employee_no: String,
    pub role: BodyRole,
    pub side: Side,
    /// None: held since before the records began.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// A role as people write it: `co-lead` as well as `co_lead`.
pub fn parse_role(value: &str) -> Result<BodyRole, Refusal> {
    value.replace('-', "_").to_lowercase().parse::<BodyRole>()
}

/// `today` bounds the dates: a spell that has not begun, or ends in the
/// future, is not history yet.
pub fn parse_seat_row(columns: &Columns, fields: &[&str], today: Date) -> Result<SeatRow, FieldError> {
    columns.check_width(fields)?;
    let (c, value) = columns.field(fields, 0);
    let body_code = code(c, value, "body_code")?;
    let (c, value) = columns.field(fields, 1);
    let employee_no = code(c, value, "employee_no")?;
    let (c, value) = columns.field(fields, 2);
    let role = parse_role(value).map_err(|e| FieldError::new(c, e))?;
    let (c, value) = columns.field(fields, 3);
    let side = value
        .to_lowercase()
        .parse::<Side>()
        .map_err(|e| FieldError::new(c, e.into()))?;
    let (c, value) = columns.field(fields, 4);
    let from = optional_date(c, value, "from")?;
    if from.is_some_and(|from| from > today) {
        return Err(FieldError::new(
            c,
            refuse!(
                "from {value} is after today: import a seat once it begins",
                "from {value} es posterior a hoy: importe un puesto cuando empiece"
            ),
        ));
    }
    let (c, value) = columns.field(fields, 5);
    let to = optional_date(c, value, "to")?;
    if let Some(to) = to {
        if to > today {
            return Err(FieldError::new(
                c,
                refuse!(
                    "to {value} is after today: a seat ends once it has ended; leave to empty while it is held",
                    "to {value} es posterior a hoy: un puesto termina cuando ha terminado; deje to vacío mientras se ocupe"
                ),
            ));
        }
        if from.is_some_and(|from| from > to) {
            return Err(FieldError::new(
                c,
                refuse!("to {value} is before from", "to {value} es anterior a from"),
            ));
        }
    }
    Ok(SeatRow {
        body_code,
        employee_no,
        role,
        side,
        from,
        to,
    })
}

fn optional(column: usize, value: &str, what: &str) -> Result<Option<String>, FieldError> {
    if value.is_empty() {
        Ok(None)
    } else {
        code(column, value, what).map(Some)
    }
}

fn optional_date(column: usize, value: &str, what: &str) -> Result<Option<Date>, FieldError> {
    if value.is_empty() {
        Ok(None)
    } else {
        date(column, value, what).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    fn bodies() -> Columns {
        Columns::from_header(&BODY_COLUMNS, &BODY_COLUMNS).expect("header")
    }

    fn seats() -> Columns {
        Columns::from_header(&SEAT_COLUMNS, &SEAT_COLUMNS).expect("header")
    }

    const TODAY: Date = d(2026, 12, 6);

    #[test]
    fn a_body_row_reads_its_level_and_charter() {
        let row = parse_body_row(&bodies(), &["UBT-1", "team", "4 West", "D-4W", "DP-MED", "recommend"]).expect("row");
        assert_eq!(row.level, BodyLevel::Team);
        assert_eq!(row.decides, DecisionMode::Recommend);
        assert_eq!(row.parent_code.as_deref(), Some("DP-MED"));
        let row = parse_body_row(&bodies(), &["NSG", "national", "Strategy group", "", "", ""]).expect("row");
        assert_eq!((row.unit_code, row.decides), (None, DecisionMode::Consensus));
    }

    #[test]
    fn bad_body_fields_name_their_column() {
        let cols = bodies();
        assert_eq!(
            parse_body_row(&cols, &["U 1", "team", "x", "", "", ""])
                .unwrap_err()
                .column,
            1
        );
        assert_eq!(
            parse_body_row(&cols, &["U1", "club", "x", "", "", ""])
                .unwrap_err()
                .column,
            2
        );
        assert_eq!(
            parse_body_row(&cols, &["U1", "team", "", "", "", ""])
                .unwrap_err()
                .column,
            3
        );
        assert_eq!(
            parse_body_row(&cols, &["U1", "team", "x", "", "U1", ""])
                .unwrap_err()
                .column,
            5
        );
        assert_eq!(
            parse_body_row(&cols, &["U1", "team", "x", "", "", "vote"])
                .unwrap_err()
                .column,
            6
        );
    }

    #[test]
    fn a_seat_row_takes_roles_as_people_write_them() {
        let row = parse_seat_row(&seats(), &["UBT-1", "E1", "co-lead", "Labor", "2024-01-15", ""], TODAY).expect("row");
        assert_eq!((row.role, row.side), (BodyRole::CoLead, Side::Labor));
        assert_eq!((row.from, row.to), (Some(d(2024, 1, 15)), None));
        let row = parse_seat_row(
            &seats(),
            &["UBT-1", "E1", "member", "management", "", "2025-03-01"],
            TODAY,
        )
        .expect("row");
        assert_eq!((row.from, row.to), (None, Some(d(2025, 3, 1))));
    }

    #[test]
    fn seat_dates_are_history_in_order() {
        let cols = seats();
        let err = parse_seat_row(&cols, &["B", "E1", "member", "labor", "2027-01-01", ""], TODAY).unwrap_err();
        assert_eq!(err.column, 5);
        let err = parse_seat_row(&cols, &["B", "E1", "member", "labor", "", "2027-01-01"], TODAY).unwrap_err();
        assert_eq!(err.column, 6);
        let err = parse_seat_row(
            &cols,
            &["B", "E1", "member", "labor", "2025-02-01", "2025-01-01"],
            TODAY,
        )
        .unwrap_err();
        assert!(err.reason.contains("before from"));
        let err = parse_seat_row(&cols, &["B", "E1", "chair", "labor", "", ""], TODAY).unwrap_err();
        assert_eq!(err.column, 3);
        let err = parse_seat_row(&cols, &["B", "E1", "member", "union", "", ""], TODAY).unwrap_err();
        assert_eq!(err.column, 4);
        let err = parse_seat_row(&cols, &["B", "E1", "member", "labor", "1/2/2025", ""], TODAY).unwrap_err();
        assert!(err.reason.contains("YYYY-MM-DD"));
    }
}
