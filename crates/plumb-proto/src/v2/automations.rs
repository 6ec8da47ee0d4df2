//! Automations, their webhook triggers and runs.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::timestamp;

/// An automation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Automation {
    /// Automation id.
    pub id: String,
    /// Name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: Option<String>,
    /// Description.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub description: Option<String>,
    /// Target group.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: Option<String>,
    /// Target group's name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_name: Option<String>,
}

/// A webhook trigger of an automation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomationWebhook {
    /// The trigger URL, ending in its token.
    pub url: String,
    /// The automation.
    pub automation_id: String,
    /// The automation's name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub automation_name: Option<String>,
    /// Whether calls must carry the trigger's `Authorization` value.
    pub requires_authorization_header: bool,
    /// Body keys the trigger maps, e.g. `["device_ids"]`.
    pub parameters: Vec<String>,
}

/// The answer to a webhook trigger: one run per started device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriggeredRuns {
    /// The runs.
    pub runs: Vec<TriggeredRun>,
}

/// One started run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriggeredRun {
    /// Run id.
    pub id: String,
    /// Device id.
    pub device_id: String,
}

/// The state of a run or a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomationRun {
    /// Run id.
    pub id: String,
    /// The automation.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub automation_id: Option<String>,
    /// The automation's name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub automation_name: Option<String>,
    /// The device.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub device_id: Option<String>,
    /// The device's hostname.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub device_hostname: Option<String>,
    /// Status.
    pub status: RunStatus,
    /// Start.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub started_at: Option<OffsetDateTime>,
    /// End.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ended_at: Option<OffsetDateTime>,
    /// With `include_steps=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub steps: Option<Vec<RunStep>>,
}

/// One step of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunStep {
    /// Step name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: Option<String>,
    /// Status.
    pub status: RunStatus,
    /// Output.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub output: Option<String>,
}
