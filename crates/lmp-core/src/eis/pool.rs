//! The transition pool's workers and the vacancies they may fill, as files
//! write them, with their words interned so the engine compares integers.

use crate::import::{code, Columns, FieldError};
use crate::refusal::Refusal;
use crate::refuse;
use crate::team_import::date;
use crate::trust::hours::Hundredths;
use jiff::civil::Date;
use rustc_hash::FxHashMap;

/// Columns of a workers file (`W.csv`).
pub const WORKER_COLUMNS: [&str; 8] = [
    "worker_id",
    "job_class",
    "licences",
    "fte",
    "shift",
    "pay_band",
    "region",
    "seniority_date",
];

/// Columns of a vacancies file (`V.csv`).
pub const VACANCY_COLUMNS: [&str; 8] = [
    "vacancy_id",
    "job_class",
    "required_licences",
    "fte",
    "shift",
    "pay_band",
    "region",
    "retrain_from",
];

/// Columns of a placements file (`P.csv`).
pub const PLACEMENT_COLUMNS: [&str; 4] = ["worker_id", "vacancy_id", "comparable", "retraining"];

/// A full-time equivalent in hundredths: 1.0 is 100, 0.9 is 90.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fte(u8);

impl Fte {
    pub fn parse(text: &str) -> Result<Fte, Refusal> {
        let hundredths = Hundredths::parse(text.as_bytes())
            .map_err(|_| {
                refuse!(
                    "{text:?} is not an FTE, like 1.0, 0.9 or 0.5",
                    "{text:?} no es un FTE, como 1.0, 0.9 o 0.5"
                )
            })?
            .get();
        Fte::from_hundredths(hundredths).map_err(|_| {
            refuse!(
                "FTE {text} is outside 0.01 to 1.0",
                "el FTE {text} está fuera de 0.01 a 1.0"
            )
        })
    }

    /// An FTE as stored: hundredths, 1 to 100.
    pub fn from_hundredths(hundredths: i64) -> Result<Fte, Refusal> {
        match u8::try_from(hundredths) {
            Ok(h) if (1..=100).contains(&h) => Ok(Fte(h)),
            _ => Err(refuse!(
                "FTE {hundredths} hundredths is outside 0.01 to 1.0",
                "el FTE de {hundredths} centésimos está fuera de 0.01 a 1.0"
            )),
        }
    }

    pub fn hundredths(self) -> u8 {
        self.0
    }
}

impl std::fmt::Display for Fte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// An interned word: a job class, licence, shift, pay band or region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(u32);

/// A worker in the transition pool, as a file row gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerRow {
    pub worker_id: String,
    pub job_class: String,
    pub licences: Vec<String>,
    pub fte: Fte,
    pub shift: String,
    pub pay_band: String,
    pub region: String,
    pub seniority_date: Date,
}

/// An open vacancy, as a file row gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacancyRow {
    pub vacancy_id: String,
    pub job_class: String,
    pub required_licences: Vec<String>,
    pub fte: Fte,
    pub shift: String,
    pub pay_band: String,
    pub region: String,
    /// Job classes that can be retrained into this one within the allowed period.
    pub retrain_from: Vec<String>,
}

fn code_list(column: usize, value: &str, what: &str) -> Result<Vec<String>, FieldError> {
    let mut list = value
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| code(column, item, what))
        .collect::<Result<Vec<_>, _>>()?;
    list.sort();
    list.dedup();
    Ok(list)
}

fn fte(column: usize, value: &str) -> Result<Fte, FieldError> {
    Fte::parse(value).map_err(|reason| FieldError::new(column, reason))
}

