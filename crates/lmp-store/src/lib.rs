//! Persistence for lmp: one [`Store`] API over SQLite (embedded, the default)
//! and PostgreSQL (production), chosen once from the database URL.
//!
//! SQL is written once where both backends accept it (numbered `$1`
//! parameters, standard SQL); [`on_pool!`] and [`in_tx!`] expand a body once
//! per backend so it is type-checked against both.

pub mod audit;
pub mod bodies;
pub mod body_meetings;
pub mod bulk;
pub mod dashboard;
pub mod decisions;
pub mod eis;
pub mod error;
pub mod evidence;
pub mod health;
pub mod import;
pub mod invitations;
pub mod joint_changes;
pub mod model;
pub mod notices;
pub mod org;
pub mod people;
pub mod scorecard;
pub mod sign_ins;
pub mod staffing;
pub mod structure;
pub mod teams;
pub mod testing;
pub mod training;
pub mod trust;
pub mod users;

pub use error::StoreError;

use lmp_core::refuse;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A rule set or a change as the JSON it is stored as. Our own types always
/// serialise; should one ever not, the serialiser's words are passed on.
pub(crate) fn json_of<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Rule(lmp_core::Refusal::as_written(e.to_string())))
}

/// The database, on whichever backend the URL named.
#[derive(Clone, Debug)]
pub enum Store {
    /// Reads share a pool; writes go through a single connection so SQLite
    /// never has two writers racing for its one lock.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// Run `$body` with `$pool` bound to the backend's read pool.
#[macro_export]
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $store {
            $crate::Store::Sqlite { read: $pool, .. } => $body,
            $crate::Store::Postgres($pool) => $body,
        }
    };
}

