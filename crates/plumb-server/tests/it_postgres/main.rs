//! The HTTP integration suite once more, on PostgreSQL: the modules of `tests/it` compiled
//! again with a `backend` that gives every test a fresh schema on `PLUMB_TEST_POSTGRES_URL`,
//! plus the tests that need several nodes on one database (`nodes`).
//!
//! The binary is empty unless the URL is set or `PLUMB_TEST_REQUIRE_POSTGRES=1` (see
//! `build.rs`), so `cargo test --workspace` skips it on a machine without PostgreSQL.

#![cfg(postgres_tests)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_pass_by_value,
    reason = "test helpers panic on broken fixtures and take json!() values by value"
)]

#[path = "../it/activities.rs"]
mod activities;
#[path = "../it/agent_protocol/mod.rs"]
mod agent_protocol;
#[path = "../it/alerts_updates.rs"]
mod alerts_updates;
#[path = "../it/api_keys/mod.rs"]
mod api_keys;
#[path = "../it/automations/mod.rs"]
mod automations;
mod backend;
#[path = "../it/bad_input/mod.rs"]
mod bad_input;
#[path = "../it/custom_fields/mod.rs"]
mod custom_fields;
#[path = "../it/devices/mod.rs"]
mod devices;
#[path = "../it/devices_v1/mod.rs"]
mod devices_v1;
#[path = "../it/error_bodies/mod.rs"]
mod error_bodies;
#[path = "../it/error_format.rs"]
mod error_format;
mod event_nodes;
#[path = "../it/event_webhooks/mod.rs"]
mod event_webhooks;
#[path = "../it/fixtures.rs"]
mod fixtures;
#[path = "../it/groups/mod.rs"]
mod groups;
#[path = "../it/health.rs"]
mod health;
#[path = "../it/helpers.rs"]
mod helpers;
#[path = "../it/install_keys.rs"]
mod install_keys;
mod nodes;
mod nodes_key_rules;
#[path = "../it/offline.rs"]
mod offline;
#[path = "../it/openapi.rs"]
mod openapi;
#[path = "../it/read_only.rs"]
mod read_only;
#[path = "../it/requests.rs"]
mod requests;
#[path = "../it/restart.rs"]
mod restart;
#[path = "../it/route_table.rs"]
mod route_table;
#[path = "../it/session.rs"]
mod session;
#[path = "../it/setup.rs"]
mod setup;
#[path = "../it/sign_in_abuse.rs"]
mod sign_in_abuse;
#[path = "../it/statements.rs"]
mod statements;
#[path = "../it/tags/mod.rs"]
mod tags;
#[path = "../it/tenancy.rs"]
mod tenancy;
#[path = "../it/ui_assets.rs"]
mod ui_assets;
#[path = "../it/ui_device_updates.rs"]
mod ui_device_updates;
#[path = "../it/ui_devices.rs"]
mod ui_devices;
#[path = "../it/ui_pages.rs"]
mod ui_pages;
#[path = "../it/ui_security.rs"]
mod ui_security;
#[path = "../it/ui_setup.rs"]
mod ui_setup;
#[path = "../it/ui_support.rs"]
mod ui_support;
#[path = "../it/ui_webhooks.rs"]
mod ui_webhooks;
#[path = "../it/users.rs"]
mod users;
#[path = "../it/v2_gate.rs"]
mod v2_gate;
