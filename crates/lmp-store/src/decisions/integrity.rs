//! Whether a decision's history verifies: its entries in the audit chain
//! are intact (each hash, and the link to the entry after it), and its
//! rows still say what the chain recorded.

use crate::audit::{StoredEntry, ENTRY_COLUMNS};
use crate::{on_pool, Result, Store};
use lmp_core::audit::{chain_hash, AuditEntry, GENESIS_HASH};
use lmp_core::decision_record::{reconcile, Word};
use serde::Serialize;

/// The verdict on one decision's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryCheck {
    /// How many audit entries the decision has.
    pub entries: usize,
    pub verified: bool,
    /// What is wrong, in words; empty when it verifies.
    pub problems: Vec<String>,
}

impl Store {
    /// Check one decision's history against the audit chain.
    pub async fn verify_decision(&self, partnership_id: i64, decision_id: i64) -> Result<HistoryCheck> {
        // The decision's entries, each with the entry before and after it,
        // so a recomputed hash still shows as a broken link.
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE partnership_id = $1 AND seq IN ( \
               SELECT seq - 1 FROM audit_log WHERE partnership_id = $1 AND entity = 'decision' AND entity_id = $2 \
               UNION SELECT seq FROM audit_log WHERE partnership_id = $1 AND entity = 'decision' AND entity_id = $2 \
               UNION SELECT seq + 1 FROM audit_log WHERE partnership_id = $1 AND entity = 'decision' AND entity_id = $2) \
             ORDER BY seq"
        );
        let entity_id = decision_id.to_string();
        let stored: Vec<StoredEntry> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(partnership_id)
            .bind(&entity_id)
            .fetch_all(pool)
            .await?);
        let stored: Vec<(AuditEntry, String)> = stored.into_iter().map(StoredEntry::into_parts).collect();
        let mut problems = Vec::new();
        let hash_of = |seq: i64| stored.iter().find(|(e, _)| e.seq == seq).map(|(_, h)| h.as_str());
        let mine = |e: &AuditEntry| e.entity == "decision" && e.entity_id == entity_id;
        let mut chain_words = Vec::new();
        let mut entries = 0;
        for (entry, hash) in &stored {
            let is_mine = mine(entry);
            let follows_mine = stored.iter().any(|(e, _)| e.seq + 1 == entry.seq && mine(e));
            if !(is_mine || follows_mine) {
                continue;
            }
            let prev = if entry.seq == 1 {
                Some(GENESIS_HASH)
            } else {
                hash_of(entry.seq - 1)
            };
            match prev {
                Some(prev) if chain_hash(prev, entry) == *hash => {}
                Some(_) => problems.push(format!(
                    "audit entry {} does not match its hash: the log was altered there",
                    entry.seq
                )),
                None => problems.push(format!("the audit entry before {} is missing", entry.seq)),
            }
            if is_mine {
                entries += 1;
                if let Some(word) = word_in(entry) {
                    chain_words.push(word);
                }
            }
        }
        let (rows, redacted) = self.words_on_record(partnership_id, decision_id).await?;
        problems.extend(reconcile(&chain_words, &rows, redacted));
        Ok(HistoryCheck {
            entries,
            verified: problems.is_empty(),
            problems,
        })
    }

    /// Every contribution and stance as the rows now hold them.
    async fn words_on_record(&self, partnership_id: i64, decision_id: i64) -> Result<(Vec<Word>, bool)> {
        type Row = (String, i64, String, String, String);
        let (rows, redacted): (Vec<Row>, Option<i64>) = on_pool!(self, |pool| {
            let rows = sqlx::query_as(
                "SELECT at, person_id, side, kind, text FROM contributions WHERE partnership_id = $1 AND decision_id = $2 \
                 UNION ALL SELECT at, person_id, side, 'stance', stance || ': ' || reason FROM stances \
                 WHERE partnership_id = $1 AND decision_id = $2",
            )
            .bind(partnership_id)
            .bind(decision_id)
            .fetch_all(pool)
            .await?;
            let redacted =
                sqlx::query_scalar("SELECT redacted_by FROM decisions WHERE partnership_id = $1 AND id = $2")
                    .bind(partnership_id)
                    .bind(decision_id)
                    .fetch_optional(pool)
                    .await?
                    .flatten();
            (rows, redacted)
        });
        let words = rows
            .into_iter()
            .map(|(at, person_id, side, kind, text)| Word {
                at,
                person_id,
                side,
                kind,
                text,
            })
            .collect();
        Ok((words, redacted.is_some()))
    }
}

/// The word an audit entry recorded, if it recorded one.
fn word_in(entry: &AuditEntry) -> Option<Word> {
    let after: serde_json::Value = serde_json::from_str(entry.after.as_deref()?).ok()?;
    let text = |key: &str| after.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let (kind, words) = match entry.action.as_str() {
        "decision.raise" => ("issue".to_string(), text("issue")),
        "decision.contribute" => (text("kind"), text("text")),
        "decision.ruling" => ("ruling".to_string(), text("ruling")),
        "decision.stance" => ("stance".to_string(), format!("{}: {}", text("stance"), text("reason"))),
        _ => return None,
    };
    let person_id = after
        .get("person")
        .or_else(|| after.get("recorded_by"))
        .and_then(|v| v.as_i64())?;
    Some(Word {
        at: text("at"),
        person_id,
        side: text("side"),
        kind,
        text: words,
    })
}
