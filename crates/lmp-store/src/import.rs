//! Imports and exports in the shape an HR system gives them.
//!
//! Each import is one transaction: every row is checked as it streams past,
//! the first bad row stops it with `file:line:column: reason`, and nothing is
//! written unless the whole file is good. Rows equal to what is stored change
//! nothing, so importing the same file twice is a no-op. Every row that does
//! change something is recorded in the audit log.

use crate::audit::{AuditAppend, Change};
use crate::bulk::{BulkInsert, Value};
use crate::{in_tx, on_pool, Result, Store, StoreError};
use futures::TryStreamExt;
use lmp_core::import::{parse_org_row, parse_person_row, Columns, FieldError, PersonRow, ORG_COLUMNS, PEOPLE_COLUMNS};
use lmp_core::language::Language;
use lmp_core::org::UnitKind;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::search::person_words;
use lmp_core::Refusal;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{Read, Write};

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// How a complete people file is taken in.
#[derive(Debug, Clone, Copy)]
pub struct PeopleSync {
    /// The day leavers left and transfers happened.
    pub today: jiff::civil::Date,
    /// Report what would change; write nothing.
    pub dry_run: bool,
}

/// What a sync did, or would do on a dry run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    #[serde(flatten)]
    pub counts: ImportReport,
    pub dry_run: bool,
    /// People the file left out (who were here before it).
    pub left: u64,
    /// People named again after a file had left them out.
    pub returned: u64,
    /// People whose unit changed.
    pub transferred: u64,
    pub seats_ended: u64,
    pub roles_ended: u64,
    /// Leavers' sign-ins deactivated (their sessions ended).
    pub sign_ins_deactivated: u64,
    /// Co-lead seats a leaver left empty, by body code and side.
    pub vacancies: Vec<CoLeadVacancy>,
}

impl SyncReport {
    /// In words, as the page and the command line say it: what was taken in
    /// and what ended (or, on a dry run, would), then the first `named` of
    /// the co-lead seats leavers left empty.
    pub fn summary(&self, label: &str, named: usize, language: Language) -> Vec<String> {
        match language {
            Language::English => self.summary_in_english(label, named),
            Language::Spanish => self.summary_in_spanish(label, named),
        }
    }

    fn summary_in_english(&self, label: &str, named: usize) -> Vec<String> {
        let c = &self.counts;
        let (did, left, moved) = if self.dry_run {
            ("Would take in", "would leave", "would move")
        } else {
            ("Took in", "left", "moved")
        };
        let mut lines = vec![format!(
            "{did} {label}: {} rows — {} new, {} changed, {} unchanged; {} {left}, {} back, {} {moved}; {} seats, {} standing roles and {} sign-ins end.",
            c.rows,
            c.inserted,
            c.updated,
            c.unchanged,
            self.left,
            self.returned,
            self.transferred,
            self.seats_ended,
            self.roles_ended,
            self.sign_ins_deactivated,
        )];
        let vacancies = self.vacancies.len();
        if vacancies > 0 {
            let empty: Vec<String> = self
                .vacancies
                .iter()
                .take(named)
                .map(|v| format!("{} (no {} co-lead)", v.body_code, v.side))
                .collect();
            let more = vacancies - empty.len();
            let seats = if vacancies == 1 { "seat is" } else { "seats are" };
            lines.push(match (empty.is_empty(), more) {
                (true, _) => format!("{vacancies} co-lead {seats} left empty."),
                (false, 0) => format!("{vacancies} co-lead {seats} left empty: {}.", empty.join(", ")),
                (false, more) => format!(
                    "{vacancies} co-lead {seats} left empty: {} and {more} more.",
                    empty.join(", ")
                ),
            });
            lines.push("The Health page counts each vacancy.".into());
        }
        if self.dry_run {
            lines.push("Dry run: nothing was written.".into());
        }
        lines
    }

