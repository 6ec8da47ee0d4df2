//! Groups: nested folders of devices, with Level's rules plus plumb's choices (names unique
//! among siblings, no cycles, deleting a group hands its contents to its parent).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::activity::{Actor, changes};

use crate::devices;
use crate::id::{DeviceId, GroupId, OrganizationId};
use crate::keys::not_found;
use crate::page::{Page, PageRequest};
use crate::store::{GroupChange, GroupRecord, NewGroup, ParentFilter, Store};
use crate::{DomainError, StoreError, validate};

/// Longest group name, in characters.
pub const NAME_MAX: usize = 200;

/// The activity log's target for a group.
fn target(id: GroupId) -> (&'static str, Option<String>) {
    ("group", Some(id.to_string()))
}

/// What the activity log records of a group.
fn facts(group: &GroupRecord) -> Value {
    json!({ "name": group.name, "parent_id": group.parent_id.map(|id| id.to_string()) })
}

/// A move's before and after: each device's group (`null`: ungrouped).
fn moves(
    device_ids: &[DeviceId],
    current: &HashMap<DeviceId, Option<GroupId>>,
    to: Option<GroupId>,
) -> Value {
    let group = |group: Option<GroupId>| json!(group.map(|id| id.to_string()));
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    for device in device_ids {
        let key = device.to_string();
        before.insert(key.clone(), group(current.get(device).copied().flatten()));
        after.insert(key, group(to));
    }
    json!({
        "device_ids": device_ids.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "before": before,
        "after": after,
    })
}

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
        actor: &Actor,
        name: &str,
        parent_id: Option<GroupId>,
        now: OffsetDateTime,
    ) -> Result<GroupRecord, DomainError> {
        let organization_id = actor.organization_id;
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
        let details =
            json!({ "name": new.name, "parent_id": new.parent_id.map(|id| id.to_string()) });
        let entry = actor.record("group.created", target(new.id), details, now);
        self.store
            .insert_group(&new, Some(&entry))
            .await
            .map_err(group_error("parent group"))
    }

    /// Renames and/or moves a group; refuses moves that would make a cycle.
    pub async fn update(
        &self,
        actor: &Actor,
        id: GroupId,
        change: GroupChange,
        now: OffsetDateTime,
    ) -> Result<GroupRecord, DomainError> {
        let organization_id = actor.organization_id;
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
        let mut after = facts(&current);
        if let Some(name) = &change.name {
            after["name"] = json!(name);
        }
        if let Some(parent_id) = change.parent_id {
            after["parent_id"] = json!(parent_id.map(|id| id.to_string()));
        }
        let details = changes(&facts(&current), &after);
        let entry = actor.record("group.updated", target(id), details, now);
        self.store
            .update_group(organization_id, id, &change, now, Some(&entry))
            .await
            .map_err(group_error("group"))
    }

    /// Deletes a group; its devices and subgroups move up to its parent.
    pub async fn delete(
        &self,
        actor: &Actor,
        id: GroupId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
        let current = self.get(organization_id, id).await?;
        let entry = actor.record("group.deleted", target(id), facts(&current), now);
        self.store.delete_group(organization_id, id, now, Some(&entry)).await.map_err(|error| match error {
            StoreError::Conflict { .. } => DomainError::Invalid(
                "a subgroup of this group has the same name as a group at its parent's level; rename one first".to_owned(),
            ),
            other => not_found("group")(other),
        })
    }

    /// Moves devices into the group. Every id must be a device of the organization.
    pub async fn assign_devices(
        &self,
        actor: &Actor,
        id: GroupId,
        device_ids: &[DeviceId],
        now: OffsetDateTime,
    ) -> Result<GroupRecord, DomainError> {
        let organization_id = actor.organization_id;
        self.get(organization_id, id).await?;
        let current = self.current_groups(organization_id, device_ids).await?;
        let details = moves(device_ids, &current, Some(id));
        let entry = actor.record("group.devices_assigned", target(id), details, now);
        self.store
            .move_devices(organization_id, device_ids, Some(id), now, Some(&entry))
            .await
            .map_err(not_found("device"))?;
        self.get(organization_id, id).await
    }

    /// Takes devices out of the group (they become ungrouped). Every id must be a device
    /// currently in this group, otherwise nothing changes.
    pub async fn remove_devices(
        &self,
        actor: &Actor,
        id: GroupId,
        device_ids: &[DeviceId],
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
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
        let details = moves(device_ids, &current, None);
        let entry = actor.record("group.devices_removed", target(id), details, now);
        self.store
            .move_devices(organization_id, device_ids, None, now, Some(&entry))
            .await
            .map_err(not_found("device"))
    }

    /// Takes devices out of whatever group they are in (the web UI's "No group"). Every id must
    /// be a device of the organization, otherwise nothing changes.
    pub async fn ungroup_devices(
        &self,
        actor: &Actor,
        device_ids: &[DeviceId],
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
        let current = self.current_groups(organization_id, device_ids).await?;
        let details = moves(device_ids, &current, None);
        let entry = actor.record("devices.ungrouped", ("device", None), details, now);
        self.store
            .move_devices(organization_id, device_ids, None, now, Some(&entry))
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
