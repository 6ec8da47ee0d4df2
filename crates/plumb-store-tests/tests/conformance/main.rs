//! The store conformance suite: one binary, one module per area.
//!
//! Each test is an `async fn name(store: &dyn Store)` written once against the trait, and
//! [`conformance!`] expands every name into a `#[tokio::test]` per backend, so a behaviour that
//! differs between backends fails by name. Tests that look past the trait at one backend's files
//! live in [`sqlite_only`].

// Test bodies are plain async fns expanded by a macro, which clippy's test exemption does not see.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failing test should stop at the failing call with its error"
)]

/// Expands test functions of the enclosing module into one `#[tokio::test]` per backend, each
/// on a fresh, migrated store: `conformance!(first_test, second_test);` yields
/// `sqlite::first_test` and so on.
macro_rules! conformance {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let database = crate::support::SqliteDatabase::new().await;
                    super::$name(database.store()).await;
                    database.close().await;
                }
            )+
        }

        // The PostgreSQL expansion goes here, as `mod postgres`: the same test bodies on a fresh
        // database (or schema) on `PLUMB_TEST_POSTGRES_URL`, returning early when the variable
        // is unset unless `PLUMB_TEST_REQUIRE_POSTGRES=1` turns that into a failure.
    };
}

mod activity;
mod devices;
mod group_pages;
mod group_tree;
mod groups;
mod key_deletion;
mod key_lists;
mod keys;
mod organizations;
mod sessions;
mod sqlite_only;
mod support;
mod usage;
mod users;
