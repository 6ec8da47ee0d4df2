//! Automations, their webhook triggers and runs.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::timestamp;

/// An automation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Automation {
    /// Automation id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Target group.
    pub group_id: Option<String>,
    /// Target group's name.
    pub group_name: Option<String>,
}

/// A webhook trigger of an automation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomationWebhook {
    /// The trigger URL, ending in its token.
    pub url: String,
    /// The automation.
    pub automation_id: String,
    /// The automation's name.
    pub automation_name: Option<String>,
    /// Whether calls must carry the trigger's `Authorization` value.
    pub requires_authorization_header: bool,
    /// Body keys the trigger maps, e.g. `["device_ids"]`.
    pub parameters: Vec<String>,
}

/// The answer to a webhook trigger: one run per started device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggeredRuns {
    /// The runs.
    pub runs: Vec<TriggeredRun>,
}

/// One started run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggeredRun {
    /// Run id.
    pub id: String,
    /// Device id.
    pub device_id: String,
}

/// The state of a run or a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Waiting for the device.
    Pending,
    /// The device is running it.
    Running,
    /// Finished well.
    Success,
    /// Finished with warnings.
    Warning,
    /// Failed.
    Error,
    /// Stopped before it finished.
    Canceled,
}

/// A run of an automation on one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomationRun {
    /// Run id.
    pub id: String,
    /// The automation.
    pub automation_id: Option<String>,
    /// The automation's name.
    pub automation_name: Option<String>,
    /// The device.
    pub device_id: Option<String>,
    /// The device's hostname.
    pub device_hostname: Option<String>,
    /// Status.
    pub status: RunStatus,
    /// Start.
    #[serde(with = "timestamp::option")]
    pub started_at: Option<OffsetDateTime>,
    /// End.
    #[serde(with = "timestamp::option")]
    pub ended_at: Option<OffsetDateTime>,
    /// With `include_steps=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<RunStep>>,
}

/// One step of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStep {
    /// Step name.
    pub name: Option<String>,
    /// Status.
    pub status: RunStatus,
    /// Output.
    pub output: Option<String>,
}
