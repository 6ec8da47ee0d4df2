//! Groups: nested folders of devices, with Level's rules plus plumb's choices (names unique
//! among siblings, no cycles, deleting a group hands its contents to its parent).

use std::collections::HashMap;
use std::sync::Arc;

use time::OffsetDateTime;

use crate::devices;
use crate::id::{DeviceId, GroupId, OrganizationId};
use crate::keys::not_found;
use crate::page::{Page, PageRequest};
use crate::store::{GroupChange, GroupRecord, NewGroup, ParentFilter, Store};
use crate::{DomainError, StoreError, validate};

/// Longest group name, in characters.
pub const NAME_MAX: usize = 200;

/// Group operations over a store, scoped to one organization per call.
#[derive(Clone)]
pub struct Groups {
    store: Arc<dyn Store>,
}

impl Groups {
    /// Groups over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// A page of groups.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
        parent: ParentFilter,
        page: &PageRequest<GroupId>,
    ) -> Result<Page<GroupRecord>, DomainError> {
        Ok(self
            .store
            .list_groups(organization_id, parent, page)
            .await?)
    }

    /// One group.
    pub async fn get(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
    ) -> Result<GroupRecord, DomainError> {
        self.store
            .group(organization_id, id)
            .await
            .map_err(not_found("group"))
    }

    /// Creates a group under `parent_id` (or at the root).
    pub async fn create(
        &self,
        organization_id: OrganizationId,
        name: &str,
        parent_id: Option<GroupId>,
        now: OffsetDateTime,
    ) -> Result<GroupRecord, DomainError> {
        let name = validate::text("name", name, NAME_MAX)?;
        if let Some(parent_id) = parent_id {
            self.store
                .group(organization_id, parent_id)
                .await
                .map_err(not_found("parent group"))?;
        }
        let new = NewGroup {
            id: GroupId::new(),
            organization_id,
            parent_id,
            name,
            created_at: now,
        };
        self.store
            .insert_group(&new)
            .await
            .map_err(group_error("parent group"))
    }

    /// Renames and/or moves a group; refuses moves that would make a cycle.
    pub async fn update(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        change: GroupChange,
        now: OffsetDateTime,
    ) -> Result<GroupRecord, DomainError> {
        let name = change
            .name
            .map(|name| validate::text("name", &name, NAME_MAX))
            .transpose()?;
        let current = self.get(organization_id, id).await?;
        if let Some(Some(parent_id)) = change.parent_id {
            if parent_id == id {
                return Err(DomainError::invalid("a group cannot be its own parent"));
            }
            self.store
                .group(organization_id, parent_id)
                .await
                .map_err(not_found("parent group"))?;
            let ancestors = self
                .store
                .group_ancestors(organization_id, parent_id)
                .await?;
            if ancestors.contains(&id) {
                return Err(DomainError::invalid(
                    "a group cannot move under one of its own subgroups",
                ));
            }
        }
        if name.is_none() && change.parent_id.is_none() {
            return Ok(current);
        }
        let change = GroupChange {
            name,
            parent_id: change.parent_id,
        };
        self.store
            .update_group(organization_id, id, &change, now)
            .await
            .map_err(group_error("group"))
    }

    /// Deletes a group; its devices and subgroups move up to its parent.
    pub async fn delete(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        self.store.delete_group(organization_id, id, now).await.map_err(|error| match error {
            StoreError::Conflict { .. } => DomainError::Invalid(
                "a subgroup of this group has the same name as a group at its parent's level; rename one first".to_owned(),
            ),
            other => not_found("group")(other),
        })
    }

    /// Moves devices into the group. Every id must be a device of the organization.
    pub async fn assign_devices(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        device_ids: &[DeviceId],
        now: OffsetDateTime,
    ) -> Result<GroupRecord, DomainError> {
        self.get(organization_id, id).await?;
        self.current_groups(organization_id, device_ids).await?;
        self.store
            .move_devices(organization_id, device_ids, Some(id), now)
            .await
            .map_err(not_found("device"))?;
        self.get(organization_id, id).await
    }

    /// Takes devices out of the group (they become ungrouped). Every id must be a device
    /// currently in this group, otherwise nothing changes.
    pub async fn remove_devices(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        device_ids: &[DeviceId],
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        self.get(organization_id, id).await?;
        let current = self.current_groups(organization_id, device_ids).await?;
        if let Some(outsider) = device_ids
            .iter()
            .find(|device| current.get(device) != Some(&Some(id)))
        {
            return Err(DomainError::Invalid(format!(
                "device {outsider} is not in this group"
            )));
        }
        self.store
            .move_devices(organization_id, device_ids, None, now)
            .await
            .map_err(not_found("device"))
    }

    /// Takes devices out of whatever group they are in (the web UI's "No group"). Every id must
    /// be a device of the organization, otherwise nothing changes.
    pub async fn ungroup_devices(
        &self,
        organization_id: OrganizationId,
        device_ids: &[DeviceId],
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        self.current_groups(organization_id, device_ids).await?;
        self.store
            .move_devices(organization_id, device_ids, None, now)
            .await
            .map_err(not_found("device"))
    }

    async fn current_groups(
        &self,
        organization_id: OrganizationId,
        device_ids: &[DeviceId],
    ) -> Result<HashMap<DeviceId, Option<GroupId>>, DomainError> {
        devices::membership_count(device_ids.len())?;
        let found: HashMap<_, _> = self
            .store
            .device_groups(organization_id, device_ids)
            .await?
            .into_iter()
            .collect();
        match device_ids.iter().find(|device| !found.contains_key(device)) {
            Some(missing) => Err(DomainError::NotFoundNamed(format!(
                "device {missing} not found"
            ))),
            None => Ok(found),
        }
    }
}

fn group_error(missing: &'static str) -> impl Fn(StoreError) -> DomainError {
    move |error| match error {
        StoreError::Conflict { .. } => {
            DomainError::Invalid("a group with this name already exists at this level".to_owned())
        }
        other => not_found(missing)(other),
    }
}
