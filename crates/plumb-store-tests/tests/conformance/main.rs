//! The store conformance suite: one binary, one module per area.
//!
//! Each test is an `async fn name(store: &dyn Store)` written once against the trait, and
//! [`conformance!`] expands every name into a `#[tokio::test]` per backend, so a behaviour that
//! differs between backends fails by name. Tests that look past the trait at one backend
//! live in [`sqlite_only`] and [`postgres_only`]; [`migrations`] checks that both backends
//! carry the same migration names.

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

        // The same bodies on a fresh schema of `PLUMB_TEST_POSTGRES_URL`; they pass without
        // running when the variable is unset, unless `PLUMB_TEST_REQUIRE_POSTGRES=1` makes
        // that a failure.
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(database) = crate::support::PgDatabase::new().await else {
                        return;
                    };
                    super::$name(database.store()).await;
                    database.close().await;
                }
            )+
        }
    };
}

mod activity;
mod activity_pages;
mod alerts_and_updates;
mod automation_pages;
mod automations;
mod change_entries;
mod custom_field_cascade;
mod custom_field_values;
mod device_checkins;
mod device_filters;
mod device_inventory;
mod device_pages;
mod device_plans;
mod device_records;
mod device_summaries;
mod device_tags;
mod devices;
mod group_pages;
mod group_tree;
mod groups;
mod install_keys;
mod key_deletion;
mod key_lists;
mod key_policies;
mod key_sealing;
mod keys;
mod migrations;
mod organizations;
mod postgres_only;
mod run_lists;
mod run_survival;
mod run_targets;
mod runs;
mod sessions;
mod sqlite_only;
mod support;
mod tag_counts;
mod usage;
mod users;
mod webhooks;
