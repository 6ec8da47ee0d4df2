//! The API key lifecycle: create, edit, regenerate, reveal (Copy key) and delete.
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
use crate::store::{ApiKeyChange, ApiKeyRecord, KeySecret, NewApiKey, Store, UserRef};
use crate::verifier::KeyVerifier;
use crate::{Access, DomainError, StoreError, validate};

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
        description: &str,
        access: Access,
        now: OffsetDateTime,
    ) -> Result<(ApiKeyRecord, PlainApiKey), DomainError> {
        let description = validate::text("description", description, DESCRIPTION_MAX)?;
        let created_by = acting_user(actor)?;
        let id = ApiKeyId::new();
        let plain = PlainApiKey::generate();
        let new = NewApiKey {
            id,
            organization_id: actor.organization_id,
            description: description.clone(),
            access,
            secret: self.secret_for(id, &plain),
            created_by: created_by.id,
            created_at: now,
        };
        let entry = actor.record(
            "api_key.created",
            ("api_key", Some(id.to_string())),
            json!({ "description": description, "access": access, "masked_key": plain.masked() }),
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

    /// Changes the description and/or access; the key value stays, and the new access applies
    /// from the very next request.
    pub async fn update(
        &self,
        actor: &Actor,
        id: ApiKeyId,
        change: ApiKeyChange,
        now: OffsetDateTime,
    ) -> Result<ApiKeyRecord, DomainError> {
        if change.description.is_none() && change.access.is_none() {
            return Err(DomainError::invalid(
                "give a description or an access level to change",
            ));
        }
        let change = ApiKeyChange {
            description: change
                .description
                .map(|text| validate::text("description", &text, DESCRIPTION_MAX))
                .transpose()?,
            access: change.access,
        };
        let before = self.get(actor.organization_id, id).await?;
        let after = json!({
            "description": change.description.as_deref().unwrap_or(&before.description),
            "access": change.access.unwrap_or(before.access),
        });
        let before_json = json!({ "description": before.description, "access": before.access });
        let entry = actor.record(
            "api_key.updated",
            ("api_key", Some(id.to_string())),
            activity::changes(&before_json, &after),
            now,
        );
        let record = self
            .store
            .update_api_key(actor.organization_id, id, &change, now, &entry)
            .await
            .map_err(not_found("api key"))?;
        self.verifier.remember(&record);
        tracing::info!(api_key.id = %id, "updated api key {id}");
        Ok(record)
    }

    /// Replaces the key value; the old value is refused from the very next request.
    pub async fn regenerate(
        &self,
        actor: &Actor,
        id: ApiKeyId,
        now: OffsetDateTime,
    ) -> Result<(ApiKeyRecord, PlainApiKey), DomainError> {
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
            }),
            now,
        );
        let record = self
            .store
            .replace_api_key_secret(actor.organization_id, id, &secret, now, &entry)
            .await
            .map_err(not_found("api key"))?;
        self.verifier.forget(&before.digest);
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
