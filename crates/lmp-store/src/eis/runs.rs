//! Placement over the whole pool: the engine proposes, with an explanation
//! for every worker; a proposal becomes a placement only when both sides'
//! EIS representatives accept it; a worker may decline. And the board.

use super::parse_date;
use super::pool::days_left;
use crate::audit::{AuditAppend, Change};
use crate::bulk::{BulkInsert, Value};
use crate::{in_tx, on_pool, require, Result, Store, StoreError};
use lmp_core::eis::explain::Explainer;
use lmp_core::eis::fit::{Eligibility, Kind};
use lmp_core::eis::placement::{place, Score};
use lmp_core::eis::pool::{Fte, Pool, VacancyRow, WorkerRow};
use lmp_core::eis::priority;
use lmp_core::language::Language;
use lmp_core::paging::{contains_pattern, Page, Paged};
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::two_key::Keys;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::time::Instant;

/// A placement run's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub id: i64,
    pub run_at: String,
    pub run_by: String,
    pub workers: i64,
    pub vacancies: i64,
    pub placed: i64,
    pub comparable: i64,
    pub retraining: i64,
    pub millis: i64,
}

/// What a run proposed for one worker, and where the proposal stands.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub id: i64,
    pub run_id: i64,
    pub pool_id: i64,
    pub employee_no: String,
    pub name: String,
    pub local: Option<String>,
    pub region: String,
    /// The worker's job class and facility, as the pool has them.
    pub job_class: String,
    pub facility: String,
    /// 1 first.
    pub priority: i64,
    pub vacancy_id: Option<i64>,
    pub vacancy: Option<String>,
    /// The job proposed: its class and facility (the code alone says little).
    pub vacancy_job_class: Option<String>,
    pub vacancy_facility: Option<String>,
    /// comparable, qualified or retraining; none when not placed.
    pub kind: Option<String>,
    pub explanation: String,
    /// The same explanation in Spanish.
    pub explanation_es: String,
    /// proposed, unplaced, placed, declined or superseded.
    pub status: String,
    pub labor_accepted_by: Option<String>,
    pub management_accepted_by: Option<String>,
    pub decline_reason: Option<String>,
    pub protection_days_left: i64,
}

/// Which of the latest run's proposals a board lists.
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    /// Words of the worker's name or the start of the employee number.
    pub worker: Option<String>,
    /// A local's code.
    pub local: Option<String>,
    /// The worker's facility or the job's.
    pub facility: Option<String>,
    /// One status (proposed, unplaced, placed, declined, superseded); all if none.
    pub status: Option<String>,
}

/// What the board shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Board {
    pub in_pool: i64,
    pub placed: i64,
    pub retraining_now: i64,
    pub open_vacancies: i64,
    pub awaiting_acceptance: i64,
    /// In the pool with 30 days of protection or fewer left.
    pub protection_ending: i64,
    pub by_region: Vec<BoardRow>,
    pub by_local: Vec<BoardRow>,
    /// Days from entering the pool to placement, each placed worker.
    pub days_to_placement: Vec<i64>,
    pub latest_run: Option<Run>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BoardRow {
    pub name: String,
    pub in_pool: i64,
    pub proposed: i64,
    pub placed: i64,
    pub retraining: i64,
}

/// (pool id, employee no, job class, licences, fte, shift, pay band, region, seniority date, reason)
type PoolEntry = (i64, String, String, String, i64, String, String, String, String, String);
/// (vacancy id, code, job class, licences, fte, shift, pay band, region, retrain from)
type OpenPost = (i64, String, String, String, i64, String, String, String, String);

