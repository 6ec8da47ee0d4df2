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

// The fields added with the key rules read as their defaults when a server does not send them.
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
    /// Authenticated requests in the last 24 hours (from the request log).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub requests_last_24h: u64,
    /// When the key stops working, or `null` for never.
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub expires_at: Option<OffsetDateTime>,
    /// A disabled key is refused like a deleted one until it is enabled again.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub disabled: bool,
    /// Addresses and CIDR ranges (IPv4 and IPv6) the key may be used from; empty: anywhere.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub allowed_ips: Vec<String>,
    /// The key's own requests per minute, or `null` for the organization's default.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub rate_limit_per_minute: Option<u32>,
    /// The requests per minute in effect (its own, else the organization's default; `null`:
    /// no limit).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub effective_rate_limit_per_minute: Option<u32>,
    /// After a Regenerate with a grace period, until when the old value still works; `null`
    /// when no old value works.
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub previous_valid_until: Option<OffsetDateTime>,
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
    /// When the key stops working (ISO-8601, in the future); absent or `null`: never.
    #[serde(default, with = "timestamp::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// Create the key disabled (default `false`).
    #[serde(default)]
    pub disabled: bool,
    /// Addresses and CIDR ranges the key may be used from; absent or empty: anywhere.
    #[serde(default)]
    pub allowed_ips: Vec<String>,
    /// Requests per minute; absent or `null`: the organization's default.
    #[serde(default)]
    pub rate_limit_per_minute: Option<u32>,
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
    /// New expiry (ISO-8601, in the future), or `null` for never.
    #[serde(
        default,
        deserialize_with = "expiry_change",
        serialize_with = "timestamp_change",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<Option<OffsetDateTime>>,
    /// Disable (`true`) or enable (`false`) the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// The new address list, all of it; `[]`: anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_ips: Option<Vec<String>>,
    /// New requests per minute, or `null` for the organization's default.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub rate_limit_per_minute: Option<Option<u32>>,
}

fn expiry_change<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<OffsetDateTime>>, D::Error> {
    timestamp::option::deserialize(deserializer).map(Some)
}

fn timestamp_change<S: serde::Serializer>(
    value: &Option<Option<OffsetDateTime>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    timestamp::option::serialize(&value.flatten(), serializer)
}

/// `POST /api/v1/api-keys/{id}/regenerate` (the body is optional).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegenerateApiKey {
    /// Seconds the old value keeps working (0, the default, to 604800 = 7 days).
    #[serde(default)]
    pub grace_seconds: i64,
}

/// `POST /api/v1/api-keys/revoke`: revokes whatever live key this value is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeApiKey {
    /// The full key value.
    pub key: String,
}

/// The answer of `POST /api/v1/api-keys/revoke`, the same whether or not a key was revoked.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokedApiKey {
    /// Always `true`: the value no longer works (if it ever did).
    pub revoked: bool,
}

/// `GET`/`PATCH /api/v1/api-key-settings`: the organization's settings for every key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApiKeySettings {
    /// Requests per minute of every key without its own limit; `null`: no limit.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub rate_limit_per_minute: Option<u32>,
}

/// One request of a key's log (`GET /api/v1/api-keys/{id}/requests`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyRequest {
    /// Entry id (time-ordered).
    pub id: String,
    /// When it arrived.
    #[serde(with = "timestamp")]
    pub at: OffsetDateTime,
    /// HTTP method.
    pub method: String,
    /// The route, e.g. `/v2/groups/{id}` (empty if none matched).
    pub route: String,
    /// The path asked for, without the query.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// Time to answer, in milliseconds.
    pub duration_ms: f64,
    /// Client address.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub client_ip: Option<String>,
    /// `User-Agent`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub user_agent: Option<String>,
}

/// A page of a key's request log, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyRequestPage {
    /// The requests.
    pub data: Vec<ApiKeyRequest>,
    /// Pass as `cursor` to get the next (older) page; `null` at the end.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/api-keys/{id}/reveal` response (Copy key).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevealedApiKey {
    /// The full key value.
    pub key: String,
}
