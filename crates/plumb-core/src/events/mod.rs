//! Outgoing event webhooks: Level's eight events (`alert_active` … `group_deleted`), each
//! recorded by the store in the same transaction as the change that caused it (the outbox) and
//! then delivered to every subscribed endpoint by the server's delivery worker.
//!
//! An event's body is fixed when it is recorded: `{"event_type", "event_id", "occurred_at",
//! "data"}`, `data` being the object as `/v2` shows it (`crate::views`) at that moment (a
//! delete carries the object as it was). Every attempt and every re-run sends the same bytes.

pub mod endpoints;
pub mod outbox;
pub mod target;

use serde::Serialize;
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;

use crate::id::EventId;
use plumb_proto::v2::Device;

/// The kinds of event an endpoint can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// An alert became active.
    AlertActive,
    /// An alert was resolved.
    AlertResolved,
    /// A device was created (enrolled).
    DeviceCreated,
    /// Something `/v2` shows of a device changed (see [`device_digest`]).
    DeviceUpdated,
    /// A device was deleted.
    DeviceDeleted,
    /// A group was created.
    GroupCreated,
    /// A group was renamed or moved.
    GroupUpdated,
    /// A group was deleted.
    GroupDeleted,
    /// plumb's security events, from the activity log (never a secret): an API key created…
    ApiKeyCreated,
    /// …edited,
    ApiKeyUpdated,
    /// …regenerated,
    ApiKeyRegenerated,
    /// …revealed (Copy key),
    ApiKeyRevealed,
    /// …or deleted; a user added…
    ApiKeyDeleted,
    /// …or changed (role, permissions, disabled);
    UserCreated,
    /// …
    UserUpdated,
    /// a failed sign-in to an existing account (repeated failures arrive as a run of these).
    SignInFailed,
    /// A test event sent on request to one endpoint (plumb's own; never subscribed to).
    Test,
}

impl EventType {
    /// Level's eight events, the ones an endpoint can choose.
    pub const LEVEL: [EventType; 8] = [
        EventType::AlertActive,
        EventType::AlertResolved,
        EventType::DeviceCreated,
        EventType::DeviceUpdated,
        EventType::DeviceDeleted,
        EventType::GroupCreated,
        EventType::GroupUpdated,
        EventType::GroupDeleted,
    ];

    /// plumb's own security events (beyond Level's), each raised with its activity entry.
    pub const SECURITY: [EventType; 8] = [
        EventType::ApiKeyCreated,
        EventType::ApiKeyUpdated,
        EventType::ApiKeyRegenerated,
        EventType::ApiKeyRevealed,
        EventType::ApiKeyDeleted,
        EventType::UserCreated,
        EventType::UserUpdated,
        EventType::SignInFailed,
    ];

    /// Every event an endpoint can choose: Level's, then plumb's security events. "All
    /// events" means these, and any added later.
    pub fn subscribable() -> impl Iterator<Item = EventType> {
        EventType::LEVEL.into_iter().chain(EventType::SECURITY)
    }

    /// The security event an activity entry raises, if any.
    pub fn for_activity(action: &str) -> Option<EventType> {
        Some(match action {
            "api_key.created" => EventType::ApiKeyCreated,
            // Disabling, enabling and ending a grace period change the key's settings.
            "api_key.updated" | "api_key.disabled" | "api_key.enabled" | "api_key.grace_ended" => {
                EventType::ApiKeyUpdated
            }
            "api_key.regenerated" => EventType::ApiKeyRegenerated,
            "api_key.revealed" => EventType::ApiKeyRevealed,
            // A key revoked by its value (`POST /api/v1/api-keys/revoke`) is deleted.
            "api_key.deleted" | "api_key.revoked" => EventType::ApiKeyDeleted,
            "user.created" => EventType::UserCreated,
            "user.updated" => EventType::UserUpdated,
            "session.sign_in_failed" => EventType::SignInFailed,
            _ => return None,
        })
    }

    /// The wire name (`event_type`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::AlertActive => "alert_active",
            EventType::AlertResolved => "alert_resolved",
            EventType::DeviceCreated => "device_created",
            EventType::DeviceUpdated => "device_updated",
            EventType::DeviceDeleted => "device_deleted",
            EventType::GroupCreated => "group_created",
            EventType::GroupUpdated => "group_updated",
            EventType::GroupDeleted => "group_deleted",
            EventType::ApiKeyCreated => "api_key_created",
            EventType::ApiKeyUpdated => "api_key_updated",
            EventType::ApiKeyRegenerated => "api_key_regenerated",
            EventType::ApiKeyRevealed => "api_key_revealed",
            EventType::ApiKeyDeleted => "api_key_deleted",
            EventType::UserCreated => "user_created",
            EventType::UserUpdated => "user_updated",
            EventType::SignInFailed => "sign_in_failed",
            EventType::Test => "test",
        }
    }

    /// The subscribable event with this wire name.
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::subscribable().find(|event_type| event_type.as_str() == name)
    }
}

/// The envelope every delivery carries, in Level's field order.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    event_type: &'static str,
    event_id: String,
    #[serde(with = "plumb_proto::timestamp")]
    occurred_at: OffsetDateTime,
    data: &'a T,
}

/// The exact body of an event: what is signed and sent on every attempt.
pub fn body(
    event_type: EventType,
    event_id: EventId,
    occurred_at: OffsetDateTime,
    data: &impl Serialize,
) -> String {
    let envelope = Envelope {
        event_type: event_type.as_str(),
        event_id: event_id.to_string(),
        occurred_at,
        data,
    };
    // Serialising plain data to a string cannot fail; `null` would only hide a bug.
    serde_json::to_string(&envelope).unwrap_or_else(|_| "null".to_owned())
}

/// What decides `device_updated`: the SHA-256 of the device as `GET /v2/devices/{id}` shows it
/// (no `include_*` parts), leaving out `last_seen_at`, which every check-in moves, and
/// `group_name` and `tags`, which renaming a group or a tag changes on every device in it
/// (those renames send `group_updated`; tagging and untagging a device send nothing).
/// A check-in that changes nothing else, such as a device that checks in every minute with
/// nothing new, leaves the digest as it was and sends nothing.
pub fn device_digest(device: &Device) -> [u8; 32] {
    let mut value = serde_json::to_value(device).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        for volatile in ["last_seen_at", "group_name", "tags"] {
            object.remove(volatile);
        }
    }
    Sha256::digest(value.to_string().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_event_name_parses_back_to_itself() {
        for event_type in EventType::subscribable() {
            assert_eq!(EventType::parse(event_type.as_str()), Some(event_type));
        }
        assert_eq!(
            EventType::for_activity("api_key.regenerated"),
            Some(EventType::ApiKeyRegenerated)
        );
        assert_eq!(EventType::for_activity("automation.created"), None);
        assert_eq!(EventType::parse("test"), None);
        assert_eq!(EventType::parse("device_exploded"), None);
    }

    #[test]
    fn a_body_lists_the_envelope_fields_in_levels_order() {
        let at = time::macros::datetime!(2025-03-15 14:30:00 UTC);
        let id = EventId::new();
        let text = body(
            EventType::GroupCreated,
            id,
            at,
            &serde_json::json!({"id": "g"}),
        );
        assert_eq!(
            text,
            format!(
                r#"{{"event_type":"group_created","event_id":"{id}","occurred_at":"2025-03-15T14:30:00.000Z","data":{{"id":"g"}}}}"#
            )
        );
    }
}