fn list(text: &str) -> Vec<String> {
    text.split(';').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn fte(hundredths: i64) -> Result<Fte> {
    Fte::from_hundredths(hundredths).map_err(StoreError::Rule)
}

const PROPOSAL_SELECT: &str = "SELECT pr.id, pr.run_id, pr.pool_id, p.employee_no, p.name, l.code AS local, w.region, \
     w.job_class, w.facility, pr.priority, pr.vacancy_id, v.code AS vacancy, v.job_class AS vacancy_job_class, \
     v.facility AS vacancy_facility, pr.kind, pr.explanation, pr.explanation_es, pr.status, lp.name AS labor_accepted_by, \
     mp.name AS management_accepted_by, pr.decline_reason, w.protected_until, w.protection_ended_on \
     FROM eis_proposals pr JOIN eis_pool w ON w.id = pr.pool_id JOIN people p ON p.id = w.person_id \
     LEFT JOIN units l ON l.id = p.local_id LEFT JOIN eis_vacancies v ON v.id = pr.vacancy_id \
     LEFT JOIN people lp ON lp.id = pr.labor_accepted_by LEFT JOIN people mp ON mp.id = pr.management_accepted_by";

/// A proposal row as read, named as [`PROPOSAL_SELECT`] names its columns.
#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    run_id: i64,
    pool_id: i64,
    employee_no: String,
    name: String,
    local: Option<String>,
    region: String,
    job_class: String,
    facility: String,
    priority: i64,
    vacancy_id: Option<i64>,
    vacancy: Option<String>,
    vacancy_job_class: Option<String>,
    vacancy_facility: Option<String>,
    kind: Option<String>,
    explanation: String,
    explanation_es: String,
    status: String,
    labor_accepted_by: Option<String>,
    management_accepted_by: Option<String>,
    decline_reason: Option<String>,
    protected_until: String,
    protection_ended_on: Option<String>,
}

fn proposal(row: ProposalRow, today: jiff::civil::Date) -> Proposal {
    Proposal {
        protection_days_left: days_left(&row.protected_until, row.protection_ended_on.as_deref(), today),
        id: row.id,
        run_id: row.run_id,
        pool_id: row.pool_id,
        employee_no: row.employee_no,
        name: row.name,
        local: row.local,
        region: row.region,
        job_class: row.job_class,
        facility: row.facility,
        priority: row.priority,
        vacancy_id: row.vacancy_id,
        vacancy: row.vacancy,
        vacancy_job_class: row.vacancy_job_class,
        vacancy_facility: row.vacancy_facility,
        kind: row.kind,
        explanation: row.explanation,
        explanation_es: row.explanation_es,
        status: row.status,
        labor_accepted_by: row.labor_accepted_by,
        management_accepted_by: row.management_accepted_by,
        decline_reason: row.decline_reason,
    }
}

const RUN_SELECT: &str =
    "SELECT id, run_at, run_by, workers, vacancies, placed, comparable, retraining, millis FROM eis_runs";

type RunRow = (i64, String, String, i64, i64, i64, i64, i64, i64);

fn run(row: RunRow) -> Run {
    let (id, run_at, run_by, workers, vacancies, placed, comparable, retraining, millis) = row;
    Run {
        id,
        run_at,
        run_by,
        workers,
        vacancies,
        placed,
        comparable,
        retraining,
        millis,
    }
}

