//! plumb's SQLite store: [`SqliteStore`] implements `plumb_core::Store` over one database file.
//!
//! This file opens the database and runs the migrations; the role traits are implemented in the
//! `accounts`, `keys` and `inventory` modules, and the row types they read live in `rows`. No
//! sqlx type crosses the crate boundary: every error becomes a `StoreError` (see `error`).
//!
//! Writes that read before they write run in `begin immediate` transactions, which take
//! SQLite's write lock up front: a deferred transaction that tries to upgrade its read lock
//! while another connection writes fails with `SQLITE_BUSY` at once, and `busy_timeout` does
//! not retry that case.

mod accounts;
mod activity;
mod automations;
mod codec;
mod devices;
mod error;
mod groups;
mod inventory;
mod keys;
mod reseal;
mod rows;
mod sessions;
mod transfer;

use std::str::FromStr;
use std::time::Duration;

use plumb_core::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::db_error;

/// Connections in the pool: readers run in parallel under WAL, writers queue on the write lock.
const MAX_CONNECTIONS: u32 = 8;
/// How long a statement waits for another connection's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);

/// What to do when the database file does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Fail, unless the URL itself asks for creation with `mode=rwc`. A mistyped path then
    /// reports an error instead of silently starting an empty installation.
    Existing,
    /// Create an empty database file (the server's own data directory on first start).
    CreateIfMissing,
}

/// The SQLite store: a small pool of connections to one database file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    groups: std::sync::Arc<plumb_core::group_cache::GroupCache>,
}

impl SqliteStore {
    /// Opens an existing database, e.g. `sqlite:///var/lib/plumb/plumb.db`; the file is created
    /// only if the URL says `mode=rwc`.
    pub async fn connect(url: &str) -> Result<SqliteStore, StoreError> {
        Self::open(url, OpenMode::Existing).await
    }

    /// Opens a database, creating the file if `mode` says so. The connections use WAL, a
    /// 5-second busy timeout, enforced foreign keys and `synchronous = full`: every commit is
    /// on disk before it is acknowledged, so nothing acknowledged is lost even to a power cut.
    /// Writes are rare (key and user management; key usage is batched), so the fsync per commit
    /// costs nothing a user notices.
    pub async fn open(url: &str, mode: OpenMode) -> Result<SqliteStore, StoreError> {
        let mut options = SqliteConnectOptions::from_str(url)
            .map_err(db_error)?
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            .synchronous(SqliteSynchronous::Full);
        if mode == OpenMode::CreateIfMissing {
            options = options.create_if_missing(true);
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(db_error)?;
        Ok(SqliteStore {
            pool,
            groups: std::sync::Arc::default(),
        })
    }

    /// Applies the migrations that have not run yet; running it again is harmless.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .map_err(|error| StoreError::Unavailable(Box::new(error)))?;
        tracing::debug!("sqlite migrations applied");
        Ok(())
    }

    /// Closes every connection. The last one to close checkpoints the WAL into the main file,
    /// so call this on shutdown; the store refuses further work afterwards.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The group cache, shared with `plumb-store` while domains move there.
    pub fn group_cache(&self) -> std::sync::Arc<plumb_core::group_cache::GroupCache> {
        self.groups.clone()
    }

    /// Starts a transaction that holds the write lock from its first statement on.
    async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        self.pool
            .begin_with("begin immediate")
            .await
            .map_err(db_error)
    }
}
