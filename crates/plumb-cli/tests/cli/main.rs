//! The `plumb` binary against a real server on a loopback port: every remote command run as a
//! child process (`cli_*.rs`, their `--json` shapes pinned by the snapshots in `snapshots/`), and
//! the binary's own `init`, `org create`, `migrate`, `serve`, `db copy` and `master-key rotate`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests panic on broken fixtures"
)]

mod binary;
mod checkin_load;
mod cli_alerts;
mod cli_automations;
mod cli_devices;
mod cli_fields;
mod cli_groups;
mod cli_install_keys;
mod cli_key_rules;
mod cli_keys;
mod cli_runs;
mod cli_session;
mod cli_users;
mod cli_webhooks;
mod crash;
mod crash_checkins;
mod crash_events;
mod db_copy;
mod db_copy_automations;
mod db_copy_devices;
mod db_copy_webhooks;
mod dev_seed;
mod master_key;
mod migrate;
mod real;
mod server;

const EMAIL: &str = "admin@acme.test";
const PASSWORD: &str = "correct horse battery staple";
