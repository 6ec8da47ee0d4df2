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
mod migrate;
mod postgres;
mod sqlite;
mod sqlite_url;
mod time_text;
mod tx;

use std::cell::Cell;
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use plumb_core::StoreError;
use plumb_core::group_cache::GroupCache;
use plumb_core::store::StoreResult;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::sync::Mutex as AsyncMutex;

pub(crate) use arg::{Arg, Params, args};
pub(crate) use column::{Columns, FromRow, Json, Row};
pub(crate) use dialect::Dialect;
#[cfg(test)]
pub(crate) use postgres::numbered;
pub use sqlite::OpenMode;
pub(crate) use tx::Tx;
use tx::TxInner;

/// Connections in one node's PostgreSQL pool. PostgreSQL's default `max_connections` is 100, so
/// a dozen nodes fit beside other clients.
const POSTGRES_CONNECTIONS: u32 = 8;
/// How long a request waits for a free PostgreSQL connection before failing.
const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

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
    note_statements(1);
}

/// Counts statements another task ran on this task's behalf (a batch writer), if it is counting.
pub(crate) fn note_statements(statements: u64) {
    let _ = STATEMENTS.try_with(|count| count.set(count.get() + statements));
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

    /// Runs a statement that must change a row (an `update` or `delete` of one record);
    /// `NotFound` if it changed none.
    fn change(&self, sql: &str, args: &[Arg<'_>]) -> impl Future<Output = StoreResult<()>> + Send {
        async move {
            match self.execute(sql, args).await? {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            }
        }
    }

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
        /// Kept to open the change feed's own connection.
        options: Box<PgConnectOptions>,
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

    /// Connects to a PostgreSQL database; changes are announced on a channel named after the
    /// connection's schema.
    pub(crate) async fn postgres(url: &str, groups: Arc<GroupCache>) -> StoreResult<Db> {
        let options = PgConnectOptions::from_str(url).map_err(error::postgres_error)?;
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_CONNECTIONS)
            .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await
            .map_err(error::postgres_error)?;
        let schema: String = postgres::first(&pool, "select cast(current_schema() as text)", &[])
            .await?
            .unwrap_or_default();
        let channel = crate::notify::channel_name(&schema);
        Ok(Db::with(
            Pool::Postgres {
                pool,
                options: Box::new(options),
                channel,
            },
            groups,
        ))
    }

    /// The change feed's connection options and channel (PostgreSQL), `None` for SQLite.
    pub(crate) fn feed(&self) -> Option<(PgConnectOptions, String)> {
        match &self.inner.pool {
            Pool::Sqlite(_) => None,
            Pool::Postgres {
                options, channel, ..
            } => Some((options.as_ref().clone(), channel.clone())),
        }
    }

    /// The shared group cache.
    pub(crate) fn group_cache(&self) -> Arc<GroupCache> {
        self.inner.groups.clone()
    }

    /// Applies the migrations of `plumb-store/migrations/` that have not run yet.
    pub(crate) async fn migrate(&self) -> StoreResult<()> {
        match &self.inner.pool {
            Pool::Sqlite(pool) => migrate::sqlite(pool).await,
            Pool::Postgres { pool, .. } => migrate::postgres(pool).await,
        }
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
