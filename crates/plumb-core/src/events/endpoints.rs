//! `Endpoints`: event webhook endpoints as people manage them (Settings → Webhooks,
//! `/api/v1/webhooks`, `plumb webhooks`): the rules for their fields, their secrets (write-only,
//! sealed under the master key, bound to the endpoint's id), the activity entry of every change
//! (never the secret), the log of attempts, re-runs and test events.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plumb_proto::v2::Severity;
use serde_json::json;
use time::OffsetDateTime;

use super::target::{check_resolved, check_url};
use super::{EventType, body};
use crate::activity::Actor;
use crate::crypto::{Sealer, random_secret};
use crate::id::{AttemptId, EndpointId, EventId};
use crate::keys::not_found;
use crate::page::{Page, PageRequest};
use crate::store::{AttemptRecord, EndpointChange, EndpointRecord, Store};
use crate::{DomainError, StoreError};

/// The longest description.
pub const DESCRIPTION_MAX: usize = 500;
/// Secrets people set: at least this many characters…
pub const SECRET_MIN: usize = 16;
/// …and at most this many.
pub const SECRET_MAX: usize = 256;

/// An endpoint's fields as a person sends them; `None` keeps a field (or takes its default
/// on creation).
#[derive(Debug, Default, Clone)]
pub struct EndpointInput {
    /// Where to post events.
    pub url: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// `Some(Some(secret))` sets it, `Some(None)` removes it.
    pub secret: Option<Option<String>>,
    /// Generate a secret and show it once (instead of `secret`).
    pub generate_secret: bool,
    /// `Some(None)`: every event, including future ones.
    pub event_types: Option<Option<Vec<String>>>,
    /// `Some(None)`: alert events of every severity.
    pub severities: Option<Option<Vec<Severity>>>,
    /// Enabled.
    pub enabled: Option<bool>,
}

/// An endpoint, with its secret when one was just generated (shown this once).
#[derive(Debug)]
pub struct SavedEndpoint {
    /// The endpoint.
    pub record: EndpointRecord,
    /// A secret plumb generated for it now.
    pub generated_secret: Option<String>,
}

/// Event webhook endpoints.
#[derive(Clone)]
pub struct Endpoints {
    store: Arc<dyn Store>,
    sealer: Option<Sealer>,
    allow_private_targets: bool,
}

impl Endpoints {
    /// The service; `sealer` is `None` when the server keeps no master key, and then no
    /// endpoint can have a secret.
    pub fn new(store: Arc<dyn Store>, sealer: Option<Sealer>, allow_private_targets: bool) -> Self {
        Self {
            store,
            sealer,
            allow_private_targets,
        }
    }

    /// The organization's endpoints.
    pub async fn list(&self, actor: &Actor) -> Result<Vec<EndpointRecord>, DomainError> {
        Ok(self.store.list_endpoints(actor.organization_id).await?)
    }

    /// One endpoint.
    pub async fn get(&self, actor: &Actor, id: EndpointId) -> Result<EndpointRecord, DomainError> {
        self.store
            .endpoint(actor.organization_id, id)
            .await
            .map_err(not_found("webhook"))
    }

    /// Adds an endpoint: `url` is required; without `event_types` it receives every event.
    pub async fn create(
        &self,
        actor: &Actor,
        input: EndpointInput,
        now: OffsetDateTime,
    ) -> Result<SavedEndpoint, DomainError> {
        let id = EndpointId::new();
        let url = input
            .url
            .clone()
            .ok_or_else(|| DomainError::invalid("url is required"))?;
        let checked = self.check(id, &input).await?;
        let record = EndpointRecord {
            id,
            organization_id: actor.organization_id,
            url,
            description: checked.description.unwrap_or_default(),
            sealed_secret: checked.sealed_secret.unwrap_or_default(),
            event_types: checked.event_types.unwrap_or(None),
            severities: checked.severities.unwrap_or(None),
            enabled: input.enabled.unwrap_or(true),
            created_at: now,
            updated_at: now,
        };
        let entry = actor.record(
            "event_webhook.created",
            ("event_webhook", Some(id.to_string())),
            details(&record),
            now,
        );
        self.store.insert_endpoint(&record, &entry).await?;
        Ok(SavedEndpoint {
            record,
            generated_secret: checked.generated_secret,
        })
    }

    /// Changes an endpoint's fields.
    pub async fn update(
        &self,
        actor: &Actor,
        id: EndpointId,
        input: EndpointInput,
        now: OffsetDateTime,
    ) -> Result<SavedEndpoint, DomainError> {
        let before = self.get(actor, id).await?;
        let checked = self.check(id, &input).await?;
        let change = EndpointChange {
            url: input.url.clone(),
            description: checked.description,
            sealed_secret: checked.sealed_secret,
            event_types: checked.event_types,
            severities: checked.severities,
            enabled: input.enabled,
        };
        let mut changes = json!({"before": details(&before)});
        if change.sealed_secret.is_some() {
            changes["secret_changed"] = json!(true);
        }
        let entry = actor.record(
            "event_webhook.updated",
            ("event_webhook", Some(id.to_string())),
            changes,
            now,
        );
        let mut record = self
            .store
            .update_endpoint(actor.organization_id, id, &change, &entry)
            .await
            .map_err(not_found("webhook"))?;
        record.updated_at = now;
        Ok(SavedEndpoint {
            record,
            generated_secret: checked.generated_secret,
        })
    }

    /// Deletes an endpoint with its pending deliveries and its log.
    pub async fn delete(
        &self,
        actor: &Actor,
        id: EndpointId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let before = self.get(actor, id).await?;
        let entry = actor.record(
            "event_webhook.deleted",
            ("event_webhook", Some(id.to_string())),
            details(&before),
            now,
        );
        self.store
            .delete_endpoint(actor.organization_id, id, &entry)
            .await
            .map_err(not_found("webhook"))
    }

