//! The rows an HR system hands over, and what makes one valid.
//!
//! Two files: `org` (the employer's units and the unions' internationals and
//! locals, one structure per row) and `people`. Parsing here is per row and
//! pure; the store resolves references and applies a whole file or nothing.

use crate::org::UnitKind;
use crate::person::PersonKind;
use crate::refusal::Refusal;
use crate::refuse;

/// Columns of an org file, in the order `lmp export` writes them.
pub const ORG_COLUMNS: [&str; 4] = ["code", "kind", "name", "parent_code"];
/// Columns of a people file, in the order `lmp export people` writes them.
pub const PEOPLE_COLUMNS: [&str; 6] = ["employee_no", "name", "kind", "local_code", "unit_code", "job_title"];

pub const MAX_CODE_CHARS: usize = 64;
pub const MAX_NAME_CHARS: usize = 200;

/// What is wrong with one field; the caller adds the file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// 1-based, as a spreadsheet counts.
    pub column: usize,
    pub reason: Refusal,
}

impl FieldError {
    pub fn new(column: usize, reason: Refusal) -> FieldError {
        FieldError { column, reason }
    }
}

/// Where each expected column sits in a file's header row.
#[derive(Debug, Clone)]
pub struct Columns {
    names: Vec<&'static str>,
    positions: Vec<usize>,
    /// Columns a file may leave out, and where they sit when present.
    optional: Vec<(&'static str, usize)>,
    /// How many fields the header has; every row must have as many.
    width: usize,
}

impl Columns {
    /// Match a header row against the expected columns: any order, each once,
    /// nothing unknown.
    pub fn from_header(expected: &[&'static str], header: &[&str]) -> Result<Columns, FieldError> {
        Columns::with_optional(expected, &[], header)
    }

    /// As [`Columns::from_header`], with `optional` columns a file may also have.
    pub fn with_optional(
        expected: &[&'static str],
        optional: &[&'static str],
        header: &[&str],
    ) -> Result<Columns, FieldError> {
        for (i, name) in header.iter().enumerate() {
            let name = name.trim();
            if !expected.contains(&name) && !optional.contains(&name) {
                let names = expected.join(",");
                return Err(FieldError::new(
                    i + 1,
                    refuse!(
                        "unknown column {name:?}: expected {names}",
                        "columna {name:?} desconocida: se espera {names}"
                    ),
                ));
            }
            if header[..i].iter().any(|earlier| earlier.trim() == name) {
                return Err(FieldError::new(
                    i + 1,
                    refuse!("column {name:?} appears twice", "la columna {name:?} aparece dos veces"),
                ));
            }
        }
        let positions = expected
            .iter()
            .map(|want| {
                header.iter().position(|h| h.trim() == *want).ok_or_else(|| {
                    let names = expected.join(",");
                    FieldError::new(
                        header.len() + 1,
                        refuse!(
                            "missing column {want:?}: expected {names}",
                            "falta la columna {want:?}: se espera {names}"
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let optional = optional
            .iter()
            .filter_map(|name| Some((*name, header.iter().position(|h| h.trim() == *name)?)))
            .collect();
        Ok(Columns {
            names: expected.to_vec(),
            positions,
            optional,
            width: header.len(),
        })
    }

    /// The 1-based column where `name` sits in this file, for errors found
    /// after parsing (a reference that does not resolve, a duplicate).
    pub fn column(&self, name: &str) -> usize {
        match self.names.iter().position(|n| *n == name) {
            Some(i) => self.positions[i] + 1,
            None => self
                .optional
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(1, |(_, at)| at + 1),
        }
    }

    /// How many fields the header has.
    pub fn width(&self) -> usize {
        self.width
    }

    /// An optional column's trimmed value and 1-based position, if the file has it.
    pub fn optional_field<'a>(&self, fields: &[&'a str], name: &str) -> Option<(usize, &'a str)> {
        let (_, at) = self.optional.iter().find(|(n, _)| *n == name)?;
        Some((at + 1, fields.get(*at).map_or("", |v| v.trim())))
    }

    /// A row must have exactly as many fields as the header: a stray comma
    /// or a lost one would otherwise shift values into the wrong columns.
    pub(crate) fn check_width(&self, fields: &[&str]) -> Result<(), FieldError> {
        if fields.len() == self.width {
            return Ok(());
        }
        let column = fields.len().min(self.width) + 1;
        let (has, width) = (fields.len(), self.width);
        Err(FieldError::new(
            column,
            refuse!(
                "the row has {has} fields but the header has {width}: check for a missing or extra comma, or an unquoted comma in a name",
                "la fila tiene {has} campos pero el encabezado tiene {width}: busque una coma que falte o sobre, o una coma sin comillas en un nombre"
            ),
        ))
    }

    /// The trimmed value of the `n`th expected column and its 1-based position.
    pub(crate) fn field<'a>(&self, fields: &[&'a str], n: usize) -> (usize, &'a str) {
        let pos = self.positions[n];
        (pos + 1, fields.get(pos).map_or("", |v| v.trim()))
    }
}

/// An identifier from another system: letters, digits, '-', '_' or '.'.
pub fn code(column: usize, value: &str, what: &str) -> Result<String, FieldError> {
    if value.is_empty() {
        return Err(empty(column, what));
    }
    if value.chars().count() > MAX_CODE_CHARS {
        return Err(too_long(column, what, MAX_CODE_CHARS));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(FieldError::new(
            column,
            refuse!(
                "{what} {value:?} has {bad:?}: use letters, digits, '-', '_' or '.'",
                "{what} {value:?} contiene {bad:?}: use letras, dígitos, '-', '_' o '.'"
            ),
        ));
    }
    Ok(value.to_string())
}

pub(crate) fn empty(column: usize, what: &str) -> FieldError {
    FieldError::new(column, refuse!("{what} is empty", "{what} está vacío"))
}

pub(crate) fn control_character(column: usize, what: &str) -> FieldError {
    FieldError::new(
        column,
        refuse!(
            "{what} contains a control character",
            "{what} contiene un carácter de control"
        ),
    )
}

pub(crate) fn too_long(column: usize, what: &str, most: usize) -> FieldError {
    FieldError::new(
        column,
        refuse!(
            "{what} is longer than {most} characters",
            "{what} tiene más de {most} caracteres"
        ),
    )
}

fn optional_code(column: usize, value: &str, what: &str) -> Result<Option<String>, FieldError> {
    if value.is_empty() {
        Ok(None)
    } else {
        code(column, value, what).map(Some)
    }
}

/// Free text shown to people: any characters a name may have (markup is
/// escaped when shown), but no control characters and a sane length.
pub fn text(column: usize, value: &str, what: &str, required: bool) -> Result<String, FieldError> {
    if required && value.is_empty() {
        return Err(empty(column, what));
    }
    if value.chars().count() > MAX_NAME_CHARS {
        return Err(too_long(column, what, MAX_NAME_CHARS));
    }
    if value.chars().any(char::is_control) {
        return Err(control_character(column, what));
    }
    Ok(value.to_string())
}

/// One unit of either structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    pub code: String,
    pub kind: UnitKind,
    pub name: String,
    pub parent_code: Option<String>,
}

pub fn parse_org_row(columns: &Columns, fields: &[&str]) -> Result<OrgRow, FieldError> {
    columns.check_width(fields)?;
    let (c, value) = columns.field(fields, 0);
    let code = code(c, value, "code")?;
    let (c, value) = columns.field(fields, 1);
    let kind = value.parse::<UnitKind>().map_err(|e| FieldError::new(c, e))?;
    let (c, value) = columns.field(fields, 2);
    let name = text(c, value, "name", true)?;
    let (c, value) = columns.field(fields, 3);
    let parent_code = optional_code(c, value, "parent_code")?;
    if parent_code.as_deref() == Some(code.as_str()) {
        return Err(FieldError::new(
            c,
            refuse!(
                "a unit cannot be its own parent",
                "una unidad no puede depender de sí misma"
            ),
        ));
    }
    Ok(OrgRow {
        code,
        kind,
        name,
        parent_code,
    })
}

/// One person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub employee_no: String,
    pub name: String,
    pub kind: PersonKind,
    pub local_code: Option<String>,
    pub unit_code: Option<String>,
    pub job_title: String,
}

pub fn parse_person_row(columns: &Columns, fields: &[&str]) -> Result<PersonRow, FieldError> {
    columns.check_width(fields)?;
    let (c, value) = columns.field(fields, 0);
    let employee_no = code(c, value, "employee_no")?;
    let (c, value) = columns.field(fields, 1);
    let name = text(c, value, "name", true)?;
    let (c, value) = columns.field(fields, 2);
    let kind = value.parse::<PersonKind>().map_err(|e| FieldError::new(c, e))?;
    let (c, value) = columns.field(fields, 3);
    let local_code = optional_code(c, value, "local_code")?;
    kind.check_local(local_code.is_some())
        .map_err(|e| FieldError::new(c, e))?;
    let (c, value) = columns.field(fields, 4);
    let unit_code = optional_code(c, value, "unit_code")?;
    let (c, value) = columns.field(fields, 5);
    let job_title = text(c, value, "job_title", false)?;
    Ok(PersonRow {
        employee_no,
        name,
        kind,
        local_code,
        unit_code,
        job_title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people_columns() -> Columns {
        Columns::from_header(&PEOPLE_COLUMNS, &PEOPLE_COLUMNS).expect("header")
    }

    #[test]
    fn headers_may_come_in_any_order_but_not_unknown_or_missing() {
        let cols = Columns::from_header(&ORG_COLUMNS, &["name", "code", "parent_code", "kind"]).expect("ok");
        assert_eq!(cols.column("kind"), 4);
        let row = parse_org_row(&cols, &["Oakland", "H-OAK", "R-NCAL", "hospital"]).expect("row");
        assert_eq!(row.code, "H-OAK");
        assert_eq!(row.parent_code.as_deref(), Some("R-NCAL"));
        let err = Columns::from_header(&ORG_COLUMNS, &["code", "kind", "name", "parent", "x"]).unwrap_err();
        assert_eq!(err.column, 4);
        let err = Columns::from_header(&ORG_COLUMNS, &["code", "kind", "name"]).unwrap_err();
        assert!(err.reason.to_string().contains("parent_code"));
        let err = Columns::from_header(&ORG_COLUMNS, &["code", "code", "kind", "name", "parent_code"]).unwrap_err();
        assert_eq!(err.column, 2);
    }

    #[test]
    fn a_union_member_needs_a_local() {
        let cols = people_columns();
        let err = parse_person_row(&cols, &["E1", "Ana Ruiz", "union_member", "", "D-1", "RN"]).unwrap_err();
        assert_eq!(err.column, 4);
        let err = parse_person_row(&cols, &["E2", "Bo Li", "manager", "L-1", "D-1", "Manager"]).unwrap_err();
        assert_eq!(err.column, 4);
        let ok = parse_person_row(&cols, &["E3", "Cy Young", "union_member", "L-1", "", "Clerk"]).expect("ok");
        assert_eq!(ok.unit_code, None);
    }

    #[test]
    fn bad_fields_name_their_column() {
        let cols = people_columns();
        let err = parse_person_row(&cols, &["E 1", "x", "manager", "", "", ""]).unwrap_err();
        assert_eq!(err.column, 1);
        let err = parse_person_row(&cols, &["E1", "", "manager", "", "", ""]).unwrap_err();
        assert_eq!(err.column, 2);
        let err = parse_person_row(&cols, &["E1", "A\u{7}", "manager", "", "", ""]).unwrap_err();
        assert_eq!(err.column, 2);
        let err = parse_person_row(&cols, &["E1", "A", "boss", "", "", ""]).unwrap_err();
        assert_eq!(err.column, 3);
        let err = parse_person_row(&cols, &["E1", "A", "manager"]).unwrap_err();
        assert!(err
            .reason
            .to_string()
            .contains("the row has 3 fields but the header has 6"));
        assert_eq!(err.column, 4);
        let err = parse_person_row(&cols, &["E1", "A", "manager", "", "", "", "extra"]).unwrap_err();
        assert_eq!(err.column, 7);
    }

    #[test]
    fn markup_in_names_is_kept_as_text() {
        let cols = people_columns();
        let row = parse_person_row(
            &cols,
            &["E1", "<script>x</script>'; DROP TABLE people;--", "manager", "", "", ""],
        );
        assert!(row.is_ok());
    }

    #[test]
    fn a_unit_is_not_its_own_parent() {
        let cols = Columns::from_header(&ORG_COLUMNS, &ORG_COLUMNS).expect("header");
        assert_eq!(parse_org_row(&cols, &["A", "region", "A", "A"]).unwrap_err().column, 4);
    }
}
