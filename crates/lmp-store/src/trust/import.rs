//! `lmp trust import-hours`: a payroll file into worker-periods, lines and
//! ledger entries, in one transaction. The same file twice changes nothing;
//! a pay period taken in before is replaced only when asked, and the
//! difference is posted as an audited adjustment, never by editing an entry.

use crate::audit::{AuditAppend, Change};
use crate::bulk::{BulkInsert, BulkIntegers, Value};
use crate::trust::ledger::{post_entry, POSTING_COLUMNS};
use crate::trust::reader::{self, Finished, ReadJob, Read_};
use crate::{Result, Store, StoreError};
use lmp_core::money::Cents;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::refuse;
use lmp_core::trust::hours::{Hundredths, PayPeriod};
use lmp_core::trust::ledger::{contribution_postings, EntryKind};
use lmp_core::trust::payroll::{KnownPeriod, LineTotals};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

/// What taking in a payroll file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum HoursOutcome {
    Imported(HoursImported),
    /// The file was taken in before, byte for byte: nothing changed.
    Unchanged {
        import_id: i64,
        file_name: String,
        imported_at: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoursImported {
    pub import_id: i64,
    pub lines: u64,
    pub worker_periods: u64,
    pub periods: usize,
    /// Of those, periods that replaced ones taken in before.
    pub replaced: usize,
    #[serde(rename = "counted_hundredths")]
    pub counted: Hundredths,
    #[serde(rename = "worker_cents")]
    pub worker: Cents,
    #[serde(rename = "employer_cents")]
    pub employer: Cents,
}

const WORKER_PERIOD_COLUMNS: [&str; 9] = [
    "partnership_id",
    "period_id",
    "person_id",
    "local_id",
    "facility_id",
    "counted_hundredths",
    "other_hundredths",
    "worker_cents",
    "employer_cents",
];

const LINE_COLUMNS: [&str; 9] = [
    "partnership_id",
    "period_id",
    "local_id",
    "facility_id",
    "workers",
    "counted_hundredths",
    "other_hundredths",
    "worker_cents",
    "employer_cents",
];

/// A replaced period's totals per local before the correction, for the adjustment.
type Before = BTreeMap<i64, (Cents, Cents)>;

/// The sums a replaced period had per local, as its audit entry shows them.
#[derive(Serialize)]
struct LocalTotals {
    local_id: i64,
    worker_cents: i64,
    employer_cents: i64,
}

/// The import's body, once per backend: `$tx` is that backend's transaction.
macro_rules! import_hours_in {
    ($tx:ident, $pid:expr, $actor:expr, $file:expr, $job:expr, $replace:expr) => {{
        let (pid, actor, file): (i64, &str, &str) = ($pid, $actor, $file);
        let known = known_periods!($tx, pid);
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO trust_imports (partnership_id, file_name, sha256, lines, worker_periods, imported_at, actor) \
             VALUES ($1, $2, '', 0, 0, $3, $4) RETURNING id",
        )
        .bind(pid)
        .bind(file)
        .bind(crate::now_text())
        .bind(actor)
        .fetch_one(&mut *$tx)
        .await?;
        let mut job = $job;
        job.known = known.iter().map(|(k, _)| *k).collect();
        let mut messages = reader::spawn(job);
        let mut period_ids: Vec<i64> = Vec::new();
        let mut before: BTreeMap<usize, Before> = BTreeMap::new();
        let mut values: Vec<Option<i64>> = Vec::new();
        // Per file period, the sums per local the ledger posts.
        let mut sums: BTreeMap<usize, BTreeMap<i64, LineTotals>> = BTreeMap::new();
        let finished: std::result::Result<Finished, (StoreError, Option<String>)> = loop {
            match messages.recv().await {
                Some(Read_::Period(period)) => {
                    let id = match period.replaces {
                        Some(id) => {
                            before.insert(period_ids.len(), replaced_totals!($tx, pid, id));
                            sqlx::query("DELETE FROM trust_hours WHERE partnership_id = $1 AND period_id = $2")
                                .bind(pid)
                                .bind(id)
                                .execute(&mut *$tx)
                                .await?;
                            sqlx::query("DELETE FROM trust_lines WHERE partnership_id = $1 AND period_id = $2")
                                .bind(pid)
                                .bind(id)
                                .execute(&mut *$tx)
                                .await?;
                            sqlx::query("UPDATE trust_periods SET import_id = $1 WHERE id = $2")
                                .bind(import_id)
                                .bind(id)
                                .execute(&mut *$tx)
                                .await?;
                            id
                        }
                        None => {
                            sqlx::query_scalar(
                                "INSERT INTO trust_periods (partnership_id, starts_on, ends_on, import_id) \
                             VALUES ($1, $2, $3, $4) RETURNING id",
                            )
                            .bind(pid)
                            .bind(period.period.start.to_string())
                            .bind(period.period.end.to_string())
                            .bind(import_id)
                            .fetch_one(&mut *$tx)
                            .await?
                        }
                    };
                    period_ids.push(id);
                }
                Some(Read_::Rows(rows)) => {
                    values.clear();
                    for wp in &rows {
                        values.extend_from_slice(&[
                            Some(pid),
                            Some(period_ids[wp.period]),
                            Some(wp.person_id),
                            Some(wp.local_id),
                            Some(wp.facility_id),
                            Some(wp.counted.get()),
                            Some(wp.other.get()),
                            Some(wp.contribution.worker.get()),
                            wp.contribution.employer.map(Cents::get),
                        ]);
                    }
                    $tx.insert_integers("trust_hours", &WORKER_PERIOD_COLUMNS, &values)
                        .await?;
                }
                Some(Read_::Closed(closed)) => {
                    values.clear();
                    for ((local, facility), t) in &closed.lines {
                        values.extend(
                            [
                                pid,
                                period_ids[closed.period],
                                *local,
                                *facility,
                                t.workers,
                                t.counted.get(),
                                t.other.get(),
                                t.worker.get(),
                                t.employer.get(),
                            ]
                            .map(Some),
                        );
                    }
                    $tx.insert_integers("trust_lines", &LINE_COLUMNS, &values).await?;
                    sums.insert(closed.period, closed.by_local());
                }
                Some(Read_::Done(finished)) => break Ok(finished),
                Some(Read_::Failed(error)) => break Err((error, None)),
                Some(Read_::AlreadyImported { error, sha256 }) => break Err((error, Some(sha256))),
                None => {
                    break Err((
                        StoreError::Rule(refuse!(
                            "the payroll reader stopped without a word",
                            "el lector de nóminas se detuvo sin decir por qué"
                        )),
                        None,
                    ))
                }
            }
        };
        match finished {
            Err((error, Some(sha256))) => match earlier_import!($tx, pid, &sha256) {
                Some(unchanged) => Ok(unchanged),
                None => Err(error),
            },
            Err((error, None)) => Err(error),
            Ok(finished) => {
                let holders: Vec<&str> = finished
                    .periods
                    .iter()
                    .filter_map(|p| {
                        known
                            .iter()
                            .find(|(k, _)| Some(k.id) == p.replaces)
                            .map(|(_, sha)| sha.as_str())
                    })
                    .collect();
                // Replacing periods with the very file that holds them changes nothing.
                let same_file = !holders.is_empty()
                    && holders.len() == finished.periods.len()
                    && holders.iter().all(|sha| *sha == finished.sha256);
                match earlier_import!($tx, pid, &finished.sha256) {
                    Some(unchanged) if same_file || !$replace => Ok(unchanged),
                    _ => {
                        let imported =
                            post_import!($tx, pid, actor, file, import_id, &finished, &period_ids, &before, &sums);
                        Ok(HoursOutcome::Imported(imported))
                    }
                }
            }
        }
    }};
}

