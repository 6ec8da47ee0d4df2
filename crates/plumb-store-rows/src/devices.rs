//! Rows of the device inventory (devices, tags, custom fields, alerts, updates).
//!
//! Each row struct matches the `select` next to it column for column; `T` is the backend's
//! stored time ([`StoredTime`]).

use plumb_core::StoreError;
use plumb_core::id::{AlertId, CustomFieldId, DeviceId, GroupId, OrganizationId, TagId, UpdateId};
use plumb_core::store::UpdateRecord;
use plumb_core::store::{AlertRecord, CustomFieldRecord, DeviceRecord, NewUpdate, TagRecord};

use crate::codec::{parse_count, parse_optional_uuid, parse_severity, parse_uuid};
use crate::damaged;
use crate::stored::{StoredTime, optional_time};

/// Selects a [`DeviceRow`]; callers append a `where` on `d` (devices).
pub const DEVICE_SELECT: &str = "select d.id, d.organization_id, d.group_id, \
     g.name as group_name, d.hostname, d.nickname, d.notes, d.serial_number, \
     d.maintenance_mode, d.online, d.last_seen_at, d.public_ip_address, d.inventory, \
     d.created_at, d.updated_at \
     from devices d left join groups g \
     on g.organization_id = d.organization_id and g.id = d.group_id ";

/// A device with its group's name; its tags are read separately.
#[derive(sqlx::FromRow)]
pub struct DeviceRow<T> {
    id: String,
    organization_id: String,
    group_id: Option<String>,
    group_name: Option<String>,
    hostname: String,
    nickname: Option<String>,
    notes: Option<String>,
    serial_number: Option<String>,
    maintenance_mode: bool,
    online: bool,
    last_seen_at: Option<T>,
    public_ip_address: Option<String>,
    inventory: Option<String>,
    created_at: T,
    updated_at: T,
}

impl<T: StoredTime> TryFrom<DeviceRow<T>> for DeviceRecord {
    type Error = StoreError;

    /// The tags are filled in by the caller, from their own query.
    fn try_from(row: DeviceRow<T>) -> Result<Self, StoreError> {
        Ok(DeviceRecord {
            id: DeviceId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            group_id: parse_optional_uuid(row.group_id.as_deref())?.map(GroupId),
            group_name: row.group_name,
            hostname: row.hostname,
            nickname: row.nickname,
            notes: row.notes,
            serial_number: row.serial_number,
            maintenance_mode: row.maintenance_mode,
            online: row.online,
            last_seen_at: optional_time(row.last_seen_at)?,
            public_ip_address: row.public_ip_address,
            tags: Vec::new(),
            inventory: row
                .inventory
                .as_deref()
                .map(serde_json::from_str::<Box<_>>)
                .transpose()
                .map_err(|_| damaged("a device's inventory"))?,
            created_at: row.created_at.into_time()?,
            updated_at: row.updated_at.into_time()?,
        })
    }
}

/// Selects a [`TagRow`]; callers append a `where` on `t` (tags). The device count is kept by
/// triggers on `device_tags` (migration 10).
pub const TAG_SELECT: &str = "select t.id, t.name, t.device_count from tags t ";

/// A tag with its device count.
#[derive(sqlx::FromRow)]
pub struct TagRow {
    id: String,
    name: String,
    device_count: i64,
}

impl TryFrom<TagRow> for TagRecord {
    type Error = StoreError;

    fn try_from(row: TagRow) -> Result<Self, StoreError> {
        Ok(TagRecord {
            id: TagId(parse_uuid(&row.id)?),
            name: row.name,
            device_count: parse_count(row.device_count)?,
        })
    }
}

/// Selects a [`CustomFieldRow`]; callers append a `where` on `f` (custom_fields).
pub const CUSTOM_FIELD_SELECT: &str = "select f.id, f.name, f.admin_only from custom_fields f ";

/// A custom field definition.
#[derive(sqlx::FromRow)]
pub struct CustomFieldRow {
    id: String,
    name: String,
    admin_only: bool,
}

impl TryFrom<CustomFieldRow> for CustomFieldRecord {
    type Error = StoreError;

    fn try_from(row: CustomFieldRow) -> Result<Self, StoreError> {
        Ok(CustomFieldRecord {
            id: CustomFieldId(parse_uuid(&row.id)?),
            name: row.name,
            admin_only: row.admin_only,
        })
    }
}

/// Selects an [`AlertRow`]; callers append a `where` on `a` (alerts).
pub const ALERT_SELECT: &str = "select a.id, a.device_id, d.hostname as device_hostname, \
     a.name, a.description, a.payload, a.severity, a.started_at, a.resolved_at \
     from alerts a join devices d on d.organization_id = a.organization_id and d.id = a.device_id ";

/// An alert with its device's hostname.
#[derive(sqlx::FromRow)]
pub struct AlertRow<T> {
    id: String,
    device_id: String,
    device_hostname: String,
    name: String,
    description: String,
    payload: Option<String>,
    severity: String,
    started_at: T,
    resolved_at: Option<T>,
}

impl<T: StoredTime> TryFrom<AlertRow<T>> for AlertRecord {
    type Error = StoreError;

    fn try_from(row: AlertRow<T>) -> Result<Self, StoreError> {
        Ok(AlertRecord {
            id: AlertId(parse_uuid(&row.id)?),
            device_id: DeviceId(parse_uuid(&row.device_id)?),
            device_hostname: row.device_hostname,
            name: row.name,
            description: row.description,
            payload: row.payload,
            severity: parse_severity(&row.severity)?,
            started_at: row.started_at.into_time()?,
            resolved_at: optional_time(row.resolved_at)?,
        })
    }
}

/// Selects an [`UpdateRow`]; callers append a `where` on `u` (updates).
pub const UPDATE_SELECT: &str = "select u.id, u.device_id, d.hostname as device_hostname, \
     u.name, u.category, u.version, u.size, u.kb_ids, u.is_available, u.error, u.published_on, \
     u.installed_on \
     from updates u join devices d on d.organization_id = u.organization_id and d.id = u.device_id ";

/// An update with its device's hostname.
#[derive(sqlx::FromRow)]
pub struct UpdateRow<T> {
    id: String,
    device_id: String,
    device_hostname: String,
    name: String,
    category: Option<String>,
    version: Option<String>,
    size: Option<i64>,
    kb_ids: String,
    is_available: bool,
    error: Option<String>,
    published_on: Option<T>,
    installed_on: Option<T>,
}

impl<T: StoredTime> TryFrom<UpdateRow<T>> for UpdateRecord {
    type Error = StoreError;

    fn try_from(row: UpdateRow<T>) -> Result<Self, StoreError> {
        Ok(UpdateRecord {
            id: UpdateId(parse_uuid(&row.id)?),
            device_id: DeviceId(parse_uuid(&row.device_id)?),
            device_hostname: row.device_hostname,
            update: NewUpdate {
                name: row.name,
                category: row.category,
                version: row.version,
                size: row.size.map(parse_count).transpose()?,
                kb_ids: serde_json::from_str(&row.kb_ids)
                    .map_err(|_| damaged(format!("kb_ids {:?}", row.kb_ids)))?,
                is_available: row.is_available,
                error: row.error,
                published_on: optional_time(row.published_on)?,
                installed_on: optional_time(row.installed_on)?,
            },
        })
    }
}
