//! Into the transition pool: the workers a displacement affects, from a
//! workers file (`W.csv`'s columns, `worker_id` being the employee number,
//! and optionally `hourly_rate` and `facility`), all or none. And the vacancies they may
//! fill: posted by hand, from a vacancies file (`V.csv`'s columns, and
//! optionally `pay_min`, `pay_max`, `facility`), or by the API — all or
//! none, and the same post twice changes nothing.

use super::parse_date;
use crate::audit::{AuditAppend, Change};
use crate::import::{csv_records_with, import_error, placed};
use crate::{in_tx, on_pool, require, Result, Store, StoreError};
use lmp_core::eis::pool::{
    parse_vacancy_row, parse_worker_row, Fte, VacancyRow, WorkerRow, VACANCY_COLUMNS, WORKER_COLUMNS,
};
use lmp_core::eis::rules::{protection_days_left, EisRules};
use lmp_core::money::Cents;
use lmp_core::policy::{Action, Permit};
use lmp_core::refuse;
use serde::Serialize;
use std::io::Read;

/// Optional columns of a pool file.
pub const POOL_OPTIONAL: [&str; 2] = ["hourly_rate", "facility"];
/// Optional columns of a vacancies file.
pub const VACANCY_OPTIONAL: [&str; 3] = ["pay_min", "pay_max", "facility"];

/// A vacancy to post, with its pay range and facility where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacancyPost {
    pub row: VacancyRow,
    pub pay_min: Option<Cents>,
    pub pay_max: Option<Cents>,
    pub facility: String,
}

/// A worker in the pool as the board and API show them.
#[derive(Debug, Clone, Serialize)]
pub struct PoolWorker {
    pub pool_id: i64,
    pub event_id: i64,
    pub employee_no: String,
    pub name: String,
    pub local: Option<String>,
    pub job_class: String,
    pub licences: String,
    pub fte: String,
    pub shift: String,
    pub pay_band: String,
    pub region: String,
    /// The facility the worker was displaced from, where the file gave it.
    pub facility: String,
    #[serde(rename = "hourly_rate_cents")]
    pub hourly_rate: Option<Cents>,
    pub seniority_date: String,
    pub entered_on: String,
    pub protected_until: String,
    /// Days of income protection left today (0 once it ended).
    pub protection_days_left: i64,
    pub protection_ended_on: Option<String>,
    /// What pay may do when protection ends, by the rule of the displacement's announcement.
    pub after_protection: Vec<String>,
    /// in_pool, placed or left.
    pub status: String,
    pub placed_on: Option<String>,
    pub placed_vacancy: Option<String>,
    pub placed_kind: Option<String>,
    pub retraining_until: Option<String>,
}

/// A vacancy as the board and API show it.
#[derive(Debug, Clone, Serialize)]
pub struct Vacancy {
    pub id: i64,
    pub code: String,
    pub job_class: String,
    pub required_licences: String,
    pub fte: String,
    pub shift: String,
    pub pay_band: String,
    pub region: String,
    pub retrain_from: String,
    #[serde(rename = "pay_min_cents")]
    pub pay_min: Option<Cents>,
    #[serde(rename = "pay_max_cents")]
    pub pay_max: Option<Cents>,
    pub facility: String,
    pub posted_on: String,
    /// open, filled or withdrawn.
    pub status: String,
}

/// What taking in a file did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Taken {
    pub added: usize,
    pub unchanged: usize,
}

fn money(column: usize, value: &str, what: &str) -> std::result::Result<Option<Cents>, lmp_core::import::FieldError> {
    if value.is_empty() {
        return Ok(None);
    }
    match Cents::parse_dollars(value) {
        Ok(cents) if cents.get() < 0 => Err(lmp_core::import::FieldError::new(
            column,
            refuse!("{what} cannot be negative", "{what} no puede ser negativo"),
        )),
        Ok(cents) => Ok(Some(cents)),
        Err(e) => Err(lmp_core::import::FieldError::new(column, e.after(what, what))),
    }
}

