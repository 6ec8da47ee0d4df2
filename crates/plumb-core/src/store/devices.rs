//! The device inventory's role traits: [`DeviceStore`] (devices, their check-ins and the offline
//! sweep), [`TagStore`], [`CustomFieldStore`], [`CustomFieldValueStore`], [`AlertStore`] and
//! [`UpdateStore`]. The records they take and return are in [`super::device_records`].

use async_trait::async_trait;
use time::OffsetDateTime;

use super::checkin_records::{Heartbeat, HeartbeatOutcome};
use super::device_records::{
    AlertRecord, AlertStatus, CheckIn, CustomFieldRecord, DeviceChange, DeviceFilter, DeviceRecord,
    NewAlert, NewDevice, TagRecord, TokenOwner, UpdateRecord, WentOffline,
};
use super::summary::InventoryDetail;
use super::{Activity, StoreResult};
use crate::crypto::Digest;
use crate::custom_fields::{Assignee, StoredValue};
use crate::id::{AlertId, CustomFieldId, DeviceId, OrganizationId, TagId, UpdateId};
use crate::page::{Page, PageRequest};

/// Devices and their check-ins. Every method is scoped to one organization except the agent's
/// token lookup and the offline sweep.
#[async_trait]
pub trait DeviceStore: Send + Sync + 'static {
    /// Inserts a device; `Conflict { constraint: "devices.token" }` on a token digest clash,
    /// `NotFound` for a group outside the organization.
    async fn insert_device(&self, device: &NewDevice) -> StoreResult<()>;
    /// Inserts many devices in one transaction (demo data); same rules as `insert_device`.
    async fn insert_devices(&self, devices: &[NewDevice]) -> StoreResult<()>;
    /// A keyset page of devices in id order, with their inventories' summaries and, for
    /// [`InventoryDetail::Whole`], their whole inventories.
    async fn list_devices(
        &self,
        organization_id: OrganizationId,
        filter: &DeviceFilter,
        page: &PageRequest<DeviceId>,
        detail: InventoryDetail,
    ) -> StoreResult<Page<DeviceRecord>>;
    /// One device, with its inventory's summary and, for [`InventoryDetail::Whole`], its whole
    /// inventory.
    async fn device_with(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        detail: InventoryDetail,
    ) -> StoreResult<DeviceRecord>;
    /// One device, with its inventory's summary and its whole inventory.
    async fn device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
    ) -> StoreResult<DeviceRecord> {
        self.device_with(organization_id, id, InventoryDetail::Whole)
            .await
    }
    /// Applies a person's change; `NotFound` for a missing device or group.
    async fn update_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        change: &DeviceChange,
        updated_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<DeviceRecord>;
    /// Deletes a device with its token, tags, values, alerts and updates; its automation runs
    /// stay, without a device. `deleted_at` dates its `device_deleted` event.
    async fn delete_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        deleted_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<()>;
    /// The device whose token has this digest.
    async fn device_by_token(&self, digest: &Digest) -> StoreResult<Option<TokenOwner>>;
    /// Records a check-in: inventory, updates, `online`, `last_seen_at`; a device that was
    /// offline comes back and its open `Device offline` alert is resolved. Atomic.
    async fn record_checkin(
        &self,
        organization_id: OrganizationId,
        checkin: &CheckIn,
    ) -> StoreResult<()>;
    /// Records a digest check-in when the stored digests are the heartbeat's: `last_seen_at`,
    /// `offline_after`, `online`, `public_ip_address` (a device that was offline comes back,
    /// as with a check-in) and the pending runs claimed; else records nothing and answers
    /// [`HeartbeatOutcome::SendFull`]. `NotFound` for a missing device. Many concurrent
    /// heartbeats share one commit; each returns once its own is durable.
    async fn record_heartbeat(
        &self,
        organization_id: OrganizationId,
        heartbeat: &Heartbeat,
    ) -> StoreResult<HeartbeatOutcome>;
    /// Takes every online device whose `offline_after` is before `now` offline and raises a
    /// critical `Device offline` alert for each (unless one is open), atomically per device:
    /// several nodes sweeping at once raise each alert once.
    async fn sweep_offline(&self, now: OffsetDateTime) -> StoreResult<Vec<WentOffline>>;
}

