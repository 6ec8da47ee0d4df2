//! Bodies of `/api/v1/install-keys` and `/api/v1/automations` (with their webhook triggers).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::agent::ScriptStep;
use crate::timestamp;

/// `POST /api/v1/install-keys`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateInstallKey {
    /// The group new devices join; absent or `null` for none.
    #[serde(default)]
    pub group_id: Option<String>,
}

/// An install key as lists show it: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstallKey {
    /// Id.
    pub id: String,
    /// `plumbi_****` and the last four characters.
    pub masked_key: String,
    /// The group new devices join.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: Option<String>,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
}

/// `POST /api/v1/install-keys` response: the key's value, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedInstallKey {
    /// Id.
    pub id: String,
    /// The full value (`plumbi_...`).
    pub key: String,
    /// The one line to paste on a Linux machine (as root): downloads `plumb-agent` from this
    /// server, checks its SHA-256, enrolls the machine with this key and installs the service.
    pub install_command: String,
    /// The group new devices join.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: Option<String>,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
}

/// A step as a person writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// Step name.
    pub name: String,
    /// `sh`, `bash`, `python3` or `powershell`.
    pub shell: String,
    /// The script.
    pub script: String,
    /// Time limit in seconds (1 to 86400, default 300).
    #[serde(default)]
    pub timeout_seconds: Option<u32>,
}

/// `POST /api/v1/automations`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateAutomation {
    /// Name, unique in the organization.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Target group (its whole subtree); absent or `null` for every device.
    #[serde(default)]
    pub group_id: Option<String>,
    /// Steps, in order.
    pub steps: Vec<StepInput>,
}

/// `PATCH` / `PUT /api/v1/automations/{id}`: absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateAutomation {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New description (`null` clears it).
    #[serde(default, deserialize_with = "crate::double_option")]
    pub description: Option<Option<String>>,
    /// New target group (`null` targets every device).
    #[serde(default, deserialize_with = "crate::double_option")]
    pub group_id: Option<Option<String>>,
    /// New steps, all of them.
    #[serde(default)]
    pub steps: Option<Vec<StepInput>>,
}

/// An automation as the management API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomationDetail {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub description: Option<String>,
    /// Target group.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: Option<String>,
    /// Its name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_name: Option<String>,
    /// Steps, in order.
    pub steps: Vec<ScriptStep>,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "timestamp")]
    pub updated_at: OffsetDateTime,
}

/// `POST /api/v1/automations/{id}/webhooks`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// Whether calls must carry a generated `Authorization` value.
    #[serde(default)]
    pub require_authorization: bool,
}

/// A webhook trigger as the management API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    /// Id.
    pub id: String,
    /// The URL to POST to; `null` when the token cannot be shown again (hash-only mode, or
    /// sealed under another master key).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub url: Option<String>,
    /// The automation.
    pub automation_id: String,
    /// Whether calls must carry the `Authorization` value.
    pub requires_authorization_header: bool,
    /// The required `Authorization` value: only in the create response, only when required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
}