pub fn parse_worker_row(columns: &Columns, fields: &[&str]) -> Result<WorkerRow, FieldError> {
    columns.check_width(fields)?;
    let field = |n| columns.field(fields, n);
    let (c, v) = field(0);
    let worker_id = code(c, v, "worker_id")?;
    let (c, v) = field(1);
    let job_class = code(c, v, "job_class")?;
    let (c, v) = field(2);
    let licences = code_list(c, v, "licence")?;
    let (c, v) = field(3);
    let fte = fte(c, v)?;
    let (c, v) = field(4);
    let shift = code(c, v, "shift")?;
    let (c, v) = field(5);
    let pay_band = code(c, v, "pay_band")?;
    let (c, v) = field(6);
    let region = code(c, v, "region")?;
    let (c, v) = field(7);
    let seniority_date = date(c, v, "seniority_date")?;
    Ok(WorkerRow {
        worker_id,
        job_class,
        licences,
        fte,
        shift,
        pay_band,
        region,
        seniority_date,
    })
}

pub fn parse_vacancy_row(columns: &Columns, fields: &[&str]) -> Result<VacancyRow, FieldError> {
    columns.check_width(fields)?;
    let field = |n| columns.field(fields, n);
    let (c, v) = field(0);
    let vacancy_id = code(c, v, "vacancy_id")?;
    let (c, v) = field(1);
    let job_class = code(c, v, "job_class")?;
    let (c, v) = field(2);
    let required_licences = code_list(c, v, "licence")?;
    let (c, v) = field(3);
    let fte = fte(c, v)?;
    let (c, v) = field(4);
    let shift = code(c, v, "shift")?;
    let (c, v) = field(5);
    let pay_band = code(c, v, "pay_band")?;
    let (c, v) = field(6);
    let region = code(c, v, "region")?;
    let (c, v) = field(7);
    let retrain_from = code_list(c, v, "job class")?;
    Ok(VacancyRow {
        vacancy_id,
        job_class,
        required_licences,
        fte,
        shift,
        pay_band,
        region,
        retrain_from,
    })
}

/// Words to small integers and back.
#[derive(Debug, Default, Clone)]
pub struct Names {
    index: FxHashMap<String, Name>,
    words: Vec<String>,
}

impl Names {
    pub fn intern(&mut self, word: &str) -> Name {
        if let Some(name) = self.index.get(word) {
            return *name;
        }
        let name = Name(self.words.len() as u32);
        self.words.push(word.to_string());
        self.index.insert(word.to_string(), name);
        name
    }

    fn intern_all(&mut self, words: &[String]) -> Box<[Name]> {
        let mut names: Vec<Name> = words.iter().map(|w| self.intern(w)).collect();
        names.sort_unstable();
        names.dedup();
        names.into()
    }

    pub fn word(&self, name: Name) -> &str {
        &self.words[name.0 as usize]
    }
}

#[derive(Debug, Clone)]
pub struct Worker {
    pub id: String,
    pub job_class: Name,
    /// Sorted, each once.
    pub licences: Box<[Name]>,
    pub fte: Fte,
    pub shift: Name,
    pub pay_band: Name,
    pub region: Name,
    pub seniority_date: Date,
}

#[derive(Debug, Clone)]
pub struct Vacancy {
    pub id: String,
    pub job_class: Name,
    /// Sorted, each once.
    pub required_licences: Box<[Name]>,
    pub fte: Fte,
    pub shift: Name,
    pub pay_band: Name,
    pub region: Name,
    /// Sorted, each once.
    pub retrain_from: Box<[Name]>,
}

/// The displaced workers and the vacancies open to them.
#[derive(Debug, Default, Clone)]
pub struct Pool {
    pub names: Names,
    pub workers: Vec<Worker>,
    pub vacancies: Vec<Vacancy>,
    worker_index: FxHashMap<String, u32>,
    vacancy_index: FxHashMap<String, u32>,
}

impl Pool {
    /// Add a displaced worker; a worker is in the pool once.
    pub fn add_worker(&mut self, row: WorkerRow) -> Result<u32, Refusal> {
        let at = self.workers.len() as u32;
        if self.worker_index.insert(row.worker_id.clone(), at).is_some() {
            let worker = &row.worker_id;
            return Err(refuse!(
                "worker {worker} is listed twice: a worker is displaced once, with one row",
                "el trabajador {worker} aparece dos veces: un trabajador se desplaza una vez, con una fila"
            ));
        }
        let names = &mut self.names;
        self.workers.push(Worker {
            job_class: names.intern(&row.job_class),
            licences: names.intern_all(&row.licences),
            fte: row.fte,
            shift: names.intern(&row.shift),
            pay_band: names.intern(&row.pay_band),
            region: names.intern(&row.region),
            seniority_date: row.seniority_date,
            id: row.worker_id,
        });
        Ok(at)
    }

