//! Records of the device inventory: devices with their check-ins, tags, custom fields and
//! values, alerts and package updates. The trait that keeps them is in [`super::devices`].
//!
//! A device's full inventory (what `plumb-agent` reports) is kept as one JSON document in the
//! wire form of [`Inventory`]; the columns a list filters or sorts on (hostname, serial
//! number, group, online state) are kept beside it. Writes hand the store that document's
//! text; reads get it back decoded, once, by the store: a stored document that does not decode
//! is a damaged database (`StoreError::Unavailable`), never a missing inventory.

use plumb_proto::inventory::{Inventory, PackageUpdate};
use plumb_proto::v2::Severity;
use time::OffsetDateTime;

#[cfg(doc)]
use super::summary::InventoryDetail;
use super::summary::InventorySummary;
use crate::crypto::Digest;
use crate::id::{AlertId, CustomFieldId, DeviceId, GroupId, OrganizationId, TagId, UpdateId};

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
    /// What a list shows of the last reported inventory (`None` before the first report).
    pub summary: Option<InventorySummary>,
    /// The last reported inventory, decoded, when the read asked for it
    /// ([`InventoryDetail::Whole`]; `None` before the first report). Boxed: a page of records
    /// is moved through the store and the views, and a record without its inventory inline is
    /// a third of the size.
    pub inventory: Option<Box<Inventory>>,
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
    /// The inventory as the JSON text of an [`Inventory`].
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
    /// The inventory as the JSON text of an [`Inventory`].
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
