//! Bodies of Run now (`POST /api/v1/automations/{id}/runs`) and the Runs views
//! (`GET /api/v1/automations/{id}/runs`, `GET /api/v1/devices/{id}/runs`, `GET /api/v1/runs/{id}`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::timestamp;
use crate::v2::RunStatus;

/// `POST /api/v1/automations/{id}/runs`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartRuns {
    /// The devices to run on (1 to 1000); absent or `null` for every device the automation
    /// targets. Devices outside its target are skipped.
    #[serde(default)]
    pub device_ids: Option<Vec<String>>,
}

/// One run just started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartedRun {
    /// Run id.
    pub id: String,
    /// Its device.
    pub device_id: String,
}

/// `POST /api/v1/automations/{id}/runs` response: one run per device, in device id order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartedRuns {
    /// The runs.
    pub runs: Vec<StartedRun>,
}

/// One step of a run: what it runs, and once run, how it went and what it printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunStepDetail {
    /// Step name.
    pub name: String,
    /// Its shell.
    pub shell: String,
    /// Its time limit in seconds.
    pub timeout_seconds: u32,
    /// `pending` until run (`canceled` if the run ended first), then its outcome.
    pub status: RunStatus,
    /// What it printed (standard output and error, bounded by the agent); `null` until run.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub output: Option<String>,
}

/// A run of an automation on one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunDetail {
    /// Id.
    pub id: String,
    /// The automation; `null` once deleted.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub automation_id: Option<String>,
    /// The automation's name when the run started.
    pub automation_name: String,
    /// The device; `null` once deleted.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub device_id: Option<String>,
    /// The device's hostname.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub device_hostname: Option<String>,
    /// `pending`, `running`, `success`, `warning`, `error` or `canceled`.
    pub status: RunStatus,
    /// When it was started.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
    /// When the device picked it up.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub started_at: Option<OffsetDateTime>,
    /// When it ended.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ended_at: Option<OffsetDateTime>,
    /// Every step, in order.
    pub steps: Vec<RunStepDetail>,
}

/// A Runs view's page: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunPage {
    /// The runs.
    pub data: Vec<RunDetail>,
    /// Pass as `cursor` to get the next (older) page; `null` at the end.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
}
