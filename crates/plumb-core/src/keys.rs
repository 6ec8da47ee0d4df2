//! The API key lifecycle: create, edit, regenerate, reveal (Copy key) and delete; the grace
//! period of a regeneration, revocation by value and the organization's default rate limit
//! are in `policies`.
//!
//! Each operation writes the store (with its activity entry, in one transaction) and then updates
//! the [`KeyVerifier`] before returning, so the caller's response is only sent once the new
//! state is what every later request sees.

use std::sync::Arc;

use serde_json::json;
use time::OffsetDateTime;

use crate::activity::{self, Actor};
use crate::api_key::PlainApiKey;
use crate::crypto::{Sealer, UnsealError};
use crate::id::{ApiKeyId, OrganizationId};
use crate::store::{ApiKeyChange, ApiKeyRecord, KeyRules, KeySecret, NewApiKey, Store, UserRef};
use crate::verifier::KeyVerifier;
use crate::{Access, DomainError, StoreError, key_rules, validate};

mod policies;

pub use policies::KeyList;

/// Longest key description, in characters.
pub const DESCRIPTION_MAX: usize = 200;

/// Where key values are kept besides their digest.
#[derive(Clone)]
pub enum KeyStorage {
    /// Sealed under the master key, so Copy key works (the default).
    Recoverable(Box<Sealer>),
    /// Digest only: the value is shown once, at creation.
    HashOnly,
}

/// The key lifecycle over a store and a verifier.
#[derive(Clone)]
pub struct Keys {
    store: Arc<dyn Store>,
    verifier: Arc<KeyVerifier>,
    storage: KeyStorage,
}

impl Keys {
    /// The lifecycle for one installation.
    pub fn new(store: Arc<dyn Store>, verifier: Arc<KeyVerifier>, storage: KeyStorage) -> Self {
        Self {
            store,
            verifier,
            storage,
        }
    }

    /// The verifier this lifecycle keeps up to date.
    pub fn verifier(&self) -> &Arc<KeyVerifier> {
        &self.verifier
    }

    /// Creates a key; the plain value is returned this once.
    pub async fn create(
        &self,
        actor: &Actor,
        (description, access): (&str, Access),
        rules: KeyRules,
        now: OffsetDateTime,
    ) -> Result<(ApiKeyRecord, PlainApiKey), DomainError> {
        let description = validate::text("description", description, DESCRIPTION_MAX)?;
        let rules = KeyRules {
            expires_at: key_rules::expiry(rules.expires_at, now)?,
            disabled: rules.disabled,
            allowed_ips: key_rules::allowed_ips(&rules.allowed_ips)?,
            rate_limit_per_minute: key_rules::rate_limit(rules.rate_limit_per_minute)?,
        };
        let created_by = acting_user(actor)?;
        let id = ApiKeyId::new();
        let plain = PlainApiKey::generate();
        let new = NewApiKey {
            id,
            organization_id: actor.organization_id,
            description: description.clone(),
            access,
            secret: self.secret_for(id, &plain),
            rules: rules.clone(),
            created_by: created_by.id,
            created_at: now,
        };
        let entry = actor.record(
            "api_key.created",
            ("api_key", Some(id.to_string())),
            {
                let mut details = rules_json(&rules);
                details["description"] = json!(description);
                details["access"] = json!(access);
                details["masked_key"] = json!(plain.masked());
                details
            },
            now,
        );
        let record = self
            .store
            .insert_api_key(&new, &entry)
            .await
            .map_err(not_found("api key"))?;
        self.verifier.remember(&record);
        tracing::info!(api_key.id = %record.id, "created api key {}", record.id);
        Ok((record, plain))
    }

    /// One key of the organization.
    pub async fn get(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
    ) -> Result<ApiKeyRecord, DomainError> {
        self.store
            .api_key(organization_id, id)
            .await
            .map_err(not_found("api key"))
    }