    /// Add an open vacancy; each is posted once.
    pub fn add_vacancy(&mut self, row: VacancyRow) -> Result<u32, Refusal> {
        let at = self.vacancies.len() as u32;
        if self.vacancy_index.insert(row.vacancy_id.clone(), at).is_some() {
            let vacancy = &row.vacancy_id;
            return Err(refuse!(
                "vacancy {vacancy} is listed twice: each vacancy is posted once and filled once",
                "la vacante {vacancy} aparece dos veces: cada vacante se publica una vez y se cubre una vez"
            ));
        }
        let names = &mut self.names;
        self.vacancies.push(Vacancy {
            job_class: names.intern(&row.job_class),
            required_licences: names.intern_all(&row.required_licences),
            fte: row.fte,
            shift: names.intern(&row.shift),
            pay_band: names.intern(&row.pay_band),
            region: names.intern(&row.region),
            retrain_from: names.intern_all(&row.retrain_from),
            id: row.vacancy_id,
        });
        Ok(at)
    }

    pub fn worker_by_id(&self, id: &str) -> Option<u32> {
        self.worker_index.get(id).copied()
    }

    pub fn vacancy_by_id(&self, id: &str) -> Option<u32> {
        self.vacancy_index.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker_columns() -> Columns {
        Columns::from_header(&WORKER_COLUMNS, &WORKER_COLUMNS).unwrap()
    }

    #[test]
    fn a_worker_row_reads_every_column() {
        let row = parse_worker_row(
            &worker_columns(),
            &["W1", "RN", "RN-CA;BLS", "0.9", "day", "B4", "north", "2001-03-04"],
        )
        .unwrap();
        assert_eq!(row.licences, ["BLS", "RN-CA"]);
        assert_eq!(row.fte.hundredths(), 90);
        assert_eq!(row.fte.to_string(), "0.90");
        assert_eq!(row.seniority_date, jiff::civil::date(2001, 3, 4));
    }

    #[test]
    fn bad_fields_name_their_column() {
        let columns = worker_columns();
        let bad = |fields: [&str; 8]| parse_worker_row(&columns, &fields).unwrap_err();
        assert_eq!(
            bad(["W1", "RN", "", "1.5", "day", "B4", "north", "2001-03-04"]).column,
            4
        );
        assert_eq!(bad(["W1", "RN", "", "0", "day", "B4", "north", "2001-03-04"]).column, 4);
        assert_eq!(
            bad(["W1", "RN", "a b", "1", "day", "B4", "north", "2001-03-04"]).column,
            3
        );
        assert_eq!(bad(["W1", "RN", "", "1", "day", "B4", "north", "2001-13-04"]).column, 8);
        assert_eq!(bad(["", "RN", "", "1", "day", "B4", "north", "2001-03-04"]).column, 1);
        let short = parse_worker_row(&columns, &["W1", "RN"]).unwrap_err();
        assert_eq!(short.column, 3);
    }

    #[test]
    fn a_worker_or_vacancy_listed_twice_is_refused() {
        let columns = worker_columns();
        let row = parse_worker_row(&columns, &["W1", "RN", "", "1", "day", "B4", "north", "2001-03-04"]).unwrap();
        let mut pool = Pool::default();
        pool.add_worker(row.clone()).unwrap();
        assert!(pool.add_worker(row).unwrap_err().contains("listed twice"));
        let columns = Columns::from_header(&VACANCY_COLUMNS, &VACANCY_COLUMNS).unwrap();
        let vacancy = parse_vacancy_row(&columns, &["V1", "RN", "", "1", "day", "B4", "north", "LVN"]).unwrap();
        pool.add_vacancy(vacancy.clone()).unwrap();
        assert!(pool.add_vacancy(vacancy).unwrap_err().contains("filled once"));
    }
}
