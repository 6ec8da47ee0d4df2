//! `plumb dev ...`: tools for developers and benchmarks, never used by any other path.
//!
//! `plumb dev seed` fills an organization with synthetic, clearly marked demo data (groups named
//! "Demo client …", serial numbers starting `DEMO-`), so list and paging performance can be
//! measured on realistic volumes (docs/performance.md). `plumb dev checkin-load` puts agents'
//! check-in load on a running server through the agent's own client code.

mod checkin_load;
mod seed;
mod synth;

use clap::{Args, Subcommand};

pub use checkin_load::checkin_load;
pub use seed::seed;

use crate::StoreArgs;

/// `plumb dev ...`
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Fill an organization with synthetic demo devices, groups, tags and alerts.
    Seed(SeedArgs),
    /// Enroll simulated agents on a running server and measure their check-ins.
    CheckinLoad(CheckinLoadArgs),
}

/// `plumb dev checkin-load`
#[derive(Debug, Clone, Args)]
pub struct CheckinLoadArgs {
    /// The server's URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    pub server: String,
    /// An install key of the organization to enroll the simulated devices in.
    #[arg(long)]
    pub install_key: String,
    /// How many devices to simulate (each keeps one check-in in flight).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub devices: u32,
    /// How long to measure, in seconds.
    #[arg(long)]
    pub seconds: u64,
    /// The share of check-ins (0 to 1) whose inventory changed since the previous one.
    #[arg(long, default_value_t = 0.0)]
    pub changed_share: f64,
    /// Check-ins per second, all devices together; without it every device checks in again as
    /// soon as it is answered (the server's maximum).
    #[arg(long)]
    pub rate: Option<u32>,
    /// The generator's seed for the simulated inventories.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `plumb dev seed`
#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// The organization to fill (its id, as `plumb org create` printed it).
    #[arg(long)]
    pub org: String,
    /// How many devices to create (1 to 5,000,000).
    #[arg(long)]
    pub devices: u64,
    /// The generator's seed: one seed, one fleet. A seed can be used once per organization.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How many of the devices check in once (online, with updates); the rest never have.
    #[arg(long, default_value_t = 1000)]
    pub online: u64,
    /// Data location.
    #[command(flatten)]
    pub store: StoreArgs,
}
