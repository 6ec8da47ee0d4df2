//! Bodies of `/api/v1/webhooks`: outgoing event webhook endpoints, their delivery log, re-runs
//! and test events. (The automations' incoming webhook triggers are in `automations`.)

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::timestamp;
use crate::v2::Severity;

/// `POST /api/v1/webhooks`: `url` is required; without `event_types` the endpoint receives
/// every event, including future ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateEventWebhook {
    /// Where events are posted: `https://` and a public address (unless the operator allows
    /// private targets).
    pub url: String,
    /// What it is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The signing secret (16 to 256 characters); write-only.
    #[serde(default)]
    pub secret: Option<String>,
    /// Generate a secret (`whsec_…`) and return it in this response only.
    #[serde(default)]
    pub generate_secret: bool,
    /// The events to send (Level's names); absent or `null`: every event, including future ones.
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
    /// Send alert events only of these severities; absent or `null`: every severity.
    #[serde(default)]
    pub alert_severities: Option<Vec<Severity>>,
    /// Whether events are sent (default `true`).
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// `PATCH` (or `PUT`) `/api/v1/webhooks/{id}`: absent fields stay as they are; `null` for
/// `secret` removes it, for `event_types` subscribes to every event, for `alert_severities`
/// sends alerts of every severity.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateEventWebhook {
    /// New URL.
    #[serde(default)]
    pub url: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// New secret; `null` removes it.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub secret: Option<Option<String>>,
    /// Generate a new secret and return it in this response only.
    #[serde(default)]
    pub generate_secret: bool,
    /// New subscription; `null`: every event.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<String>>))]
    pub event_types: Option<Option<Vec<String>>>,
    /// New severity filter; `null`: every severity.
    #[serde(default, deserialize_with = "crate::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<Severity>>))]
    pub alert_severities: Option<Option<Vec<Severity>>>,
    /// Enable or disable.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// An endpoint: never its secret, only whether it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventWebhook {
    /// Id.
    pub id: String,
    /// Where events are posted.
    pub url: String,
    /// What it is for.
    pub description: String,
    /// Whether deliveries are signed.
    pub has_secret: bool,
    /// The events sent; `null`: every event, including future ones.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub event_types: Option<Vec<String>>,
    /// Alert severities sent; `null`: every severity.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub alert_severities: Option<Vec<Severity>>,
    /// Whether events are sent.
    pub enabled: bool,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "timestamp")]
    pub updated_at: OffsetDateTime,
    /// The secret plumb just generated, in the response that generated it only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One attempt to deliver an event (the Requests tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventDelivery {
    /// The attempt's id (for `.../deliveries/{id}/rerun`).
    pub id: String,
    /// The event's id: the same on every attempt and re-run.
    pub event_id: String,
    /// The event's type.
    pub event_type: String,
    /// When it was sent.
    #[serde(with = "timestamp")]
    pub attempted_at: OffsetDateTime,
    /// The response's status; `null` when none came (refused target, timeout, error).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub status: Option<u16>,
    /// Whether the endpoint acknowledged it (a 2xx).
    pub ok: bool,
    /// Milliseconds until the answer or the failure.
    pub duration_ms: u64,
    /// The start of the response body (1 KiB at most), or what went wrong.
    pub response: String,
    /// The request body sent.
    pub request_body: String,
    /// The delivery's state now: `pending` (another attempt is due), `delivered` or `failed`.
    pub delivery_state: String,
}

/// `GET /api/v1/webhooks/{id}/deliveries`: newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventDeliveryPage {
    /// The attempts.
    pub data: Vec<EventDelivery>,
    /// Pass as `cursor` for the next (older) page; `null` at the end.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/webhooks/{id}/test` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedEvent {
    /// The queued event's id.
    pub event_id: String,
}