/// Periods taken in before, with the SHA-256 of the file that holds each.
macro_rules! known_periods {
    ($tx:ident, $pid:expr) => {{
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT p.id, p.starts_on, p.ends_on, i.sha256 FROM trust_periods p \
             JOIN trust_imports i ON i.id = p.import_id WHERE p.partnership_id = $1 ORDER BY p.starts_on",
        )
        .bind($pid)
        .fetch_all(&mut *$tx)
        .await?;
        let mut known: Vec<(KnownPeriod, String)> = Vec::with_capacity(rows.len());
        for (id, start, end, sha) in rows {
            let period = stored_period(&start, &end)?;
            known.push((KnownPeriod { id, period }, sha));
        }
        known
    }};
}

/// The import that brought a file with this SHA-256, if any.
macro_rules! earlier_import {
    ($tx:ident, $pid:expr, $sha:expr) => {{
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT id, file_name, imported_at FROM trust_imports \
             WHERE partnership_id = $1 AND sha256 = $2 ORDER BY id LIMIT 1",
        )
        .bind($pid)
        .bind($sha)
        .fetch_optional(&mut *$tx)
        .await?;
        row.map(|(import_id, file_name, imported_at)| HoursOutcome::Unchanged {
            import_id,
            file_name,
            imported_at,
        })
    }};
}

