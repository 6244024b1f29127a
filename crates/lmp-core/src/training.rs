//! Training: the partnership's classes, the sessions that teach them with
//! who attended, and the completions a training file records.
//!
//! A completion is what Path to Performance reads (a team's co-leads
//! trained, its sponsors trained). A person completes a class once: the
//! first day counts, and a later record of the same class changes nothing,
//! so the same file twice — or a file and a session's attendance — agree.

use crate::import::{code, text, Columns, FieldError};
use crate::language::Language;
use crate::team_import::date;
use jiff::civil::Date;

crate::text_enum! {
    /// The partnership's classes a person can complete.
    pub enum Class ("class") {
        CoLeadWorkshop => ("co_lead_workshop", "UBT Co-Lead Workshop", "Taller para colíderes de UBT"),
        EffectiveStakeholding => ("effective_stakeholding", "Effective Stakeholding", "Participación eficaz"),
        FacilitationSkills => ("facilitation_skills", "Facilitation Skills Workshop", "Taller de facilitación"),
        InterestBasedProblemSolving => ("ibps", "Interest-Based Problem Solving", "Resolución de problemas basada en intereses"),
        CorrectiveAction => ("corrective_action", "Corrective Action", "Acción correctiva"),
    }
}

impl Class {
    /// What the class is for, as the catalog says it.
    pub fn about(self, language: Language) -> &'static str {
        if language == Language::Spanish {
            return match self {
                Class::CoLeadWorkshop => {
                    "Para los colíderes sindical y de la gerencia de un equipo, juntos: dirigir un equipo de unidad en conjunto."
                }
                Class::EffectiveStakeholding => {
                    "Para patrocinadores y partes interesadas: apoyar a los equipos sin tomar su lugar."
                }
                Class::FacilitationSkills => "Dirigir una reunión donde se escuchan todas las voces y el grupo decide.",
                Class::InterestBasedProblemSolving => {
                    "Los intereses antes que las posiciones: la forma en que los órganos de la asociación llegan al consenso."
                }
                Class::CorrectiveAction => {
                    "La acción correctiva en un entorno de asociación, para gerentes y delegados sindicales."
                }
            };
        }
        match self {
            Class::CoLeadWorkshop => {
                "For a team's labor and management co-leads together: leading a unit-based team jointly."
            }
            Class::EffectiveStakeholding => "For sponsors and stakeholders: supporting teams without taking them over.",
            Class::FacilitationSkills => "Running a meeting where every voice is heard and the group decides.",
            Class::InterestBasedProblemSolving => {
                "Interests before positions: the way partnership bodies reach consensus."
            }
            Class::CorrectiveAction => "Corrective action in a partnership setting, for managers and stewards.",
        }
    }

    /// A class as people write it: its word (`co_lead_workshop`, `ibps`),
    /// its name (`UBT Co-Lead Workshop`), in any case, with hyphens or
    /// spaces for underscores.
    pub fn parse_loose(value: &str) -> Result<Class, crate::Refusal> {
        let wanted = normalise(value);
        Class::ALL
            .iter()
            .copied()
            .find(|c| normalise(c.as_str()) == wanted || normalise(c.label()) == wanted)
            .ok_or_else(|| {
                let words: Vec<&str> = Class::ALL.iter().map(|c| c.as_str()).collect();
                crate::Refusal::unknown_word("class", value.trim(), &words)
            })
    }
}

/// A stored class word as people read it; a word that is not one of the
/// classes is shown as it is.
pub fn class_label(word: &str, language: Language) -> String {
    word.parse::<Class>()
        .map_or_else(|_| word.to_string(), |c| c.label_in(language).to_string())
}

