//! `Transfer` (`plumb db copy`): whole tables in the neutral row form of
//! `plumb_core::transfer`, read and written with the same statements on both databases. The
//! statements are generated from the table list in core, so every column listed there is
//! copied; each value is read and bound with the type its [`Kind`] names, so the drivers do the
//! spelling (times as text or `timestamptz`, flags as integers or `boolean`).

use crate::codec::damaged;
use crate::stored::parse_time;
use async_trait::async_trait;
use plumb_core::store::StoreResult;
use plumb_core::transfer::{Import, Kind, Row, TABLES, Table, Transfer};
use serde_json::Value;

use crate::SqlStore;
use crate::db::{Arg, Exec, FromRow, Params, Row as DbRow, Tx, args};

/// Rows per insert statement; with at most a few dozen columns this stays far below both
/// databases' parameter limits.
const ROWS_PER_INSERT: usize = 250;

#[async_trait]
impl Transfer for SqlStore {
    async fn export_rows(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Row>> {
        let dialect = self.db.dialect();
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|&(column, kind)| dialect.neutral_text(column, kind))
            .collect();
        let mut params = Params::default();
        let after_sql = match after {
            None => String::new(),
            Some(after) => {
                let value = bind(key_kind(table), &Value::String(after.to_owned()))?;
                format!(" where {} > {}", table.key, params.push(value))
            }
        };
        let limit = params.push(i64::from(limit));
        let sql = format!(
            "select {} from {}{after_sql} order by {} limit {limit}",
            columns.join(", "),
            table.name,
            table.key
        );
        let rows: Vec<TextRow> = self.db.rows(&sql, params.as_slice()).await?;
        rows.into_iter()
            .map(|row| neutral_row(table, row))
            .collect()
    }

    async fn count_rows(&self, table: &Table) -> StoreResult<u64> {
        self.db
            .one(&format!("select count(*) from {}", table.name), &[])
            .await
    }

    async fn begin_import(&self) -> StoreResult<Box<dyn Import>> {
        let tx = self.db.begin().await?;
        // Groups reference groups in no particular order; every reference is checked at commit.
        tx.defer_foreign_keys().await?;
        Ok(Box::new(TxImport { tx }))
    }
}

/// An import inside one write transaction.
struct TxImport {
    tx: Tx,
}

#[async_trait]
impl Import for TxImport {
    async fn clear(&mut self) -> StoreResult<()> {
        for table in TABLES.iter().rev() {
            self.tx
                .execute(&format!("delete from {}", table.name), args![])
                .await?;
        }
        Ok(())
    }

    async fn insert_rows(&mut self, table: &Table, rows: &[Row]) -> StoreResult<()> {
        let columns: Vec<&str> = table.columns.iter().map(|&(column, _)| column).collect();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut params = Params::default();
            let mut tuples = Vec::with_capacity(chunk.len());
            for row in chunk {
                let mut placeholders = Vec::with_capacity(columns.len());
                for &(column, kind) in table.columns {
                    let value = row.get(column).unwrap_or(&Value::Null);
                    placeholders.push(params.push(bind(kind, value)?));
                }
                tuples.push(format!("({})", placeholders.join(", ")));
            }
            let sql = format!(
                "insert into {} ({}) values {}",
                table.name,
                columns.join(", "),
                tuples.join(", ")
            );
            self.tx.execute(&sql, params.as_slice()).await?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.finish(Ok(())).await
    }
}

/// A row whose every column was selected as text in its neutral spelling
/// (`Dialect::neutral_text`).
struct TextRow(Vec<Option<String>>);

impl FromRow for TextRow {
    fn from_row(row: &DbRow<'_>) -> StoreResult<Self> {
        (0..row.len())
            .map(|index| row.get(index))
            .collect::<StoreResult<_>>()
            .map(TextRow)
    }
}

/// The neutral row of `table` from its columns' texts.
fn neutral_row(table: &Table, row: TextRow) -> StoreResult<Row> {
    if row.0.len() != table.columns.len() {
        return Err(damaged(format!(
            "a row of {} with missing columns",
            table.name
        )));
    }
    let mut neutral = Row::new();
    for (&(column, kind), text) in table.columns.iter().zip(row.0) {
        neutral.insert(column.to_owned(), neutral_value(kind, text)?);
    }
    Ok(neutral)
}

/// A column's neutral value from its text: flags are `1`/`0` on SQLite and `true`/`false` on
/// PostgreSQL, counters are digits, everything else is already spelled as it travels.
fn neutral_value(kind: Kind, text: Option<String>) -> StoreResult<Value> {
    let Some(text) = text else {
        return Ok(Value::Null);
    };
    Ok(match kind {
        Kind::Text | Kind::Time | Kind::Bytes => Value::String(text),
        Kind::Bool => Value::Bool(matches!(text.as_str(), "1" | "true")),
        Kind::Int => Value::from(
            text.parse::<i64>()
                .map_err(|_| damaged(format!("the counter {text:?}")))?,
        ),
    })
}

/// The argument that stores a neutral value of `kind`.
fn bind(kind: Kind, value: &Value) -> StoreResult<Arg<'static>> {
    let wrong = || damaged(format!("a {kind:?} value to import: {value}"));
    Ok(match (kind, value) {
        (Kind::Text, Value::Null) => Arg::Owned(None),
        (Kind::Text, Value::String(text)) => Arg::Owned(Some(text.clone())),
        (Kind::Time, Value::Null) => Arg::Time(None),
        (Kind::Time, Value::String(text)) => Arg::Time(Some(parse_time(text)?)),
        (Kind::Bytes, Value::Null) => Arg::Blob(None),
        (Kind::Bytes, Value::String(text)) => {
            Arg::Blob(Some(hex::decode(text).map_err(|_| wrong())?))
        }
        (Kind::Bool, Value::Null) => Arg::Bool(None),
        (Kind::Bool, Value::Bool(flag)) => Arg::Bool(Some(*flag)),
        (Kind::Int, Value::Null) => Arg::Int(None),
        (Kind::Int, Value::Number(number)) => Arg::Int(Some(number.as_i64().ok_or_else(wrong)?)),
        _ => return Err(wrong()),
    })
}

/// The kind of a table's key column.
fn key_kind(table: &Table) -> Kind {
    table
        .columns
        .iter()
        .find(|&&(column, _)| column == table.key)
        .map_or(Kind::Text, |&(_, kind)| kind)
}
