//! The database behind a running server, chosen at runtime from the URL's scheme: `sqlite:`
//! (the embedded default, one node) or `postgres://` / `postgresql://` (one database shared by
//! several nodes). Both backends are always compiled in (ARCHITECTURE.md, invariant 5).
//!
//! Everything above this module holds an `Arc<dyn Store>`; only opening, migrating, closing,
//! the change feed between nodes and bulk copies need to know which backend it is.

use std::sync::Arc;

use anyhow::Context;
use plumb_core::Store;
use plumb_core::coherence::ChangeSink;
use plumb_core::transfer::Transfer;
use plumb_store::{ChangeWatch, OpenMode, SqlStore};

use crate::startup::redact;

/// The backends a URL can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://PATH` (or `sqlite:PATH`, `sqlite::memory:`).
    Sqlite,
    /// `postgres://...` or `postgresql://...`.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, or an error that says which URLs work.
    pub fn of(url: &str) -> anyhow::Result<Backend> {
        let scheme = url
            .split_once(':')
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("sqlite") => Ok(Backend::Sqlite),
            Some("postgres" | "postgresql") => Ok(Backend::Postgres),
            _ => anyhow::bail!(
                "unsupported database url {}: use sqlite://PATH or \
                 postgres://USER:PASSWORD@HOST:PORT/DATABASE",
                redact(url)
            ),
        }
    }

    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// An open database of either backend.
#[derive(Clone)]
pub struct Database {
    store: Arc<SqlStore>,
    backend: Backend,
}

impl Database {
    /// Opens the database a URL names, without migrating. A missing SQLite file is created
    /// (the server's own data directory on first start); a PostgreSQL database must exist.
    pub async fn open(url: &str) -> anyhow::Result<Database> {
        let context = || format!("could not open the database at {}", redact(url));
        let backend = Backend::of(url)?;
        let store = match backend {
            Backend::Sqlite => SqlStore::sqlite(url, OpenMode::CreateIfMissing).await,
            Backend::Postgres => SqlStore::postgres(url).await,
        }
        .with_context(context)?;
        Ok(Database {
            store: Arc::new(store),
            backend,
        })
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations (harmless when there are none).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.store
            .migrate()
            .await
            .context("could not migrate the database")
    }

    /// The store, as everything above this module sees it.
    pub fn store(&self) -> Arc<dyn Store> {
        self.store.clone()
    }

    /// Starts feeding `sink` with key changes made through other nodes; `None` for SQLite,
    /// whose single node sees every change itself.
    pub fn watch_changes(&self, sink: Arc<dyn ChangeSink>) -> Option<ChangeWatch> {
        self.store.watch_changes(sink)
    }

    /// Whole-table reads and writes, for `plumb db copy`.
    pub fn transfer(&self) -> &dyn Transfer {
        self.store.as_ref()
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.store.close().await;
    }
}

/// Opens the database named by `url` (creating a SQLite file if missing) and migrates it.
pub async fn open_store(url: &str) -> anyhow::Result<Database> {
    let database = Database::open(url).await?;
    database.migrate().await?;
    Ok(database)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_picks_the_backend() {
        assert_eq!(
            Backend::of("sqlite:///var/lib/plumb/plumb.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(Backend::of("sqlite::memory:").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::of("postgres://db/plumb").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of("PostgreSQL://db/plumb").unwrap(),
            Backend::Postgres
        );
    }

    #[test]
    fn another_scheme_is_refused_clearly_without_its_password() {
        let error = Backend::of("mysql://plumb:s3cret@db/plumb")
            .unwrap_err()
            .to_string();

        assert!(error.contains("unsupported database url"), "{error}");
        assert!(error.contains("postgres://"), "{error}");
        assert!(!error.contains("s3cret"), "{error}");
        assert!(Backend::of("/var/lib/plumb/plumb.db").is_err());
    }
}
