//! Fresh, throwaway databases for tests, on either backend, each a copy of a
//! prepared [`Template`].
//!
//! A template (the migrated schema, or that plus a demo) is built once per
//! test binary and kept: SQLite as a file in the temp directory, PostgreSQL
//! as a database beside the one `LMP_TEST_POSTGRES` names (e.g.
//! `postgres://postgres@127.0.0.1/test`). Each test then gets a copy: the
//! file copied, or `CREATE DATABASE … TEMPLATE …`, which takes milliseconds
//! where loading a demo takes seconds. A template is named by what built it
//! (the test binary's size and modification time), so a rebuilt binary
//! never reuses a stale one, and the same binary run again reuses its own;
//! templates untouched for a day are removed.
//!
//! When `LMP_TEST_POSTGRES` is unset the PostgreSQL half of a test is
//! skipped — unless `LMP_REQUIRE_POSTGRES=1`, which makes a missing server
//! a failure. Either way each copy is dropped when its `TestDb` is.

use crate::Store;
use futures::future::BoxFuture;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What every copy of a template starts with.
pub struct Template {
    /// Short and unique among a binary's templates: part of the name.
    pub name: &'static str,
    /// Fills a freshly migrated database.
    pub build: fn(Store) -> BoxFuture<'static, Result<(), String>>,
}

/// The migrated schema and nothing else.
pub static EMPTY: Template = Template {
    name: "empty",
    build: |_| Box::pin(async { Ok(()) }),
};

/// Templates older than this (unused for so long) are removed.
const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

pub struct TestDb {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin: Box<PgConnectOptions>, name: String },
}

fn unique_name() -> String {
    format!("lmp_t{}_{:08x}", std::process::id(), rand::random::<u32>())
}

/// The template's name on disk or on the server: its own name and the
/// build of the binary running the tests.
fn template_key(template: &Template) -> String {
    let build = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
            (m.len(), modified.map(|d| d.as_nanos()).unwrap_or(0))
        })
        .unwrap_or((0, 0));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("{}:{}:{}", template.name, build.0, build.1).bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("lmp_tmpl_{}_{hash:016x}", template.name.replace('-', "_"))
}

/// Templates this process has made ready, by backend and key: built (or
/// found) once, then only copied.
static READY: tokio::sync::Mutex<Option<HashSet<String>>> = tokio::sync::Mutex::const_new(None);

/// Run `prepare` unless this process already made `key` ready.
async fn once(key: &str, prepare: impl std::future::Future<Output = ()>) {
    let mut ready = READY.lock().await;
    let ready = ready.get_or_insert_with(HashSet::new);
    if !ready.contains(key) {
        prepare.await;
        ready.insert(key.to_string());
    }
}

impl TestDb {
    /// The database's URL, for a program of its own to open (the `lmp`
    /// binary, a script).
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::File(path) => format!("sqlite://{}", path.display()),
            Cleanup::Database { name, .. } => {
                let admin = std::env::var("LMP_TEST_POSTGRES").unwrap_or_default();
                let server = admin.split('?').next().unwrap_or_default();
                let server = server.rsplit_once('/').map_or(server, |(server, _)| server);
                format!("{server}/{name}")
            }
        }
    }

    /// A migrated, empty SQLite database.
    pub async fn sqlite() -> TestDb {
        TestDb::sqlite_from(&EMPTY).await
    }

    /// A migrated, empty PostgreSQL database; `None` (and a note on stderr)
    /// when no PostgreSQL is configured.
    pub async fn postgres() -> Option<TestDb> {
        TestDb::postgres_from(&EMPTY).await
    }

    /// Both backends, in turn, empty: SQLite always, PostgreSQL where configured.
    pub async fn each() -> Vec<TestDb> {
        TestDb::each_from(&EMPTY).await
    }

    /// Both backends, in turn, each a copy of `template`.
    pub async fn each_from(template: &Template) -> Vec<TestDb> {
        let mut all = vec![TestDb::sqlite_from(template).await];
        all.extend(TestDb::postgres_from(template).await);
        all
    }

    /// A copy of `template` on SQLite.
    pub async fn sqlite_from(template: &Template) -> TestDb {
        let key = template_key(template);
        let dir = std::env::temp_dir();
        let source = dir.join(format!("{key}.db"));
        once(&format!("sqlite:{key}"), prepare_sqlite(template, &source)).await;
        let path = dir.join(format!("{}.db", unique_name()));
        std::fs::copy(&source, &path).expect("copy the SQLite template");
        let store = Store::connect(&format!("sqlite://{}", path.display()))
            .await
            .expect("open a test SQLite database");
        TestDb {
            store,
            cleanup: Cleanup::File(path),
        }
    }

    /// A copy of `template` on PostgreSQL, or `None` where none is configured.
    pub async fn postgres_from(template: &Template) -> Option<TestDb> {
        let admin = postgres_admin()?;
        let key = template_key(template);
        once(&format!("postgres:{key}"), prepare_postgres(template, &admin, &key)).await;
        let name = unique_name();
        let mut conn = admin.connect().await.expect("connect to LMP_TEST_POSTGRES");
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {key}"))
            .execute(&mut conn)
            .await
            .expect("copy the PostgreSQL template");
        let _ = conn.close().await;
        let store = Store::connect_postgres(admin.clone().database(&name))
            .await
            .expect("connect to the test database");
        Some(TestDb {
            store,
            cleanup: Cleanup::Database {
                admin: Box::new(admin),
                name,
            },
        })
    }
}