    /// An endpoint's attempts, newest first.
    pub async fn attempts(
        &self,
        actor: &Actor,
        id: EndpointId,
        page: &PageRequest<AttemptId>,
    ) -> Result<Page<AttemptRecord>, DomainError> {
        self.get(actor, id).await?;
        Ok(self
            .store
            .list_attempts(actor.organization_id, id, page)
            .await?)
    }

    /// Sends the event of an attempt again (one more attempt, same `event_id`, same body).
    pub async fn rerun(
        &self,
        actor: &Actor,
        id: EndpointId,
        attempt_id: AttemptId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let entry = actor.record(
            "event_webhook.rerun",
            ("event_webhook", Some(id.to_string())),
            json!({"attempt_id": attempt_id.to_string()}),
            now,
        );
        self.store
            .rerun_attempt(actor.organization_id, id, attempt_id, now, &entry)
            .await
            .map_err(|error| match error {
                StoreError::Conflict { .. } => DomainError::Conflict(
                    "this delivery is being attempted right now; try again in a moment".to_owned(),
                ),
                other => not_found("delivery")(other),
            })
    }

    /// Queues a `test` event for this endpoint only; returns its `event_id`.
    pub async fn send_test(
        &self,
        actor: &Actor,
        id: EndpointId,
        now: OffsetDateTime,
    ) -> Result<EventId, DomainError> {
        let endpoint = self.get(actor, id).await?;
        if !endpoint.enabled {
            return Err(DomainError::Conflict(
                "this webhook is disabled; enable it to send a test event".to_owned(),
            ));
        }
        let event_id = EventId::new();
        let data = json!({
            "id": id.to_string(),
            "url": endpoint.url,
            "message": "A test event from plumb: this endpoint is set up to receive events.",
        });
        let text = body(EventType::Test, event_id, now, &data);
        self.store
            .insert_test_event(actor.organization_id, id, event_id, &text, now)
            .await
            .map_err(not_found("webhook"))?;
        Ok(event_id)
    }

    /// Checks every field given; seals a secret given or generated.
    async fn check(&self, id: EndpointId, input: &EndpointInput) -> Result<Checked, DomainError> {
        if let Some(url) = &input.url {
            let target =
                check_url(url, self.allow_private_targets).map_err(DomainError::Invalid)?;
            check_resolved(&target, self.allow_private_targets)
                .await
                .map_err(DomainError::Invalid)?;
        }
        let description = match &input.description {
            Some(text) if text.chars().count() > DESCRIPTION_MAX => {
                return Err(DomainError::Invalid(format!(
                    "description must be at most {DESCRIPTION_MAX} characters"
                )));
            }
            other => other.as_ref().map(|text| text.trim().to_owned()),
        };
        let event_types = match &input.event_types {
            Some(Some(names)) => Some(Some(event_types(names)?)),
            other => other.clone(),
        };
        let severities = match &input.severities {
            Some(Some(list)) if list.is_empty() => {
                return Err(DomainError::invalid(
                    "severities must name at least one severity, or be left out for all",
                ));
            }
            other => other.clone(),
        };
        let (secret, generated_secret) = if input.generate_secret {
            let generated = format!("whsec_{}", STANDARD.encode(random_secret()));
            (Some(Some(generated.clone())), Some(generated))
        } else {
            (input.secret.clone(), None)
        };
        let sealed_secret = match secret {
            None => None,
            Some(None) => Some(Vec::new()),
            Some(Some(secret)) => {
                let length = secret.chars().count();
                if !(SECRET_MIN..=SECRET_MAX).contains(&length)
                    || secret.chars().any(char::is_control)
                {
                    return Err(DomainError::Invalid(format!(
                        "secret must be {SECRET_MIN} to {SECRET_MAX} characters"
                    )));
                }
                let sealer = self.sealer.as_ref().ok_or_else(|| {
                    DomainError::invalid(
                        "this server keeps no master key ([keys] recoverable = false), so it \
                         cannot keep a webhook secret",
                    )
                })?;
                Some(sealer.seal(&secret, id.to_string().as_bytes()))
            }
        };
        Ok(Checked {
            description,
            sealed_secret,
            event_types,
            severities,
            generated_secret,
        })
    }
}

struct Checked {
    description: Option<String>,
    sealed_secret: Option<Vec<u8>>,
    event_types: Option<Option<Vec<String>>>,
    severities: Option<Option<Vec<Severity>>>,
    generated_secret: Option<String>,
}

/// Known names only, at least one, each once, in Level's order.
fn event_types(names: &[String]) -> Result<Vec<String>, DomainError> {
    if names.is_empty() {
        return Err(DomainError::invalid(
            "event_types must name at least one event, or be left out for every event",
        ));
    }
    for name in names {
        if EventType::parse(name).is_none() {
            return Err(DomainError::Invalid(format!(
                "event_types: unknown event {name:?}; known events are {}",
                EventType::subscribable()
                    .map(EventType::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(EventType::subscribable()
        .map(EventType::as_str)
        .filter(|known| names.iter().any(|name| name == known))
        .map(str::to_owned)
        .collect())
}

/// What the activity log keeps of an endpoint: never the secret, only whether it has one.
fn details(record: &EndpointRecord) -> serde_json::Value {
    json!({
        "url": record.url,
        "description": record.description,
        "event_types": record.event_types,
        "severities": record.severities,
        "enabled": record.enabled,
        "has_secret": !record.sealed_secret.is_empty(),
    })
}
