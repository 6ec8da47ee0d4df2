//! plumb's store: [`SqlStore`] implements `plumb_core::Store` once, for SQLite (the embedded
//! default, through rusqlite in process) and PostgreSQL (several nodes on one database,
//! through sqlx). docs/adr/0001-one-store.md records why.
//!
//! Store code is written against the query interface of `db`: SQL text with SQLite's `?N`
//! placeholders, typed `Arg`s and rows read in `select` order. Per-backend code lives only
//! where the databases really differ: `db::sqlite` and `db::postgres` (running statements,
//! errors), `db::dialect` (the few SQL pieces that differ), `db::migrate` and `migrations/`,
//! and the change feed between PostgreSQL nodes (`notify`). No driver type crosses the crate
//! boundary: every error becomes a `StoreError`.

mod accounts;
mod activity;
mod automations;
mod codec;
mod db;
mod devices;
mod events;
mod groups;
mod inventory;
mod key_policies;
mod keys;
mod keyset;
mod notify;
#[cfg(test)]
mod query_plans;
mod reseal;
mod sessions;
mod stored;
mod transfer;

use std::sync::{Arc, OnceLock};

use plumb_core::StoreError;
use plumb_core::coherence::ChangeSink;
use plumb_core::group_cache::GroupCache;

pub use db::{OpenMode, count_statements};
pub use notify::{ChangeWatch, HEARTBEAT};

use crate::db::Db;
use crate::devices::Heartbeats;

/// The store over either database.
pub struct SqlStore {
    db: Db,
    /// The batch writer of digest check-ins, started by the first one.
    heartbeats: OnceLock<Heartbeats>,
}

impl SqlStore {
    /// Opens a SQLite database, e.g. `sqlite:///var/lib/plumb/plumb.db`; the file is created
    /// if `mode` says so or the URL says `mode=rwc`. Its group cache is coherent from the
    /// start: one `plumb serve` serves a SQLite file, so every change passes through it.
    pub async fn sqlite(url: &str, mode: OpenMode) -> Result<SqlStore, StoreError> {
        let db = Db::sqlite(url, mode, Arc::new(GroupCache::default()))?;
        Ok(SqlStore {
            db,
            heartbeats: OnceLock::new(),
        })
    }

    /// Connects to `postgres://user:password@host:port/database`; URL parameters such as
    /// `sslmode` or `options=-c search_path=...` are honoured. The database must exist. The
    /// group cache serves nothing until a change watch covers it ([`SqlStore::watch_changes`]),
    /// since other nodes change groups too.
    pub async fn postgres(url: &str) -> Result<SqlStore, StoreError> {
        let db = Db::postgres(url, Arc::new(GroupCache::incoherent())).await?;
        Ok(SqlStore {
            db,
            heartbeats: OnceLock::new(),
        })
    }

    /// Applies the migrations that have not run yet; running it again is harmless, and
    /// several PostgreSQL nodes starting at once take turns.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.db.migrate().await
    }

    /// Closes every connection (a change watch stops with them); the store refuses further
    /// work afterwards. On SQLite the last connection to close checkpoints the WAL into the
    /// database file, so call this on shutdown.
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// Starts feeding `sink` (and the group cache) with changes made through other nodes
    /// (PostgreSQL); `None` for SQLite, whose single node sees every change itself.
    pub fn watch_changes(&self, sink: Arc<dyn ChangeSink>) -> Option<ChangeWatch> {
        let feed = self.db.feed()?;
        Some(notify::watch(feed, self.db.group_cache(), sink))
    }

    /// The batch writer of digest check-ins.
    fn heartbeats(&self) -> &Heartbeats {
        self.heartbeats
            .get_or_init(|| Heartbeats::start(self.db.clone()))
    }

    /// The group cache (for tests that look at it).
    pub fn group_cache(&self) -> &GroupCache {
        self.db.groups()
    }
}