    fn summary_in_spanish(&self, label: &str, named: usize) -> Vec<String> {
        let c = &self.counts;
        let (did, left, moved) = if self.dry_run {
            ("Se cargaría", "saldrían", "cambiarían de lugar")
        } else {
            ("Se cargó", "salieron", "cambiaron de lugar")
        };
        let mut lines = vec![format!(
            "{did} {label}: {} filas — {} nuevas, {} cambiadas, {} sin cambios; {} {left}, {} volvieron, {} {moved}; terminan {} puestos, {} funciones permanentes y {} accesos.",
            c.rows,
            c.inserted,
            c.updated,
            c.unchanged,
            self.left,
            self.returned,
            self.transferred,
            self.seats_ended,
            self.roles_ended,
            self.sign_ins_deactivated,
        )];
        let vacancies = self.vacancies.len();
        if vacancies > 0 {
            let side = |word: &str| {
                word.parse::<lmp_core::Side>()
                    .map_or(word.to_string(), |s| s.label_in(Language::Spanish).to_lowercase())
            };
            let empty: Vec<String> = self
                .vacancies
                .iter()
                .take(named)
                .map(|v| format!("{} (sin colíder de {})", v.body_code, side(&v.side)))
                .collect();
            let more = vacancies - empty.len();
            let seats = if vacancies == 1 {
                "puesto de colíder quedó vacío"
            } else {
                "puestos de colíder quedaron vacíos"
            };
            lines.push(match (empty.is_empty(), more) {
                (true, _) => format!("{vacancies} {seats}."),
                (false, 0) => format!("{vacancies} {seats}: {}.", empty.join(", ")),
                (false, more) => format!("{vacancies} {seats}: {} y {more} más.", empty.join(", ")),
            });
            lines.push("La página de Salud cuenta cada vacante.".into());
        }
        if self.dry_run {
            lines.push("Ensayo: no se escribió nada.".into());
        }
        lines
    }
}

/// A co-lead seat a leaver left empty.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CoLeadVacancy {
    pub body_code: String,
    pub side: String,
}

/// A person as stored, with the day a complete file last left them out.
type StoredPersonRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    String,
    Option<String>,
);

/// A record and the line it started on.
pub type Record = (u64, csv::StringRecord);

/// How many new rows to gather before writing them in one go.
const BATCH: usize = 10_000;

