//! `POST /agent/v1/checkin`: records the inventory and hands out the device's pending runs.

use axum::extract::State;
use plumb_core::DomainError;
use plumb_core::agents::Report;
use plumb_core::store::RunRecord;
use plumb_proto::agent::{CheckinRequest, CheckinResponse, PendingRun};

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
    let report = Report {
        inventory: &request.inventory,
        interval_seconds: request.checkin_interval_seconds,
        public_ip_address: client.ip,
    };
    let runs = state
        .agents
        .check_in(owner, &report, state.clock.now())
        .await
        .map_err(|error| match error {
            // Deleted between the gate and now.
            DomainError::NotFound(_) => ApiError::Unauthenticated(INVALID_TOKEN),
            other => other.into(),
        })?;
    if !runs.is_empty() {
        tracing::info!(device.id = %owner.device_id, runs = runs.len(), "device {} picked up {} runs", owner.device_id, runs.len());
    }
    Ok(axum::Json(CheckinResponse {
        runs: runs.iter().map(pending_run).collect(),
    }))
}

fn pending_run(run: &RunRecord) -> PendingRun {
    PendingRun {
        id: run.id.to_string(),
        automation_name: run.automation_name.clone(),
        steps: run.steps.clone(),
    }
}
