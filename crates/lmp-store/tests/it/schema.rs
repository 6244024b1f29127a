//! The two backends' migrations make the same schema: the same tables, the
//! same columns with the same kind of value and the same NOT NULL, the same
//! primary, unique and foreign keys. Each backend writes its own migrations,
//! so nothing else keeps them from drifting apart.

use lmp_store::testing::TestDb;
use lmp_store::Store;
use std::collections::{BTreeMap, BTreeSet};

/// One table as both backends can describe it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// Column name → (kind of value, NOT NULL).
    columns: BTreeMap<String, (&'static str, bool)>,
    primary_key: Vec<String>,
    /// Each unique key's columns, sorted; the keys sorted.
    unique: Vec<Vec<String>>,
    /// (columns, referenced table, referenced columns), sorted.
    foreign: Vec<(Vec<String>, String, Vec<String>)>,
}

type Schema = BTreeMap<String, Table>;

/// A foreign key as read, before the columns it names are settled:
/// (columns, referenced table, referenced columns, `None` for "its key").
type ForeignRead = (Vec<String>, String, Vec<Option<String>>);

/// A key as PostgreSQL's catalogue gives it: (table, kind `p`/`u`/`f`,
/// columns, referenced table, referenced columns).
type KeyRow = (String, String, Vec<String>, Option<String>, Vec<String>);

/// The kind of value a declared type holds, in words both backends share.
fn kind(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "text" => "text",
        "real" | "double precision" => "real",
        "blob" | "bytea" => "bytes",
        _ => "other",
    }
}

/// A column's value kind and whether it may be null, as a key makes it:
/// a primary key's columns are never null (SQLite's rowid alias reports
/// otherwise, yet cannot hold one).
fn settle(table: &mut Table) {
    for column in &table.primary_key {
        if let Some((_, not_null)) = table.columns.get_mut(column) {
            *not_null = true;
        }
    }
    table.unique.sort();
    table.foreign.sort();
}

