//! Fresh, throwaway databases for tests, on either backend.
//!
//! SQLite: a new file in the temp directory. PostgreSQL: a new schema in the
//! database named by `LMP_TEST_POSTGRES` (e.g. `postgres://postgres@127.0.0.1/test`);
//! when that is unset the PostgreSQL half of a test is skipped — unless
//! `LMP_REQUIRE_POSTGRES=1`, which makes a missing server a failure. Either
//! way the database is dropped when the `TestDb` is.

use crate::Store;
use sqlx::postgres::PgConnectOptions;
use std::path::PathBuf;
use std::str::FromStr;

pub struct TestDb {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema { url: String, schema: String },
}

fn unique_name() -> String {
    format!("lmp_t{}_{:08x}", std::process::id(), rand::random::<u32>())
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url).await.expect("open a test SQLite database");
        TestDb {
            store,
            cleanup: Cleanup::File(path),
        }
    }

    /// `None` (and a note on stderr) when no PostgreSQL is configured.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(url) = std::env::var("LMP_TEST_POSTGRES") else {
            assert!(
                std::env::var("LMP_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "LMP_REQUIRE_POSTGRES=1 but LMP_TEST_POSTGRES is not set"
            );
            eprintln!("PostgreSQL skipped: LMP_TEST_POSTGRES is not set");
            return None;
        };
        let schema = unique_name();
        let admin =
            Store::connect_postgres(PgConnectOptions::from_str(&url).expect("LMP_TEST_POSTGRES is a postgres:// URL"))
                .await
                .expect("connect to LMP_TEST_POSTGRES");
        if let Store::Postgres(pool) = &admin {
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(pool)
                .await
                .expect("create a test schema");
        }
        admin.close().await;
        let options = PgConnectOptions::from_str(&url)
            .expect("LMP_TEST_POSTGRES is a postgres:// URL")
            .options([("search_path", schema.as_str())])
            .application_name(&schema);
        let store = Store::connect_postgres(options)
            .await
            .expect("connect to the test schema");
        store.migrate().await.expect("migrate the test schema");
        Some(TestDb {
            store,
            cleanup: Cleanup::Schema { url, schema },
        })
    }

    /// Both backends, in turn: SQLite always, PostgreSQL where configured.
    pub async fn each() -> Vec<TestDb> {
        let mut all = vec![TestDb::sqlite().await];
        all.extend(TestDb::postgres().await);
        all
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Schema { url, schema } => {
                let (url, schema) = (url.clone(), schema.clone());
                // Drop runs inside the test's runtime, which cannot be blocked
                // on; a short-lived runtime on its own thread does the work.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                    rt.block_on(async move {
                        if let Ok(options) = PgConnectOptions::from_str(&url) {
                            if let Ok(Store::Postgres(pool)) = Store::connect_postgres(options).await {
                                // The test's own connections may still hold a lock
                                // (a rolled-back transaction waits for its pool
                                // to run again); end them first.
                                let _ = sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
                                    .bind(&schema)
                                    .execute(&pool)
                                    .await;
                                let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&pool).await;
                                pool.close().await;
                            }
                        }
                    });
                })
                .join();
            }
        }
    }
}
