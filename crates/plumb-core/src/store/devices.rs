//! Records of the device inventory: devices with their check-ins, tags, custom fields and
//! values, alerts and package updates, and the [`DeviceStore`] trait that keeps them.
//!
//! A device's full inventory (what `plumb-agent` reports) is kept as one JSON document in the
//! wire form of [`plumb_proto::inventory::Inventory`]; the columns a list filters or sorts on
//! (hostname, serial number, group, online state) are kept beside it.

use async_trait::async_trait;
use plumb_proto::inventory::PackageUpdate;
use plumb_proto::v2::Severity;
use time::OffsetDateTime;

use super::StoreResult;
use crate::crypto::Digest;
use crate::custom_fields::{Assignee, StoredValue};
use crate::id::{AlertId, CustomFieldId, DeviceId, GroupId, OrganizationId, TagId, UpdateId};
use crate::page::{Page, PageRequest};

/// A device as the API shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceRecord {
    /// Id.
    pub id: DeviceId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Direct group.
    pub group_id: Option<GroupId>,
    /// That group's name.
    pub group_name: Option<String>,
    /// Hostname as last reported.
    pub hostname: String,
    /// Display name set by a person.
    pub nickname: Option<String>,
    /// Notes set by a person.
    pub notes: Option<String>,
    /// Serial number as last reported.
    pub serial_number: Option<String>,
    /// Alerts muted.
    pub maintenance_mode: bool,
    /// Checking in on time.
    pub online: bool,
    /// Last check-in.
    pub last_seen_at: Option<OffsetDateTime>,
    /// Address the last check-in came from.
    pub public_ip_address: Option<String>,
    /// Names of its tags, sorted.
    pub tags: Vec<String>,
    /// The last reported inventory, as JSON text (`None` before the first report).
    pub inventory: Option<String>,
    /// Creation (enrollment) time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// A new device (from enrollment, tests or demo data).
#[derive(Debug, Clone)]
pub struct NewDevice {
    /// Id.
    pub id: DeviceId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Group, if any.
    pub group_id: Option<GroupId>,
    /// Hostname.
    pub hostname: String,
    /// Serial number.
    pub serial_number: Option<String>,
    /// Digest of the device token, for devices enrolled by an agent.
    pub token_digest: Option<Digest>,
    /// Inventory JSON.
    pub inventory: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

impl NewDevice {
    /// A device with only a hostname, as tests and demo data create them.
    pub fn bare(
        organization_id: OrganizationId,
        group_id: Option<GroupId>,
        hostname: &str,
        created_at: OffsetDateTime,
    ) -> Self {
        Self {
            id: DeviceId::new(),
            organization_id,
            group_id,
            hostname: hostname.to_owned(),
            serial_number: None,
            token_digest: None,
            inventory: None,
            created_at,
        }
    }
}

/// How a device list is narrowed; every set field must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceFilter {
    /// Direct group: `Some(None)` means devices in no group.
    pub group_id: Option<Option<GroupId>>,
    /// Anywhere in this group's subtree (the group itself included).
    pub ancestor_group_id: Option<GroupId>,
    /// Carrying this tag.
    pub tag_id: Option<TagId>,
    /// Exact hostname.
    pub hostname: Option<String>,
    /// Exact serial number.
    pub serial_number: Option<String>,
    /// Online state.
    pub online: Option<bool>,
    /// Case-insensitive substring of the hostname or nickname (the web UI's search).
    pub search: Option<String>,
}

/// A change a person makes to a device; `None` fields stay.
#[derive(Debug, Clone, Default)]
pub struct DeviceChange {
    /// New nickname (`Some(None)` clears it).
    pub nickname: Option<Option<String>>,
    /// New notes (`Some(None)` clears them).
    pub notes: Option<Option<String>>,
    /// New group (`Some(None)` takes it out of any group).
    pub group_id: Option<Option<GroupId>>,
}

