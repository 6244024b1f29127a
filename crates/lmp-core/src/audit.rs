//! The tamper-evident record: an append-only log per partnership in which
//! every entry's hash covers the entry and the hash before it, so altering,
//! removing or reordering any row breaks every hash after it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that stands before the first entry of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One change, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub partnership_id: i64,
    /// 1, 2, 3 … within the partnership, with no gaps.
    pub seq: i64,
    /// RFC 3339 UTC timestamp.
    pub at: String,
    /// The user name of who acted (`operator` for commands on the server).
    pub actor: String,
    /// What was done, e.g. `body_seat.add`, `person.update`.
    pub action: String,
    /// What it was done to, e.g. `body`, `person`.
    pub entity: String,
    pub entity_id: String,
    /// JSON of the state before and after; `None` for a create or a delete.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The chain hash of `entry` following `prev_hash`.
///
/// Every field is length-prefixed, so no two different entries hash the same
/// input by moving text from one field into the next.
pub fn chain_hash(prev_hash: &str, entry: &AuditEntry) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    };
    field(prev_hash.as_bytes());
    field(&entry.partnership_id.to_be_bytes());
    field(&entry.seq.to_be_bytes());
    field(entry.at.as_bytes());
    field(entry.actor.as_bytes());
    field(entry.action.as_bytes());
    field(entry.entity.as_bytes());
    field(entry.entity_id.as_bytes());
    for optional in [&entry.before, &entry.after] {
        match optional {
            Some(text) => {
                field(b"1");
                field(text.as_bytes());
            }
            None => field(b"0"),
        }
    }
    hex::encode(hasher.finalize())
}

/// Where a chain stops being intact.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("partnership {partnership_id}: entry {seq} does not follow entry {expected_seq}: an entry is missing or out of order")]
    Gap {
        partnership_id: i64,
        seq: i64,
        expected_seq: i64,
    },
    #[error("partnership {partnership_id}: entry {seq} was altered: its stored hash does not match its contents")]
    Altered { partnership_id: i64, seq: i64 },
}

impl ChainBreak {
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::Gap { seq, .. } | ChainBreak::Altered { seq, .. } => *seq,
        }
    }
}

/// Checks one partnership's chain, an entry at a time, in `seq` order.
#[derive(Debug)]
pub struct ChainVerifier {
    partnership_id: i64,
    prev_hash: String,
    next_seq: i64,
}

impl ChainVerifier {
    pub fn new(partnership_id: i64) -> ChainVerifier {
        ChainVerifier {
            partnership_id,
            prev_hash: GENESIS_HASH.to_string(),
            next_seq: 1,
        }
    }

    /// Feed the next stored entry and the hash stored beside it.
    pub fn check(&mut self, entry: &AuditEntry, stored_hash: &str) -> Result<(), ChainBreak> {
        if entry.seq != self.next_seq || entry.partnership_id != self.partnership_id {
            return Err(ChainBreak::Gap {
                partnership_id: self.partnership_id,
                seq: entry.seq,
                expected_seq: self.next_seq,
            });
        }
        let expected = chain_hash(&self.prev_hash, entry);
        if expected != stored_hash {
            return Err(ChainBreak::Altered {
                partnership_id: self.partnership_id,
                seq: entry.seq,
            });
        }
        self.prev_hash = expected;
        self.next_seq += 1;
        Ok(())
    }

    /// How many entries were checked.
    pub fn checked(&self) -> i64 {
        self.next_seq - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, after: &str) -> AuditEntry {
        AuditEntry {
            partnership_id: 1,
            seq,
            at: "2026-11-23T00:00:00Z".into(),
            actor: "admin".into(),
            action: "person.create".into(),
            entity: "person".into(),
            entity_id: seq.to_string(),
            before: None,
            after: Some(after.into()),
        }
    }

    fn chain(n: i64) -> Vec<(AuditEntry, String)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let e = entry(seq, &format!("{{\"n\":{seq}}}"));
                prev = chain_hash(&prev, &e);
                (e, prev.clone())
            })
            .collect()
    }

    fn verify(rows: &[(AuditEntry, String)]) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::new(1);
        for (e, h) in rows {
            v.check(e, h)?;
        }
        Ok(v.checked())
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
    }

    #[test]
    fn an_altered_entry_is_named() {
        let mut rows = chain(5);
        rows[2].0.after = Some("{\"n\":999}".into());
        assert_eq!(verify(&rows).map_err(|b| b.seq()), Err(3));
    }

    #[test]
    fn a_removed_entry_is_a_gap() {
        let mut rows = chain(5);
        rows.remove(1);
        assert!(matches!(
            verify(&rows),
            Err(ChainBreak::Gap {
                seq: 3,
                expected_seq: 2,
                ..
            })
        ));
    }

    #[test]
    fn a_rehashed_entry_still_breaks_the_next() {
        // Someone edits entry 2 and recomputes its own hash; entry 3 then fails.
        let mut rows = chain(4);
        rows[1].0.actor = "someone-else".into();
        rows[1].1 = chain_hash(&rows[0].1, &rows[1].0);
        assert_eq!(verify(&rows).map_err(|b| b.seq()), Err(3));
    }

    #[test]
    fn fields_cannot_bleed_into_each_other() {
        let mut a = entry(1, "x");
        let mut b = entry(1, "x");
        a.action = "ab".into();
        a.entity = "c".into();
        b.action = "a".into();
        b.entity = "bc".into();
        assert_ne!(chain_hash(GENESIS_HASH, &a), chain_hash(GENESIS_HASH, &b));
        let none = AuditEntry {
            before: None,
            ..entry(1, "x")
        };
        let empty = AuditEntry {
            before: Some(String::new()),
            ..entry(1, "x")
        };
        assert_ne!(chain_hash(GENESIS_HASH, &none), chain_hash(GENESIS_HASH, &empty));
    }
}
