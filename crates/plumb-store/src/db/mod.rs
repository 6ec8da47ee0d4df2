//! The one query interface the store is written against: [`Db`] (reads and single statements
//! on a pool) and [`Tx`] (a write transaction) both implement [`Exec`], whose statements are
//! SQL text written once with SQLite's `?N` placeholders, [`Arg`] parameters and [`FromRow`]
//! results. Only this module and its children know which database runs them; the few pieces
//! of SQL that differ are asked of [`Dialect`].
//!
//! Every statement is counted for the task that runs it ([`count_statements`]), so tests can
//! pin how many statements a request costs.

mod arg;
mod column;
mod dialect;
mod error;
mod postgres;
mod sqlite;
mod time_text;

use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::group_cache::GroupCache;
use plumb_core::store::StoreResult;
use sqlx::{PgPool, Postgres};
use tokio::sync::Mutex as AsyncMutex;

pub(crate) use arg::{Arg, Params, args};
pub(crate) use column::{Columns, FromRow, Json, Row};
pub(crate) use dialect::Dialect;
pub use sqlite::OpenMode;

tokio::task_local! {
    static STATEMENTS: Cell<u64>;
}

/// Runs `future` and counts the statements the store runs for it (in its own task).
pub async fn count_statements<F: Future>(future: F) -> (F::Output, u64) {
    STATEMENTS
        .scope(Cell::new(0), async move {
            let output = future.await;
            (output, STATEMENTS.with(Cell::get))
        })
        .await
}

/// Counts one statement for the current task, if it is counting.
fn note_statement() {
    let _ = STATEMENTS.try_with(|count| count.set(count.get() + 1));
}

/// Runs statements: a pool ([`Db`]) or a transaction ([`Tx`]).
pub(crate) trait Exec: Sync {
    /// Which SQL this executor speaks.
    fn dialect(&self) -> Dialect;

    /// Every row of a statement.
    fn rows<R: FromRow>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = StoreResult<Vec<R>>> + Send;

    /// The first row of a statement, if any.
    fn first<R: FromRow>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = StoreResult<Option<R>>> + Send;

    /// Runs a statement; returns how many rows it changed.
    fn execute(&self, sql: &str, args: &[Arg<'_>])
    -> impl Future<Output = StoreResult<u64>> + Send;

    /// The first row of a statement; `NotFound` if there is none.
    fn one<R: FromRow>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = StoreResult<R>> + Send {
        async move { self.first(sql, args).await?.ok_or(StoreError::NotFound) }
    }
}

/// An open database of either kind, cheap to clone.
#[derive(Clone)]
pub(crate) struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    /// Group records for shows; every inventory write clears it after committing.
    groups: Arc<GroupCache>,
}

enum Pool {
    Sqlite(sqlite::SqlitePool),
    Postgres {
        pool: PgPool,
        /// The NOTIFY channel of this installation's change feed.
        channel: String,
    },
}

impl Db {
    /// Opens a SQLite database file.
    pub(crate) fn sqlite(url: &str, mode: OpenMode, groups: Arc<GroupCache>) -> StoreResult<Db> {
        let pool = sqlite::SqlitePool::open(url, mode)?;
        Ok(Db::with(Pool::Sqlite(pool), groups))
    }

    /// Runs on an open PostgreSQL pool, announcing changes on `channel`.
    pub(crate) fn postgres(pool: PgPool, channel: String, groups: Arc<GroupCache>) -> Db {
        Db::with(Pool::Postgres { pool, channel }, groups)
    }

    fn with(pool: Pool, groups: Arc<GroupCache>) -> Db {
        Db {
            inner: Arc::new(Inner { pool, groups }),
        }
    }

    /// The group cache this database's writes keep true.
    pub(crate) fn groups(&self) -> &GroupCache {
        &self.inner.groups
    }