/// The server `LMP_TEST_POSTGRES` names, or `None` (saying so) where unset.
fn postgres_admin() -> Option<PgConnectOptions> {
    let Ok(url) = std::env::var("LMP_TEST_POSTGRES") else {
        assert!(
            std::env::var("LMP_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "LMP_REQUIRE_POSTGRES=1 but LMP_TEST_POSTGRES is not set"
        );
        eprintln!("PostgreSQL skipped: LMP_TEST_POSTGRES is not set");
        return None;
    };
    Some(PgConnectOptions::from_str(&url).expect("LMP_TEST_POSTGRES is a postgres:// URL"))
}

/// Make `path` hold `template`, unless an earlier run of this binary did.
/// Built under a name of its own and renamed whole, so a run that dies
/// half-way leaves no template that looks ready.
async fn prepare_sqlite(template: &Template, path: &Path) {
    if path.exists() {
        touch(path);
        return;
    }
    remove_stale_files(&std::env::temp_dir());
    let building = path.with_extension(format!("{}.building", unique_name()));
    let store = Store::connect(&format!("sqlite://{}", building.display()))
        .await
        .expect("open a SQLite template");
    (template.build)(store.clone())
        .await
        .unwrap_or_else(|e| panic!("build the {} template: {e}", template.name));
    // One self-contained file, without the write-ahead log beside it.
    let copy = path.with_extension(format!("{}.db", unique_name()));
    sqlx::query(&format!("VACUUM INTO '{}'", copy.display()))
        .execute(match &store {
            Store::Sqlite { write, .. } => write,
            Store::Postgres(_) => unreachable!("a SQLite store"),
        })
        .await
        .expect("write the SQLite template");
    store.close().await;
    remove_sqlite_files(&building);
    std::fs::rename(&copy, path).expect("put the SQLite template in place");
}

fn touch(path: &Path) {
    if let Ok(file) = std::fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

fn remove_stale_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if stale && entry.file_name().to_string_lossy().starts_with("lmp_tmpl_") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn remove_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Make database `key` hold `template`, unless an earlier run of this binary
/// did. Several binaries may run at once: an advisory lock lets one build
/// while the others wait, and the template appears under its name only once
/// it is whole.
async fn prepare_postgres(template: &Template, admin: &PgConnectOptions, key: &str) {
    let mut conn = admin.connect().await.expect("connect to LMP_TEST_POSTGRES");
    sqlx::query("SELECT pg_advisory_lock(hashtext($1))")
        .bind(key)
        .execute(&mut conn)
        .await
        .expect("lock the template's name");
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(key)
        .fetch_one(&mut conn)
        .await
        .expect("look for the template");
    if !exists {
        remove_stale_databases(&mut conn).await;
        let building = format!("{key}_b");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .expect("drop a half-built template");
        sqlx::query(&format!("CREATE DATABASE {building}"))
            .execute(&mut conn)
            .await
            .expect("create a PostgreSQL template");
        let store = Store::connect_postgres(admin.clone().database(&building))
            .await
            .expect("connect to the template");
        store.migrate().await.expect("migrate the template");
        (template.build)(store.clone())
            .await
            .unwrap_or_else(|e| panic!("build the {} template: {e}", template.name));
        store.close().await;
        // A closed pool's sessions, or autovacuum after the load, may linger
        // a moment: shut them out, end them, then rename.
        sqlx::query(&format!("ALTER DATABASE {building} WITH ALLOW_CONNECTIONS false"))
            .execute(&mut conn)
            .await
            .expect("close the template to sessions");
        let mut attempts = 0;
        loop {
            sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
                .bind(&building)
                .execute(&mut conn)
                .await
                .expect("end the template's sessions");
            match sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {key}"))
                .execute(&mut conn)
                .await
            {
                Ok(_) => break,
                Err(e) if attempts < 50 => {
                    attempts += 1;
                    tracing::debug!(error = %e, "the template is still in use");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("put the PostgreSQL template in place: {e}"),
            }
        }
        // No one connects to a template (autovacuum included), so copying
        // it never waits for a session to leave.
        sqlx::query(&format!(
            "ALTER DATABASE {key} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
        ))
        .execute(&mut conn)
        .await
        .expect("mark the PostgreSQL template");
    }
    // The comment says when it was last used, for the stale sweep.
    sqlx::query(&format!("COMMENT ON DATABASE {key} IS '{}'", unix_seconds()))
        .execute(&mut conn)
        .await
        .expect("mark the template used");
    let _ = sqlx::query("SELECT pg_advisory_unlock(hashtext($1))")
        .bind(key)
        .execute(&mut conn)
        .await;
    let _ = conn.close().await;
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Templates unused for a day; not one being built (`…_b`), which another
/// binary may hold the lock on.
async fn remove_stale_databases(conn: &mut sqlx::PgConnection) {
    let templates: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT d.datname, shobj_description(d.oid, 'pg_database') FROM pg_database d \
         WHERE d.datname LIKE 'lmp\\_tmpl\\_%' AND d.datname NOT LIKE '%\\_b'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap_or_default();
    let now = unix_seconds();
    for (name, used) in templates {
        let used: u64 = used.and_then(|u| u.parse().ok()).unwrap_or(0);
        if now.saturating_sub(used) > STALE_AFTER.as_secs() {
            for statement in [
                format!("ALTER DATABASE {name} WITH IS_TEMPLATE false"),
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            ] {
                let _ = sqlx::query(&statement).execute(&mut *conn).await;
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => remove_sqlite_files(path),
            Cleanup::Database { admin, name } => {
                let (admin, name) = (PgConnectOptions::clone(admin), name.clone());
                // Drop runs inside the test's runtime, which cannot be blocked
                // on; a short-lived runtime on its own thread does the work.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(mut conn) = admin.connect().await {
                            // FORCE ends the test's own connections first: a
                            // rolled-back transaction may still hold one.
                            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                            let _ = conn.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}
