//! The HTTP integration suite: one binary, one module per area. Every test drives the real
//! router over a fresh SQLite database in a temporary directory. `tests/it_postgres` runs the
//! same modules once more on PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_pass_by_value,
    reason = "test helpers panic on broken fixtures and take json!() values by value"
)]

mod activities;
mod agent_protocol;
mod alerts_updates;
mod api_keys;
mod automations;
mod backend;
mod bad_input;
mod cross_site;
mod custom_fields;
mod custom_fields_v1;
mod devices;
mod devices_v1;
mod downloads;
mod error_bodies;
mod error_format;
mod event_webhooks;
mod fixtures;
mod groups;
mod health;
mod helpers;
mod install_keys;
mod manage_v1;
mod offline;
mod openapi;
mod properties;
mod read_only;
mod requests;
mod restart;
mod route_table;
mod session;
mod setup;
mod sign_in_abuse;
mod slow_clients;
mod statements;
mod tags;
mod tenancy;
mod ui_assets;
mod ui_automations;
mod ui_device_updates;
mod ui_devices;
mod ui_pages;
mod ui_security;
mod ui_setup;
mod ui_support;
mod ui_webhooks;
mod users;
mod v2_gate;
