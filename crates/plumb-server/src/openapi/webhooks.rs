//! The `webhooks` section of the `/v2` document: Level's eight outgoing events (OpenAPI 3.1's
//! `webhooks`, which utoipa does not model, so it is added as a top-level member): each a `POST`
//! of the envelope `{"event_type", "event_id", "occurred_at", "data"}` whose `data` is the
//! object as `/v2` shows it, with the signature headers sent when the endpoint has a secret.

use plumb_core::events::EventType;
use serde_json::{Value, json};
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::extensions::Extensions;

/// Adds the `webhooks` member to the `/v2` document.
pub fn add(document: &mut Document) {
    let mut webhooks = serde_json::Map::new();
    for event_type in EventType::LEVEL {
        webhooks.insert(event_type.as_str().to_owned(), operation(event_type));
    }
    let extensions = Extensions::from_iter([("webhooks", Value::Object(webhooks))]);
    match &mut document.extensions {
        Some(existing) => existing.merge(extensions),
        None => document.extensions = Some(extensions),
    }
}

fn operation(event_type: EventType) -> Value {
    let (object, when) = match event_type {
        EventType::AlertActive => ("Alert", "an alert becomes active"),
        EventType::AlertResolved => ("Alert", "an alert is resolved"),
        EventType::DeviceCreated => ("Device", "a device is created (its enrollment completes)"),
        EventType::DeviceUpdated => (
            "Device",
            "something /v2 shows of a device changes, other than last_seen_at, group_name and \
             tags (a check-in with nothing new sends nothing)",
        ),
        EventType::DeviceDeleted => ("Device", "a device is deleted (data: the device as it was)"),
        EventType::GroupCreated => ("Group", "a group is created"),
        EventType::GroupUpdated => ("Group", "a group is renamed or moved"),
        EventType::GroupDeleted => ("Group", "a group is deleted (data: the group as it was)"),
        // Not in the document: plumb's own events, listed in docs/compatibility.md.
        _ => ("Group", "plumb sends one of its own events"),
    };
    let name = event_type.as_str();
    json!({
        "post": {
            "summary": format!("{} event", name),
            "description": format!("Sent when {when}."),
            "operationId": format!("webhook_{name}"),
            "tags": ["Event webhooks"],
            "parameters": headers(),
            "requestBody": {
                "required": true,
                "content": {"application/json": {"schema": envelope(name, object)}}
            },
            "responses": {
                "200": {
                    "description": "Any 2xx acknowledges the event; anything else (a redirect \
                                    included, never followed) or no answer within 10 seconds \
                                    is retried: 3 attempts in all by default, about 2 minutes \
                                    apart plus 1 to 60 seconds."
                }
            }
        }
    })
}

fn envelope(name: &str, object: &str) -> Value {
    json!({
        "type": "object",
        "required": ["event_type", "event_id", "occurred_at", "data"],
        "properties": {
            "event_type": {"type": "string", "const": name},
            "event_id": {
                "type": "string",
                "format": "uuid",
                "description": "The same on every retry and re-run: receivers dedupe on it."
            },
            "occurred_at": {"type": "string", "format": "date-time"},
            "data": {"$ref": format!("#/components/schemas/{object}")}
        }
    })
}

fn headers() -> Value {
    let header = |name: &str, description: &str, pattern: Option<&str>| {
        let mut schema = json!({"type": "string"});
        if let Some(pattern) = pattern {
            schema["pattern"] = json!(pattern);
        }
        json!({"name": name, "in": "header", "required": false, "description": description,
               "schema": schema})
    };
    json!([
        header(
            "X-Level-Signature",
            "With a secret: 'sha256=' and the lowercase hex HMAC-SHA256(secret, raw body).",
            Some("^sha256=[0-9a-f]{64}$"),
        ),
        header("webhook-id", "Standard Webhooks: the event_id.", None),
        header(
            "webhook-timestamp",
            "Standard Webhooks: when this attempt was sent, in Unix seconds.",
            None,
        ),
        header(
            "webhook-signature",
            "Standard Webhooks, with a secret: 'v1,' and the base64 HMAC-SHA256 of \
             '{webhook-id}.{webhook-timestamp}.{body}' under the secret (its base64 part \
             decoded, for a secret of the form whsec_<base64>).",
            Some("^v1,[A-Za-z0-9+/=]+$"),
        ),
    ])
}