/// Run `$body` inside one write transaction, committed if the body finishes
/// and rolled back if it returns early with an error.
#[macro_export]
macro_rules! in_tx {
    ($store:expr, |$tx:ident| $body:expr) => {
        match $store {
            $crate::Store::Sqlite { write, .. } => {
                let mut $tx = write.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::Store::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// As [`in_tx!`], but a dry run (`$dry` true) rolls everything back: the
/// body runs exactly as it would, so what it reports is what would happen.
#[macro_export]
macro_rules! in_tx_unless_dry {
    ($store:expr, $dry:expr, |$tx:ident| $body:expr) => {
        match $store {
            $crate::Store::Sqlite { write, .. } => {
                let mut $tx = write.begin().await?;
                let out = $body;
                if $dry {
                    $tx.rollback().await?;
                } else {
                    $tx.commit().await?;
                }
                out
            }
            $crate::Store::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                if $dry {
                    $tx.rollback().await?;
                } else {
                    $tx.commit().await?;
                }
                out
            }
        }
    };
}

impl Store {
    /// Open (creating if needed) the database at `url` and bring its schema
    /// up to date. `sqlite://PATH` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Config(format!("{url}: {e}")))?;
            Store::connect_postgres(options).await?
        } else if url.starts_with("sqlite:") {
            Store::connect_sqlite(url).await?
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL {url:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            )));
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn connect_sqlite(url: &str) -> Result<Store> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("{url}: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536");
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Config(format!("{}: {e}", dir.display())))?;
            }
        }
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Store::Sqlite { read, write })
    }

    /// Connect to PostgreSQL with explicit options (e.g. a `search_path`
    /// that puts each test, or each deployment, in its own schema).
    pub async fn connect_postgres(options: PgConnectOptions) -> Result<Store> {
        // PostgreSQL's default random_page_cost (4) assumes spinning disks; on
        // SSD or cached data it makes the planner scan all 166,000 people
        // rather than fetch the 3,000 a search matched by key (53 ms against
        // 20 ms). Set per connection, so no server setting is needed.
        let options = options.options([("random_page_cost", "1.1")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Store::Postgres(pool))
    }

    /// Bring the schema up to date; safe to call on every start.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Store::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Store::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Whether list queries (whose filters are written `($n = 0 OR …)` so
    /// one statement serves every combination) stay prepared. SQLite: yes,
    /// re-preparing costs it a quarter of a search's time. PostgreSQL: no, so
    /// it plans each call for the actual values and folds the unused filters
    /// away, where a cached generic plan may not (15 → 45 searches/s).
    pub(crate) fn keeps_list_statements(&self) -> bool {
        matches!(self, Store::Sqlite { .. })
    }

    /// Refresh the planner's statistics, after a bulk load changed the
    /// shape of the data.
    pub async fn analyze(&self) -> Result<()> {
        match self {
            Store::Sqlite { write, .. } => {
                sqlx::query("ANALYZE").execute(write).await?;
            }
            Store::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
                // The tables counted most: VACUUM marks their freshly loaded
                // pages all-visible, so counts come from the indexes alone.
                // Named, so only this schema's tables are touched.
                sqlx::query("VACUUM people, seats, person_words").execute(pool).await?;
            }
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite { .. } => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Is the database answering? For `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Store::Postgres(pool) => pool.close().await,
        }
    }
}

/// Now, as stored: RFC 3339 UTC with whole seconds.
/// The permit's partnership, if it was given for an action `wanted` accepts.
pub(crate) fn require(permit: &lmp_core::policy::Permit, wanted: fn(&lmp_core::policy::Action) -> bool) -> Result<i64> {
    if wanted(&permit.action()) {
        Ok(permit.actor().partnership_id)
    } else {
        Err(StoreError::Denied(lmp_core::policy::Denied::Forbidden))
    }
}

/// A side's key turned by a person, in a record kept as one column pair per
/// side (`labor_…`, `management_…`): the keys after turning, the person's
/// name and the column prefix to write.
pub(crate) struct TurnedKey {
    pub keys: lmp_core::two_key::Keys,
    pub name: String,
    pub column: &'static str,
}

impl Store {
    /// Turn `side`'s key in `keys` as `person_id`: each key once, and never
    /// both by one person.
    pub(crate) async fn turn_key(
        &self,
        partnership_id: i64,
        person_id: i64,
        side: lmp_core::Side,
        mut keys: lmp_core::two_key::Keys,
    ) -> Result<TurnedKey> {
        let name: String = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT name FROM people WHERE id = $1 AND partnership_id = $2"
        )
        .bind(person_id)
        .bind(partnership_id)
        .fetch_one(pool)
        .await?);
        keys.turn(side, &name).map_err(|e| StoreError::Rule(e.into()))?;
        let column = if side == lmp_core::Side::Labor {
            "labor"
        } else {
            "management"
        };
        Ok(TurnedKey { keys, name, column })
    }

    /// The person with `employee_no`, refused unless they may speak for
    /// `side` as a `role` (a trustee, an EIS representative), named in
    /// English and in Spanish: (id, name).
    pub(crate) async fn person_for_side(
        &self,
        partnership_id: i64,
        employee_no: &str,
        side: lmp_core::Side,
        (role, role_es): (&str, &str),
    ) -> Result<(i64, String)> {
        let person: Option<(i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, kind FROM people WHERE partnership_id = $1 AND employee_no = $2"
        )
        .bind(partnership_id)
        .bind(employee_no)
        .fetch_optional(pool)
        .await?);
        let (person_id, name, kind) = person.ok_or_else(|| {
            StoreError::Rule(refuse!(
                "no one has employee number {employee_no:?}",
                "nadie tiene el número de empleado {employee_no:?}"
            ))
        })?;
        let may_act_for = kind
            .parse::<lmp_core::person::PersonKind>()
            .is_ok_and(|k| k.may_act_for(side));
        if !may_act_for {
            let side_es = side.label_in(lmp_core::language::Language::Spanish);
            return Err(StoreError::Rule(lmp_core::refuse!(
                "{name} cannot be a {side} {role}",
                "{name} no puede ser {role_es} por la parte «{side_es}»"
            )));
        }
        Ok((person_id, name))
    }
}

pub fn now_text() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Today's date where the server runs: what "the last 90 days" count back from.
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

impl Store {
    /// After rows were written with their ids given, move PostgreSQL's
    /// identity sequences past them (SQLite needs nothing).
    pub async fn advance_id_sequences(&self, tables: &[&str]) -> Result<()> {
        if let Store::Postgres(pool) = self {
            for table in tables {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
                ))
                .execute(pool)
                .await?;
            }
        }
        Ok(())
    }
}
