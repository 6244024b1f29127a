//! The training file (see `lmp_core::training`): streaming, one
//! transaction, the first bad row stops it with `file:line:column: reason`
//! and nothing is written. A person completes a class once — the earliest
//! day wins — so the same file twice, or a file listing a retake, changes
//! nothing more.

use crate::audit::{AuditAppend, Change};
use crate::bulk::{BulkInsert, Value};
use crate::import::{csv_records_with, import_error, placed, ImportReport, Record};
use crate::{in_tx, Result, Store, StoreError};
use futures::TryStreamExt;
use jiff::civil::Date;
use lmp_core::policy::{Action, Denied, Permit};
use lmp_core::training::{is_earlier_completion, parse_completion_row, Class, COMPLETION_COLUMNS, COMPLETION_OPTIONAL};
use std::collections::HashMap;
use std::io::Read;

/// How many audit entries to gather before writing them.
const BATCH: usize = 10_000;

/// A completion as this import will leave it.
struct Held {
    completed_on: Date,
    source: String,
    /// Stored before this file, or new in it.
    stored: bool,
    /// Changed by this file (a new completion, or an earlier day).
    changed: bool,
}

fn require_training_import(permit: &Permit) -> Result<i64> {
    match permit.action() {
        Action::Import | Action::RecordTraining => Ok(permit.actor().partnership_id),
        _ => Err(StoreError::Denied(Denied::Forbidden)),
    }
}

impl Store {
    /// Import a training file (employee_no, class, completed_on[, source]);
    /// `today` bounds its days. The teams whose leaders' training changed
    /// are re-rated once it is in.
    pub async fn import_class_completions<R: Read + Send>(
        &self,
        permit: &Permit,
        file: &str,
        reader: R,
        today: Date,
    ) -> Result<ImportReport> {
        let partnership_id = require_training_import(permit)?;
        let actor = permit.actor().username.clone();
        let (columns, records) = csv_records_with(file, reader, &COMPLETION_COLUMNS, &COMPLETION_OPTIONAL)?;
        let person_column = columns.column("employee_no");
        let (report, people) = in_tx!(self, |tx| {
            let mut people: HashMap<String, i64> = HashMap::new();
            {
                let mut rows =
                    sqlx::query_as::<_, (i64, String)>("SELECT id, employee_no FROM people WHERE partnership_id = $1")
                        .bind(partnership_id)
                        .fetch(&mut *tx);
                while let Some((id, employee_no)) = rows.try_next().await? {
                    people.insert(employee_no, id);
                }
            }
            let mut held: HashMap<(i64, Class), Held> = HashMap::new();
            {
                let mut rows = sqlx::query_as::<_, (i64, String, String, String)>(
                    "SELECT person_id, class, completed_on, source FROM class_completions WHERE partnership_id = $1",
                )
                .bind(partnership_id)
                .fetch(&mut *tx);
                while let Some((person_id, class, completed_on, source)) = rows.try_next().await? {
                    let (Ok(class), Ok(completed_on)) = (class.parse::<Class>(), completed_on.parse::<Date>()) else {
                        continue;
                    };
                    held.insert(
                        (person_id, class),
                        Held {
                            completed_on,
                            source,
                            stored: true,
                            changed: false,
                        },
                    );
                }
            }
            let mut report = ImportReport::default();
            let mut changes: Vec<Change> = Vec::new();
            for record in records {
                let (line, record): Record = record?;
                let fields: Vec<&str> = record.iter().collect();
                let row = parse_completion_row(&columns, &fields, today).map_err(|e| placed(file, line, e))?;
                report.rows += 1;
                let person_id = *people.get(&row.employee_no).ok_or_else(|| {
                    import_error(file, line, person_column, crate::import::not_a_person(&row.employee_no))
                })?;
                let key = (person_id, row.class);
                let stored = held.get(&key).map(|h| h.completed_on);
                if !is_earlier_completion(stored, row.completed_on) {
                    report.unchanged += 1;
                    continue;
                }
                match held.get_mut(&key) {
                    Some(h) => {
                        if h.stored && !h.changed {
                            report.updated += 1;
                        }
                        h.completed_on = row.completed_on;
                        h.source = row.source.clone();
                        h.changed = true;
                    }
                    None => {
                        report.inserted += 1;
                        held.insert(
                            key,
                            Held {
                                completed_on: row.completed_on,
                                source: row.source.clone(),
                                stored: false,
                                changed: true,
                            },
                        );
                    }
                }
                changes.push(Change::new("training.completion", "person", &row.employee_no).after(
                    &serde_json::json!({
                        "class": row.class.as_str(),
                        "completed_on": row.completed_on.to_string(),
                        "source": row.source,
                    }),
                ));
                if changes.len() >= BATCH {
                    tx.append_audit(partnership_id, &actor, std::mem::take(&mut changes))
                        .await?;
                }
            }
            let mut new_rows: Vec<Vec<Value>> = Vec::new();
            let mut changed_people: Vec<i64> = Vec::new();
            for ((person_id, class), h) in held.iter().filter(|(_, h)| h.changed) {
                changed_people.push(*person_id);
                if h.stored {
                    sqlx::query(
                        "UPDATE class_completions SET completed_on = $1, source = $2 WHERE person_id = $3 AND class = $4",
                    )
                    .bind(h.completed_on.to_string())
                    .bind(&h.source)
                    .bind(person_id)
                    .bind(class.as_str())
                    .execute(&mut *tx)
                    .await?;
                } else {
                    new_rows.push(vec![
                        Value::Int(partnership_id),
                        Value::Int(*person_id),
                        Value::Text(class.as_str().into()),
                        Value::Text(h.completed_on.to_string()),
                        Value::Text(h.source.clone()),
                    ]);
                }
            }
            tx.insert_rows(
                "class_completions",
                &["partnership_id", "person_id", "class", "completed_on", "source"],
                &new_rows,
            )
            .await?;
            tx.append_audit(partnership_id, &actor, changes).await?;
            changed_people.sort_unstable();
            changed_people.dedup();
            (report, changed_people)
        });
        self.rerate_after_training(partnership_id, &people).await?;
        Ok(report)
    }
}
