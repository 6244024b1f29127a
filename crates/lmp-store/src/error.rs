use lmp_core::policy::Denied;
use lmp_core::Refusal;

/// What can go wrong in the store, in words a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Nothing with that id in this partnership (or at all).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A domain rule refused the change; the message says which and why.
    #[error("{0}")]
    Rule(#[from] Refusal),
    /// An import row is wrong: `file:line:column: reason`.
    #[error("{file}:{line}:{column}: {reason}")]
    Import {
        file: String,
        line: u64,
        column: usize,
        reason: Refusal,
    },
    #[error("configuration: {0}")]
    Config(String),
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("the audit log is broken: {detail}")]
    AuditBroken { partnership_id: i64, detail: String },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// True when the database refused a row as a duplicate of a unique key.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
    }
}
