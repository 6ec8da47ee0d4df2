//! `Transfer` for SQLite: whole tables in the neutral row form of `plumb_core::transfer`, for
//! `plumb db copy`. The SQL is generated from the table list in core, so every column listed
//! there is copied; `json_object` builds each row and `json_each` unpacks a batch.

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::store::StoreResult;
use plumb_core::transfer::{Import, Kind, Row, TABLES, Table, Transfer};
use sqlx::{Sqlite, Transaction};

use crate::SqliteStore;
use crate::error::{damaged, db_error};

#[async_trait]
impl Transfer for SqliteStore {
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
        let after_value = key_value(table, "?1");
        let sql = format!(
            "select json_object({}) from {name} \
             where ?1 is null or {key} > {after_value} order by {key} limit ?2",
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
        // Groups reference groups in no particular order; every reference is checked at commit.
        sqlx::query("pragma defer_foreign_keys = on")
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        Ok(Box::new(SqliteImport { tx }))
    }
}

/// An import inside one `begin immediate` transaction.
struct SqliteImport {
    tx: Transaction<'static, Sqlite>,
}

#[async_trait]
impl Import for SqliteImport {
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
        let values: Vec<String> = table
            .columns
            .iter()
            .map(|&(column, kind)| import_value(column, kind))
            .collect();
        let sql = format!(
            "insert into {} ({}) select {} from json_each(?1)",
            table.name,
            columns.join(", "),
            values.join(", ")
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

/// A column's value in the neutral spelling. Times are already stored that way.
fn export_value(column: &str, kind: Kind) -> String {
    match kind {
        Kind::Text | Kind::Time | Kind::Int => column.to_owned(),
        // hex() of null is '', not null.
        Kind::Bytes => {
            format!("case when {column} is null then null else lower(hex({column})) end")
        }
        Kind::Bool => format!("json(case when {column} then 'true' else 'false' end)"),
    }
}

/// A column's stored value from the neutral row `value` of `json_each` (JSON true is 1).
fn import_value(column: &str, kind: Kind) -> String {
    match kind {
        Kind::Bytes => format!("unhex(json_extract(value, '$.{column}'))"),
        Kind::Text | Kind::Time | Kind::Int | Kind::Bool => {
            format!("json_extract(value, '$.{column}')")
        }
    }
}

/// The stored form of a neutral key parameter.
fn key_value(table: &Table, parameter: &str) -> String {
    let kind = table
        .columns
        .iter()
        .find(|&&(column, _)| column == table.key)
        .map_or(Kind::Text, |&(_, kind)| kind);
    match kind {
        Kind::Bytes => format!("unhex({parameter})"),
        _ => parameter.to_owned(),
    }
}

fn parse_row(text: &str) -> Result<Row, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged("exported row"))
}
