//! Tags: names unique in an organization, put on and taken off devices all or nothing
//! ([`membership`]).

mod membership;

use std::sync::Arc;

use serde_json::json;
use time::OffsetDateTime;

use crate::activity::{Actor, changes};

use crate::id::{DeviceId, OrganizationId, TagId};
use crate::keys::not_found;
use crate::page::{Cursor, MAX_LIMIT, Page, PageRequest};
use crate::store::{Store, TagRecord};
use crate::{DomainError, StoreError, validate};

/// Longest tag name, in characters.
pub const NAME_MAX: usize = 100;

/// Tag operations over a store, scoped to one organization per call.
#[derive(Clone)]
pub struct Tags {
    store: Arc<dyn Store>,
}

impl Tags {
    /// Tags over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// A keyset page of tags.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<TagId>,
    ) -> Result<Page<TagRecord>, DomainError> {
        self.store
            .list_tags(organization_id, page)
            .await
            .map_err(DomainError::Store)
    }

    /// A page of the tags `device` carries; an unknown device carries none.
    pub async fn carried_by(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        page: &PageRequest<TagId>,
    ) -> Result<Page<TagRecord>, DomainError> {
        let names = match self.store.device(organization_id, device).await {
            Ok(device) => device.tags,
            Err(StoreError::NotFound) => Vec::new(),
            Err(other) => return Err(DomainError::Store(other)),
        };
        // A device carries few tags: walk every tag page and keep the device's.
        let mut carried = Vec::new();
        if !names.is_empty() {
            for tag in self.all(organization_id).await? {
                if names.contains(&tag.name) {
                    carried.push(tag);
                }
            }
        }
        Ok(Page::in_memory(carried, page, |tag| tag.id))
    }

    /// One tag.
    pub async fn get(
        &self,
        organization_id: OrganizationId,
        id: TagId,
    ) -> Result<TagRecord, DomainError> {
        self.store
            .tag(organization_id, id)
            .await
            .map_err(not_found("tag"))
    }

    /// Creates a tag; a taken name is invalid.
    pub async fn create(
        &self,
        actor: &Actor,
        name: &str,
        now: OffsetDateTime,
    ) -> Result<TagRecord, DomainError> {
        let name = tag_name(name)?;
        let id = TagId::new();
        let entry = actor.record("tag.created", target(id), json!({ "name": name }), now);
        self.store
            .insert_tag(actor.organization_id, id, &name, now, Some(&entry))
            .await
            .map_err(name_taken)
    }

    /// Renames a tag; the same name again changes nothing, a taken one is invalid.
    pub async fn rename(
        &self,
        actor: &Actor,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
    ) -> Result<TagRecord, DomainError> {
        let organization_id = actor.organization_id;
        let name = tag_name(name)?;
        let current = self.get(organization_id, id).await?;
        if current.name == name {
            return Ok(current);
        }
        let details = changes(&json!({ "name": current.name }), &json!({ "name": name }));
        let entry = actor.record("tag.updated", target(id), details, now);
        self.store
            .rename_tag(organization_id, id, &name, now, Some(&entry))
            .await
            .map_err(name_taken)
    }

    /// Deletes a tag; it comes off every device.
    pub async fn delete(
        &self,
        actor: &Actor,
        id: TagId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
        let current = self.get(organization_id, id).await?;
        let details = json!({ "name": current.name, "device_count": current.device_count });
        let entry = actor.record("tag.deleted", target(id), details, now);
        self.store
            .delete_tag(organization_id, id, Some(&entry))
            .await
            .map_err(not_found("tag"))
    }

    /// Every tag of the organization, page by page.
    async fn all(&self, organization_id: OrganizationId) -> Result<Vec<TagRecord>, DomainError> {
        let mut tags: Vec<TagRecord> = Vec::new();
        loop {
            let cursor = tags
                .last()
                .map_or(Cursor::First, |tag| Cursor::After(tag.id));
            let request = PageRequest {
                limit: MAX_LIMIT,
                cursor,
            };
            let page = self.list(organization_id, &request).await?;
            tags.extend(page.items);
            if !page.has_more {
                return Ok(tags);
            }
        }
    }
}

/// A tag's name: trimmed, 1 to [`NAME_MAX`] characters.
/// The activity log's target for a tag.
fn target(id: TagId) -> (&'static str, Option<String>) {
    ("tag", Some(id.to_string()))
}

pub fn tag_name(name: &str) -> Result<String, DomainError> {
    validate::text("name", name, NAME_MAX)
}

fn name_taken(error: StoreError) -> DomainError {
    match error {
        StoreError::Conflict { .. } => DomainError::invalid("a tag with this name already exists"),
        other => not_found("tag")(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_name_is_trimmed_and_holds_at_most_a_hundred_characters() {
        assert_eq!(tag_name("  VIP ").unwrap(), "VIP");
        assert!(tag_name(&"é".repeat(NAME_MAX)).is_ok());

        let error = tag_name(&"é".repeat(NAME_MAX + 1)).unwrap_err();

        assert_eq!(error.to_string(), "name must be at most 100 characters");
    }

    #[test]
    fn a_taken_name_is_invalid_and_a_missing_tag_is_not_found() {
        let taken = name_taken(StoreError::Conflict {
            constraint: "tags.name",
        });
        let missing = name_taken(StoreError::NotFound);

        assert!(matches!(taken, DomainError::Invalid(_)));
        assert_eq!(taken.to_string(), "a tag with this name already exists");
        assert_eq!(missing.to_string(), "tag not found");
    }
}
