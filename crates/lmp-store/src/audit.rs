//! The audit log on disk: appended inside the same transaction as the change
//! it records, and verified end to end by `lmp audit verify`.

use crate::bulk::{BulkInsert, Value};
use crate::model::AuditRow;
use crate::{now_text, on_pool, Result, Store, StoreError};
use futures::TryStreamExt;
use lmp_core::audit::{chain_hash, AuditEntry, ChainVerifier, GENESIS_HASH};
use lmp_core::paging::{Page, Paged};
use sqlx::{PgConnection, SqliteConnection};

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: String,
    pub entity: &'static str,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    pub fn new(action: impl Into<String>, entity: &'static str, entity_id: impl ToString) -> Change {
        Change {
            action: action.into(),
            entity,
            entity_id: entity_id.to_string(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, state: &impl serde::Serialize) -> Change {
        self.before = serde_json::to_string(state).ok();
        self
    }

    pub fn after(mut self, state: &impl serde::Serialize) -> Change {
        self.after = serde_json::to_string(state).ok();
        self
    }
}

const AUDIT_COLUMNS: [&str; 10] = [
    "partnership_id",
    "seq",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "before_json",
    "after_json",
    "hash",
];

/// Append to a partnership's chain inside the caller's transaction.
// Implemented only for the store's own transactions, whose futures are
// Send; callers in the demo crate need no bound spelled out.
#[allow(async_fn_in_trait)]
pub trait AuditAppend {
    async fn append_audit(&mut self, partnership_id: i64, actor: &str, changes: Vec<Change>) -> Result<u64>;
}

/// Hash `changes` onto the chain after (`last_seq`, `last_hash`).
fn chained_rows(
    partnership_id: i64,
    actor: &str,
    last: Option<(i64, String)>,
    changes: Vec<Change>,
) -> Vec<Vec<Value>> {
    let (mut seq, mut prev) = last.unwrap_or((0, GENESIS_HASH.to_string()));
    let at = now_text();
    changes
        .into_iter()
        .map(|change| {
            seq += 1;
            let entry = AuditEntry {
                partnership_id,
                seq,
                at: at.clone(),
                actor: actor.to_string(),
                action: change.action,
                entity: change.entity.to_string(),
                entity_id: change.entity_id,
                before: change.before,
                after: change.after,
            };
            prev = chain_hash(&prev, &entry);
            vec![
                Value::Int(partnership_id),
                Value::Int(seq),
                Value::Text(entry.at),
                Value::Text(entry.actor),
                Value::Text(entry.action),
                Value::Text(entry.entity),
                Value::Text(entry.entity_id),
                entry.before.into(),
                entry.after.into(),
                Value::Text(prev.clone()),
            ]
        })
        .collect()
}

const TAIL: &str = "SELECT seq, hash FROM audit_log WHERE partnership_id = $1 ORDER BY seq DESC LIMIT 1";

impl AuditAppend for SqliteConnection {
    async fn append_audit(&mut self, partnership_id: i64, actor: &str, changes: Vec<Change>) -> Result<u64> {
        if changes.is_empty() {
            return Ok(0);
        }
        // SQLite has one writer at a time (the store's write pool), so the
        // tail cannot move under us.
        let last: Option<(i64, String)> = sqlx::query_as(TAIL)
            .bind(partnership_id)
            .fetch_optional(&mut *self)
            .await?;
        let rows = chained_rows(partnership_id, actor, last, changes);
        self.insert_rows("audit_log", &AUDIT_COLUMNS, &rows).await
    }
}

impl AuditAppend for PgConnection {
    async fn append_audit(&mut self, partnership_id: i64, actor: &str, changes: Vec<Change>) -> Result<u64> {
        if changes.is_empty() {
            return Ok(0);
        }
        // Serialise appends per partnership until this transaction ends.
        sqlx::query("SELECT pg_advisory_xact_lock(7010, $1::int)")
            .bind(partnership_id as i32)
            .execute(&mut *self)
            .await?;
        let last: Option<(i64, String)> = sqlx::query_as(TAIL)
            .bind(partnership_id)
            .fetch_optional(&mut *self)
            .await?;
        let rows = chained_rows(partnership_id, actor, last, changes);
        self.insert_rows("audit_log", &AUDIT_COLUMNS, &rows).await
    }
}

/// The columns of an audit entry as [`StoredEntry`] reads them.
pub(crate) const ENTRY_COLUMNS: &str =
    "partnership_id, seq, at, actor, action, entity, entity_id, before_json, after_json, hash";

/// An audit entry as stored, with the hash it was stored with.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct StoredEntry {
    partnership_id: i64,
    seq: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
    hash: String,
}

impl StoredEntry {
    pub(crate) fn into_parts(self) -> (AuditEntry, String) {
        (
            AuditEntry {
                partnership_id: self.partnership_id,
                seq: self.seq,
                at: self.at,
                actor: self.actor,
                action: self.action,
                entity: self.entity,
                entity_id: self.entity_id,
                before: self.before_json,
                after: self.after_json,
            },
            self.hash,
        )
    }
}

/// The outcome of verifying every chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub partnerships: u64,
    pub entries: u64,
}

impl Store {
    /// Walk every partnership's chain from the first entry, recomputing each
    /// hash. Streams; never holds the log in memory.
    pub async fn verify_audit(&self) -> Result<Verified> {
        let ids: Vec<i64> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM partnerships ORDER BY id"
        )
        .fetch_all(pool)
        .await?);
        let mut entries = 0;
        for partnership_id in &ids {
            let mut verifier = ChainVerifier::new(*partnership_id);
            let sql = format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE partnership_id = $1 ORDER BY seq");
            on_pool!(self, |pool| {
                let mut rows = sqlx::query_as::<_, StoredEntry>(&sql).bind(partnership_id).fetch(pool);
                while let Some(row) = rows.try_next().await? {
                    let (entry, hash) = row.into_parts();
                    verifier.check(&entry, &hash).map_err(|e| StoreError::AuditBroken {
                        partnership_id: *partnership_id,
                        detail: e.to_string(),
                    })?;
                }
            });
            entries += verifier.checked() as u64;
        }
        Ok(Verified {
            partnerships: ids.len() as u64,
            entries,
        })
    }

    /// A page of the audit trail, newest first, optionally for one entity.
    pub async fn audit_page(
        &self,
        partnership_id: i64,
        entity: Option<(&str, &str)>,
        page: Page,
    ) -> Result<Paged<AuditRow>> {
        let (entity_kind, entity_id) = entity.unwrap_or(("", ""));
        let filter = "partnership_id = $1 AND ($2 = '' OR (entity = $2 AND entity_id = $3))";
        let total: i64 = on_pool!(self, |pool| sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE {filter}"
        ))
        .bind(partnership_id)
        .bind(entity_kind)
        .bind(entity_id)
        .fetch_one(pool)
        .await?);
        let sql = format!(
            "SELECT seq, at, actor, action, entity, entity_id, before_json, after_json, hash FROM audit_log \
             WHERE {filter} ORDER BY seq DESC LIMIT $4 OFFSET $5"
        );
        let items: Vec<AuditRow> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(entity_kind)
            .bind(entity_id)
            .bind(i64::from(page.limit))
            .bind(page.offset as i64)
            .fetch_all(pool)
            .await?);
        Ok(Paged::new(items, total, page))
    }
}