fn normalise(value: &str) -> String {
    value
        .trim()
        .chars()
        .filter_map(|c| match c {
            '-' | ' ' | '_' => Some('_'),
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

crate::text_enum! {
    /// Where a person stands on a session's list.
    pub enum Attendance ("attendance") {
        Enrolled => ("enrolled", "Enrolled", "Inscrito"),
        Attended => ("attended", "Attended", "Asistió"),
        Absent => ("absent", "Absent", "Ausente"),
    }
}

/// Why attendance cannot be marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttendanceError {
    NotHeldYet { held_on: Date },
}

impl From<&AttendanceError> for crate::Refusal {
    fn from(error: &AttendanceError) -> crate::Refusal {
        let AttendanceError::NotHeldYet { held_on } = error;
        crate::refuse!(
            "the session is on {held_on}: mark who attended on or after that day",
            "la sesión es el {held_on}: marque quién asistió ese día o después"
        )
    }
}

crate::display_as_refusal!(AttendanceError);

/// Attended or absent is known only once the session has been held;
/// anyone may be enrolled before.
pub fn check_attendance(held_on: Date, today: Date, status: Attendance) -> Result<(), AttendanceError> {
    if status != Attendance::Enrolled && held_on > today {
        return Err(AttendanceError::NotHeldYet { held_on });
    }
    Ok(())
}

/// Whether a completion on `new` is written over the one stored: only an
/// earlier day is (the first completion counts).
pub fn is_earlier_completion(stored: Option<Date>, new: Date) -> bool {
    stored.is_none_or(|stored| new < stored)
}

/// What a session's attendance gives as a completion's source.
pub fn session_source(session_id: i64) -> String {
    format!("session {session_id}")
}

/// Columns of a training file (a header names them; any order).
pub const COMPLETION_COLUMNS: [&str; 3] = ["employee_no", "class", "completed_on"];
/// Columns a training file may add.
pub const COMPLETION_OPTIONAL: [&str; 1] = ["source"];

/// One completion: who completed which class on which day, and where it
/// was recorded (a learning system, a sign-in sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionRow {
    pub employee_no: String,
    pub class: Class,
    pub completed_on: Date,
    pub source: String,
}

/// `today` bounds the day: a class is completed once it has been taken.
pub fn parse_completion_row(columns: &Columns, fields: &[&str], today: Date) -> Result<CompletionRow, FieldError> {
    columns.check_width(fields)?;
    let (c, value) = columns.field(fields, 0);
    let employee_no = code(c, value, "employee_no")?;
    let (c, value) = columns.field(fields, 1);
    let class = Class::parse_loose(value).map_err(|e| FieldError::new(c, e))?;
    let (c, value) = columns.field(fields, 2);
    let completed_on = date(c, value, "completed_on")?;
    if completed_on > today {
        return Err(FieldError::new(
            c,
            crate::refuse!(
                "completed_on {value} is after today: record a class once it is taken",
                "completed_on {value} es posterior a hoy: registre una clase cuando se haya tomado"
            ),
        ));
    }
    let source = match columns.optional_field(fields, "source") {
        Some((c, value)) => text(c, value, "source", false)?,
        None => String::new(),
    };
    Ok(CompletionRow {
        employee_no,
        class,
        completed_on,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    const TODAY: Date = d(2026, 12, 6);

    fn columns(header: &[&str]) -> Columns {
        Columns::with_optional(&COMPLETION_COLUMNS, &COMPLETION_OPTIONAL, header).expect("header")
    }

    #[test]
    fn a_class_is_read_as_people_write_it() {
        for written in [
            "co_lead_workshop",
            "co-lead workshop",
            "UBT Co-Lead Workshop",
            " Co Lead Workshop ",
        ] {
            assert_eq!(Class::parse_loose(written), Ok(Class::CoLeadWorkshop), "{written}");
        }
        let err = Class::parse_loose("knitting").unwrap_err();
        assert!(err.contains("co_lead_workshop, effective_stakeholding"), "{err}");
        assert_eq!(Class::parse_loose("IBPS"), Ok(Class::InterestBasedProblemSolving));
        assert_eq!(
            Class::parse_loose("interest-based problem solving"),
            Ok(Class::InterestBasedProblemSolving)
        );
        for class in Class::ALL {
            assert_eq!(Class::parse_loose(class.label()), Ok(*class));
            assert!(!class.about(Language::English).is_empty() && !class.about(Language::Spanish).is_empty());
        }
    }

    #[test]
    fn a_row_reads_its_source_when_the_file_has_one() {
        let cols = columns(&["employee_no", "class", "completed_on", "source"]);
        let row = parse_completion_row(&cols, &["E1", "ibps", "2026-03-01", "MyHR"], TODAY).expect("row");
        assert_eq!(row.class, Class::InterestBasedProblemSolving);
        assert_eq!((row.completed_on, row.source.as_str()), (d(2026, 3, 1), "MyHR"));
        let cols = columns(&["class", "completed_on", "employee_no"]);
        let row = parse_completion_row(&cols, &["co_lead_workshop", "2026-03-01", "E2"], TODAY).expect("row");
        assert_eq!((row.employee_no.as_str(), row.source.as_str()), ("E2", ""));
    }

    #[test]
    fn bad_fields_name_their_column() {
        let cols = columns(&["employee_no", "class", "completed_on", "source"]);
        let column = |fields: &[&str]| parse_completion_row(&cols, fields, TODAY).unwrap_err().column;
        assert_eq!(column(&["E 1", "ibps", "2026-03-01", ""]), 1);
        assert_eq!(column(&["E1", "knitting", "2026-03-01", ""]), 2);
        assert_eq!(column(&["E1", "ibps", "March", ""]), 3);
        assert_eq!(column(&["E1", "ibps", "2026-12-07", ""]), 3);
        assert_eq!(column(&["E1", "ibps", "2026-03-01", "a\u{7}b"]), 4);
        assert_eq!(column(&["E1", "ibps", "2026-03-01"]), 4);
    }

    #[test]
    fn the_first_completion_counts() {
        assert!(is_earlier_completion(None, d(2026, 3, 1)));
        assert!(is_earlier_completion(Some(d(2026, 4, 1)), d(2026, 3, 1)));
        assert!(!is_earlier_completion(Some(d(2026, 3, 1)), d(2026, 3, 1)));
        assert!(!is_earlier_completion(Some(d(2026, 3, 1)), d(2026, 4, 1)));
    }

    #[test]
    fn attendance_waits_for_the_session_day() {
        let held = d(2026, 12, 10);
        assert!(check_attendance(held, TODAY, Attendance::Enrolled).is_ok());
        assert_eq!(
            check_attendance(held, TODAY, Attendance::Attended),
            Err(AttendanceError::NotHeldYet { held_on: held })
        );
        assert!(check_attendance(held, TODAY, Attendance::Absent).is_err());
        assert!(check_attendance(held, held, Attendance::Attended).is_ok());
    }
}
