//! API keys on the management API (Settings → API keys): the key as lists show it, the one
//! response that carries its full value, and the create, edit and Copy key bodies.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Access, Actor};
use crate::timestamp;

/// Where a key's requests come from and how they fared (plumb's addition to Level's list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyUsage {
    /// Authenticated requests answered with a 1xx to 3xx status.
    pub success_count: u64,
    /// Authenticated requests answered with a 4xx or 5xx status.
    pub failure_count: u64,
    /// Client address of the most recent request.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_ip: Option<String>,
    /// `User-Agent` of the most recent request.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_user_agent: Option<String>,
}

/// An API key as the list and show responses present it: never the full value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    /// Key id (stable across regeneration).
    pub id: String,
    /// What the key is for.
    pub description: String,
    /// Access level.
    pub access: Access,
    /// The prefix and the last four characters, e.g. `plumb_****Ab12`.
    pub masked_key: String,
    /// Most recent authenticated request, or `null` if never used.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_used_at: Option<OffsetDateTime>,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
    /// Who created it.
    pub created_by: Actor,
    /// Request origins and outcome counts.
    pub usage: KeyUsage,
}

/// `POST /api/v1/api-keys` and `.../regenerate` response: the key plus its full value.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyWithSecret {
    /// The key.
    #[serde(flatten)]
    pub api_key: ApiKey,
    /// The full key value.
    pub key: String,
}

/// `POST /api/v1/api-keys`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    /// What the key is for (1 to 200 characters).
    pub description: String,
    /// Access level.
    pub access: Access,
}

/// `PATCH /api/v1/api-keys/{id}`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateApiKey {
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New access level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
}

/// `POST /api/v1/api-keys/{id}/reveal` response (Copy key).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevealedApiKey {
    /// The full key value.
    pub key: String,
}
