//! The `plumb` command line against a real server on a loopback port: the remote key commands
//! through `plumb-client`, and the binary's own `init`, `org create`, `migrate` and `serve`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests panic on broken fixtures"
)]

mod binary;
mod crash;
mod crash_events;
mod db_copy;
mod db_copy_automations;
mod db_copy_devices;
mod db_copy_webhooks;
mod dev_seed;
mod manage;
mod manage_more;
mod master_key;
mod migrate;
mod remote;
mod remote_key_rules;
mod remote_webhooks;

const EMAIL: &str = "admin@acme.test";
const PASSWORD: &str = "correct horse battery staple";
