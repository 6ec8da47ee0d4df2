//! Devices: the lists, one device (alone or with its available updates), a person's edits
//! (nickname, notes, group), deletion and the offline sweep. Devices are created and reported
//! by their agent ([`crate::agents`]); nothing here enrolls one.
//!
//! A device's inventory arrives decoded ([`DeviceRecord::inventory`]): the store reads it
//! once, and a stored inventory that does not decode is a store error, never a silent `null`.

mod rules;

use std::sync::Arc;

use serde_json::{Value, json};
use time::OffsetDateTime;

pub use rules::{
    DEVICE_IDS_MAX, NICKNAME_MAX, NOTES_MAX, SEARCH_MAX, device_count, devices_not_found,
    membership_count, nickname, notes,
};

use crate::DomainError;
use crate::activity::{Actor, changes};
use crate::id::{DeviceId, GroupId, OrganizationId, UpdateId};
use crate::keys::not_found;
use crate::page::{Cursor, MAX_LIMIT, Page, PageRequest};
use crate::store::{
    DeviceChange, DeviceFilter, DeviceRecord, InventoryDetail, Store, UpdateRecord, WentOffline,
};

/// Device operations over a store, scoped to one organization per call (except the sweep).
#[derive(Clone)]
pub struct Devices {
    store: Arc<dyn Store>,
}

/// A person's edit of a device, as asked for; `None` fields stay.
#[derive(Debug, Clone, Default)]
pub struct DeviceEdit {
    /// New nickname (`Some(None)` clears it).
    pub nickname: Option<Option<String>>,
    /// New notes (`Some(None)` or blank clears them).
    pub notes: Option<Option<String>>,
    /// The new group's id as sent (`Some(None)` takes the device out of any group); an id
    /// that is not a group id is as missing as an unknown group.
    pub group_id: Option<Option<String>>,
}

/// One device with the updates it has available, as its page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceDetail {
    /// The device, with its inventory.
    pub device: DeviceRecord,
    /// Every available update, in id order.
    pub updates_available: Vec<UpdateRecord>,
}

impl Devices {
    /// Devices over a store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// A keyset page of devices narrowed by `filter`, with as much of their inventories as
    /// `detail` asks for.
    pub async fn list(
        &self,
        organization_id: OrganizationId,
        filter: &DeviceFilter,
        page: &PageRequest<DeviceId>,
        detail: InventoryDetail,
    ) -> Result<Page<DeviceRecord>, DomainError> {
        self.store
            .list_devices(organization_id, filter, page, detail)
            .await
            .map_err(DomainError::Store)
    }

    /// One device, with as much of its inventory as `detail` asks for.
    pub async fn get(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        detail: InventoryDetail,
    ) -> Result<DeviceRecord, DomainError> {
        self.store
            .device_with(organization_id, id, detail)
            .await
            .map_err(not_found("device"))
    }

    /// One device with every update it has available. An unknown device is the store's
    /// plain `not found`, which is what `/api/v1/devices/{id}` has always answered.
    pub async fn detail(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
    ) -> Result<DeviceDetail, DomainError> {
        let device = self
            .store
            .device(organization_id, id)
            .await
            .map_err(DomainError::Store)?;
        let updates_available = self.available_updates(organization_id, id).await?;
        Ok(DeviceDetail {
            device,
            updates_available,
        })
    }

    /// Applies a person's edit: every field is checked before anything is read, the device
    /// and the new group must exist, and an edit that changes nothing writes nothing.
    pub async fn update(
        &self,
        actor: &Actor,
        id: DeviceId,
        edit: DeviceEdit,
        now: OffsetDateTime,
    ) -> Result<DeviceRecord, DomainError> {
        let organization_id = actor.organization_id;
        let nickname = edit
            .nickname
            .map(|name| name.as_deref().map(nickname).transpose())
            .transpose()?;
        let notes = edit.notes.map(notes).transpose()?;
        let group_id = match edit.group_id {
            None => None,
            Some(None) => Some(None),
            Some(Some(text)) => Some(Some(
                GroupId::parse(&text).ok_or(DomainError::NotFound("group"))?,
            )),
        };
        let current = self
            .get(organization_id, id, InventoryDetail::Whole)
            .await?;
        if let Some(Some(group)) = group_id {
            self.store
                .group(organization_id, group)
                .await
                .map_err(not_found("group"))?;
        }
        if nickname.is_none() && notes.is_none() && group_id.is_none() {
            return Ok(current);
        }
        let change = DeviceChange {
            nickname,
            notes,
            group_id,
        };
        let mut after = facts(&current);
        if let Some(nickname) = &change.nickname {
            after["nickname"] = json!(nickname);
        }
        if let Some(notes) = &change.notes {
            after["notes"] = json!(notes);
        }
        if let Some(group_id) = change.group_id {
            after["group_id"] = json!(group_id.map(|id| id.to_string()));
        }
        let details = changes(&facts(&current), &after);
        let entry = actor.record("device.updated", target(id), details, now);
        self.store
            .update_device(organization_id, id, &change, now, Some(&entry))
            .await
            .map_err(not_found("device or group"))
    }

    /// Deletes a device with its token, tags, values, alerts and updates.
    pub async fn delete(
        &self,
        actor: &Actor,
        id: DeviceId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let organization_id = actor.organization_id;
        let current = self
            .get(organization_id, id, InventoryDetail::Summary)
            .await?;
        let mut details = facts(&current);
        details["hostname"] = json!(current.hostname);
        let entry = actor.record("device.deleted", target(id), details, now);
        self.store
            .delete_device(organization_id, id, now, Some(&entry))
            .await
            .map_err(not_found("device"))
    }

    /// Takes every device that missed its check-ins offline as of `now`, raising one alert
    /// each; several nodes may sweep at once.
    pub async fn sweep_offline(
        &self,
        now: OffsetDateTime,
    ) -> Result<Vec<WentOffline>, DomainError> {
        self.store
            .sweep_offline(now)
            .await
            .map_err(DomainError::Store)
    }

    /// Every available update of a device, page by page.
    async fn available_updates(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
    ) -> Result<Vec<UpdateRecord>, DomainError> {
        let mut updates = Vec::new();
        let mut cursor = Cursor::First;
        loop {
            let request = PageRequest::<UpdateId> {
                limit: MAX_LIMIT,
                cursor,
            };
            let page = self
                .store
                .list_updates(organization_id, Some(id), Some(true), &request)
                .await
                .map_err(DomainError::Store)?;
            let last = page.items.last().map(|update| update.id);
            updates.extend(page.items);
            match last {
                Some(last) if page.has_more => cursor = Cursor::After(last),
                _ => return Ok(updates),
            }
        }
    }
}

/// The activity log's target for a device.
fn target(id: DeviceId) -> (&'static str, Option<String>) {
    ("device", Some(id.to_string()))
}

/// What a person can edit of a device, as the activity log records it.
fn facts(device: &DeviceRecord) -> Value {
    json!({
        "nickname": device.nickname,
        "notes": device.notes,
        "group_id": device.group_id.map(|id| id.to_string()),
    })
}
