//! The activity log as `/v2/activities` shows it (the reference names the endpoint but not its
//! shape; docs/compatibility.md records this one).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::timestamp;

/// One change in the organization: who did what to which object, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    /// Entry id (time-ordered).
    pub id: String,
    /// What happened, e.g. `api_key.created`, `automation.updated`.
    pub action: String,
    /// The technician who did it (for `organization.created`, its first administrator); `null`
    /// when no person is known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub user_id: Option<String>,
    /// That technician's email at the time.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub user_email: Option<String>,
    /// The API key that made the change through `/v2` (its masked value and description);
    /// `null` otherwise.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub api_key: Option<crate::v1::ActingKey>,
    /// The kind of object it concerns, e.g. `api_key`, `user`, `automation`.
    pub target_type: String,
    /// The object's id, if any.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub target_id: Option<String>,
    /// Details: for edits `{"before": {...}, "after": {...}}` with the changed fields. Never a
    /// secret.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
    /// When it happened.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
}