/// A period's totals per local as they stand, before it is replaced.
macro_rules! replaced_totals {
    ($tx:ident, $pid:expr, $period_id:expr) => {{
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT local_id, CAST(SUM(worker_cents) AS BIGINT), CAST(SUM(employer_cents) AS BIGINT) FROM trust_lines \
             WHERE partnership_id = $1 AND period_id = $2 GROUP BY local_id",
        )
        .bind($pid)
        .bind($period_id)
        .fetch_all(&mut *$tx)
        .await?;
        rows.into_iter()
            .map(|(local, worker, employer)| (local, (Cents(worker), Cents(employer))))
            .collect::<Before>()
    }};
}

/// The ledger's entries and the audit, once every row is in.
macro_rules! post_import {
    ($tx:ident, $pid:expr, $actor:expr, $file:expr, $import_id:expr, $finished:expr, $period_ids:expr, $before:expr, $sums:expr) => {{
        let (pid, import_id, finished, period_ids): (i64, i64, &Finished, &Vec<i64>) =
            ($pid, $import_id, $finished, $period_ids);
        let before: &BTreeMap<usize, Before> = $before;
        let sums: &BTreeMap<usize, BTreeMap<i64, LineTotals>> = $sums;
        let mut changes = Vec::new();
        let mut postings: Vec<Vec<Value>> = Vec::new();
        for (&index, by_local) in sums {
            let period_id = period_ids[index];
            let now: BTreeMap<i64, (Cents, Cents)> = by_local
                .iter()
                .map(|(local, t)| (*local, (t.worker, t.employer)))
                .collect();
            match before.get(&index) {
                None => {
                    for (local, (worker, employer)) in &now {
                        post_entry!(
                            $tx,
                            &mut postings,
                            pid,
                            finished.periods[index].period.end,
                            EntryKind::Contribution,
                            Some(period_id),
                            Some(*local),
                            Some(import_id),
                            "",
                            $actor,
                            contribution_postings(*worker, *employer)
                        );
                    }
                }
                Some(was) => {
                    let locals: std::collections::BTreeSet<i64> = was.keys().chain(now.keys()).copied().collect();
                    for local in locals {
                        let (w0, e0) = was.get(&local).copied().unwrap_or_default();
                        let (w1, e1) = now.get(&local).copied().unwrap_or_default();
                        if (w0, e0) != (w1, e1) {
                            post_entry!(
                                $tx,
                                &mut postings,
                                pid,
                                finished.periods[index].period.end,
                                EntryKind::Adjustment,
                                Some(period_id),
                                Some(local),
                                Some(import_id),
                                format!("corrected by {}", $file),
                                $actor,
                                contribution_postings(Cents(w1.get() - w0.get()), Cents(e1.get() - e0.get()))
                            );
                        }
                    }
                    let shown = |m: &BTreeMap<i64, (Cents, Cents)>| -> Vec<LocalTotals> {
                        m.iter()
                            .map(|(local, (w, e))| LocalTotals {
                                local_id: *local,
                                worker_cents: w.get(),
                                employer_cents: e.get(),
                            })
                            .collect()
                    };
                    changes.push(
                        Change::new("trust.period.replace", "trust_period", period_id)
                            .before(&shown(was))
                            .after(&shown(&now)),
                    );
                }
            }
        }
        $tx.insert_rows("trust_postings", &POSTING_COLUMNS, &postings).await?;
        let mut sum = LineTotals::default();
        sums.values()
            .flat_map(|by_local| by_local.values())
            .for_each(|t| sum.add(t));
        let imported = HoursImported {
            import_id,
            lines: finished.lines,
            worker_periods: finished.worker_periods,
            periods: finished.periods.len(),
            replaced: before.len(),
            counted: sum.counted,
            worker: sum.worker,
            employer: sum.employer,
        };
        sqlx::query("UPDATE trust_imports SET sha256 = $1, lines = $2, worker_periods = $3 WHERE id = $4")
            .bind(&finished.sha256)
            .bind(finished.lines as i64)
            .bind(finished.worker_periods as i64)
            .bind(import_id)
            .execute(&mut *$tx)
            .await?;
        #[derive(Serialize)]
        struct Record<'a> {
            file: &'a str,
            sha256: &'a str,
            periods: Vec<String>,
            #[serde(flatten)]
            imported: &'a HoursImported,
        }
        let record = Record {
            file: $file,
            sha256: &finished.sha256,
            periods: finished
                .periods
                .iter()
                .map(|p| format!("{}/{}", p.period.start, p.period.end))
                .collect(),
            imported: &imported,
        };
        changes.insert(
            0,
            Change::new("trust.hours.import", "trust_import", import_id).after(&record),
        );
        $tx.append_audit(pid, $actor, changes).await?;
        imported
    }};
}

