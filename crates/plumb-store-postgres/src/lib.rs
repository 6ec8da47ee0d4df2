//! plumb's PostgreSQL store: [`PgStore`] implements `plumb_core::Store` over one database that
//! several `plumb serve` nodes share.
//!
//! This file connects and runs the migrations; the role traits are implemented in the
//! `accounts`, `keys` and `inventory` modules, the row types they read live in `rows`, and
//! `announce` and `notify` carry changes between nodes (NOTIFY and LISTEN). No sqlx type crosses the crate
//! boundary: every error becomes a `StoreError` (see `error`).
//!
//! Transactions run at READ COMMITTED. Where two nodes could race a check against a write
//! (the first organization), the transaction takes a lock first; row updates that must see the
//! newest row (usage counters, `greatest()` of last use) rely on PostgreSQL re-reading a row
//! that another transaction changed before updating it.

mod accounts;
mod activity;
mod announce;
mod automations;
mod codec;
mod devices;
mod error;
mod groups;
mod inventory;
mod keys;
mod notify;
mod reseal;
mod rows;
mod sessions;
mod transfer;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use plumb_core::StoreError;
use plumb_core::group_cache::GroupCache;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

use crate::error::db_error;

pub use notify::{ChangeWatch, HEARTBEAT};

/// Connections in one node's pool. PostgreSQL's default `max_connections` is 100, so a dozen
/// nodes fit beside other clients.
const MAX_CONNECTIONS: u32 = 8;
/// How long a request waits for a free connection before failing.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The PostgreSQL store: a pool of connections to one database (and schema).
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Kept to open the change feed's own connection.
    options: PgConnectOptions,
    /// The NOTIFY channel of this installation: one per schema, so two installations sharing
    /// a database (or two test schemas) never hear each other.
    channel: String,
    /// Group records for shows. Incoherent (unused) until a change watch covers it, since
    /// other nodes change groups too.
    groups: Arc<GroupCache>,
}

impl PgStore {
    /// Connects to `postgres://user:password@host:port/database`; URL parameters such as
    /// `sslmode` or `options=-c search_path=...` are honoured. The database must exist.
    pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(db_error)?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await
            .map_err(db_error)?;
        let schema: String = sqlx::query_scalar("select current_schema()::text")
            .fetch_one(&pool)
            .await
            .map_err(db_error)?;
        Ok(PgStore {
            pool,
            options,
            channel: announce::channel_name(&schema),
            groups: Arc::new(GroupCache::incoherent()),
        })
    }

    /// Applies the migrations that have not run yet; running it again is harmless, and several
    /// nodes starting at once are serialised by sqlx's advisory lock.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .map_err(|error| StoreError::Unavailable(Box::new(error)))?;
        tracing::debug!("postgres migrations applied");
        Ok(())
    }

    /// Closes every connection (the change watch stops with them); the store refuses further
    /// work afterwards.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The NOTIFY channel key changes are announced on.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The pool, shared with `plumb-store` while domains move there.
    pub fn pool(&self) -> PgPool {
        self.pool.clone()
    }

    /// The group cache, shared with `plumb-store` while domains move there.
    pub fn group_cache(&self) -> Arc<GroupCache> {
        self.groups.clone()
    }

    /// Starts a transaction.
    async fn write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        self.pool.begin().await.map_err(db_error)
    }
}
