//! `plumb-agent`: runs on a managed device and reports the machine's real inventory.
//!
//! Today it collects and prints the inventory (`plumb-agent inventory`) and can run automation
//! steps ([`runner`]); enrolling with a plumb server and checking in arrive with the server side
//! of the agent protocol. The agent
//! depends on `plumb-proto` for its wire types and never on the server's stack.

pub mod collect;
pub mod runner;

use std::io::Write;

use clap::{Parser, Subcommand};

/// plumb-agent: reports this device's inventory to a plumb server.
#[derive(Debug, Parser)]
#[command(name = "plumb-agent", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect this machine's inventory and print it as JSON.
    Inventory,
}

/// Runs a parsed command line, writing its output to `out`.
pub fn run(cli: &Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    match cli.command {
        Command::Inventory => {
            let inventory = collect::inventory();
            serde_json::to_writer_pretty(&mut *out, &inventory)?;
            writeln!(out)?;
            Ok(())
        }
    }
}
