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

/// A loopback port for a `plumb serve` child, free when this returns. Taken below Linux's
/// ephemeral range (32768 and up), where the kernel places this binary's in-process servers
/// and client connections: a port picked with `bind(0)` and released could be handed to one of
/// them before the child binds it, and the child's health check would then reach another
/// test's server.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    // Spread concurrent test binaries (on one machine) apart by their process id.
    let start = u16::try_from(std::process::id() % 600).unwrap() * 20;
    loop {
        let offset = (start + NEXT.fetch_add(1, Ordering::Relaxed)) % 12_000;
        let port = 20_000 + offset;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}
