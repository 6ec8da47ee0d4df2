//! `plumb master-key rotate`: re-seals every stored secret (API key values, webhook trigger
//! tokens) under a new master key, in one transaction, on either backend.
//!
//! The old key comes from the configuration (`master_key_file` / `PLUMB_MASTER_KEY_FILE`), the
//! new one from `--new-key-file` (created, mode 0600, if it does not exist). Afterwards every
//! node is restarted with the new file; until then a node still on the old key answers Copy
//! key with 409 for rotated keys and lists rotated triggers without their URL (verification and
//! trigger calls never need the master key). Running it again is harmless, which catches keys
//! and triggers created by a node that still had the old key.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use plumb_core::crypto::Sealer;
use plumb_core::master_key;
use plumb_server::database::open_store;
use plumb_server::startup::{load_master_key, read_master_key};

use crate::StoreArgs;

/// `plumb master-key ...`
#[derive(Debug, Subcommand)]
pub enum MasterKeyCommand {
    /// Re-seal every stored key value and trigger URL under a new master key (in one
    /// transaction).
    Rotate(RotateArgs),
}

/// `plumb master-key rotate`
#[derive(Debug, Clone, Args)]
pub struct RotateArgs {
    /// The new master key file: 64 hex characters; created with a random key if missing.
    #[arg(long)]
    pub new_key_file: PathBuf,
    /// Data location (and the current master key file).
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `plumb master-key rotate`.
pub async fn rotate(args: &RotateArgs) -> anyhow::Result<()> {
    let config = args.store.config(None)?;
    let old_path = config.master_key_file();
    let old = read_master_key(&old_path).context(
        "the current master key is needed to open the stored values: set master_key_file or \
         PLUMB_MASTER_KEY_FILE to the file the nodes run with",
    )?;
    let new = load_master_key(&args.new_key_file)?;
    anyhow::ensure!(
        old != new,
        "{} holds the current master key; give a file with a new one",
        args.new_key_file.display()
    );
    let database = open_store(&config.database_url()).await?;
    let rotated =
        master_key::rotate(&*database.store(), &Sealer::new(&old), &Sealer::new(&new)).await;
    database.close().await;
    let rotated = rotated
        .context("could not re-seal the stored key values and trigger URLs (nothing changed)")?;
    println!(
        "re-sealed {} key values and trigger URLs under the new master key ({} already were, {} \
         could not be opened with the current key and were left as they are)",
        rotated.resealed, rotated.already_rotated, rotated.unreadable
    );
    println!(
        "now restart every node with master_key_file = {}",
        args.new_key_file.display()
    );
    Ok(())
}
