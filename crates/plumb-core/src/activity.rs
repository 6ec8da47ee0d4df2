//! The activity log: building entries, and reading them back ([`Activities`]). The log records
//! who did what, when and from where, with the before and after of every edit, and never a
//! secret: callers pass descriptions, access levels and ids, never key values, passwords or
//! tokens.

use std::sync::Arc;

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::DomainError;
use crate::id::{ActivityId, OrganizationId};
use crate::page::{Page, PageRequest};
use crate::store::{Activity, KeyRef, Store, UserRef};

/// Entries of a page of the whole log when none is asked for.
pub const LOG_LIMIT_DEFAULT: u32 = 50;
/// Most entries of a page of the whole log.
pub const LOG_LIMIT_MAX: u32 = 200;

/// Who is acting and from where: the context every audited operation carries.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The acting user, if signed in.
    pub user: Option<UserRef>,
    /// The acting API key, for changes made through `/v2`.
    pub api_key: Option<KeyRef>,
    /// The organization acted upon.
    pub organization_id: OrganizationId,
    /// The client address.
    pub ip: Option<String>,
}

impl Actor {
    /// No person and no key, from `ip`: a webhook trigger's call (its token is the caller's
    /// credential), or a test seeding data.
    pub fn anonymous(organization_id: OrganizationId, ip: Option<String>) -> Self {
        Self {
            user: None,
            api_key: None,
            organization_id,
            ip,
        }
    }

    /// An API key acting through `/v2` from `ip`.
    pub fn key(organization_id: OrganizationId, key: KeyRef, ip: Option<String>) -> Self {
        Self {
            user: None,
            api_key: Some(key),
            organization_id,
            ip,
        }
    }

    /// An entry about `target_type`/`target_id` with `details`.
    pub fn record(
        &self,
        action: &str,
        target: (&str, Option<String>),
        details: Value,
        now: OffsetDateTime,
    ) -> Activity {
        Activity {
            id: ActivityId::new(),
            organization_id: self.organization_id,
            actor: self.user.clone(),
            api_key: self.api_key.clone(),
            action: action.to_owned(),
            target_type: target.0.to_owned(),
            target_id: target.1,
            details,
            ip: self.ip.clone(),
            created_at: now,
        }
    }
}

/// Reading the log, scoped to one organization per call.
#[derive(Clone)]
pub struct Activities {
    store: Arc<dyn Store>,
}

/// Entries of the whole log, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct LogPage {
    /// Up to the asked number of entries, newest first.
    pub entries: Vec<Activity>,
    /// Whether older entries exist.
    pub has_more: bool,
}

impl Activities {
    /// The log over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// The log as integrations see it: oldest first, paged by id, without sign-ins.
    pub async fn changes(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<ActivityId>,
    ) -> Result<Page<Activity>, DomainError> {
        self.store
            .list_changes(organization_id, page)
            .await
            .map_err(DomainError::Store)
    }

    /// The whole log as people with the Settings permission see it: `limit` entries (at most
    /// [`LOG_LIMIT_MAX`]) older than `before`, newest first.
    pub async fn log(
        &self,
        organization_id: OrganizationId,
        before: Option<ActivityId>,
        limit: u32,
    ) -> Result<LogPage, DomainError> {
        let limit = limit.min(LOG_LIMIT_MAX);
        // One entry more than asked proves that there is more.
        let mut entries = self
            .store
            .list_activity(organization_id, before, limit + 1)
            .await
            .map_err(DomainError::Store)?;
        let has_more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        Ok(LogPage { entries, has_more })
    }
}

/// `{"before": {...}, "after": {...}}` holding only the fields that changed.
pub fn changes(before: &Value, after: &Value) -> Value {
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    if let (Some(before), Some(after)) = (before.as_object(), after.as_object()) {
        for (field, value) in after {
            if before.get(field) != Some(value) {
                old.insert(
                    field.clone(),
                    before.get(field).cloned().unwrap_or(Value::Null),
                );
                new.insert(field.clone(), value.clone());
            }
        }
    }
    json!({ "before": old, "after": new })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_lists_only_the_fields_that_differ() {
        let before = json!({"description": "Sync", "access": "read_only"});
        let after = json!({"description": "Sync", "access": "read_write"});
        assert_eq!(
            changes(&before, &after),
            json!({"before": {"access": "read_only"}, "after": {"access": "read_write"}})
        );
    }
}
