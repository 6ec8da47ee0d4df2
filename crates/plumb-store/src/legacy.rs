//! The per-backend stores (`plumb-store-sqlite`, `plumb-store-postgres`) still serving the
//! domains whose port to the shared implementation has not landed yet. Each trait here
//! forwards every method to them; a domain's forwarding goes when its shared code lands
//! (docs/adr/0001-one-store.md, "Migration path").

use async_trait::async_trait;
use plumb_core::store::StoreResult;
use plumb_core::transfer::{Import, Row, Table, Transfer};

use crate::SqlStore;

#[async_trait]
impl Transfer for SqlStore {
    async fn export_rows(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Row>> {
        self.legacy_transfer()
            .export_rows(table, after, limit)
            .await
    }

    async fn count_rows(&self, table: &Table) -> StoreResult<u64> {
        self.legacy_transfer().count_rows(table).await
    }

    async fn begin_import(&self) -> StoreResult<Box<dyn Import>> {
        self.legacy_transfer().begin_import().await
    }
}
