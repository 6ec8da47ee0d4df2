//! plumb's store: [`SqlStore`] implements `plumb_core::Store` once, for SQLite (the embedded
//! default, through rusqlite in process) and PostgreSQL (several nodes on one database,
//! through sqlx).
//!
//! Store code is written against the query interface of [`db`]: SQL text with SQLite's `?N`
//! placeholders, typed [`db::Arg`]s and rows read in `select` order. Per-backend code lives
//! only where the databases really differ: `db::sqlite` and `db::postgres` (running
//! statements, errors), `db::dialect` (the few SQL pieces that differ), opening, migrations
//! and the change feed. No driver type crosses the crate boundary: every error becomes a
//! `StoreError`.
//!
//! The port from the per-backend crates lands one domain at a time (docs/adr/0001-one-store.md);
//! `legacy` forwards the domains not ported yet.

mod accounts;
mod activity;
mod automations;
mod db;
mod devices;
mod groups;
mod inventory;
mod keys;
mod legacy;
mod reseal;
mod sessions;

use std::sync::Arc;

use plumb_core::StoreError;
use plumb_core::coherence::ChangeSink;
use plumb_core::group_cache::GroupCache;
use plumb_core::transfer::Transfer;
use plumb_store_postgres::PgStore;
use plumb_store_sqlite::SqliteStore;

pub use db::{OpenMode, count_statements};
pub use plumb_store_postgres::{ChangeWatch, HEARTBEAT};

use crate::db::Db;

/// The store over either database.
pub struct SqlStore {
    db: Db,
    legacy: Legacy,
}

/// The per-backend store serving the domains not ported yet.
enum Legacy {
    Sqlite(SqliteStore),
    Postgres(Box<PgStore>),
}

impl SqlStore {
    /// Opens a SQLite database, e.g. `sqlite:///var/lib/plumb/plumb.db`; the file is created
    /// if `mode` says so or the URL says `mode=rwc`.
    pub async fn sqlite(url: &str, mode: OpenMode) -> Result<SqlStore, StoreError> {
        let legacy_mode = match mode {
            OpenMode::Existing => plumb_store_sqlite::OpenMode::Existing,
            OpenMode::CreateIfMissing => plumb_store_sqlite::OpenMode::CreateIfMissing,
        };
        let legacy = SqliteStore::open(url, legacy_mode).await?;
        let db = Db::sqlite(url, mode, legacy.group_cache())?;
        Ok(SqlStore {
            db,
            legacy: Legacy::Sqlite(legacy),
        })
    }

    /// Connects to `postgres://user:password@host:port/database`; URL parameters such as
    /// `sslmode` or `options=-c search_path=...` are honoured. The database must exist.
    pub async fn postgres(url: &str) -> Result<SqlStore, StoreError> {
        let legacy = PgStore::connect(url).await?;
        let db = Db::postgres(
            legacy.pool(),
            legacy.channel().to_owned(),
            legacy.group_cache(),
        );
        Ok(SqlStore {
            db,
            legacy: Legacy::Postgres(Box::new(legacy)),
        })
    }

    /// Applies the migrations that have not run yet; running it again is harmless.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.legacy {
            Legacy::Sqlite(store) => store.migrate().await,
            Legacy::Postgres(store) => store.migrate().await,
        }
    }

    /// Closes every connection; the store refuses further work afterwards.
    pub async fn close(&self) {
        self.db.close().await;
        match &self.legacy {
            Legacy::Sqlite(store) => store.close().await,
            Legacy::Postgres(store) => store.close().await,
        }
    }

    /// Starts feeding `sink` with changes made through other nodes (PostgreSQL); `None` for
    /// SQLite, whose single node sees every change itself.
    pub fn watch_changes(&self, sink: Arc<dyn ChangeSink>) -> Option<ChangeWatch> {
        match &self.legacy {
            Legacy::Sqlite(_) => None,
            Legacy::Postgres(store) => Some(store.watch_changes(sink)),
        }
    }

    /// The group cache (for tests that look at it).
    pub fn group_cache(&self) -> &GroupCache {
        self.db.groups()
    }

    fn legacy_transfer(&self) -> &dyn Transfer {
        match &self.legacy {
            Legacy::Sqlite(store) => store,
            Legacy::Postgres(store) => store.as_ref(),
        }
    }
}
