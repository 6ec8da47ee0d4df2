//! The database the PostgreSQL run of the HTTP suite uses: a fresh schema per test on
//! `PLUMB_TEST_POSTGRES_URL`, dropped when the test's `TestApp` is.

use plumb_server::config::Config;
use plumb_store_tests::TestSchema;

/// A fresh schema, dropped with this value.
pub struct TestDatabase {
    schema: TestSchema,
}

impl TestDatabase {
    /// A fresh schema for one test.
    pub async fn fresh() -> Self {
        // `None` means "skip", which build.rs already decided against by compiling this
        // binary; `TestSchema::create` itself fails clearly if the URL is required but unset.
        let schema = TestSchema::create()
            .await
            .expect("PLUMB_TEST_POSTGRES_URL names the test database");
        TestDatabase { schema }
    }

    /// Points a configuration at this schema.
    pub fn configure(&self, config: &mut Config) {
        config.database_url = Some(self.schema.url());
    }

    /// Ends a server process (a node's connection), as a network failure would.
    pub async fn terminate_backend(&self, pid: u32) -> bool {
        self.schema.terminate_backend(pid).await
    }
}
