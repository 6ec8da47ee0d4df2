//! The agent protocol, `/agent/v1`: enrollment with an install key, check-ins with the device
//! token, and automation runs the agent executes. Described in docs/agent-protocol.md.

use serde::{Deserialize, Serialize};

use crate::inventory::Inventory;
use crate::v2::RunStatus;

/// `POST /agent/v1/enroll`: exchanges an install key for a device token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The organization's install key (`plumbi_...`).
    pub install_key: String,
    /// The machine's inventory at enrollment.
    pub inventory: Inventory,
}

/// `POST /agent/v1/enroll` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrolled {
    /// The new device's id.
    pub device_id: String,
    /// The device token (`plumbd_...`), shown once; the agent keeps it private.
    pub device_token: String,
    /// Seconds between check-ins the server expects.
    pub checkin_interval_seconds: u32,
}

/// `POST /agent/v1/checkin`, with `Authorization: Bearer <device token>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckinRequest {
    /// The machine's current inventory.
    pub inventory: Inventory,
    /// The interval the agent runs at, so the server knows when it is late.
    pub checkin_interval_seconds: u32,
}

/// `POST /agent/v1/checkin` response: the runs waiting for this device.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinResponse {
    /// Pending automation runs, oldest first.
    pub runs: Vec<PendingRun>,
}

/// An automation run for the agent to execute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingRun {
    /// Run id.
    pub id: String,
    /// The automation's name.
    pub automation_name: String,
    /// Steps, in order.
    pub steps: Vec<ScriptStep>,
}

/// One script step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScriptStep {
    /// Step name.
    pub name: String,
    /// The interpreter: `sh`, `bash`, `powershell` or `python3`.
    pub shell: String,
    /// The script text.
    pub script: String,
    /// Seconds before the step is stopped.
    pub timeout_seconds: u32,
}

/// `POST /agent/v1/runs/{id}`: the outcome of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    /// The run's final status.
    pub status: RunStatus,
    /// Each executed step.
    pub steps: Vec<StepReport>,
}

/// The outcome of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepReport {
    /// Step name.
    pub name: String,
    /// Its status.
    pub status: RunStatus,
    /// Standard output and error, truncated to 64 KiB.
    pub output: String,
}
