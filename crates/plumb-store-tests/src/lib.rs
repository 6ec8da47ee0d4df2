//! The store conformance suite. The tests live in `tests/conformance/`, where each test is
//! written once against `&dyn Store` and expanded for every backend.
//!
//! This library holds no production code, only what several test binaries share: a fresh
//! PostgreSQL schema per test ([`TestSchema`]), used by the conformance suite and by the HTTP
//! suite's PostgreSQL run in `plumb-server`.

use sqlx::{Connection, PgConnection};

/// The database the PostgreSQL tests may create schemas in.
pub const URL_VARIABLE: &str = "PLUMB_TEST_POSTGRES_URL";
/// Set to `1` (as CI does) to turn an unset [`URL_VARIABLE`] into a failure.
pub const REQUIRE_VARIABLE: &str = "PLUMB_TEST_REQUIRE_POSTGRES";

/// The test database URL, or `None` when PostgreSQL tests should be skipped.
///
/// # Panics
///
/// When the URL is unset but `PLUMB_TEST_REQUIRE_POSTGRES=1`: skipping must never hide a
/// regression in CI.
pub fn postgres_url() -> Option<String> {
    match std::env::var(URL_VARIABLE) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let required = std::env::var(REQUIRE_VARIABLE).is_ok_and(|value| value == "1");
            assert!(
                !required,
                "{REQUIRE_VARIABLE}=1 but {URL_VARIABLE} is unset: point it at a database the \
                 tests may create schemas in, e.g. \
                 postgres://plumb:plumb@127.0.0.1:5432/plumb_test (see CONTRIBUTING.md)"
            );
            None
        }
    }
}

/// A fresh, empty schema `t_<unix seconds>_<uuid>` in the test database, dropped with
/// everything in it by [`TestSchema::drop_schema`], or in the background when the value is
/// dropped (a test that panicked, or an application still holding connections). Schemas left
/// behind by killed runs are swept once per process after an hour.
pub struct TestSchema {
    base_url: String,
    name: String,
    dropped: bool,
}

impl TestSchema {
    /// Creates a schema, or returns `None` when PostgreSQL tests are skipped.
    ///
    /// # Panics
    ///
    /// When the test database cannot be reached: a broken setup must fail loudly.
    pub async fn create() -> Option<TestSchema> {
        let base_url = postgres_url()?;
        let name = format!("t_{}_{}", unix_seconds(), uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&base_url)
            .await
            .unwrap_or_else(|error| panic!("cannot reach {URL_VARIABLE}: {error}"));
        if !SWEPT.swap(true, std::sync::atomic::Ordering::AcqRel) {
            sweep_stale_schemas(&mut admin).await;
        }
        sqlx::query(&format!("create schema {name}"))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|error| panic!("cannot create a test schema: {error}"));
        let _ = admin.close().await;
        Some(TestSchema {
            base_url,
            name,
            dropped: false,
        })
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL whose connections work in this schema (`search_path` set on connect).
    pub fn url(&self) -> String {
        let separator = if self.base_url.contains('?') {
            '&'
        } else {
            '?'
        };
        format!(
            "{}{separator}options=-c%20search_path%3D{}",
            self.base_url, self.name
        )
    }

    /// Ends the server process `pid` (a connection of some store), as a network failure or an
    /// operator would; returns whether there was such a process.
    ///
    /// # Panics
    ///
    /// When the test database cannot be reached.
    pub async fn terminate_backend(&self, pid: u32) -> bool {
        let mut admin = PgConnection::connect(&self.base_url)
            .await
            .unwrap_or_else(|error| panic!("cannot reach {URL_VARIABLE}: {error}"));
        let pid = i32::try_from(pid).unwrap_or(i32::MAX);
        let ended = sqlx::query_scalar("select pg_terminate_backend($1)")
            .bind(pid)
            .fetch_one(&mut admin)
            .await
            .unwrap_or(false);
        let _ = admin.close().await;
        ended
    }

    /// Drops the schema and everything in it.
    pub async fn drop_schema(mut self) {
        drop_schema(&self.base_url, &self.name).await;
        self.dropped = true;
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Drop is synchronous and often runs on a test's single-threaded runtime, whose tasks
        // may still hold connections (and locks) in the schema: waiting here would wait for
        // them forever. So the cleanup gets a thread and a runtime of its own, and nobody waits.
        let (base_url, name) = (self.base_url.clone(), self.name.clone());
        std::thread::spawn(move || {
            if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                runtime.block_on(drop_schema(&base_url, &name));
            }
        });
    }
}

/// Whether this process has swept stale schemas yet.
static SWEPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn unix_seconds() -> u64 {
    std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Drops test schemas created more than an hour ago (runs that were killed mid-way).
async fn sweep_stale_schemas(admin: &mut PgConnection) {
    let names: Vec<String> = sqlx::query_scalar(
        "select schema_name::text from information_schema.schemata where schema_name like 't\\_%'",
    )
    .fetch_all(&mut *admin)
    .await
    .unwrap_or_default();
    let cutoff = unix_seconds().saturating_sub(3600);
    for name in names {
        let created = name
            .split('_')
            .nth(1)
            .and_then(|secs| secs.parse::<u64>().ok());
        if created.is_some_and(|created| created < cutoff) {
            let _ = sqlx::query(&format!("drop schema if exists {name} cascade"))
                .execute(&mut *admin)
                .await;
        }
    }
}

async fn drop_schema(base_url: &str, name: &str) {
    if let Ok(mut admin) = PgConnection::connect(base_url).await {
        // Connections of the test's application may still be open for a moment.
        let _ = sqlx::query("set lock_timeout = '30s'")
            .execute(&mut admin)
            .await;
        let _ = sqlx::query(&format!("drop schema if exists {name} cascade"))
            .execute(&mut admin)
            .await;
        let _ = admin.close().await;
    }
}