    /// Starts a write transaction. On SQLite it holds the write lock from its start.
    pub(crate) async fn begin(&self) -> StoreResult<Tx> {
        let inner = match &self.inner.pool {
            Pool::Sqlite(pool) => TxInner::Sqlite(pool.begin().await?),
            Pool::Postgres { pool, .. } => {
                let tx = pool.begin().await.map_err(error::postgres_error)?;
                TxInner::Postgres(AsyncMutex::new(tx))
            }
        };
        Ok(Tx {
            inner,
            db: self.clone(),
            groups_changed: AtomicBool::new(false),
        })
    }

    /// Runs one writing statement that returns rows (`update ... returning`) in a transaction
    /// of its own: on SQLite it must take the writer, on PostgreSQL it runs on the pool.
    pub(crate) async fn write_rows<R: FromRow>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> StoreResult<Vec<R>> {
        match &self.inner.pool {
            Pool::Sqlite(_) => {
                let tx = self.begin().await?;
                let outcome = tx.rows(sql, args).await;
                tx.finish(outcome).await
            }
            Pool::Postgres { pool, .. } => {
                note_statement();
                postgres::rows(pool, sql, args).await
            }
        }
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        match &self.inner.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres { pool, .. } => pool.close().await,
        }
    }
}

impl Exec for Db {
    fn dialect(&self) -> Dialect {
        match self.inner.pool {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres { .. } => Dialect::Postgres,
        }
    }

    async fn rows<R: FromRow>(&self, sql: &str, args: &[Arg<'_>]) -> StoreResult<Vec<R>> {
        note_statement();
        match &self.inner.pool {
            Pool::Sqlite(pool) => pool.read(|connection| sqlite::rows(connection, sql, args)),
            Pool::Postgres { pool, .. } => postgres::rows(pool, sql, args).await,
        }
    }

    async fn first<R: FromRow>(&self, sql: &str, args: &[Arg<'_>]) -> StoreResult<Option<R>> {
        note_statement();
        match &self.inner.pool {
            Pool::Sqlite(pool) => pool.read(|connection| sqlite::first(connection, sql, args)),
            Pool::Postgres { pool, .. } => postgres::first(pool, sql, args).await,
        }
    }

    /// A write outside a transaction: on SQLite it takes the writer like any transaction.
    async fn execute(&self, sql: &str, args: &[Arg<'_>]) -> StoreResult<u64> {
        match &self.inner.pool {
            Pool::Sqlite(_) => {
                let tx = self.begin().await?;
                let outcome = tx.execute(sql, args).await;
                tx.finish(outcome).await
            }
            Pool::Postgres { pool, .. } => {
                note_statement();
                postgres::execute(pool, sql, args).await
            }
        }
    }
}

/// A write transaction. The pattern, so that a failure rolls back at once and releases its
/// locks:
///
/// ```ignore
/// let tx = self.db.begin().await?;
/// let outcome = async { /* statements on &tx */ }.await;
/// tx.finish(outcome).await
/// ```
pub(crate) struct Tx {
    inner: TxInner,
    db: Db,
    /// Whether the transaction changed groups or devices (their counts): the group cache is
    /// cleared after it commits, and on PostgreSQL other nodes are told.
    groups_changed: AtomicBool,
}

enum TxInner {
    Sqlite(sqlite::WriteTx),
    Postgres(AsyncMutex<sqlx::Transaction<'static, Postgres>>),
}

impl Tx {
    /// Marks the transaction as changing groups or devices; on PostgreSQL, tells other
    /// nodes inside the transaction, so they hear of it exactly when it commits.
    pub(crate) async fn groups_changed(&self) -> StoreResult<()> {
        let first = !self.groups_changed.swap(true, Ordering::AcqRel);
        if first {
            self.announce(dialect::GROUPS_CHANGED).await?;
        }
        Ok(())
    }

    /// Tells other nodes (PostgreSQL) that the key with this digest changed, when the
    /// transaction commits. A single SQLite node updates its verifier itself.
    pub(crate) async fn key_changed(&self, digest: &Digest) -> StoreResult<()> {
        self.announce(&dialect::key_changed(digest)).await
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