/// Tags and which devices carry them.
#[async_trait]
pub trait TagStore: Send + Sync + 'static {
    /// A keyset page of tags in id order.
    async fn list_tags(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<TagId>,
    ) -> StoreResult<Page<TagRecord>>;
    /// One tag.
    async fn tag(&self, organization_id: OrganizationId, id: TagId) -> StoreResult<TagRecord>;
    /// Inserts a tag; `Conflict { constraint: "tags.name" }` for a taken name.
    async fn insert_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<TagRecord>;
    /// Renames a tag; `Conflict { constraint: "tags.name" }` for a taken name.
    async fn rename_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<TagRecord>;
    /// Deletes a tag and takes it off every device.
    async fn delete_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        activity: Option<&Activity>,
    ) -> StoreResult<()>;
    /// Tags devices, all or none: `NotFound` if a device is missing, `Conflict { constraint:
    /// "device_tags.present" }` if one already carries the tag.
    async fn tag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<TagRecord>;
    /// Untags devices, all or none: `NotFound` if a device is missing, `Conflict { constraint:
    /// "device_tags.absent" }` if one does not carry the tag.
    async fn untag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
        activity: Option<&Activity>,
    ) -> StoreResult<TagRecord>;
}

/// Custom field definitions.
#[async_trait]
pub trait CustomFieldStore: Send + Sync + 'static {
    /// A keyset page of custom fields in id order.
    async fn list_custom_fields(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<CustomFieldId>,
    ) -> StoreResult<Page<CustomFieldRecord>>;
    /// Every custom field of the organization, in id order.
    async fn all_custom_fields(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<CustomFieldRecord>>;
    /// One custom field.
    async fn custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
    ) -> StoreResult<CustomFieldRecord>;
    /// Inserts a field; `Conflict { constraint: "custom_fields.name" }` for a taken name.
    async fn insert_custom_field(
        &self,
        organization_id: OrganizationId,
        field: &CustomFieldRecord,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<CustomFieldRecord>;
    /// Renames and/or changes visibility; `None` keeps; same conflict as insert.
    async fn update_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
        name: Option<&str>,
        admin_only: Option<bool>,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<CustomFieldRecord>;
    /// Deletes a field and every value of it.
    async fn delete_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
        activity: Option<&Activity>,
    ) -> StoreResult<()>;
}

/// Custom field values at the organization, group and device levels.
#[async_trait]
pub trait CustomFieldValueStore: Send + Sync + 'static {
    /// The values stored at any of `assignees` (all fields, or one), in field id order.
    async fn custom_field_values(
        &self,
        organization_id: OrganizationId,
        assignees: &[Assignee],
        field: Option<CustomFieldId>,
    ) -> StoreResult<Vec<StoredValue>>;
    /// Sets a value at one level (insert or replace). With `force`, the values set for the
    /// same field below that level (subgroups and devices of a group's subtree; every group
    /// and device for the organization) are deleted in the same transaction. `NotFound` for a
    /// missing field, group or device.
    async fn set_custom_field_value(
        &self,
        organization_id: OrganizationId,
        value: &StoredValue,
        force: bool,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<()>;
    /// Deletes the value at one level (and below it with `force`); returns whether a value was
    /// set at that level. `NotFound` for a missing field, group or device.
    async fn delete_custom_field_value(
        &self,
        organization_id: OrganizationId,
        field: CustomFieldId,
        assignee: Assignee,
        force: bool,
        activity: Option<&Activity>,
    ) -> StoreResult<bool>;
}

/// Alerts about devices.
#[async_trait]
pub trait AlertStore: Send + Sync + 'static {
    /// Inserts an alert (the offline sweep raises its own).
    async fn insert_alert(&self, alert: &NewAlert) -> StoreResult<AlertRecord>;
    /// A keyset page of alerts in id order.
    async fn list_alerts(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        status: Option<AlertStatus>,
        page: &PageRequest<AlertId>,
    ) -> StoreResult<Page<AlertRecord>>;
    /// One alert.
    async fn alert(&self, organization_id: OrganizationId, id: AlertId)
    -> StoreResult<AlertRecord>;
    /// Resolves an alert at `now`; an alert resolved before keeps its time.
    async fn resolve_alert(
        &self,
        organization_id: OrganizationId,
        id: AlertId,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<AlertRecord>;
}

/// The package updates devices report.
#[async_trait]
pub trait UpdateStore: Send + Sync + 'static {
    /// A keyset page of updates in id order; `available` picks available (true) or installed
    /// (false) ones.
    async fn list_updates(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        available: Option<bool>,
        page: &PageRequest<UpdateId>,
    ) -> StoreResult<Page<UpdateRecord>>;
    /// One update.
    async fn update(
        &self,
        organization_id: OrganizationId,
        id: UpdateId,
    ) -> StoreResult<UpdateRecord>;
}
