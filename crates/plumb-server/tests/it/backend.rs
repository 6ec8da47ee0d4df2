//! The database the HTTP suite runs on. In this binary it is the default: a fresh SQLite file
//! in each test's data directory. `tests/it_postgres` compiles the same tests with its own
//! `backend` module, a fresh PostgreSQL schema per test.

use plumb_server::config::Config;

/// Nothing to create or clean up: the SQLite file lives in the data directory.
pub struct TestDatabase;

impl TestDatabase {
    /// A fresh database for one test.
    pub async fn fresh() -> Self {
        TestDatabase
    }

    /// Points a configuration at this database (the default URL already does).
    pub fn configure(&self, _config: &mut Config) {}
}