impl Store {
    /// Run placement over everyone in the pool and every open vacancy: the
    /// earlier run's open proposals are superseded by this one's. A job a
    /// worker declined is not proposed to them again.
    pub async fn run_placement(&self, permit: &Permit) -> Result<Run> {
        let pid = require(permit, |a| matches!(a, Action::ManageEis { .. }))?;
        let started = Instant::now();
        let workers: Vec<PoolEntry> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT w.id, p.employee_no, w.job_class, w.licences, w.fte, w.shift, w.pay_band, w.region, \
             w.seniority_date, e.reason FROM eis_pool w JOIN people p ON p.id = w.person_id \
             JOIN eis_events e ON e.id = w.event_id WHERE w.partnership_id = $1 AND w.status = 'in_pool' ORDER BY w.id"
        )
        .bind(pid)
        .fetch_all(pool)
        .await?);
        let posts: Vec<OpenPost> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, code, job_class, required_licences, fte, shift, pay_band, region, retrain_from \
             FROM eis_vacancies WHERE partnership_id = $1 AND status = 'open' ORDER BY id"
        )
        .bind(pid)
        .fetch_all(pool)
        .await?);
        let declined: Vec<(i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT pool_id, vacancy_id FROM eis_proposals WHERE partnership_id = $1 AND status = 'declined' \
             AND vacancy_id IS NOT NULL"
        )
        .bind(pid)
        .fetch_all(pool)
        .await?);
        let mut core = Pool::default();
        for (_, employee_no, job_class, licences, fte_h, shift, pay_band, region, seniority, _) in &workers {
            core.add_worker(WorkerRow {
                worker_id: employee_no.clone(),
                job_class: job_class.clone(),
                licences: list(licences),
                fte: fte(*fte_h)?,
                shift: shift.clone(),
                pay_band: pay_band.clone(),
                region: region.clone(),
                seniority_date: parse_date(seniority),
            })
            .map_err(StoreError::Rule)?;
        }
        for (_, code, job_class, licences, fte_h, shift, pay_band, region, retrain_from) in &posts {
            core.add_vacancy(VacancyRow {
                vacancy_id: code.clone(),
                job_class: job_class.clone(),
                required_licences: list(licences),
                fte: fte(*fte_h)?,
                shift: shift.clone(),
                pay_band: pay_band.clone(),
                region: region.clone(),
                retrain_from: list(retrain_from),
            })
            .map_err(StoreError::Rule)?;
        }
        let rules = self.eis_rules(pid).await?;
        let ranks = rules
            .in_force(crate::today())
            .reason_ranks()
            .map_err(StoreError::Rule)?;
        let rank_of = |reason: &str| {
            ranks
                .iter()
                .find(|(r, _)| r.as_str() == reason)
                .map_or(u32::MAX, |(_, rank)| *rank)
        };
        let order = priority::by_group_then_seniority(&core, |w| rank_of(&workers[w].9));
        let positions = priority::positions(&order);
        let worker_at: FxHashMap<i64, usize> = workers.iter().enumerate().map(|(i, w)| (w.0, i)).collect();
        let post_at: FxHashMap<i64, u32> = posts.iter().enumerate().map(|(i, v)| (v.0, i as u32)).collect();
        let refused: FxHashSet<(usize, u32)> = declined
            .iter()
            .filter_map(|(w, v)| Some((*worker_at.get(w)?, *post_at.get(v)?)))
            .collect();
        let eligibility = Eligibility::of_where(&core, |w, v| !refused.contains(&(w, v)));
        let placement = place(&eligibility, &order, core.vacancies.len());
        let score = Score::of(&placement.kind_of, &positions);
        let mut rows = Vec::with_capacity(workers.len());
        let explainer = Explainer::new(&core, &eligibility, &placement, &positions);
        for (w, entry) in workers.iter().enumerate() {
            let explanation = explainer.explain(w as u32);
            let words = explanation.words(&core, w as u32, Language::English);
            let palabras = explanation.words(&core, w as u32, Language::Spanish);
            let vacancy = placement.vacancy_of[w].map(|v| posts[v as usize].0);
            let kind = placement.kind_of[w].map(Kind::code);
            rows.push((entry.0, vacancy, kind, i64::from(positions[w]) + 1, words, palabras));
        }
        let millis = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let actor = permit.actor().username.clone();
        let run_at = crate::now_text();
        let id = in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO eis_runs (partnership_id, run_at, run_by, workers, vacancies, placed, comparable, retraining, millis) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(pid)
            .bind(&run_at)
            .bind(&actor)
            .bind(workers.len() as i64)
            .bind(posts.len() as i64)
            .bind(score.placed as i64)
            .bind(score.comparable as i64)
            .bind(score.retraining as i64)
            .bind(millis)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE eis_proposals SET status = 'superseded' WHERE partnership_id = $1 AND status IN ('proposed', 'unplaced')",
            )
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            let values: Vec<Vec<Value>> = rows
                .into_iter()
                .map(|(pool_id, vacancy, kind, priority, words, palabras)| {
                    vec![
                        pid.into(),
                        id.into(),
                        pool_id.into(),
                        vacancy.into(),
                        kind.into(),
                        priority.into(),
                        words.into(),
                        palabras.into(),
                        (if vacancy.is_some() { "proposed" } else { "unplaced" }).into(),
                    ]
                })
                .collect();
            let columns = [
                "partnership_id",
                "run_id",
                "pool_id",
                "vacancy_id",
                "kind",
                "priority",
                "explanation",
                "explanation_es",
                "status",
            ];
            tx.insert_rows("eis_proposals", &columns, &values).await?;
            let change = Change::new("eis.run", "eis_run", id).after(&serde_json::json!({
                "workers": workers.len(), "vacancies": posts.len(), "placed": score.placed,
                "comparable": score.comparable, "retraining": score.retraining,
            }));
            tx.append_audit(pid, &actor, vec![change]).await?;
            id
        });
        self.eis_run(pid, id).await
    }

    pub async fn eis_run(&self, partnership_id: i64, id: i64) -> Result<Run> {
        let row: Option<RunRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{RUN_SELECT} WHERE partnership_id = $1 AND id = $2"
        ))
        .bind(partnership_id)
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.map(run).ok_or(StoreError::NotFound("placement run"))
    }

    pub async fn eis_latest_run(&self, partnership_id: i64) -> Result<Option<Run>> {
        let row: Option<RunRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{RUN_SELECT} WHERE partnership_id = $1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(partnership_id)
        .fetch_optional(pool)
        .await?);
        Ok(row.map(run))
    }

    /// A run's proposals in priority order (the latest run's by default).
    pub async fn eis_proposals(&self, partnership_id: i64, run_id: Option<i64>) -> Result<Vec<Proposal>> {
        let run_id = match run_id {
            Some(id) => id,
            None => match self.eis_latest_run(partnership_id).await? {
                Some(run) => run.id,
                None => return Ok(Vec::new()),
            },
        };
        let rows: Vec<ProposalRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{PROPOSAL_SELECT} WHERE pr.partnership_id = $1 AND pr.run_id = $2 ORDER BY pr.priority"
        ))
        .bind(partnership_id)
        .bind(run_id)
        .fetch_all(pool)
        .await?);
        let today = crate::today();
        Ok(rows.into_iter().map(|r| proposal(r, today)).collect())
    }

    /// A page of the latest run's proposals in priority order, as `filter`
    /// narrows them; the total counts every match.
    pub async fn eis_proposals_page(
        &self,
        partnership_id: i64,
        filter: &ProposalFilter,
        page: Page,
    ) -> Result<Paged<Proposal>> {
        let Some(run) = self.eis_latest_run(partnership_id).await? else {
            return Ok(Paged::new(Vec::new(), 0, page));
        };
        let worker = filter.worker.as_deref().map(contains_pattern).unwrap_or_default();
        let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_string();
        let (local, facility, status) = (text(&filter.local), text(&filter.facility), text(&filter.status));
        let matching = "pr.partnership_id = $1 AND pr.run_id = $2 \
             AND ($3 = '' OR LOWER(p.name) LIKE $3 ESCAPE '\\' OR LOWER(p.employee_no) LIKE $3 ESCAPE '\\') \
             AND ($4 = '' OR l.code = $4) AND ($5 = '' OR w.facility = $5 OR v.facility = $5) \
             AND ($6 = '' OR pr.status = $6)";
        let count_sql = format!(
            "SELECT COUNT(*) FROM eis_proposals pr JOIN eis_pool w ON w.id = pr.pool_id \
             JOIN people p ON p.id = w.person_id LEFT JOIN units l ON l.id = p.local_id \
             LEFT JOIN eis_vacancies v ON v.id = pr.vacancy_id WHERE {matching}"
        );
        let list_sql = format!("{PROPOSAL_SELECT} WHERE {matching} ORDER BY pr.priority LIMIT $7 OFFSET $8");
        let (total, rows): (i64, Vec<ProposalRow>) = on_pool!(self, |pool| {
            let total = sqlx::query_scalar(&count_sql)
                .bind(partnership_id)
                .bind(run.id)
                .bind(&worker)
                .bind(&local)
                .bind(&facility)
                .bind(&status)
                .fetch_one(pool)
                .await?;
            let rows = sqlx::query_as(&list_sql)
                .bind(partnership_id)
                .bind(run.id)
                .bind(&worker)
                .bind(&local)
                .bind(&facility)
                .bind(&status)
                .bind(i64::from(page.limit))
                .bind(page.offset as i64)
                .fetch_all(pool)
                .await?;
            (total, rows)
        });
        let today = crate::today();
        Ok(Paged::new(
            rows.into_iter().map(|r| proposal(r, today)).collect(),
            total,
            page,
        ))
    }

    /// The facilities the latest run's workers and jobs are at, A to Z.
    pub async fn eis_proposal_facilities(&self, partnership_id: i64) -> Result<Vec<String>> {
        let Some(run) = self.eis_latest_run(partnership_id).await? else {
            return Ok(Vec::new());
        };
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT w.facility FROM eis_proposals pr JOIN eis_pool w ON w.id = pr.pool_id \
             WHERE pr.partnership_id = $1 AND pr.run_id = $2 AND w.facility <> '' \
             UNION SELECT v.facility FROM eis_proposals pr JOIN eis_vacancies v ON v.id = pr.vacancy_id \
             WHERE pr.partnership_id = $1 AND pr.run_id = $2 AND v.facility <> '' ORDER BY 1"
        )
        .bind(partnership_id)
        .bind(run.id)
        .fetch_all(pool)
        .await?))
    }

    pub async fn eis_proposal(&self, partnership_id: i64, id: i64) -> Result<Proposal> {
        let row: Option<ProposalRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "{PROPOSAL_SELECT} WHERE pr.partnership_id = $1 AND pr.id = $2"
        ))
        .bind(partnership_id)
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.map(|r| proposal(r, crate::today()))
            .ok_or(StoreError::NotFound("proposal"))
    }

    /// Accept a proposal for a side, in person. When both sides have, it
    /// becomes a placement: the worker leaves the pool, the vacancy is
    /// filled (once: a vacancy filled meanwhile refuses it), and other open
    /// proposals for either are superseded.
    pub async fn accept_proposal(&self, permit: &Permit, proposal_id: i64, person_id: i64) -> Result<Proposal> {
        let Action::SpeakForEis {
            representing: Some(side),
        } = permit.action()
        else {
            return Err(StoreError::Denied(Denied::Forbidden));
        };
        let pid = permit.actor().partnership_id;
        let current = self.eis_proposal(pid, proposal_id).await?;
        if current.status != "proposed" {
            let status = &current.status;
            return Err(StoreError::Rule(refuse!(
                "this proposal is {status}, not open for acceptance",
                "esta propuesta está en «{status}», no abierta a aceptación"
            )));
        }
        let keys = Keys {
            labor: current.labor_accepted_by.clone(),
            management: current.management_accepted_by.clone(),
        };
        let crate::TurnedKey { keys, name, column } = self.turn_key(pid, person_id, side, keys).await?;
        let actor = permit.actor().username.clone();
        let today = crate::today();
        in_tx!(self, |tx| {
            let now = crate::now_text();
            let changed = sqlx::query(&format!(
                "UPDATE eis_proposals SET {column}_accepted_by = $1, {column}_accepted_at = $2 \
                 WHERE id = $3 AND partnership_id = $4 AND status = 'proposed' AND {column}_accepted_by IS NULL"
            ))
            .bind(person_id)
            .bind(&now)
            .bind(proposal_id)
            .bind(pid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StoreError::Rule(refuse!(
                    "this proposal changed meanwhile: look again",
                    "esta propuesta cambió mientras tanto: vuelva a mirarla"
                )));
            }
            let mut changes = vec![Change::new("eis.proposal.accept", "eis_proposal", proposal_id)
                .after(&serde_json::json!({"side": side.as_str(), "by": name}))];
            if keys.both_turned() {
                let vacancy_id = current.vacancy_id.ok_or_else(|| {
                    StoreError::Rule(refuse!(
                        "a proposal without a job cannot be accepted",
                        "una propuesta sin puesto de trabajo no se puede aceptar"
                    ))
                })?;
                let filled = sqlx::query(
                    "UPDATE eis_vacancies SET status = 'filled', filled_by = $1 \
                     WHERE id = $2 AND partnership_id = $3 AND status = 'open'",
                )
                .bind(current.pool_id)
                .bind(vacancy_id)
                .bind(pid)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if filled != 1 {
                    let vacancy = current.vacancy.clone().unwrap_or_default();
                    return Err(StoreError::Rule(refuse!(
                        "vacancy {vacancy} is already filled: a vacancy is filled once; run placement again",
                        "la vacante {vacancy} ya está cubierta: una vacante se cubre una vez; vuelva a ejecutar la colocación"
                    )));
                }
                let retraining_until = if current.kind.as_deref() == Some("retraining") {
                    let rules = self.eis_rules(pid).await?;
                    let weeks = rules.in_force(today).retraining_weeks;
                    today
                        .checked_add(jiff::Span::new().weeks(i64::from(weeks)))
                        .ok()
                        .map(|d| d.to_string())
                } else {
                    None
                };
                let moved = sqlx::query(
                    "UPDATE eis_pool SET status = 'placed', placed_on = $1, placed_vacancy_id = $2, placed_kind = $3, \
                     retraining_until = $4 WHERE id = $5 AND partnership_id = $6 AND status = 'in_pool'",
                )
                .bind(today.to_string())
                .bind(vacancy_id)
                .bind(&current.kind)
                .bind(&retraining_until)
                .bind(current.pool_id)
                .bind(pid)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if moved != 1 {
                    return Err(StoreError::Rule(refuse!(
                        "this worker has already left the pool",
                        "este trabajador ya salió de la bolsa"
                    )));
                }
                sqlx::query("UPDATE eis_proposals SET status = 'placed' WHERE id = $1")
                    .bind(proposal_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE eis_proposals SET status = 'superseded' WHERE partnership_id = $1 AND id <> $2 \
                     AND status = 'proposed' AND (pool_id = $3 OR vacancy_id = $4)",
                )
                .bind(pid)
                .bind(proposal_id)
                .bind(current.pool_id)
                .bind(vacancy_id)
                .execute(&mut *tx)
                .await?;
                changes.push(
                    Change::new("eis.placement", "eis_pool", current.pool_id).after(&serde_json::json!({
                        "vacancy": current.vacancy, "kind": current.kind, "retraining_until": retraining_until,
                    })),
                );
            }
            tx.append_audit(pid, &actor, changes).await?;
        });
        self.eis_proposal(pid, proposal_id).await
    }

    /// The worker declines a proposal. A job that is not comparable may be
    /// declined without losing protection; declining a comparable job ends
    /// income protection today. Either way it is not proposed to them again.
    pub async fn decline_proposal(&self, permit: &Permit, proposal_id: i64, reason: &str) -> Result<Proposal> {
        let pid = require(permit, |a| matches!(a, Action::ManageEis { .. }))?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 1000 {
            return Err(StoreError::Rule(refuse!(
                "say why the worker declines (up to 1,000 characters)",
                "diga por qué el trabajador rechaza (hasta 1.000 caracteres)"
            )));
        }
        let current = self.eis_proposal(pid, proposal_id).await?;
        if current.status != "proposed" {
            let status = &current.status;
            return Err(StoreError::Rule(refuse!(
                "this proposal is {status}, not open",
                "esta propuesta está en «{status}», no abierta"
            )));
        }
        let ends_protection = current.kind.as_deref() == Some("comparable");
        let actor = permit.actor().username.clone();
        let today = crate::today().to_string();
        in_tx!(self, |tx| {
            let changed = sqlx::query(
                "UPDATE eis_proposals SET status = 'declined', declined_at = $1, decline_reason = $2 \
                 WHERE id = $3 AND partnership_id = $4 AND status = 'proposed'",
            )
            .bind(crate::now_text())
            .bind(reason)
            .bind(proposal_id)
            .bind(pid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StoreError::Rule(refuse!(
                    "this proposal changed meanwhile: look again",
                    "esta propuesta cambió mientras tanto: vuelva a mirarla"
                )));
            }
            if ends_protection {
                sqlx::query(
                    "UPDATE eis_pool SET protection_ended_on = $1 WHERE id = $2 AND protection_ended_on IS NULL",
                )
                .bind(&today)
                .bind(current.pool_id)
                .execute(&mut *tx)
                .await?;
            }
            let change = Change::new("eis.proposal.decline", "eis_proposal", proposal_id).after(&serde_json::json!({
                "reason": reason, "kind": current.kind, "protection_ends": ends_protection,
            }));
            tx.append_audit(pid, &actor, vec![change]).await?;
        });
        self.eis_proposal(pid, proposal_id).await
    }

    /// The redeployment board's figures.
    pub async fn eis_board(&self, partnership_id: i64) -> Result<Board> {
        let today = crate::today();
        let pool = self.eis_pool(partnership_id, true).await?;
        let proposals = self.eis_proposals(partnership_id, None).await?;
        let open_vacancies: i64 = on_pool!(self, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM eis_vacancies WHERE partnership_id = $1 AND status = 'open'"
        )
        .bind(partnership_id)
        .fetch_one(db)
        .await?);
        let proposed: FxHashSet<i64> = proposals
            .iter()
            .filter(|p| p.status == "proposed")
            .map(|p| p.pool_id)
            .collect();
        let mut board = Board {
            open_vacancies,
            awaiting_acceptance: proposed.len() as i64,
            latest_run: self.eis_latest_run(partnership_id).await?,
            ..Board::default()
        };
        let mut by_region: std::collections::BTreeMap<String, BoardRow> = Default::default();
        let mut by_local: std::collections::BTreeMap<String, BoardRow> = Default::default();
        for worker in &pool {
            let retraining = worker.status == "placed"
                && worker
                    .retraining_until
                    .as_deref()
                    .is_some_and(|until| parse_date(until) >= today);
            let local = worker.local.clone().unwrap_or_else(|| "(no local)".into());
            for (map, key) in [(&mut by_region, worker.region.clone()), (&mut by_local, local)] {
                let row = map.entry(key.clone()).or_insert_with(|| BoardRow {
                    name: key,
                    ..BoardRow::default()
                });
                match worker.status.as_str() {
                    "in_pool" => row.in_pool += 1,
                    "placed" => row.placed += 1,
                    _ => {}
                }
                row.proposed += i64::from(proposed.contains(&worker.pool_id));
                row.retraining += i64::from(retraining);
            }
            match worker.status.as_str() {
                "in_pool" => {
                    board.in_pool += 1;
                    board.protection_ending += i64::from(worker.protection_days_left <= 30);
                }
                "placed" => {
                    board.placed += 1;
                    if let Some(on) = &worker.placed_on {
                        let days = parse_date(&worker.entered_on)
                            .until(parse_date(on))
                            .map_or(0, |s| i64::from(s.get_days()));
                        board.days_to_placement.push(days.max(0));
                    }
                }
                _ => {}
            }
            board.retraining_now += i64::from(retraining);
        }
        board.by_region = by_region.into_values().collect();
        board.by_local = by_local.into_values().collect();
        Ok(board)
    }
}