pub(crate) fn stored_period(start: &str, end: &str) -> Result<PayPeriod> {
    let date = |s: &str| {
        s.parse::<jiff::civil::Date>().map_err(|e| {
            StoreError::Rule(refuse!(
                "a stored pay period date {s:?} is unreadable: {e}",
                "una fecha de período de pago guardada {s:?} no se puede leer: {e}"
            ))
        })
    };
    PayPeriod::new(date(start)?, date(end)?).map_err(StoreError::Rule)
}

impl Store {
    /// Take in one payroll file (one pay period's hours or a year's), all or
    /// nothing. Wrap `reader` to show progress.
    pub async fn import_hours<R: Read + Send + 'static>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        replace: bool,
    ) -> Result<HoursOutcome> {
        if permit.action() != Action::ManageTrust {
            return Err(StoreError::Denied(Denied::Forbidden));
        }
        let pid = permit.actor().partnership_id;
        let actor = permit.actor().username.clone();
        let job = ReadJob {
            file: file.to_string(),
            reader,
            directory: Arc::new(self.payroll_directory(pid).await?),
            rules: Arc::new(self.trust_rules(pid).await?),
            known: Vec::new(),
            replace,
        };
        match self {
            Store::Sqlite { write, .. } => {
                let mut tx = write.begin().await?;
                let outcome: Result<HoursOutcome> = import_hours_in!(tx, pid, &actor, file, job, replace);
                if let Ok(HoursOutcome::Imported(_)) = outcome {
                    tx.commit().await?;
                }
                outcome
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // One payroll import at a time per partnership, so two files
                // cannot both claim the same pay period.
                sqlx::query("SELECT pg_advisory_xact_lock(7020, $1::int)")
                    .bind(pid as i32)
                    .execute(&mut *tx)
                    .await?;
                let outcome: Result<HoursOutcome> = import_hours_in!(tx, pid, &actor, file, job, replace);
                if let Ok(HoursOutcome::Imported(_)) = outcome {
                    tx.commit().await?;
                }
                outcome
            }
        }
    }
}