async fn sqlite_schema(store: &Store) -> Schema {
    let Store::Sqlite { read, .. } = store else {
        unreachable!("a SQLite store")
    };
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(read)
    .await
    .expect("tables");
    let mut schema = Schema::new();
    for name in names {
        let mut table = Table::default();
        let columns: Vec<(String, String, bool, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid")
                .bind(&name)
                .fetch_all(read)
                .await
                .expect("columns");
        let mut primary: Vec<(i64, String)> = Vec::new();
        for (column, declared, not_null, pk) in columns {
            if pk > 0 {
                primary.push((pk, column.clone()));
            }
            table.columns.insert(column, (kind(&declared), not_null));
        }
        primary.sort();
        table.primary_key = primary.into_iter().map(|(_, c)| c).collect();
        let indexes: Vec<(String, bool, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(read)
                .await
                .expect("indexes");
        for (index, unique, origin) in indexes {
            if !unique || origin == "pk" {
                continue;
            }
            let mut columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_info($1)")
                .bind(&index)
                .fetch_all(read)
                .await
                .expect("index columns");
            columns.sort();
            table.unique.push(columns);
        }
        let references: Vec<(i64, String, String, Option<String>)> =
            sqlx::query_as("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1) ORDER BY id, seq")
                .bind(&name)
                .fetch_all(read)
                .await
                .expect("foreign keys");
        let mut by_id: BTreeMap<i64, ForeignRead> = BTreeMap::new();
        for (id, to_table, from, to) in references {
            let entry = by_id.entry(id).or_insert_with(|| (Vec::new(), to_table, Vec::new()));
            entry.0.push(from);
            entry.2.push(to);
        }
        table.foreign = by_id
            .into_values()
            .map(|(from, to_table, to)| (from, to_table, to.into_iter().map(Option::unwrap_or_default).collect()))
            .collect();
        schema.insert(name, table);
    }
    // A reference that names no column is to the referenced table's primary key.
    let primary_keys: BTreeMap<String, Vec<String>> =
        schema.iter().map(|(n, t)| (n.clone(), t.primary_key.clone())).collect();
    for table in schema.values_mut() {
        for (_, to_table, to) in &mut table.foreign {
            if to.iter().all(String::is_empty) {
                *to = primary_keys.get(to_table).cloned().unwrap_or_default();
            }
        }
        settle(table);
    }
    schema
}

async fn postgres_schema(store: &Store) -> Schema {
    let Store::Postgres(pool) = store else {
        unreachable!("a PostgreSQL store")
    };
    let columns: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable = 'NO' \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
           AND c.table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .expect("columns");
    let mut schema = Schema::new();
    for (table, column, declared, not_null) in columns {
        schema
            .entry(table)
            .or_default()
            .columns
            .insert(column, (kind(&declared), not_null));
    }
    // Every key as (table, kind, its columns in order, referenced table and columns).
    let keys: Vec<KeyRow> = sqlx::query_as(
        "SELECT t.relname::text, k.contype::text, \
           ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i) \
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i), \
           f.relname::text, \
           ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i) \
                 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i) \
         FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid \
         LEFT JOIN pg_class f ON f.oid = k.confrelid \
         WHERE t.relnamespace = current_schema()::regnamespace AND k.contype IN ('p', 'u', 'f')",
    )
    .fetch_all(pool)
    .await
    .expect("keys");
    // Keys of the tables read above (sqlx's own bookkeeping is left out).
    for (table, kind, columns, to_table, to_columns) in keys {
        let Some(table) = schema.get_mut(&table) else { continue };
        match kind.as_str() {
            "p" => table.primary_key = columns,
            "u" => {
                let mut columns = columns;
                columns.sort();
                table.unique.push(columns);
            }
            _ => table.foreign.push((columns, to_table.unwrap_or_default(), to_columns)),
        }
    }
    // Unique indexes made with CREATE UNIQUE INDEX rather than a constraint.
    let unique_indexes: Vec<(String, Vec<String>)> = sqlx::query_as(
        "SELECT t.relname::text, \
           ARRAY(SELECT a.attname::text FROM unnest(i.indkey) u(n) \
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n) \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         WHERE t.relnamespace = current_schema()::regnamespace AND i.indisunique AND NOT i.indisprimary \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
    )
    .fetch_all(pool)
    .await
    .expect("unique indexes");
    for (table, mut columns) in unique_indexes {
        columns.sort();
        if let Some(table) = schema.get_mut(&table) {
            table.unique.push(columns);
        }
    }
    for table in schema.values_mut() {
        settle(table);
    }
    schema
}

/// Every way `sqlite` and `postgres` differ, one line each.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    let tables: BTreeSet<&String> = sqlite.keys().chain(postgres.keys()).collect();
    for name in tables {
        let (Some(s), Some(p)) = (sqlite.get(name), postgres.get(name)) else {
            let only = if sqlite.contains_key(name) {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            found.push(format!("{name}: only on {only}"));
            continue;
        };
        let columns: BTreeSet<&String> = s.columns.keys().chain(p.columns.keys()).collect();
        for column in columns {
            let (a, b) = (s.columns.get(column), p.columns.get(column));
            if a != b {
                found.push(format!("{name}.{column}: SQLite {a:?}, PostgreSQL {b:?}"));
            }
        }
        let mut compare = |what: &str, a: String, b: String| {
            if a != b {
                found.push(format!("{name} {what}: SQLite {a}, PostgreSQL {b}"));
            }
        };
        compare(
            "primary key",
            format!("{:?}", s.primary_key),
            format!("{:?}", p.primary_key),
        );
        compare("unique keys", format!("{:?}", s.unique), format!("{:?}", p.unique));
        compare("foreign keys", format!("{:?}", s.foreign), format!("{:?}", p.foreign));
    }
    found
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_schema() {
    let sqlite = TestDb::sqlite().await;
    let Some(postgres) = TestDb::postgres().await else {
        return;
    };
    let (s, p) = (
        sqlite_schema(&sqlite.store).await,
        postgres_schema(&postgres.store).await,
    );
    assert!(s.len() > 40, "SQLite has its tables: {:?}", s.keys());
    assert!(
        s.values().all(|t| !t.columns.is_empty()) && p.values().all(|t| !t.columns.is_empty()),
        "every table was read with its columns"
    );
    let found = differences(&s, &p);
    assert!(found.is_empty(), "the schemas differ:\n{}", found.join("\n"));
}

#[test]
fn a_difference_is_named_by_table_and_column() {
    let table = |kind: &'static str, not_null: bool| Table {
        columns: [
            ("id".to_string(), ("integer", true)),
            ("name".to_string(), (kind, not_null)),
        ]
        .into(),
        primary_key: vec!["id".into()],
        ..Table::default()
    };
    let one: Schema = [("people".to_string(), table("text", true))].into();
    assert!(differences(&one, &one).is_empty());
    let other: Schema = [("people".to_string(), table("text", false))].into();
    assert_eq!(
        differences(&one, &other),
        vec![r#"people.name: SQLite Some(("text", true)), PostgreSQL Some(("text", false))"#]
    );
    let mut keyed = table("text", true);
    keyed.primary_key = vec!["id".into(), "name".into()];
    let keyed: Schema = [("people".to_string(), keyed)].into();
    assert_eq!(differences(&one, &keyed).len(), 1);
    let none = Schema::new();
    assert_eq!(differences(&one, &none), vec!["people: only on SQLite"]);
}
