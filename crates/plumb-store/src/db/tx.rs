//! [`Tx`]: a write transaction of either database, its statements, and what it tells the
//! caches and the other nodes when it commits.

use std::sync::atomic::{AtomicBool, Ordering};

use plumb_core::crypto::Digest;
use plumb_core::store::StoreResult;
use sqlx::Postgres;
use tokio::sync::Mutex as AsyncMutex;

use super::{Arg, Db, Dialect, Exec, FromRow, Pool, args, error, note_statement, postgres, sqlite};

/// A write transaction. The pattern, so that a failure rolls back at once and releases its
/// locks:
///
/// ```text
/// let tx = self.db.begin().await?;
/// let outcome = async { /* statements on &tx */ }.await;
/// tx.finish(outcome).await
/// ```
pub(crate) struct Tx {
    pub(super) inner: TxInner,
    pub(super) db: Db,
    /// Whether the transaction changed groups or devices (their counts): the group cache is
    /// cleared after it commits, and on PostgreSQL other nodes are told.
    pub(super) groups_changed: AtomicBool,
}

pub(super) enum TxInner {
    Sqlite(sqlite::WriteTx),
    Postgres(AsyncMutex<sqlx::Transaction<'static, Postgres>>),
}

impl Tx {
    /// Marks the transaction as changing groups or devices; on PostgreSQL, tells other
    /// nodes inside the transaction, so they hear of it exactly when it commits.
    pub(crate) async fn groups_changed(&self) -> StoreResult<()> {
        let first = !self.groups_changed.swap(true, Ordering::AcqRel);
        if first {
            self.announce(crate::notify::GROUPS).await?;
        }
        Ok(())
    }

    /// Tells other nodes (PostgreSQL) that the key with this digest changed, when the
    /// transaction commits. A single SQLite node updates its verifier itself.
    pub(crate) async fn key_changed(&self, digest: &Digest) -> StoreResult<()> {
        self.announce(&crate::notify::key_payload(digest)).await
    }

    /// Checks foreign keys at commit instead of at each statement, for this transaction.
    pub(crate) async fn defer_foreign_keys(&self) -> StoreResult<()> {
        let sql = match self.dialect() {
            Dialect::Sqlite => "pragma defer_foreign_keys = on",
            Dialect::Postgres => "set constraints all deferred",
        };
        self.execute(sql, &[]).await.map(drop)
    }

    /// Commits `outcome`'s transaction if it succeeded, rolls back if not.
    pub(crate) async fn finish<T>(self, outcome: StoreResult<T>) -> StoreResult<T> {
        match outcome {
            Ok(value) => {
                self.commit().await?;
                Ok(value)
            }
            Err(error) => {
                if let Err(rollback_error) = self.rollback().await {
                    tracing::warn!(error = %rollback_error, "could not roll back: {rollback_error}");
                }
                Err(error)
            }
        }
    }

    async fn commit(self) -> StoreResult<()> {
        let groups_changed = self.groups_changed.load(Ordering::Acquire);
        let db = self.db.clone();
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit()?,
            TxInner::Postgres(tx) => tx
                .into_inner()
                .commit()
                .await
                .map_err(error::postgres_error)?,
        }
        if groups_changed {
            db.groups().invalidate();
        }
        Ok(())
    }

    async fn rollback(self) -> StoreResult<()> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.rollback(),
            TxInner::Postgres(tx) => tx
                .into_inner()
                .rollback()
                .await
                .map_err(error::postgres_error),
        }
    }

    async fn announce(&self, payload: &str) -> StoreResult<()> {
        let Pool::Postgres { channel, .. } = &self.db.inner.pool else {
            return Ok(());
        };
        self.execute("select pg_notify(?1, ?2)", args![channel.as_str(), payload])
            .await
            .map(drop)
    }
}

impl Exec for Tx {
    fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    async fn rows<R: FromRow>(&self, sql: &str, args: &[Arg<'_>]) -> StoreResult<Vec<R>> {
        note_statement();
        match &self.inner {
            TxInner::Sqlite(tx) => sqlite::rows(&*tx.connection()?, sql, args),
            TxInner::Postgres(tx) => postgres::rows(&mut **tx.lock().await, sql, args).await,
        }
    }

    async fn first<R: FromRow>(&self, sql: &str, args: &[Arg<'_>]) -> StoreResult<Option<R>> {
        note_statement();
        match &self.inner {
            TxInner::Sqlite(tx) => sqlite::first(&*tx.connection()?, sql, args),
            TxInner::Postgres(tx) => postgres::first(&mut **tx.lock().await, sql, args).await,
        }
    }

    async fn execute(&self, sql: &str, args: &[Arg<'_>]) -> StoreResult<u64> {
        note_statement();
        match &self.inner {
            TxInner::Sqlite(tx) => sqlite::execute(&*tx.connection()?, sql, args),
            TxInner::Postgres(tx) => postgres::execute(&mut **tx.lock().await, sql, args).await,
        }
    }
}
