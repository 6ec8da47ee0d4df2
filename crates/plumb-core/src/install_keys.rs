//! Install keys: created and revoked by people with Settings access, presented by agents to
//! enroll a device into the key's organization (and group). A key is shown once, at creation;
//! plumb keeps only its keyed digest and its last four characters.

use std::sync::Arc;

use serde_json::json;
use time::OffsetDateTime;

use crate::activity::Actor;
use crate::credential::{self, PlainToken, TokenKind};
use crate::crypto::KeyHasher;
use crate::id::{GroupId, InstallKeyId, OrganizationId};
use crate::keys::not_found;
use crate::store::{InstallKeyRecord, NewInstallKey, Store};
use crate::{DomainError, StoreError};

/// Install key operations over a store.
#[derive(Clone)]
pub struct InstallKeys {
    store: Arc<dyn Store>,
    hasher: KeyHasher,
}

impl InstallKeys {
    /// Install keys over a store, digesting with the installation's pepper.
    pub fn new(store: Arc<dyn Store>, hasher: KeyHasher) -> Self {
        Self { store, hasher }
    }

    /// Creates a key for new devices of `group_id` (or of no group); the value is returned
    /// this once.
    pub async fn create(
        &self,
        actor: &Actor,
        group_id: Option<GroupId>,
        now: OffsetDateTime,
    ) -> Result<(InstallKeyRecord, PlainToken), DomainError> {
        if let Some(group_id) = group_id {
            self.store
                .group(actor.organization_id, group_id)
                .await
                .map_err(not_found("group"))?;
        }
        let plain = PlainToken::generate(TokenKind::InstallKey);
        let id = InstallKeyId::new();
        let new = NewInstallKey {
            id,
            organization_id: actor.organization_id,
            group_id,
            digest: self.hasher.digest(plain.expose()),
            hint: plain.hint().to_owned(),
            created_at: now,
        };
        let entry = actor.record(
            "install_key.created",
            ("install_key", Some(id.to_string())),
            json!({
                "masked_key": plain.masked(),
                "group_id": group_id.map(|group| group.to_string()),
            }),
            now,
        );
        let record = self
            .store
            .insert_install_key(&new, &entry)
            .await
            .map_err(not_found("group"))?;
        tracing::info!(install_key.id = %id, "created install key {id}");
        Ok((record, plain))
    }

    /// The organization's live keys, newest first.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
    ) -> Result<Vec<InstallKeyRecord>, DomainError> {
        Ok(self.store.list_install_keys(organization_id).await?)
    }

    /// Revokes a key: it enrolls nothing from now on (devices it enrolled stay).
    pub async fn revoke(
        &self,
        actor: &Actor,
        id: InstallKeyId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let keys = self.list(actor.organization_id).await?;
        let Some(key) = keys.iter().find(|key| key.id == id) else {
            return Err(DomainError::NotFound("install key"));
        };
        let entry = actor.record(
            "install_key.revoked",
            ("install_key", Some(id.to_string())),
            json!({
                "masked_key": credential::mask(TokenKind::InstallKey, &key.hint),
                "group_id": key.group_id.map(|group| group.to_string()),
            }),
            now,
        );
        self.store
            .revoke_install_key(actor.organization_id, id, &entry)
            .await
            .map_err(not_found("install key"))?;
        tracing::info!(install_key.id = %id, "revoked install key {id}");
        Ok(())
    }

    /// The live key a presented value names: `None` for a malformed, unknown or revoked value
    /// (the shape and checksum are checked before any lookup).
    pub async fn resolve(&self, presented: &str) -> Result<Option<InstallKeyRecord>, StoreError> {
        if credential::check_format(TokenKind::InstallKey, presented).is_err() {
            return Ok(None);
        }
        self.store
            .install_key_by_digest(&self.hasher.digest(presented))
            .await
    }
}
