//! Many rows into one table, fast, inside the caller's transaction: multi-row
//! INSERTs on SQLite, COPY on PostgreSQL. Every bulk path (demo, imports, the
//! audit log) goes through here.

use crate::Result;
use sqlx::{PgConnection, QueryBuilder, Sqlite, SqliteConnection};

/// One cell of a row to insert.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Real(f64),
    Text(String),
    Null,
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Real(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// SQLite allows 32,766 bound parameters a statement; stay well under.
const SQLITE_MAX_PARAMS: usize = 30_000;

// Implemented only for the store's own transactions, whose futures are
// Send; callers in the demo crate need no bound spelled out.
#[allow(async_fn_in_trait)]
pub trait BulkInsert {
    /// Insert `rows` (each with one value per column) into `table`.
    async fn insert_rows(&mut self, table: &str, columns: &[&str], rows: &[Vec<Value>]) -> Result<u64>;
}

impl BulkInsert for SqliteConnection {
    async fn insert_rows(&mut self, table: &str, columns: &[&str], rows: &[Vec<Value>]) -> Result<u64> {
        let per_statement = (SQLITE_MAX_PARAMS / columns.len().max(1)).clamp(1, 1000);
        let mut inserted = 0;
        for chunk in rows.chunks(per_statement) {
            let mut builder: QueryBuilder<Sqlite> =
                QueryBuilder::new(format!("INSERT INTO {table} ({}) ", columns.join(", ")));
            builder.push_values(chunk, |mut b, row| {
                for value in row {
                    match value {
                        Value::Int(v) => b.push_bind(*v),
                        Value::Real(v) => b.push_bind(*v),
                        Value::Text(v) => b.push_bind(v.clone()),
                        Value::Null => b.push_bind(None::<i64>),
                    };
                }
            });
            inserted += builder.build().execute(&mut *self).await?.rows_affected();
        }
        Ok(inserted)
    }
}

impl BulkInsert for PgConnection {
    async fn insert_rows(&mut self, table: &str, columns: &[&str], rows: &[Vec<Value>]) -> Result<u64> {
        if rows.is_empty() {
            return Ok(0);
        }
        let statement = format!("COPY {table} ({}) FROM STDIN WITH (FORMAT csv)", columns.join(", "));
        let mut copy = self.copy_in_raw(&statement).await?;
        let mut buffer = Vec::with_capacity(1 << 20);
        for row in rows {
            write_csv_row(&mut buffer, row);
            if buffer.len() >= 1 << 20 {
                copy.send(std::mem::take(&mut buffer)).await?;
            }
        }
        if !buffer.is_empty() {
            copy.send(buffer).await?;
        }
        Ok(copy.finish().await?)
    }
}

/// Rows of integers (NULL as `None`), laid end to end: the fast path for
/// millions of rows, with no per-cell allocation.
pub(crate) trait BulkIntegers {
    /// Insert `values`, `columns.len()` to a row, into `table`.
    async fn insert_integers(&mut self, table: &str, columns: &[&str], values: &[Option<i64>]) -> Result<u64>;
}

/// Rows a statement on SQLite's fast path: enough that stepping a statement
/// is a small part of each row's cost.
const SQLITE_ROWS_A_STATEMENT: usize = 64;

impl BulkIntegers for SqliteConnection {
    /// Prepared INSERTs of a few dozen rows each, stepped on this very
    /// connection (so inside the caller's transaction) through rusqlite:
    /// SQLite's own fast path, a third quicker than sqlx's statements,
    /// which carry every value through a queue to the connection's thread.
    async fn insert_integers(&mut self, table: &str, columns: &[&str], values: &[Option<i64>]) -> Result<u64> {
        let width = columns.len().max(1);
        let sql = |rows: usize| {
            let row = format!("({})", vec!["?"; width].join(","));
            format!(
                "INSERT INTO {table} ({}) VALUES {}",
                columns.join(", "),
                vec![row; rows].join(",")
            )
        };
        with_rusqlite(self, |connection| {
            let mut full = connection.prepare(&sql(SQLITE_ROWS_A_STATEMENT))?;
            let mut inserted = 0;
            for chunk in values.chunks(width * SQLITE_ROWS_A_STATEMENT) {
                let mut rest;
                let statement = if chunk.len() == width * SQLITE_ROWS_A_STATEMENT {
                    &mut full
                } else {
                    rest = connection.prepare(&sql(chunk.len() / width))?;
                    &mut rest
                };
                for (i, value) in chunk.iter().enumerate() {
                    statement.raw_bind_parameter(i + 1, value)?;
                }
                inserted += statement.raw_execute()? as u64;
            }
            Ok(inserted)
        })
        .await
    }
}

/// Run `work` through rusqlite on this sqlx SQLite connection — the same
/// connection, so inside whatever transaction it has open. For the few
/// paths where millions of rows make sqlx's per-row queue to its worker
/// thread the cost (rusqlite and sqlx share one libsqlite3-sys).
pub(crate) async fn with_rusqlite<T>(
    connection: &mut SqliteConnection,
    work: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
) -> Result<T> {
    let mut handle = connection.lock_handle().await?;
    // SAFETY: the handle is a live connection that the lock keeps to us
    // alone until it drops, after the borrowed Connection below, which
    // does not close what it did not open.
    let borrowed = unsafe { rusqlite::Connection::from_handle(handle.as_raw_handle().as_ptr()) };
    let out = borrowed.and_then(|c| work(&c));
    drop(handle);
    out.map_err(|e| crate::StoreError::Database(sqlx::Error::Protocol(format!("sqlite: {e}"))))
}

impl BulkIntegers for PgConnection {
    /// COPY in PostgreSQL's binary format: no text to format here or to
    /// parse on the server (each value is its length and eight bytes).
    async fn insert_integers(&mut self, table: &str, columns: &[&str], values: &[Option<i64>]) -> Result<u64> {
        if values.is_empty() {
            return Ok(0);
        }
        let statement = format!("COPY {table} ({}) FROM STDIN (FORMAT binary)", columns.join(", "));
        let mut copy = self.copy_in_raw(&statement).await?;
        let mut buffer = Vec::with_capacity(1 << 20);
        // Signature, flags, header extension length.
        buffer.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        buffer.extend_from_slice(&0_i32.to_be_bytes());
        buffer.extend_from_slice(&0_i32.to_be_bytes());
        let width = columns.len().max(1);
        for row in values.chunks(width) {
            buffer.extend_from_slice(&(width as i16).to_be_bytes());
            for value in row {
                match value {
                    Some(v) => {
                        buffer.extend_from_slice(&8_i32.to_be_bytes());
                        buffer.extend_from_slice(&v.to_be_bytes());
                    }
                    None => buffer.extend_from_slice(&(-1_i32).to_be_bytes()),
                }
            }
            if buffer.len() >= 1 << 20 {
                copy.send(std::mem::take(&mut buffer)).await?;
            }
        }
        buffer.extend_from_slice(&(-1_i16).to_be_bytes());
        copy.send(buffer).await?;
        Ok(copy.finish().await?)
    }
}

/// A row in PostgreSQL's CSV COPY format: NULL is an unquoted empty field,
/// text is always quoted (so an empty string stays an empty string).
fn write_csv_row(out: &mut Vec<u8>, row: &[Value]) {
    for (i, value) in row.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match value {
            Value::Int(v) => out.extend_from_slice(v.to_string().as_bytes()),
            Value::Real(v) => out.extend_from_slice(v.to_string().as_bytes()),
            Value::Null => {}
            Value::Text(text) => {
                out.push(b'"');
                for byte in text.bytes() {
                    if byte == b'"' {
                        out.push(b'"');
                    }
                    out.push(byte);
                }
                out.push(b'"');
            }
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_quote_text_and_leave_null_empty() {
        let mut out = Vec::new();
        write_csv_row(
            &mut out,
            &[
                Value::Int(7),
                Value::Text("a \"b\",\nc".into()),
                Value::Null,
                Value::Text(String::new()),
            ],
        );
        assert_eq!(String::from_utf8(out).expect("utf8"), "7,\"a \"\"b\"\",\nc\",,\"\"\n");
    }
}
