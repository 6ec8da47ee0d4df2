//! `Transfer` for PostgreSQL: whole tables in the neutral row form of `plumb_core::transfer`,
//! for `plumb db copy`. The SQL is generated from the table list in core, so every column
//! listed there is copied; `json_build_object` builds each row and `json_to_recordset` unpacks
//! a batch.

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::store::StoreResult;
use plumb_core::transfer::{Import, Kind, Row, TABLES, Table, Transfer};
use sqlx::{Postgres, Transaction};

use crate::PgStore;
use crate::error::{damaged, db_error};

/// The neutral time spelling, `YYYY-MM-DDTHH:MM:SS.ffffffZ`, in `to_char` terms.
const TIME_FORMAT: &str = r#"'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"#;

#[async_trait]
impl Transfer for PgStore {
    async fn export_rows(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Row>> {
        let fields: Vec<String> = table
            .columns
            .iter()
            .map(|&(column, kind)| format!("'{column}', {}", export_value(column, kind)))
            .collect();
        let after_value = match key_kind(table) {
            Kind::Bytes => "decode($1, 'hex')",
            _ => "$1",
        };
        let sql = format!(
            "select json_build_object({})::text from {name} \
             where $1::text is null or {key} > {after_value} order by {key} limit $2",
            fields.join(", "),
            name = table.name,
            key = table.key,
        );
        let rows: Vec<String> = sqlx::query_scalar(&sql)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?;
        rows.iter().map(|row| parse_row(row)).collect()
    }

    async fn count_rows(&self, table: &Table) -> StoreResult<u64> {
        let count: i64 = sqlx::query_scalar(&format!("select count(*) from {}", table.name))
            .fetch_one(&self.pool)
            .await
            .map_err(db_error)?;
        u64::try_from(count).map_err(|_| damaged("row count"))
    }

    async fn begin_import(&self) -> StoreResult<Box<dyn Import>> {
        let mut tx = self.write().await?;
        // Groups reference groups in no particular order: the deferrable keys wait for commit.
        sqlx::query("set constraints all deferred")
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        Ok(Box::new(PgImport { tx }))
    }
}

/// An import inside one transaction.
struct PgImport {
    tx: Transaction<'static, Postgres>,
}

#[async_trait]
impl Import for PgImport {
    async fn clear(&mut self) -> StoreResult<()> {
        for table in TABLES.iter().rev() {
            sqlx::query(&format!("delete from {}", table.name))
                .execute(&mut *self.tx)
                .await
                .map_err(db_error)?;
        }
        Ok(())
    }

    async fn insert_rows(&mut self, table: &Table, rows: &[Row]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let columns: Vec<&str> = table.columns.iter().map(|&(column, _)| column).collect();
        let record: Vec<String> = table
            .columns
            .iter()
            .map(|&(column, kind)| format!("{column} {}", record_type(kind)))
            .collect();
        let values: Vec<String> = table
            .columns
            .iter()
            .map(|&(column, kind)| import_value(column, kind))
            .collect();
        let sql = format!(
            "insert into {} ({}) select {} from json_to_recordset($1::json) as r({})",
            table.name,
            columns.join(", "),
            values.join(", "),
            record.join(", ")
        );
        let batch = serde_json::to_string(rows).map_err(|_| damaged("rows to import"))?;
        sqlx::query(&sql)
            .bind(batch)
            .execute(&mut *self.tx)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await.map_err(db_error)
    }
}

/// A column's value in the neutral spelling.
fn export_value(column: &str, kind: Kind) -> String {
    match kind {
        Kind::Text | Kind::Bool | Kind::Int => column.to_owned(),
        Kind::Time => format!("to_char({column} at time zone 'UTC', {TIME_FORMAT})"),
        Kind::Bytes => format!("encode({column}, 'hex')"),
    }
}

/// The type `json_to_recordset` reads a neutral value as.
fn record_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Time | Kind::Bytes => "text",
        Kind::Bool => "boolean",
        Kind::Int => "bigint",
    }
}

/// A column's stored value from the record `r`.
fn import_value(column: &str, kind: Kind) -> String {
    match kind {
        Kind::Time => format!("r.{column}::timestamptz"),
        Kind::Bytes => format!("decode(r.{column}, 'hex')"),
        Kind::Text | Kind::Bool | Kind::Int => format!("r.{column}"),
    }
}

fn key_kind(table: &Table) -> Kind {
    table
        .columns
        .iter()
        .find(|&&(column, _)| column == table.key)
        .map_or(Kind::Text, |&(_, kind)| kind)
}

fn parse_row(text: &str) -> Result<Row, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged("exported row"))
}
