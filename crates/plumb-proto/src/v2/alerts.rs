//! Alerts and updates (patches).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::timestamp;

/// How bad an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For information.
    Information,
    /// Needs a look.
    Warning,
    /// Needs action.
    Critical,
    /// Needs action now.
    Emergency,
}

/// An alert about a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    /// Alert id.
    pub id: String,
    /// The device.
    pub device_id: String,
    /// The device's hostname.
    pub device_hostname: String,
    /// Short name, e.g. `Device offline`.
    pub name: String,
    /// Description.
    pub description: String,
    /// Extra data.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub payload: Option<String>,
    /// Severity.
    pub severity: Severity,
    /// Whether it is resolved.
    pub is_resolved: bool,
    /// When it started.
    #[serde(with = "timestamp")]
    pub started_at: OffsetDateTime,
    /// When it was resolved.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub resolved_at: Option<OffsetDateTime>,
}

/// An update (patch) of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Update {
    /// Update id.
    pub id: String,
    /// The device.
    pub device_id: String,
    /// The device's hostname.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub device_hostname: Option<String>,
    /// Name, e.g. `KB5031234` or a package name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: Option<String>,
    /// Category.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub category: Option<String>,
    /// Version.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub version: Option<String>,
    /// Size in bytes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub size: Option<u64>,
    /// Knowledge-base ids.
    pub kb_ids: Vec<String>,
    /// Available (not yet installed).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub is_available: Option<bool>,
    /// Last installation error.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub error: Option<String>,
    /// Publication time.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub published_on: Option<OffsetDateTime>,
    /// Installation time.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub installed_on: Option<OffsetDateTime>,
}