    /// The organization's keys, newest first, optionally filtered by description.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
        search: Option<&str>,
    ) -> Result<Vec<ApiKeyRecord>, DomainError> {
        let search = search.map(str::trim).filter(|text| !text.is_empty());
        if search.is_some_and(|text| text.chars().count() > DESCRIPTION_MAX) {
            return Err(DomainError::invalid(format!(
                "search must be at most {DESCRIPTION_MAX} characters"
            )));
        }
        Ok(self.store.list_api_keys(organization_id, search).await?)
    }

    /// Changes any of the key's settings; the key value stays, and the change applies from the
    /// very next request.
    pub async fn update(
        &self,
        actor: &Actor,
        id: ApiKeyId,
        change: ApiKeyChange,
        now: OffsetDateTime,
    ) -> Result<ApiKeyRecord, DomainError> {
        if change.is_empty() {
            return Err(DomainError::invalid(
                "give a description, access, expires_at, disabled, allowed_ips or \
                 rate_limit_per_minute to change",
            ));
        }
        let change = ApiKeyChange {
            description: change
                .description
                .map(|text| validate::text("description", &text, DESCRIPTION_MAX))
                .transpose()?,
            access: change.access,
            expires_at: change
                .expires_at
                .map(|at| key_rules::expiry(at, now))
                .transpose()?,
            disabled: change.disabled,
            allowed_ips: change
                .allowed_ips
                .map(|list| key_rules::allowed_ips(&list))
                .transpose()?,
            rate_limit_per_minute: change
                .rate_limit_per_minute
                .map(key_rules::rate_limit)
                .transpose()?,
        };
        let before = self.get(actor.organization_id, id).await?;
        let after_rules = KeyRules {
            expires_at: change.expires_at.unwrap_or(before.rules.expires_at),
            disabled: change.disabled.unwrap_or(before.rules.disabled),
            allowed_ips: change
                .allowed_ips
                .clone()
                .unwrap_or_else(|| before.rules.allowed_ips.clone()),
            rate_limit_per_minute: change
                .rate_limit_per_minute
                .unwrap_or(before.rules.rate_limit_per_minute),
        };
        let mut after = rules_json(&after_rules);
        after["description"] = json!(change.description.as_deref().unwrap_or(&before.description));
        after["access"] = json!(change.access.unwrap_or(before.access));
        let mut before_json = rules_json(&before.rules);
        before_json["description"] = json!(before.description);
        before_json["access"] = json!(before.access);
        let details = activity::changes(&before_json, &after);
        let action = match (
            change.disabled,
            details["after"].as_object().map(|o| o.len()),
        ) {
            (Some(true), Some(1)) => "api_key.disabled",
            (Some(false), Some(1)) => "api_key.enabled",
            _ => "api_key.updated",
        };
        let entry = actor.record(action, ("api_key", Some(id.to_string())), details, now);
        let record = self
            .store
            .update_api_key(actor.organization_id, id, &change, now, &entry)
            .await
            .map_err(not_found("api key"))?;
        self.verifier.remember(&record);
        tracing::info!(api_key.id = %id, "updated api key {id}");
        Ok(record)
    }

    /// Replaces the key value. Without a grace period (`grace_seconds` 0) the old value is
    /// refused from the very next request; with one it keeps working until the period ends
    /// (at most seven days), or until [`Keys::end_grace`].
    pub async fn regenerate(
        &self,
        actor: &Actor,
        id: ApiKeyId,
        grace_seconds: i64,
        now: OffsetDateTime,
    ) -> Result<(ApiKeyRecord, PlainApiKey), DomainError> {
        let grace_until = key_rules::grace_end(grace_seconds, now)?;
        let before = self.get(actor.organization_id, id).await?;
        let plain = PlainApiKey::generate();
        let secret = self.secret_for(id, &plain);
        let entry = actor.record(
            "api_key.regenerated",
            ("api_key", Some(id.to_string())),
            json!({
                "description": before.description,
                "before": { "masked_key": crate::api_key::mask(&before.hint) },
                "after": { "masked_key": plain.masked() },
                "old_value_valid_until": grace_until.map(plumb_proto::timestamp::format),
            }),
            now,
        );
        let record = self
            .store
            .replace_api_key_secret_with_grace(
                actor.organization_id,
                id,
                &secret,
                grace_until,
                now,
                &entry,
            )
            .await
            .map_err(not_found("api key"))?;
        self.verifier.forget(&before.digest);
        if let Some(previous) = before.previous {
            self.verifier.forget(&previous.digest);
        }
        self.verifier.remember(&record);
        tracing::info!(api_key.id = %id, "regenerated api key {id}");
        Ok((record, plain))
    }

    /// Revokes a key for good; the very next request with it is refused.
    pub async fn delete(
        &self,
        actor: &Actor,
        id: ApiKeyId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let before = self.get(actor.organization_id, id).await?;
        let entry = actor.record(
            "api_key.deleted",
            ("api_key", Some(id.to_string())),
            json!({
                "description": before.description,
                "access": before.access,
                "masked_key": crate::api_key::mask(&before.hint),
            }),
            now,
        );
        let record = self
            .store
            .delete_api_key(actor.organization_id, id, now, &entry)
            .await
            .map_err(not_found("api key"))?;
        self.verifier.forget(&record.digest);
        if let Some(previous) = record.previous {
            self.verifier.forget(&previous.digest);
        }
        tracing::info!(api_key.id = %id, "deleted api key {id}");
        Ok(())
    }

    /// Copy key: the full value, when it is recoverable. Recorded in the activity log.
    pub async fn reveal(
        &self,
        actor: &Actor,
        id: ApiKeyId,
        now: OffsetDateTime,
    ) -> Result<PlainApiKey, DomainError> {
        let record = self.get(actor.organization_id, id).await?;
        let KeyStorage::Recoverable(sealer) = &self.storage else {
            return Err(DomainError::Conflict(HASH_ONLY.to_owned()));
        };
        let Some(sealed) = &record.sealed else {
            return Err(DomainError::Conflict(HASH_ONLY.to_owned()));
        };
        let value =
            sealer
                .open(sealed, id.to_string().as_bytes())
                .map_err(|error| {
                    match error {
            UnsealError::OtherMasterKey => DomainError::Conflict(
                "this key was sealed under a master key this server does not have; regenerate it \
                 to get a value that can be copied"
                    .to_owned(),
            ),
            UnsealError::Damaged => DomainError::Internal("a sealed api key is damaged".to_owned()),
        }
                })?;
        let plain = PlainApiKey::parse(&value)
            .map_err(|_| DomainError::Internal("a sealed api key is not a key".to_owned()))?;
        let entry = actor.record(
            "api_key.revealed",
            ("api_key", Some(id.to_string())),
            json!({ "description": record.description, "masked_key": plain.masked() }),
            now,
        );
        self.store.insert_activity(&entry).await?;
        Ok(plain)
    }

    fn secret_for(&self, id: ApiKeyId, plain: &PlainApiKey) -> KeySecret {
        let sealed = match &self.storage {
            KeyStorage::Recoverable(sealer) => {
                Some(sealer.seal(plain.expose(), id.to_string().as_bytes()))
            }
            KeyStorage::HashOnly => None,
        };
        KeySecret {
            digest: self.verifier.digest(plain.expose()),
            hint: plain.hint().to_owned(),
            sealed,
        }
    }
}

/// The rules of a key as the activity log shows them.
fn rules_json(rules: &KeyRules) -> serde_json::Value {
    json!({
        "expires_at": rules.expires_at.map(plumb_proto::timestamp::format),
        "disabled": rules.disabled,
        "allowed_ips": rules.allowed_ips,
        "rate_limit_per_minute": rules.rate_limit_per_minute,
    })
}

const HASH_ONLY: &str = "this key's value cannot be copied: plumb keeps only a digest of it \
     (hash-only mode), so the full value was shown once, at creation; regenerate the key to get \
     a new value";

fn acting_user(actor: &Actor) -> Result<&UserRef, DomainError> {
    actor
        .user
        .as_ref()
        .ok_or_else(|| DomainError::Forbidden("sign in to manage API keys".to_owned()))
}

/// Maps the store's `NotFound` to a named domain `NotFound`.
pub(crate) fn not_found(what: &'static str) -> impl Fn(StoreError) -> DomainError {
    move |error| match error {
        StoreError::NotFound => DomainError::NotFound(what),
        other => DomainError::Store(other),
    }
}
