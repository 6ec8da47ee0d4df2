//! `plumb dev ...`: tools for developers and benchmarks, never used by any other path.
//!
//! `plumb dev seed` fills an organization with synthetic, clearly marked demo data (groups named
//! "Demo client …", serial numbers starting `DEMO-`), so list and paging performance can be
//! measured on realistic volumes (docs/performance.md).

mod seed;
mod synth;

use clap::{Args, Subcommand};

pub use seed::seed;

use crate::StoreArgs;

/// `plumb dev ...`
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Fill an organization with synthetic demo devices, groups, tags and alerts.
    Seed(SeedArgs),
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