fn joined(items: &[String]) -> String {
    items.join(";")
}

/// A worker's terms in the pool: (event, job class, licences, FTE, shift,
/// pay band, region, seniority date) — the same twice is the same entry.
type PoolTerms = (i64, String, String, i64, String, String, String, String);

/// A pool row as read, named as [`POOL_SELECT`] names its columns.
#[derive(sqlx::FromRow)]
pub(crate) struct PoolRow {
    pool_id: i64,
    event_id: i64,
    employee_no: String,
    name: String,
    local: Option<String>,
    job_class: String,
    licences: String,
    fte: i64,
    shift: String,
    pay_band: String,
    region: String,
    facility: String,
    announced_on: String,
    cents_per_hour: Option<i64>,
    seniority_date: String,
    entered_on: String,
    protected_until: String,
    protection_ended_on: Option<String>,
    status: String,
    placed_on: Option<String>,
    placed_vacancy: Option<String>,
    placed_kind: Option<String>,
    retraining_until: Option<String>,
}

pub(crate) const POOL_SELECT: &str = "SELECT w.id AS pool_id, w.event_id, p.employee_no, p.name, l.code AS local, \
     w.job_class, w.licences, w.fte, w.shift, w.pay_band, w.region, w.facility, e.announced_on, w.cents_per_hour, w.seniority_date, w.entered_on, \
     w.protected_until, w.protection_ended_on, w.status, w.placed_on, v.code AS placed_vacancy, w.placed_kind, \
     w.retraining_until \
     FROM eis_pool w JOIN people p ON p.id = w.person_id JOIN eis_events e ON e.id = w.event_id \
     LEFT JOIN units l ON l.id = p.local_id \
     LEFT JOIN eis_vacancies v ON v.id = w.placed_vacancy_id";

fn fte_text(hundredths: i64) -> String {
    Fte::from_hundredths(hundredths).map_or_else(|e| e.to_string(), |f| f.to_string())
}

/// Days of protection left today: to its end, or to the day it was ended.
pub(crate) fn days_left(protected_until: &str, ended_on: Option<&str>, today: jiff::civil::Date) -> i64 {
    protection_days_left(parse_date(ended_on.unwrap_or(protected_until)), today)
}

fn pool_worker(row: PoolRow, today: jiff::civil::Date, rules: &EisRules) -> PoolWorker {
    let after_protection = rules
        .in_force(parse_date(&row.announced_on))
        .after_protection
        .iter()
        .map(|o| o.label().to_string())
        .collect();
    PoolWorker {
        after_protection,
        protection_days_left: days_left(&row.protected_until, row.protection_ended_on.as_deref(), today),
        pool_id: row.pool_id,
        event_id: row.event_id,
        employee_no: row.employee_no,
        name: row.name,
        local: row.local,
        job_class: row.job_class,
        licences: row.licences,
        fte: fte_text(row.fte),
        shift: row.shift,
        pay_band: row.pay_band,
        region: row.region,
        facility: row.facility,
        hourly_rate: row.cents_per_hour.map(Cents),
        seniority_date: row.seniority_date,
        entered_on: row.entered_on,
        protected_until: row.protected_until,
        protection_ended_on: row.protection_ended_on,
        status: row.status,
        placed_on: row.placed_on,
        placed_vacancy: row.placed_vacancy,
        placed_kind: row.placed_kind,
        retraining_until: row.retraining_until,
    }
}

type VacancyDbRow = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
);

pub(crate) const VACANCY_SELECT: &str = "SELECT id, code, job_class, required_licences, fte, shift, pay_band, region, \
     retrain_from, pay_min_cents, pay_max_cents, facility, posted_on, status FROM eis_vacancies";

fn vacancy(row: VacancyDbRow) -> Vacancy {
    let (
        id,
        code,
        job_class,
        required_licences,
        fte,
        shift,
        pay_band,
        region,
        retrain_from,
        min,
        max,
        facility,
        posted_on,
        status,
    ) = row;
    Vacancy {
        id,
        code,
        job_class,
        required_licences,
        fte: fte_text(fte),
        shift,
        pay_band,
        region,
        retrain_from,
        pay_min: min.map(Cents),
        pay_max: max.map(Cents),
        facility,
        posted_on,
        status,
    }
}