/// A check-in: what the agent reported and when the device counts as late.
#[derive(Debug, Clone)]
pub struct CheckIn {
    /// The device.
    pub device_id: DeviceId,
    /// Reported hostname.
    pub hostname: String,
    /// Reported serial number.
    pub serial_number: Option<String>,
    /// Inventory JSON.
    pub inventory: String,
    /// Where the request came from.
    pub public_ip_address: Option<String>,
    /// Every update the device reported, available and installed; replaces the previous list
    /// (kept ids for names seen before).
    pub updates: Vec<NewUpdate>,
    /// Now.
    pub seen_at: OffsetDateTime,
    /// When the device goes offline unless it checks in again (three intervals from now).
    pub offline_after: OffsetDateTime,
}

/// A reported package update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpdate {
    /// Package or patch name; unique per device.
    pub name: String,
    /// Category.
    pub category: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// Knowledge-base ids.
    pub kb_ids: Vec<String>,
    /// Available (true) or installed (false).
    pub is_available: bool,
    /// Last installation error.
    pub error: Option<String>,
    /// Publication time.
    pub published_on: Option<OffsetDateTime>,
    /// Installation time.
    pub installed_on: Option<OffsetDateTime>,
}

impl From<&PackageUpdate> for NewUpdate {
    fn from(update: &PackageUpdate) -> Self {
        Self {
            name: update.name.clone(),
            category: update.category.clone(),
            version: update.version.clone(),
            size: update.size,
            kb_ids: update.kb_ids.clone(),
            is_available: update.is_available,
            error: update.error.clone(),
            published_on: update.published_on,
            installed_on: update.installed_on,
        }
    }
}

/// A stored update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateRecord {
    /// Id (kept across check-ins while the device reports the name).
    pub id: UpdateId,
    /// The device.
    pub device_id: DeviceId,
    /// The device's hostname.
    pub device_hostname: String,
    /// What was reported.
    pub update: NewUpdate,
}

/// The device a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenOwner {
    /// Organization.
    pub organization_id: OrganizationId,
    /// Device.
    pub device_id: DeviceId,
}

/// A device that just went offline (its alert is raised in the same transaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WentOffline {
    /// Organization.
    pub organization_id: OrganizationId,
    /// Device.
    pub device_id: DeviceId,
    /// The alert raised.
    pub alert_id: AlertId,
}

/// A tag with its figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRecord {
    /// Id.
    pub id: TagId,
    /// Name (unique in the organization).
    pub name: String,
    /// Devices carrying it.
    pub device_count: u64,
}

/// A custom field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomFieldRecord {
    /// Id.
    pub id: CustomFieldId,
    /// Name (unique in the organization).
    pub name: String,
    /// Administrators only.
    pub admin_only: bool,
}

/// Alert states a list can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertStatus {
    /// Not resolved.
    Active,
    /// Resolved.
    Resolved,
}

/// An alert about a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRecord {
    /// Id.
    pub id: AlertId,
    /// The device.
    pub device_id: DeviceId,
    /// The device's hostname.
    pub device_hostname: String,
    /// Short name, e.g. `Device offline`.
    pub name: String,
    /// Description.
    pub description: String,
    /// Extra data.
    pub payload: Option<String>,
    /// Severity.
    pub severity: Severity,
    /// Start.
    pub started_at: OffsetDateTime,
    /// Resolution, if resolved.
    pub resolved_at: Option<OffsetDateTime>,
}

/// A new alert.
#[derive(Debug, Clone)]
pub struct NewAlert {
    /// Id.
    pub id: AlertId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// The device.
    pub device_id: DeviceId,
    /// Short name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Extra data.
    pub payload: Option<String>,
    /// Severity.
    pub severity: Severity,
    /// Start.
    pub started_at: OffsetDateTime,
}

/// The name of the alert raised when a device misses three check-ins.
pub const OFFLINE_ALERT: &str = "Device offline";