/// The header and records of a CSV file, each error already placed.
pub fn csv_records<R: Read>(
    file: &str,
    reader: R,
    expected: &[&'static str],
) -> Result<(Columns, impl Iterator<Item = Result<Record>>)> {
    csv_records_with(file, reader, expected, &[])
}

/// As [`csv_records`], where the file may also have `optional` columns.
pub fn csv_records_with<R: Read>(
    file: &str,
    reader: R,
    expected: &[&'static str],
    optional: &[&'static str],
) -> Result<(Columns, impl Iterator<Item = Result<Record>>)> {
    let csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let file_name = file.to_string();
    let mut records = csv.into_records();
    let header = match records.next() {
        Some(first) => first.map_err(|e| csv_error(&file_name, e))?,
        None => {
            return Err(import_error(
                file,
                1,
                1,
                refuse!(
                    "the file is empty: the first line must name the columns",
                    "el archivo está vacío: la primera línea debe nombrar las columnas"
                ),
            ))
        }
    };
    let fields: Vec<&str> = header.iter().map(|h| h.trim_start_matches('\u{feff}')).collect();
    let columns = Columns::with_optional(expected, optional, &fields).map_err(|e| placed(file, 1, e))?;
    let rows = records.map(move |record| {
        let record = record.map_err(|e| csv_error(&file_name, e))?;
        let line = record.position().map_or(0, |p| p.line());
        Ok((line, record))
    });
    Ok((columns, rows))
}

pub(crate) fn import_error(file: &str, line: u64, column: usize, reason: Refusal) -> StoreError {
    StoreError::Import {
        file: file.to_string(),
        line,
        column,
        reason,
    }
}

pub(crate) fn placed(file: &str, line: u64, e: FieldError) -> StoreError {
    import_error(file, line, e.column, e.reason)
}

fn csv_error(file: &str, e: csv::Error) -> StoreError {
    let line = e.position().map_or(0, |p| p.line());
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => import_error(
            file,
            line,
            err.field() + 1,
            refuse!(
                "not valid UTF-8: save the file as UTF-8",
                "no es UTF-8 válido: guarde el archivo como UTF-8"
            ),
        ),
        csv::ErrorKind::Io(io) => import_error(file, line, 1, refuse!("cannot read: {io}", "no se puede leer: {io}")),
        _ => import_error(file, line, 1, Refusal::as_written(e.to_string())),
    }
}

pub(crate) fn require_import(permit: &Permit) -> Result<i64> {
    match permit.action() {
        Action::Import => Ok(permit.actor().partnership_id),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

/// A unit as stored, for comparing with an incoming row.
struct StoredUnit {
    id: i64,
    kind: UnitKind,
    name: String,
    parent_id: Option<i64>,
}

#[derive(Serialize)]
struct UnitRecord<'a> {
    kind: &'a str,
    name: &'a str,
    parent_code: Option<&'a str>,
}

/// A person as stored, for comparing with an incoming row.
#[derive(Clone, PartialEq, Eq)]
struct StoredPerson {
    id: i64,
    name: String,
    kind: String,
    local_id: Option<i64>,
    unit_id: Option<i64>,
    job_title: String,
}

#[derive(Serialize)]
struct PersonRecord<'a> {
    name: &'a str,
    kind: &'a str,
    local_code: Option<&'a str>,
    unit_code: Option<&'a str>,
    job_title: &'a str,
}

impl Store {
    /// Import an org file (see [`ORG_COLUMNS`]) from `reader`.
    pub async fn import_org<R: Read + Send>(&self, permit: &Permit, file: &str, reader: R) -> Result<ImportReport> {
        let (columns, records) = csv_records(file, reader, &ORG_COLUMNS)?;
        self.import_org_records(permit, file, &columns, records).await
    }

    /// Import org records already split into fields.
    pub async fn import_org_records(
        &self,
        permit: &Permit,
        file: &str,
        columns: &Columns,
        records: impl Iterator<Item = Result<Record>> + Send,
    ) -> Result<ImportReport> {
        let partnership_id = require_import(permit)?;
        let actor = permit.actor().username.clone();
        let parent_column = columns.column("parent_code");
        let report = in_tx!(self, |tx| {
            let stored: Vec<(i64, String, String, String, Option<i64>)> =
                sqlx::query_as("SELECT id, code, kind, name, parent_id FROM units WHERE partnership_id = $1")
                    .bind(partnership_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut code_of: HashMap<i64, String> = HashMap::new();
            let mut units: HashMap<String, StoredUnit> = HashMap::new();
            for (id, code, kind, name, parent_id) in stored {
                let kind = kind.parse::<UnitKind>().map_err(StoreError::Rule)?;
                code_of.insert(id, code.clone());
                units.insert(
                    code,
                    StoredUnit {
                        id,
                        kind,
                        name,
                        parent_id,
                    },
                );
            }
            let mut seen: HashMap<String, u64> = HashMap::new();
            let mut report = ImportReport::default();
            let mut changes = Vec::new();
            for record in records {
                let (line, record) = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_org_row(columns, &fields).map_err(|e| placed(file, line, e))?;
                report.rows += 1;
                if let Some(first) = seen.insert(row.code.clone(), line) {
                    let column = columns.column("code");
                    return Err(import_error(file, line, column, given_twice("code", &row.code, first)));
                }
                let parent = match &row.parent_code {
                    None => None,
                    Some(code) => Some(units.get(code).map(|u| (u.id, u.kind)).ok_or_else(|| {
                        import_error(
                            file,
                            line,
                            parent_column,
                            refuse!("parent_code {code:?} is not a unit of this partnership nor an earlier row of this file", "parent_code {code:?} no es una unidad de esta alianza ni una fila anterior de este archivo"),
                        )
                    })?),
                };
                row.kind
                    .check_parent(parent.map(|(_, kind)| kind))
                    .map_err(|reason| import_error(file, line, parent_column, reason))?;
                let parent_id = parent.map(|(id, _)| id);
                let after = UnitRecord {
                    kind: row.kind.as_str(),
                    name: &row.name,
                    parent_code: row.parent_code.as_deref(),
                };
                match units.get_mut(&row.code) {
                    Some(unit) if unit.kind != row.kind => {
                        return Err(import_error(file, line, columns.column("kind"), {
                            let (code, kind) = (&row.code, unit.kind);
                            refuse!(
                                "{code} is stored as a {kind}; a unit's kind cannot change",
                                "{code} está guardado como «{kind}»; el tipo de una unidad no puede cambiar"
                            )
                        }));
                    }
                    Some(unit) if unit.name == row.name && unit.parent_id == parent_id => report.unchanged += 1,
                    Some(unit) => {
                        let before_parent = unit.parent_id.and_then(|id| code_of.get(&id)).cloned();
                        let before = UnitRecord {
                            kind: unit.kind.as_str(),
                            name: &unit.name,
                            parent_code: before_parent.as_deref(),
                        };
                        changes.push(
                            Change::new("unit.update", "unit", &row.code)
                                .before(&before)
                                .after(&after),
                        );
                        sqlx::query("UPDATE units SET name = $1, parent_id = $2 WHERE id = $3")
                            .bind(&row.name)
                            .bind(parent_id)
                            .bind(unit.id)
                            .execute(&mut *tx)
                            .await?;
                        unit.name = row.name.clone();
                        unit.parent_id = parent_id;
                        report.updated += 1;
                    }
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO units (partnership_id, code, kind, name, parent_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        )
                        .bind(partnership_id)
                        .bind(&row.code)
                        .bind(row.kind.as_str())
                        .bind(&row.name)
                        .bind(parent_id)
                        .fetch_one(&mut *tx)
                        .await?;
                        changes.push(Change::new("unit.create", "unit", &row.code).after(&after));
                        code_of.insert(id, row.code.clone());
                        units.insert(
                            row.code.clone(),
                            StoredUnit {
                                id,
                                kind: row.kind,
                                name: row.name.clone(),
                                parent_id,
                            },
                        );
                        report.inserted += 1;
                    }
                }
            }
            tx.append_audit(partnership_id, &actor, changes).await?;
            report
        });
        Ok(report)
    }

    /// Import a people file (see [`PEOPLE_COLUMNS`]) from `reader`.
    pub async fn import_people<R: Read + Send>(&self, permit: &Permit, file: &str, reader: R) -> Result<ImportReport> {
        let (columns, records) = csv_records(file, reader, &PEOPLE_COLUMNS)?;
        self.import_people_records(permit, file, &columns, records).await
    }

    /// Import people records already split into fields.
    pub async fn import_people_records(
        &self,
        permit: &Permit,
        file: &str,
        columns: &Columns,
        records: impl Iterator<Item = Result<Record>> + Send,
    ) -> Result<ImportReport> {
        Ok(self.take_in_people(permit, file, columns, records, None).await?.counts)
    }

    /// The nightly sync: a people file that names everyone who works here.
    /// Besides what an import does, whoever it leaves out has left — their
    /// seats and standing roles end (kept as history), a co-lead's seat left
    /// empty opens a vacancy the Health page counts — and a move between
    /// units is recorded as a transfer. A dry run reports the same and
    /// writes nothing.
    pub async fn sync_people<R: Read + Send>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        sync: &PeopleSync,
    ) -> Result<SyncReport> {
        let (columns, records) = csv_records(file, reader, &PEOPLE_COLUMNS)?;
        self.take_in_people(permit, file, &columns, records, Some(sync)).await
    }

    async fn take_in_people(
        &self,
        permit: &Permit,
        file: &str,
        columns: &Columns,
        records: impl Iterator<Item = Result<Record>> + Send,
        sync: Option<&PeopleSync>,
    ) -> Result<SyncReport> {
        let partnership_id = require_import(permit)?;
        let actor = permit.actor().username.clone();
        let local_column = columns.column("local_code");
        let unit_column = columns.column("unit_code");
        let dry_run = sync.is_some_and(|s| s.dry_run);
        let report = crate::in_tx_unless_dry!(self, dry_run, |tx| {
            let stored_units: Vec<(i64, String, String)> =
                sqlx::query_as("SELECT id, code, kind FROM units WHERE partnership_id = $1")
                    .bind(partnership_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut unit_by_code: HashMap<String, (i64, UnitKind)> = HashMap::new();
            let mut code_of: HashMap<i64, String> = HashMap::new();
            for (id, code, kind) in stored_units {
                let kind = kind.parse::<UnitKind>().map_err(StoreError::Rule)?;
                code_of.insert(id, code.clone());
                unit_by_code.insert(code, (id, kind));
            }
            let mut people: HashMap<String, StoredPerson> = HashMap::new();
            // Those a complete file found missing before, by employee number.
            let mut gone: HashMap<String, i64> = HashMap::new();
            {
                let mut rows = sqlx::query_as::<_, StoredPersonRow>(
                    "SELECT id, employee_no, name, kind, local_id, unit_id, job_title, left_on FROM people WHERE partnership_id = $1",
                )
                .bind(partnership_id)
                .fetch(&mut *tx);
                while let Some((id, employee_no, name, kind, local_id, unit_id, job_title, left_on)) =
                    rows.try_next().await?
                {
                    if left_on.is_some() {
                        gone.insert(employee_no.clone(), id);
                    }
                    people.insert(
                        employee_no,
                        StoredPerson {
                            id,
                            name,
                            kind,
                            local_id,
                            unit_id,
                            job_title,
                        },
                    );
                }
            }
            let mut seen: HashMap<String, u64> = HashMap::new();
            let mut report = ImportReport::default();
            let mut sync_report = SyncReport {
                dry_run,
                ..SyncReport::default()
            };
            // (person, from unit, to unit) for each move a complete file shows.
            let mut moves: Vec<(i64, Option<i64>, Option<i64>)> = Vec::new();
            let mut new_rows: Vec<Vec<Value>> = Vec::new();
            // (employee_no, name) of everyone inserted or renamed: their
            // search words are written once the rows have ids.
            let mut reindex: Vec<(String, String)> = Vec::new();
            let mut renamed_ids: Vec<i64> = Vec::new();
            let mut changes: Vec<Change> = Vec::new();
            for record in records {
                let (line, record) = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_person_row(columns, &fields).map_err(|e| placed(file, line, e))?;
                report.rows += 1;
                if let Some(first) = seen.insert(row.employee_no.clone(), line) {
                    return Err(import_error(
                        file,
                        line,
                        columns.column("employee_no"),
                        given_twice("employee_no", &row.employee_no, first),
                    ));
                }
                let local_id = resolve(
                    &unit_by_code,
                    row.local_code.as_deref(),
                    |k| k == UnitKind::Local,
                    ("a local", "un local"),
                )
                .map_err(|reason| import_error(file, line, local_column, reason))?;
                let unit_id = resolve(
                    &unit_by_code,
                    row.unit_code.as_deref(),
                    UnitKind::is_employer_unit,
                    ("an employer unit", "una unidad del empleador"),
                )
                .map_err(|reason| import_error(file, line, unit_column, reason))?;
                let incoming = StoredPerson {
                    id: 0,
                    name: row.name.clone(),
                    kind: row.kind.as_str().to_string(),
                    local_id,
                    unit_id,
                    job_title: row.job_title.clone(),
                };
                let after = person_record(&row);
                match people.get(&row.employee_no) {
                    Some(stored) if stored.kind != incoming.kind => {
                        return Err(import_error(file, line, columns.column("kind"), {
                            let (employee_no, kind) = (&row.employee_no, &stored.kind);
                            refuse!(
                                    "{employee_no} is stored as a {kind}; a person's kind cannot change (their seats depend on it)",
                                    "{employee_no} está guardado como «{kind}»; el tipo de una persona no puede cambiar (sus puestos dependen de él)"
                                )
                        }));
                    }
                    Some(stored)
                        if StoredPerson {
                            id: stored.id,
                            ..incoming.clone()
                        } == *stored =>
                    {
                        report.unchanged += 1
                    }
                    Some(stored) => {
                        let before = PersonRecord {
                            name: &stored.name,
                            kind: &stored.kind,
                            local_code: stored.local_id.and_then(|id| code_of.get(&id)).map(String::as_str),
                            unit_code: stored.unit_id.and_then(|id| code_of.get(&id)).map(String::as_str),
                            job_title: &stored.job_title,
                        };
                        changes.push(
                            Change::new("person.update", "person", &row.employee_no)
                                .before(&before)
                                .after(&after),
                        );
                        if stored.name != row.name {
                            renamed_ids.push(stored.id);
                            reindex.push((row.employee_no.clone(), row.name.clone()));
                        }
                        if sync.is_some() && stored.unit_id != unit_id {
                            moves.push((stored.id, stored.unit_id, unit_id));
                        }
                        sqlx::query(
                            "UPDATE people SET name = $1, local_id = $2, unit_id = $3, job_title = $4 WHERE id = $5",
                        )
                        .bind(&row.name)
                        .bind(local_id)
                        .bind(unit_id)
                        .bind(&row.job_title)
                        .bind(stored.id)
                        .execute(&mut *tx)
                        .await?;
                        report.updated += 1;
                    }
                    None => {
                        changes.push(Change::new("person.create", "person", &row.employee_no).after(&after));
                        reindex.push((row.employee_no.clone(), row.name.clone()));
                        new_rows.push(vec![
                            Value::Int(partnership_id),
                            Value::Text(row.employee_no),
                            Value::Text(row.name),
                            Value::Text(row.kind.as_str().to_string()),
                            local_id.into(),
                            unit_id.into(),
                            Value::Text(row.job_title),
                        ]);
                        report.inserted += 1;
                    }
                }
                if new_rows.len() >= BATCH || changes.len() >= BATCH {
                    tx.insert_rows("people", &PEOPLE_TABLE_COLUMNS, &std::mem::take(&mut new_rows))
                        .await?;
                    tx.append_audit(partnership_id, &actor, std::mem::take(&mut changes))
                        .await?;
                }
            }
            tx.insert_rows("people", &PEOPLE_TABLE_COLUMNS, &new_rows).await?;
            if let Some(sync) = sync {
                let on = sync.today.to_string();
                sync_report.transferred = moves.len() as u64;
                let transfers: Vec<Vec<Value>> = moves
                    .iter()
                    .map(|(person, from, to)| {
                        vec![
                            Value::Int(partnership_id),
                            Value::Int(*person),
                            (*from).into(),
                            (*to).into(),
                            Value::Text(on.clone()),
                        ]
                    })
                    .collect();
                tx.insert_rows(
                    "transfers",
                    &["partnership_id", "person_id", "from_unit_id", "to_unit_id", "on_day"],
                    &transfers,
                )
                .await?;
                // Back again: named by this file after one that left them out.
                for (employee_no, id) in &gone {
                    if seen.contains_key(employee_no) {
                        sqlx::query("UPDATE people SET left_on = NULL WHERE id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        changes.push(Change::new("person.return", "person", employee_no));
                        sync_report.returned += 1;
                    }
                }
                let mut leavers: Vec<(&String, i64)> = people
                    .iter()
                    .filter(|(no, _)| !seen.contains_key(*no) && !gone.contains_key(*no))
                    .map(|(no, p)| (no, p.id))
                    .collect();
                leavers.sort_unstable();
                sync_report.left = leavers.len() as u64;
                for chunk in leavers.chunks(500) {
                    let ids: Vec<String> = chunk.iter().map(|(_, id)| id.to_string()).collect();
                    let ids = ids.join(",");
                    // The co-lead seats a leaver empties, for the report.
                    let emptied: Vec<(String, String)> = sqlx::query_as(&format!(
                        "SELECT b.code, s.side FROM seats s JOIN bodies b ON b.id = s.body_id \
                         WHERE s.partnership_id = $1 AND s.role = 'co_lead' AND s.person_id IN ({ids}) ORDER BY b.code"
                    ))
                    .bind(partnership_id)
                    .fetch_all(&mut *tx)
                    .await?;
                    sync_report.vacancies.extend(
                        emptied
                            .into_iter()
                            .map(|(body_code, side)| CoLeadVacancy { body_code, side }),
                    );
                    // Kept as past seats, and the co-leads' spells end: on
                    // the sync's day.
                    sync_report.seats_ended +=
                        crate::structure::end_seats!(tx, partnership_id, &format!("person_id IN ({ids})"), &on);
                    sqlx::query(&format!(
                        "INSERT INTO past_standing_roles (partnership_id, person_id, role, unit_id, ended_on) \
                         SELECT partnership_id, person_id, role, unit_id, $2 FROM standing_roles \
                         WHERE partnership_id = $1 AND person_id IN ({ids})"
                    ))
                    .bind(partnership_id)
                    .bind(&on)
                    .execute(&mut *tx)
                    .await?;
                    sync_report.roles_ended += sqlx::query(&format!(
                        "DELETE FROM standing_roles WHERE partnership_id = $1 AND person_id IN ({ids})"
                    ))
                    .bind(partnership_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    sqlx::query(&format!(
                        "UPDATE people SET left_on = $1 WHERE partnership_id = $2 AND id IN ({ids})"
                    ))
                    .bind(&on)
                    .bind(partnership_id)
                    .execute(&mut *tx)
                    .await?;
                    // A leaver signs in no more; an administrator may bring a sign-in back.
                    let leaving: Vec<(i64, String)> = sqlx::query_as(&format!(
                        "SELECT id, username FROM users WHERE partnership_id = $1 AND person_id IN ({ids}) \
                         AND deactivated_on IS NULL"
                    ))
                    .bind(partnership_id)
                    .fetch_all(&mut *tx)
                    .await?;
                    let user_ids: Vec<i64> = leaving.iter().map(|(id, _)| *id).collect();
                    sync_report.sign_ins_deactivated += crate::sign_ins::deactivate_sign_ins!(tx, &user_ids, &on);
                    for (_, username) in &leaving {
                        changes.push(
                            Change::new("user.deactivate", "user", username)
                                .after(&serde_json::json!({"deactivated_on": on, "why": "left"})),
                        );
                    }
                    for (employee_no, _) in chunk {
                        changes.push(
                            Change::new("person.leave", "person", employee_no)
                                .after(&serde_json::json!({"left_on": on})),
                        );
                    }
                }
                sync_report.vacancies.sort();
            }
            tx.append_audit(partnership_id, &actor, changes).await?;
            if !reindex.is_empty() {
                for id in &renamed_ids {
                    sqlx::query("DELETE FROM person_words WHERE person_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                let ids: HashMap<String, i64> =
                    sqlx::query_as::<_, (String, i64)>("SELECT employee_no, id FROM people WHERE partnership_id = $1")
                        .bind(partnership_id)
                        .fetch_all(&mut *tx)
                        .await?
                        .into_iter()
                        .collect();
                let mut word_rows = Vec::new();
                for (employee_no, name) in &reindex {
                    let Some(id) = ids.get(employee_no) else { continue };
                    for word in person_words(name, employee_no) {
                        word_rows.push(vec![Value::Int(partnership_id), Value::Text(word), Value::Int(*id)]);
                    }
                }
                tx.insert_rows("person_words", &["partnership_id", "word", "person_id"], &word_rows)
                    .await?;
            }
            sync_report.counts = report;
            sync_report
        });
        // Leavers' seats ended: their teams may have lost a level.
        if !dry_run && report.seats_ended > 0 {
            self.rerate_all_teams(partnership_id).await?;
        }
        Ok(report)
    }

    /// Write every person of a partnership in the import format, streaming.
    pub async fn export_people<W: Write>(&self, partnership_id: i64, out: W) -> Result<u64> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(PEOPLE_COLUMNS).map_err(csv_write_error)?;
        let sql = "SELECT p.employee_no, p.name, p.kind, l.code, u.code, p.job_title FROM people p \
                   LEFT JOIN units l ON l.id = p.local_id LEFT JOIN units u ON u.id = p.unit_id \
                   WHERE p.partnership_id = $1 ORDER BY p.employee_no";
        let mut written = 0;
        on_pool!(self, |pool| {
            let mut rows = sqlx::query_as::<_, (String, String, String, Option<String>, Option<String>, String)>(sql)
                .bind(partnership_id)
                .fetch(pool);
            while let Some((employee_no, name, kind, local, unit, job_title)) = rows.try_next().await? {
                writer
                    .write_record([
                        employee_no.as_str(),
                        name.as_str(),
                        kind.as_str(),
                        local.as_deref().unwrap_or(""),
                        unit.as_deref().unwrap_or(""),
                        job_title.as_str(),
                    ])
                    .map_err(csv_write_error)?;
                written += 1;
            }
        });
        writer.flush()?;
        Ok(written)
    }
}

const PEOPLE_TABLE_COLUMNS: [&str; 7] = [
    "partnership_id",
    "employee_no",
    "name",
    "kind",
    "local_id",
    "unit_id",
    "job_title",
];

fn person_record(row: &PersonRow) -> PersonRecord<'_> {
    PersonRecord {
        name: &row.name,
        kind: row.kind.as_str(),
        local_code: row.local_code.as_deref(),
        unit_code: row.unit_code.as_deref(),
        job_title: &row.job_title,
    }
}

/// Find a referenced unit and check it is the right kind.
fn resolve(
    units: &HashMap<String, (i64, UnitKind)>,
    code: Option<&str>,
    fits: impl Fn(UnitKind) -> bool,
    (wanted, wanted_es): (&str, &str),
) -> std::result::Result<Option<i64>, Refusal> {
    let Some(code) = code else { return Ok(None) };
    match units.get(code) {
        Some((id, kind)) if fits(*kind) => Ok(Some(*id)),
        Some((_, kind)) => Err(refuse!(
            "{code:?} is a {kind}, not {wanted}",
            "{code:?} es «{kind}», no {wanted_es}"
        )),
        None => Err(refuse!(
            "{code:?} is not a unit of this partnership: import the org file first",
            "{code:?} no es una unidad de esta alianza: importe primero el archivo de organización"
        )),
    }
}

/// A key that a file gives twice: `what` (a column) is `value` again.
pub(crate) fn given_twice(what: &str, value: &str, first: u64) -> Refusal {
    refuse!(
        "{what} {value:?} appears twice (first on line {first})",
        "{what} {value:?} aparece dos veces (la primera en la línea {first})"
    )
}

/// An employee number a file names that the partnership does not have.
pub(crate) fn not_a_person(employee_no: &str) -> Refusal {
    refuse!(
        "{employee_no:?} is not a person of this partnership: import the people file first",
        "{employee_no:?} no es una persona de esta alianza: importe primero el archivo de personas"
    )
}

fn csv_write_error(e: csv::Error) -> StoreError {
    StoreError::Io(std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::{CoLeadVacancy, SyncReport};
    use lmp_core::language::Language;

    #[test]
    fn a_sync_in_words_names_the_first_empty_seats_and_counts_the_rest() {
        let vacancy = |code: &str| CoLeadVacancy {
            body_code: code.into(),
            side: "labor".into(),
        };
        let report = SyncReport {
            dry_run: true,
            left: 2,
            vacancies: vec![vacancy("UBT-1"), vacancy("UBT-2"), vacancy("UBT-3")],
            ..SyncReport::default()
        };
        let lines = report.summary("nightly.csv", 2, Language::English);
        assert!(lines[0].starts_with("Would take in nightly.csv: 0 rows"), "{lines:?}");
        assert!(lines[0].contains("2 would leave"), "{lines:?}");
        assert_eq!(
            lines[1],
            "3 co-lead seats are left empty: UBT-1 (no labor co-lead), UBT-2 (no labor co-lead) and 1 more."
        );
        assert_eq!(lines.last().map(String::as_str), Some("Dry run: nothing was written."));
        let done = SyncReport {
            vacancies: vec![vacancy("UBT-1")],
            ..SyncReport::default()
        };
        let lines = done.summary("nightly.csv", 0, Language::English);
        assert!(lines[0].starts_with("Took in nightly.csv"), "{lines:?}");
        assert_eq!(lines[1], "1 co-lead seat is left empty.");
        assert_eq!(lines.len(), 3, "no dry-run line: {lines:?}");
    }
}
