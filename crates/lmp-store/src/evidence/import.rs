//! The outcomes file (`team_code,measure,month,value`): streaming, one
//! transaction, the first bad row stops it with `file:line:column: reason`
//! and nothing is written. A month's value is set once: the same file
//! twice adds nothing, and a file that gives a month another value is
//! refused rather than overwriting what was recorded.
//!
//! Values gather per team and measure in memory a few thousand series at
//! a time, each series one row (see `lmp_core::evidence::series`), so a
//! file of millions of values is a few hundred thousand row writes.

use super::OutcomesReport;
use crate::audit::{AuditAppend, Change};
use crate::import::{csv_records, import_error, placed, require_import, Record};
use crate::{in_tx, Result, Store};
use futures::TryStreamExt;
use lmp_core::evidence::measure::{month_name, parse_outcome_row, OUTCOME_COLUMNS};
use lmp_core::evidence::series::{Series, Set};
use lmp_core::policy::Permit;
use lmp_core::refuse;
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// Series held before they are written.
const PENDING: usize = 8_192;

/// (measure id, team id)
type Key = (i64, i64);

/// Write the pending series, each replacing its stored row.
macro_rules! write_series {
    ($tx:expr, $partnership_id:expr, $pending:expr, $stored:expr) => {{
        let mut batch: Vec<(Key, Series)> = $pending.drain().collect();
        batch.sort_unstable_by_key(|(key, _)| *key);
        for chunk in batch.chunks(1_000) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO outcome_series (measure_id, team_id, partnership_id, first_month, months, month_count) ",
            );
            insert.push_values(chunk, |mut row, ((measure, team), series)| {
                row.push_bind(*measure)
                    .push_bind(*team)
                    .push_bind($partnership_id)
                    .push_bind(i64::from(series.first))
                    .push_bind(series.to_bytes())
                    .push_bind(series.count() as i64);
            });
            insert.push(
                " ON CONFLICT (measure_id, team_id) DO UPDATE SET first_month = excluded.first_month, \
                 months = excluded.months, month_count = excluded.month_count",
            );
            insert.build().execute(&mut *$tx).await?;
        }
        $stored.extend(batch.into_iter().map(|(key, _)| key));
    }};
}

impl Store {
    /// Import an outcomes file. `latest` is the last month a value may be
    /// for (months since January of year 0): the last that has ended.
    pub async fn import_outcomes<R: Read + Send>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        latest: i32,
    ) -> Result<OutcomesReport> {
        let partnership_id = require_import(permit)?;
        let actor = permit.actor().username.clone();
        let (columns, records) = csv_records(file, reader, &OUTCOME_COLUMNS)?;
        let (team_column, measure_column, value_column) = (
            columns.column("team_code"),
            columns.column("measure"),
            columns.column("value"),
        );
        let report = in_tx!(self, |tx| {
            let mut teams: HashMap<String, i64> = HashMap::new();
            {
                let mut rows = sqlx::query_as::<_, (i64, String)>(
                    "SELECT id, code FROM bodies WHERE partnership_id = $1 AND level = 'team'",
                )
                .bind(partnership_id)
                .fetch(&mut *tx);
                while let Some((id, code)) = rows.try_next().await? {
                    teams.insert(code, id);
                }
            }
            let measures: HashMap<String, i64> =
                sqlx::query_as::<_, (String, i64)>("SELECT code, id FROM outcome_measures WHERE partnership_id = $1")
                    .bind(partnership_id)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
            let mut stored: HashSet<Key> = HashSet::new();
            {
                let mut rows = sqlx::query_as::<_, (i64, i64)>(
                    "SELECT measure_id, team_id FROM outcome_series WHERE partnership_id = $1",
                )
                .bind(partnership_id)
                .fetch(&mut *tx);
                while let Some(key) = rows.try_next().await? {
                    stored.insert(key);
                }
            }
            let mut report = OutcomesReport::default();
            let mut pending: HashMap<Key, Series> = HashMap::new();
            let mut touched_measures: HashSet<i64> = HashSet::new();
            let mut touched_teams: HashSet<i64> = HashSet::new();
            for record in records {
                let (line, record): Record = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_outcome_row(&columns, &fields, latest).map_err(|e| placed(file, line, e))?;
                report.rows += 1;
                let team = *teams.get(row.team_code).ok_or_else(|| {
                    import_error(file, line, team_column, crate::teams::import::not_a_team(row.team_code))
                })?;
                let measure = *measures.get(row.measure).ok_or_else(|| {
                    let code = row.measure;
                    import_error(
                        file,
                        line,
                        measure_column,
                        refuse!(
                            "measure {code:?} is not in force: both sides accept a measure's definition first (on the Evidence page)",
                            "la medida {code:?} no está vigente: las dos partes aceptan primero su definición (en la página de Evidencia)"
                        ),
                    )
                })?;
                let key = (measure, team);
                if !pending.contains_key(&key) {
                    if pending.len() >= PENDING {
                        write_series!(tx, partnership_id, pending, stored);
                    }
                    let series = if stored.contains(&key) {
                        let (first, bytes): (i64, Vec<u8>) = sqlx::query_as(
                            "SELECT first_month, months FROM outcome_series WHERE measure_id = $1 AND team_id = $2",
                        )
                        .bind(measure)
                        .bind(team)
                        .fetch_one(&mut *tx)
                        .await?;
                        Series::from_bytes(first as i32, &bytes)
                    } else {
                        Series::default()
                    };
                    pending.insert(key, series);
                }
                match pending.entry(key).or_default().set(row.month, row.value) {
                    Set::Added => {
                        report.added += 1;
                        touched_measures.insert(measure);
                        touched_teams.insert(team);
                    }
                    Set::Same => report.unchanged += 1,
                    Set::Differs { recorded } => {
                        let (code, measure_code, month, says) = (
                            row.team_code,
                            row.measure,
                            month_name(row.month),
                            fields[value_column - 1].trim(),
                        );
                        return Err(import_error(
                            file,
                            line,
                            value_column,
                            refuse!(
                                "{code} {measure_code} {month} already has {recorded}; this file says {says}. A value is not overwritten by a file",
                                "{code} {measure_code} {month} ya tiene {recorded}; este archivo dice {says}. Un archivo no sobrescribe un valor"
                            ),
                        ));
                    }
                }
            }
            write_series!(tx, partnership_id, pending, stored);
            report.measures = touched_measures.len() as u64;
            report.teams = touched_teams.len() as u64;
            if report.added > 0 {
                let now = crate::decisions::now_precise();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO outcome_imports (partnership_id, file_name, rows_read, values_added, imported_by, imported_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(partnership_id)
                .bind(file)
                .bind(report.rows as i64)
                .bind(report.added as i64)
                .bind(&actor)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                let audit = Change::new("outcomes.import", "outcome_import", id).after(&serde_json::json!({
                    "file": file, "rows": report.rows, "added": report.added, "unchanged": report.unchanged,
                    "measures": report.measures, "teams": report.teams}));
                tx.append_audit(partnership_id, &actor, vec![audit]).await?;
            }
            report
        });
        Ok(report)
    }
}