impl Store {
    /// Take a displacement's workers into the pool from a workers file, all
    /// or none. Refused until both sides confirmed the alternatives. A
    /// worker already in the pool — from this file before, unchanged, is
    /// skipped; from another displacement, or differently, is an error.
    pub async fn add_to_pool<R: Read>(&self, permit: &Permit, event_id: i64, file: &str, reader: R) -> Result<Taken> {
        let pid = require(permit, |a| matches!(a, Action::ManageEis { .. }))?;
        let event = self.eis_displacement(pid, event_id).await?;
        if !event.pool_open {
            return Err(StoreError::Rule(refuse!(
"workers enter the pool only after both sides' EIS representatives confirm the alternatives were looked at",
"los trabajadores entran en la bolsa solo después de que los representantes del EIS de ambas partes confirmen que se estudiaron las alternativas"
)));
        }
        let rules = self.eis_rules(pid).await?;
        let rule = rules.in_force(parse_date(&event.announced_on));
        let entered_on = parse_date(&event.effective_on);
        let protected_until = rule.protected_until(entered_on);
        let (columns, records) = csv_records_with(file, reader, &WORKER_COLUMNS, &POOL_OPTIONAL)?;
        let mut rows: Vec<(u64, WorkerRow, Option<Cents>, String)> = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        for record in records {
            let (line, record) = record?;
            let fields: Vec<&str> = record.iter().collect();
            let row = parse_worker_row(&columns, &fields).map_err(|e| placed(file, line, e))?;
            let rate = match columns.optional_field(&fields, "hourly_rate") {
                Some((column, value)) => money(column, value, "hourly_rate").map_err(|e| placed(file, line, e))?,
                None => None,
            };
            if !seen.insert(row.worker_id.clone()) {
                return Err(import_error(file, line, columns.column("worker_id"), {
                    let worker = &row.worker_id;
                    refuse!(
                        "worker {worker} is listed twice: a worker is displaced once, with one row",
                        "el trabajador {worker} aparece dos veces: un trabajador se desplaza una vez, con una fila"
                    )
                }));
            }
            let facility = columns
                .optional_field(&fields, "facility")
                .map_or(String::new(), |(_, v)| v.to_string());
            rows.push((line, row, rate, facility));
        }
        let actor = permit.actor().username.clone();
        let taken = in_tx!(self, |tx| {
            let mut taken = Taken::default();
            let mut changes = Vec::new();
            for (line, row, rate, facility) in &rows {
                let at = |name: &str| columns.column(name);
                let person: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM people WHERE partnership_id = $1 AND employee_no = $2")
                        .bind(pid)
                        .bind(&row.worker_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let person_id = person.ok_or_else(|| {
                    import_error(file, *line, at("worker_id"), {
                        let worker = &row.worker_id;
                        refuse!(
                            "no one has employee number {worker:?}",
                            "nadie tiene el número de empleado {worker:?}"
                        )
                    })
                })?;
                let fte = i64::from(row.fte.hundredths());
                let existing: Option<PoolTerms> = sqlx::query_as(
                    "SELECT event_id, job_class, licences, fte, shift, pay_band, region, seniority_date FROM eis_pool \
                     WHERE partnership_id = $1 AND person_id = $2 AND status = 'in_pool'",
                )
                .bind(pid)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
                let ours = (
                    event_id,
                    row.job_class.clone(),
                    joined(&row.licences),
                    fte,
                    row.shift.clone(),
                    row.pay_band.clone(),
                    row.region.clone(),
                    row.seniority_date.to_string(),
                );
                match existing {
                    Some(theirs) if theirs == ours => {
                        taken.unchanged += 1;
                        continue;
                    }
                    Some((other_event, ..)) => {
                        return Err(import_error(file, *line, at("worker_id"), {
                            let worker = &row.worker_id;
                            refuse!(
                                    "worker {worker} is already in the transition pool (displacement {other_event}): a worker is displaced once",
                                    "el trabajador {worker} ya está en la bolsa de transición (desplazamiento {other_event}): un trabajador se desplaza una vez"
                                )
                        }));
                    }
                    None => {}
                }
                let pool_id: i64 = sqlx::query_scalar(
                    "INSERT INTO eis_pool (partnership_id, event_id, person_id, job_class, licences, fte, shift, pay_band, \
                     region, facility, cents_per_hour, seniority_date, entered_on, protected_until, status) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'in_pool') RETURNING id",
                )
                .bind(pid)
                .bind(event_id)
                .bind(person_id)
                .bind(&row.job_class)
                .bind(joined(&row.licences))
                .bind(fte)
                .bind(&row.shift)
                .bind(&row.pay_band)
                .bind(&row.region)
                .bind(facility)
                .bind(rate.map(Cents::get))
                .bind(row.seniority_date.to_string())
                .bind(entered_on.to_string())
                .bind(protected_until.to_string())
                .fetch_one(&mut *tx)
                .await?;
                taken.added += 1;
                changes.push(
                    Change::new("eis.pool.enter", "eis_pool", pool_id).after(&serde_json::json!({
                        "event": event_id, "employee_no": row.worker_id, "job_class": row.job_class,
                        "protected_until": protected_until.to_string(),
                    })),
                );
            }
            if !changes.is_empty() {
                tx.append_audit(pid, &actor, changes).await?;
            }
            taken
        });
        Ok(taken)
    }

    /// The pool: everyone in it now, or everyone who was (`all`).
    pub async fn eis_pool(&self, partnership_id: i64, all: bool) -> Result<Vec<PoolWorker>> {
        let filter = if all { "" } else { " AND w.status = 'in_pool'" };
        let rows: Vec<PoolRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{POOL_SELECT} WHERE w.partnership_id = $1{filter} ORDER BY w.seniority_date, p.employee_no"
        ))
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        let (today, rules) = (crate::today(), self.eis_rules(partnership_id).await?);
        Ok(rows.into_iter().map(|r| pool_worker(r, today, &rules)).collect())
    }

    pub async fn eis_pool_worker(&self, partnership_id: i64, pool_id: i64) -> Result<PoolWorker> {
        let row: Option<PoolRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{POOL_SELECT} WHERE w.partnership_id = $1 AND w.id = $2"
        ))
        .bind(partnership_id)
        .bind(pool_id)
        .fetch_optional(pool)
        .await?);
        let rules = self.eis_rules(partnership_id).await?;
        row.map(|r| pool_worker(r, crate::today(), &rules))
            .ok_or(StoreError::NotFound("worker in the pool"))
    }

    /// Read a vacancies file into posts (every row checked; nothing written).
    pub fn read_vacancy_posts<R: Read>(file: &str, reader: R) -> Result<Vec<(u64, VacancyPost)>> {
        let (columns, records) = csv_records_with(file, reader, &VACANCY_COLUMNS, &VACANCY_OPTIONAL)?;
        let mut posts = Vec::new();
        for record in records {
            let (line, record) = record?;
            let fields: Vec<&str> = record.iter().collect();
            let row = parse_vacancy_row(&columns, &fields).map_err(|e| placed(file, line, e))?;
            let optional_money = |name: &str| match columns.optional_field(&fields, name) {
                Some((column, value)) => money(column, value, name).map_err(|e| placed(file, line, e)),
                None => Ok(None),
            };
            let (pay_min, pay_max) = (optional_money("pay_min")?, optional_money("pay_max")?);
            if let (Some(min), Some(max)) = (pay_min, pay_max) {
                if min > max {
                    return Err(import_error(
                        file,
                        line,
                        columns.column("pay_max"),
                        refuse!("pay_max is below pay_min", "pay_max es menor que pay_min"),
                    ));
                }
            }
            let facility = columns
                .optional_field(&fields, "facility")
                .map_or(String::new(), |(_, v)| v.to_string());
            posts.push((
                line,
                VacancyPost {
                    row,
                    pay_min,
                    pay_max,
                    facility,
                },
            ));
        }
        Ok(posts)
    }

    /// Post vacancies, all or none. The same post again (same code, same
    /// terms) is skipped; the same code with other terms is refused.
    /// `file` names where they came from, for errors (`file:line`); posts
    /// by hand or API are numbered from 1.
    pub async fn post_vacancies(&self, permit: &Permit, file: &str, posts: &[(u64, VacancyPost)]) -> Result<Taken> {
        let pid = require(permit, |a| matches!(a, Action::ManageEis { .. }))?;
        let mut seen = rustc_hash::FxHashSet::default();
        for (line, post) in posts {
            if !seen.insert(post.row.vacancy_id.as_str()) {
                return Err(import_error(file, *line, 1, {
                    let vacancy = &post.row.vacancy_id;
                    refuse!(
                        "vacancy {vacancy} is listed twice: each vacancy is posted once",
                        "la vacante {vacancy} aparece dos veces: cada vacante se publica una vez"
                    )
                }));
            }
        }
        let actor = permit.actor().username.clone();
        let today = crate::today().to_string();
        let taken = in_tx!(self, |tx| {
            let mut taken = Taken::default();
            let mut changes = Vec::new();
            for (line, post) in posts {
                let row = &post.row;
                let terms = (
                    row.job_class.clone(),
                    joined(&row.required_licences),
                    i64::from(row.fte.hundredths()),
                    row.shift.clone(),
                    row.pay_band.clone(),
                    row.region.clone(),
                    joined(&row.retrain_from),
                );
                let existing: Option<(String, String, i64, String, String, String, String)> = sqlx::query_as(
                    "SELECT job_class, required_licences, fte, shift, pay_band, region, retrain_from FROM eis_vacancies \
                     WHERE partnership_id = $1 AND code = $2",
                )
                .bind(pid)
                .bind(&row.vacancy_id)
                .fetch_optional(&mut *tx)
                .await?;
                match existing {
                    Some(theirs) if theirs == terms => {
                        taken.unchanged += 1;
                        continue;
                    }
                    Some(_) => {
                        return Err(import_error(file, *line, 1, {
                            let vacancy = &row.vacancy_id;
                            refuse!(
                                "vacancy {vacancy} is already posted with other terms",
                                "la vacante {vacancy} ya está publicada con otras condiciones"
                            )
                        }));
                    }
                    None => {}
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO eis_vacancies (partnership_id, code, job_class, required_licences, fte, shift, pay_band, \
                     region, retrain_from, pay_min_cents, pay_max_cents, facility, posted_on, status) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open') RETURNING id",
                )
                .bind(pid)
                .bind(&row.vacancy_id)
                .bind(&terms.0)
                .bind(&terms.1)
                .bind(terms.2)
                .bind(&terms.3)
                .bind(&terms.4)
                .bind(&terms.5)
                .bind(&terms.6)
                .bind(post.pay_min.map(Cents::get))
                .bind(post.pay_max.map(Cents::get))
                .bind(&post.facility)
                .bind(&today)
                .fetch_one(&mut *tx)
                .await?;
                taken.added += 1;
                changes.push(
                    Change::new("eis.vacancy.post", "eis_vacancy", id)
                        .after(&serde_json::json!({"code": row.vacancy_id, "job_class": row.job_class})),
                );
            }
            if !changes.is_empty() {
                tx.append_audit(pid, &actor, changes).await?;
            }
            taken
        });
        Ok(taken)
    }

    /// Vacancies: the open ones, or all (`all`).
    pub async fn eis_vacancies(&self, partnership_id: i64, all: bool) -> Result<Vec<Vacancy>> {
        let filter = if all { "" } else { " AND status = 'open'" };
        let rows: Vec<VacancyDbRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{VACANCY_SELECT} WHERE partnership_id = $1{filter} ORDER BY code"
        ))
        .bind(partnership_id)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(vacancy).collect())
    }
}
