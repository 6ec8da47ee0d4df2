//! The parts of the key lifecycle beyond create/edit/delete: the list with each key's traffic,
//! ending a grace period, revocation by value (for whoever holds a leaked key) and the
//! organization's default rate limit.

use std::collections::HashMap;

use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::{Keys, not_found};
use crate::activity::Actor;
use crate::api_key;
use crate::id::{ApiKeyId, OrganizationId};
use crate::store::{Activity, ApiKeyRecord};
use crate::{DomainError, key_rules};

/// The organization's keys with how many requests each answered in the last 24 hours.
#[derive(Debug, Clone)]
pub struct KeyList {
    /// Newest first.
    pub keys: Vec<ApiKeyRecord>,
    /// Requests in the last 24 hours, by key (absent: none).
    pub requests_24h: HashMap<ApiKeyId, u64>,
}

impl KeyList {
    /// Requests of one key in the last 24 hours.
    pub fn requests_of(&self, id: ApiKeyId) -> u64 {
        self.requests_24h.get(&id).copied().unwrap_or(0)
    }
}

impl Keys {
    /// The organization's keys (optionally filtered by description) with their traffic.
    pub async fn list_with_traffic(
        &self,
        organization_id: OrganizationId,
        search: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<KeyList, DomainError> {
        let keys = self.list(organization_id, search).await?;
        let requests_24h = self.traffic(organization_id, now).await?;
        Ok(KeyList { keys, requests_24h })
    }

    /// Requests per key of the organization in the 24 hours before `now`.
    pub async fn traffic(
        &self,
        organization_id: OrganizationId,
        now: OffsetDateTime,
    ) -> Result<HashMap<ApiKeyId, u64>, DomainError> {
        let counts = self
            .store
            .count_api_key_requests(organization_id, now - Duration::hours(24))
            .await?;
        Ok(counts.into_iter().collect())
    }

    /// Ends a regenerated key's grace period now: its old value is refused from the very next
    /// request. A key without a running grace period is left as it is.
    pub async fn end_grace(
        &self,
        actor: &Actor,
        id: ApiKeyId,
        now: OffsetDateTime,
    ) -> Result<ApiKeyRecord, DomainError> {
        let before = self.get(actor.organization_id, id).await?;
        let Some(previous) = before
            .previous
            .filter(|previous| previous.valid_until > now)
        else {
            return Ok(before);
        };
        let entry = actor.record(
            "api_key.grace_ended",
            ("api_key", Some(id.to_string())),
            json!({
                "description": before.description,
                "before": { "old_value_valid_until": plumb_proto::timestamp::format(previous.valid_until) },
                "after": { "old_value_valid_until": null },
            }),
            now,
        );
        let record = self
            .store
            .end_api_key_grace(actor.organization_id, id, now, &entry)
            .await
            .map_err(not_found("api key"))?;
        self.verifier.forget(&previous.digest);
        self.verifier.remember(&record);
        tracing::info!(api_key.id = %id, "ended the grace period of api key {id}");
        Ok(record)
    }

    /// Revokes whatever live key `presented` is, for anyone holding it (RFC 7009's spirit):
    /// the key is deleted, or for the old value of a grace period, the grace period ends.
    /// Returns whether a key was revoked; the caller answers the same either way.
    pub async fn revoke_value(
        &self,
        presented: &str,
        ip: Option<String>,
        now: OffsetDateTime,
    ) -> Result<bool, DomainError> {
        if api_key::check_format(presented).is_err() {
            return Ok(false);
        }
        let digest = self.verifier.digest(presented);
        let Some(record) = self.store.api_key_by_digest(&digest).await? else {
            return Ok(false);
        };
        let actor = Actor {
            api_key: None,
            user: None,
            organization_id: record.organization_id,
            ip,
        };
        if record.digest != digest {
            let ended = self.end_grace(&actor, record.id, now).await;
            return ended.map(|_| true).or_else(gone_meanwhile);
        }
        let entry: Activity = actor.record(
            "api_key.revoked",
            ("api_key", Some(record.id.to_string())),
            json!({
                "description": record.description,
                "access": record.access,
                "masked_key": api_key::mask(&record.hint),
                "revoked_by": "someone holding the key's value (POST /api/v1/api-keys/revoke)",
            }),
            now,
        );
        let deleted = self
            .store
            .delete_api_key(record.organization_id, record.id, now, &entry)
            .await;
        match deleted {
            Ok(record) => {
                self.verifier.forget(&record.digest);
                if let Some(previous) = record.previous {
                    self.verifier.forget(&previous.digest);
                }
                tracing::info!(api_key.id = %record.id, "revoked api key {} by its value", record.id);
                Ok(true)
            }
            Err(error) => Err(not_found("api key")(error)).or_else(gone_meanwhile),
        }
    }

    /// The organization's default requests per minute (`None`: no limit).
    pub async fn rate_limit_default(
        &self,
        organization_id: OrganizationId,
    ) -> Result<Option<u32>, DomainError> {
        Ok(self
            .store
            .api_key_rate_limit_default(organization_id)
            .await?)
    }

    /// Changes the default requests per minute of keys without their own limit; applies from
    /// the very next request of every key.
    pub async fn set_rate_limit_default(
        &self,
        actor: &Actor,
        limit: Option<u32>,
        now: OffsetDateTime,
    ) -> Result<Option<u32>, DomainError> {
        let limit = key_rules::rate_limit(limit)?;
        let before = self.rate_limit_default(actor.organization_id).await?;
        let entry = actor.record(
            "api_key_settings.updated",
            ("organization", Some(actor.organization_id.to_string())),
            json!({
                "before": { "rate_limit_per_minute": before },
                "after": { "rate_limit_per_minute": limit },
            }),
            now,
        );
        self.store
            .set_api_key_rate_limit_default(actor.organization_id, limit, &entry)
            .await?;
        // Every key of the organization may have cached the old default.
        self.verifier.forget_all();
        Ok(limit)
    }
}

/// A key deleted by someone else between the lookup and the revocation is revoked all the
/// same.
fn gone_meanwhile(error: DomainError) -> Result<bool, DomainError> {
    match error {
        DomainError::NotFound(_) => Ok(false),
        other => Err(other),
    }
}
