//! `plumb-agent`: runs on a managed device, reports the machine's real inventory to a plumb
//! server and runs the automations the server sends.
//!
//! `plumb-agent inventory` prints the inventory ([`collect`]); `plumb-agent enroll` exchanges
//! an install key for a device token ([`enroll`], saved by [`state`]); `plumb-agent run` checks
//! in every interval and executes runs ([`service`], [`runner`]) over the agent protocol
//! ([`client`], docs/agent-protocol.md). The agent depends on `plumb-proto` for its wire types
//! and never on the server's stack.

pub mod cli;
pub mod client;
pub mod collect;
pub mod enroll;
pub mod install;
pub mod runner;
pub mod secret;
pub mod service;
pub mod signal;
pub mod state;

use std::io::Write;

pub use cli::{Cli, Command};

/// Runs a parsed command line, writing its output to `out`.
pub fn run(cli: &Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    match &cli.command {
        Command::Inventory => {
            let inventory = collect::inventory();
            serde_json::to_writer_pretty(&mut *out, &inventory)?;
            writeln!(out)?;
            Ok(())
        }
        Command::Enroll(args) => runtime()?.block_on(enroll::enroll(args, out)),
        Command::Run(args) => runtime()?.block_on(service::run(args, out)),
        Command::Install(args) => runtime()?.block_on(install::install(args, out)),
        Command::Uninstall(args) => install::uninstall(args, out),
    }
}

/// One thread is plenty: the agent waits on the network and on its step runner's threads.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
