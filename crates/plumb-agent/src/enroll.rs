//! `plumb-agent enroll`: exchanges an install key for a device token and saves it.

use std::io::Write;

use anyhow::Context;
use plumb_proto::agent::EnrollRequest;

use crate::cli::EnrollArgs;
use crate::client::AgentClient;
use crate::secret::Secret;
use crate::service::collect_inventory;
use crate::state::{self, AgentState};

/// Enrolls this machine: refuses if it already is (unless `--force`), sends the install key
/// with the inventory, and saves the server, the device id and the token in the state file.
pub async fn enroll(args: &EnrollArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let dir = &args.state.path;
    state::check_not_enrolled(dir, args.force)?;
    let client = AgentClient::new(&args.server)?;
    let request = EnrollRequest {
        install_key: args.install_key.expose().to_owned(),
        inventory: collect_inventory().await?,
    };
    let enrolled = client.enroll(&request).await.context("enrollment failed")?;
    let state = AgentState {
        server: args.server.trim().trim_end_matches('/').to_owned(),
        device_id: enrolled.device_id,
        device_token: Secret::new(enrolled.device_token),
    };
    state::save(dir, &state)?;
    writeln!(
        out,
        "enrolled with {} as device {}; state saved in {}",
        state.server,
        state.device_id,
        state::path(dir).display()
    )?;
    Ok(())
}
