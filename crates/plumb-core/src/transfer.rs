//! Moving a whole installation between databases (`plumb db copy`), e.g. from the embedded
//! SQLite default to PostgreSQL when an MSP goes multi-node.
//!
//! The copy goes table by table in [`TABLES`] order (referenced tables first), as rows in a
//! backend-neutral form: one JSON object per row whose values are spelled the same way
//! whatever the backend ([`Kind`]). Each store implements [`Transfer`] with SQL of its own; this
//! module holds only the list of what a complete copy contains, so the two stores cannot
//! disagree about it (the conformance suite checks it against each backend's real columns).

mod tables;

use async_trait::async_trait;

use crate::store::StoreResult;

pub use tables::{KEPT_BY_TRIGGERS, TABLES};

/// A row in the neutral form: column name to value.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// How a column's value is spelled in a [`Row`] (null for SQL null, in every kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (ids, names, JSON kept as text).
    Text,
    /// A UTC time as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds, like both stores).
    Time,
    /// Bytes as lower-case hex (digests, sealed copies, settings).
    Bytes,
    /// `true` or `false`.
    Bool,
    /// A 64-bit integer (counters).
    Int,
}

/// One table of a copy: its name, its primary key (rows are read in its order, never with
/// OFFSET) and every column.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// The primary key column.
    pub key: &'static str,
    /// Every column with its kind, except those in [`KEPT_BY_TRIGGERS`].
    pub columns: &'static [(&'static str, Kind)],
}

impl Table {
    /// Every column the table has in the schema: the copied ones, then those the database
    /// keeps itself (the schema's own order may differ).
    pub fn schema_columns(&self) -> Vec<&'static str> {
        let copied = self.columns.iter().map(|&(column, _)| column);
        let kept = KEPT_BY_TRIGGERS
            .iter()
            .filter(|&&(table, _)| table == self.name)
            .map(|&(_, column)| column);
        copied.chain(kept).collect()
    }
}

/// Reading and writing whole tables in the neutral form.
#[async_trait]
pub trait Transfer: Send + Sync {
    /// Up to `limit` rows of `table` in key order, after the row whose key is `after` (in its
    /// neutral spelling).
    async fn export_rows(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Row>>;
    /// How many rows `table` holds.
    async fn count_rows(&self, table: &Table) -> StoreResult<u64>;
    /// Starts the one transaction an import runs in; nothing is visible before its commit.
    async fn begin_import(&self) -> StoreResult<Box<dyn Import>>;
}

/// An import in progress (one transaction).
#[async_trait]
pub trait Import: Send {
    /// Deletes every row of every table (for `--force`), dependants first.
    async fn clear(&mut self) -> StoreResult<()>;
    /// Inserts rows into a table.
    async fn insert_rows(&mut self, table: &Table, rows: &[Row]) -> StoreResult<()>;
    /// Commits everything inserted (references are checked here at the latest).
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

/// The neutral spelling of a row's key, to continue an export after it.
pub fn row_key(table: &Table, row: &Row) -> Option<String> {
    row.get(table.key)?.as_str().map(str::to_owned)
}
