//! `POST /agent/v1/checkin`: records the inventory (a full check-in) or that the device is alive
//! with the inventory the server holds (a digest check-in, docs/agent-protocol.md "Digests"),
//! and hands out the device's pending runs.

use axum::extract::State;
use plumb_core::DomainError;
use plumb_core::agents::Report;
use plumb_core::agents::heartbeat::Beat;
use plumb_core::store::{RunRecord, TokenOwner};
use plumb_proto::agent::{CheckinRequest, CheckinResponse, InventoryDigests, PendingRun};

use super::auth::{DeviceAuth, INVALID_TOKEN};
use super::body::{AgentJson, InventoryJson};
use crate::error::ApiError;
use crate::extract::ClientInfo;
use crate::state::AppState;

/// `POST /agent/v1/checkin`
pub async fn check_in(
    State(state): State<AppState>,
    DeviceAuth(owner): DeviceAuth,
    client: ClientInfo,
    AgentJson(request): InventoryJson<CheckinRequest>,
) -> Result<axum::Json<CheckinResponse>, ApiError> {
    let now = state.clock.now();
    let digests = checked_digests(&request)?;
    let runs = match (&request.inventory, digests) {
        (Some(inventory), _) => {
            let report = Report {
                inventory,
                interval_seconds: request.checkin_interval_seconds,
                public_ip_address: client.ip,
            };
            state.agents.check_in(owner, &report, now).await
        }
        (None, Some(digests)) => {
            let beat = Beat {
                digests: &digests,
                interval_seconds: request.checkin_interval_seconds,
                public_ip_address: client.ip,
            };
            match state.agents.heartbeat(owner, &beat, now).await {
                Ok(None) => return Ok(axum::Json(send_full())),
                Ok(Some(runs)) => Ok(runs),
                Err(error) => Err(error),
            }
        }
        (None, None) => Err(DomainError::invalid(
            "a check-in carries the inventory, or inventory_digest and updates_digest",
        )),
    }
    .map_err(|error| match error {
        // Deleted between the gate and now.
        DomainError::NotFound(_) => ApiError::Unauthenticated(INVALID_TOKEN),
        other => other.into(),
    })?;
    Ok(axum::Json(handed_out(owner, &runs)))
}

/// The request's digests: both or neither, each 64 lowercase hex digits.
fn checked_digests(request: &CheckinRequest) -> Result<Option<InventoryDigests>, ApiError> {
    let digests = request.digests();
    let partial = digests.is_none()
        && (request.inventory_digest.is_some() || request.updates_digest.is_some());
    if partial
        || digests
            .as_ref()
            .is_some_and(|digests| !digests.well_formed())
    {
        return Err(DomainError::invalid(
            "inventory_digest and updates_digest come together, each 64 lowercase hex digits",
        )
        .into());
    }
    Ok(digests)
}

/// The answer to a digest check-in the server holds no inventory for.
fn send_full() -> CheckinResponse {
    CheckinResponse {
        runs: Vec::new(),
        send_full: true,
    }
}

fn handed_out(owner: TokenOwner, runs: &[RunRecord]) -> CheckinResponse {
    if !runs.is_empty() {
        tracing::info!(device.id = %owner.device_id, runs = runs.len(), "device {} picked up {} runs", owner.device_id, runs.len());
    }
    CheckinResponse {
        runs: runs.iter().map(pending_run).collect(),
        send_full: false,
    }
}

fn pending_run(run: &RunRecord) -> PendingRun {
    PendingRun {
        id: run.id.to_string(),
        automation_name: run.automation_name.clone(),
        steps: run.steps.clone(),
    }
}