/// Devices, their check-ins, tags, custom fields, alerts and updates. Every method is scoped
/// to one organization except the agent's token lookup and the offline sweep.
#[async_trait]
pub trait DeviceStore: Send + Sync + 'static {
    /// Inserts a device; `Conflict { constraint: "devices.token" }` on a token digest clash,
    /// `NotFound` for a group outside the organization.
    async fn insert_device(&self, device: &NewDevice) -> StoreResult<()>;
    /// Inserts many devices in one transaction (demo data); same rules as `insert_device`.
    async fn insert_devices(&self, devices: &[NewDevice]) -> StoreResult<()>;
    /// A keyset page of devices in id order.
    async fn list_devices(
        &self,
        organization_id: OrganizationId,
        filter: &DeviceFilter,
        page: &PageRequest<DeviceId>,
    ) -> StoreResult<Page<DeviceRecord>>;
    /// One device.
    async fn device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
    ) -> StoreResult<DeviceRecord>;
    /// Applies a person's change; `NotFound` for a missing device or group.
    async fn update_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        change: &DeviceChange,
        updated_at: OffsetDateTime,
    ) -> StoreResult<DeviceRecord>;
    /// Deletes a device with its token, tags, values, alerts and updates; its automation runs
    /// stay, without a device.
    async fn delete_device(&self, organization_id: OrganizationId, id: DeviceId)
    -> StoreResult<()>;
    /// The device whose token has this digest.
    async fn device_by_token(&self, digest: &Digest) -> StoreResult<Option<TokenOwner>>;
    /// Records a check-in: inventory, updates, `online`, `last_seen_at`; a device that was
    /// offline comes back and its open `Device offline` alert is resolved. Atomic.
    async fn record_checkin(
        &self,
        organization_id: OrganizationId,
        checkin: &CheckIn,
    ) -> StoreResult<()>;
    /// Takes every online device whose `offline_after` is before `now` offline and raises a
    /// critical `Device offline` alert for each (unless one is open), atomically per device:
    /// several nodes sweeping at once raise each alert once.
    async fn sweep_offline(&self, now: OffsetDateTime) -> StoreResult<Vec<WentOffline>>;

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
    ) -> StoreResult<TagRecord>;
    /// Renames a tag; `Conflict { constraint: "tags.name" }` for a taken name.
    async fn rename_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
    ) -> StoreResult<TagRecord>;
    /// Deletes a tag and takes it off every device.
    async fn delete_tag(&self, organization_id: OrganizationId, id: TagId) -> StoreResult<()>;
    /// Tags devices, all or none: `NotFound` if a device is missing, `Conflict { constraint:
    /// "device_tags.present" }` if one already carries the tag.
    async fn tag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
        now: OffsetDateTime,
    ) -> StoreResult<TagRecord>;
    /// Untags devices, all or none: `NotFound` if a device is missing, `Conflict { constraint:
    /// "device_tags.absent" }` if one does not carry the tag.
    async fn untag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
    ) -> StoreResult<TagRecord>;

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
    ) -> StoreResult<CustomFieldRecord>;
    /// Renames and/or changes visibility; `None` keeps; same conflict as insert.
    async fn update_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
        name: Option<&str>,
        admin_only: Option<bool>,
        now: OffsetDateTime,
    ) -> StoreResult<CustomFieldRecord>;
    /// Deletes a field and every value of it.
    async fn delete_custom_field(
        &self,
        organization_id: OrganizationId,
        id: CustomFieldId,
    ) -> StoreResult<()>;
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
    ) -> StoreResult<()>;
    /// Deletes the value at one level (and below it with `force`); returns whether a value was
    /// set at that level. `NotFound` for a missing field, group or device.
    async fn delete_custom_field_value(
        &self,
        organization_id: OrganizationId,
        field: CustomFieldId,
        assignee: Assignee,
        force: bool,
    ) -> StoreResult<bool>;

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
    ) -> StoreResult<AlertRecord>;

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
