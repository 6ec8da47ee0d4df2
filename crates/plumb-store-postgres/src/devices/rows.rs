//! Rows of the device inventory as PostgreSQL returns them, and their conversion into core records.
//!
//! Each row struct matches the `select` next to it column for column. A value that does not
//! decode is reported as a damaged database, never skipped.

use plumb_core::StoreError;
use plumb_core::id::{AlertId, CustomFieldId, DeviceId, GroupId, OrganizationId, TagId, UpdateId};
use plumb_core::store::UpdateRecord;
use plumb_core::store::{AlertRecord, CustomFieldRecord, DeviceRecord, NewUpdate, TagRecord};
use plumb_proto::v2::Severity;
use time::OffsetDateTime;

use crate::codec::{parse_count, parse_uuid};
use crate::error::damaged;

/// Selects a [`DeviceRow`]; callers append a `where` on `d` (devices).
pub(crate) const DEVICE_SELECT: &str = "select d.id, d.organization_id, d.group_id, \
     g.name as group_name, d.hostname, d.nickname, d.notes, d.serial_number, \
     d.maintenance_mode, d.online, d.last_seen_at, d.public_ip_address, d.inventory, \
     d.created_at, d.updated_at \
     from devices d left join groups g \
     on g.organization_id = d.organization_id and g.id = d.group_id ";

#[derive(sqlx::FromRow)]
pub(crate) struct DeviceRow {
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
    last_seen_at: Option<OffsetDateTime>,
    public_ip_address: Option<String>,
    inventory: Option<String>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<DeviceRow> for DeviceRecord {
    type Error = StoreError;

    /// The tags are filled in by the caller, from their own query.
    fn try_from(row: DeviceRow) -> Result<Self, StoreError> {
        Ok(DeviceRecord {
            id: DeviceId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            group_id: row
                .group_id
                .as_deref()
                .map(parse_uuid)
                .transpose()?
                .map(GroupId),
            group_name: row.group_name,
            hostname: row.hostname,
            nickname: row.nickname,
            notes: row.notes,
            serial_number: row.serial_number,
            maintenance_mode: row.maintenance_mode,
            online: row.online,
            last_seen_at: row.last_seen_at,
            public_ip_address: row.public_ip_address,
            tags: Vec::new(),
            inventory: row.inventory,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Selects a [`TagRow`]; callers append a `where` on `t` (tags).
pub(crate) const TAG_SELECT: &str = "select t.id, t.name, \
     (select count(*) from device_tags dt where dt.tag_id = t.id) as device_count from tags t ";

#[derive(sqlx::FromRow)]
pub(crate) struct TagRow {
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
pub(crate) const CUSTOM_FIELD_SELECT: &str =
    "select f.id, f.name, f.admin_only from custom_fields f ";

#[derive(sqlx::FromRow)]
pub(crate) struct CustomFieldRow {
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
pub(crate) const ALERT_SELECT: &str = "select a.id, a.device_id, d.hostname as device_hostname, \
     a.name, a.description, a.payload, a.severity, a.started_at, a.resolved_at \
     from alerts a join devices d on d.organization_id = a.organization_id and d.id = a.device_id ";

#[derive(sqlx::FromRow)]
pub(crate) struct AlertRow {
    id: String,
    device_id: String,
    device_hostname: String,
    name: String,
    description: String,
    payload: Option<String>,
    severity: String,
    started_at: OffsetDateTime,
    resolved_at: Option<OffsetDateTime>,
}

impl TryFrom<AlertRow> for AlertRecord {
    type Error = StoreError;

    fn try_from(row: AlertRow) -> Result<Self, StoreError> {
        Ok(AlertRecord {
            id: AlertId(parse_uuid(&row.id)?),
            device_id: DeviceId(parse_uuid(&row.device_id)?),
            device_hostname: row.device_hostname,
            name: row.name,
            description: row.description,
            payload: row.payload,
            severity: parse_severity(&row.severity)?,
            started_at: row.started_at,
            resolved_at: row.resolved_at,
        })
    }
}

/// Selects an [`UpdateRow`]; callers append a `where` on `u` (updates).
pub(crate) const UPDATE_SELECT: &str = "select u.id, u.device_id, d.hostname as device_hostname, \
     u.name, u.category, u.version, u.size, u.kb_ids, u.is_available, u.error, u.published_on, \
     u.installed_on \
     from updates u join devices d on d.organization_id = u.organization_id and d.id = u.device_id ";

#[derive(sqlx::FromRow)]
pub(crate) struct UpdateRow {
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
    published_on: Option<OffsetDateTime>,
    installed_on: Option<OffsetDateTime>,
}

impl TryFrom<UpdateRow> for UpdateRecord {
    type Error = StoreError;

    fn try_from(row: UpdateRow) -> Result<Self, StoreError> {
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
                published_on: row.published_on,
                installed_on: row.installed_on,
            },
        })
    }
}

/// The stored form of a severity.
pub(crate) fn severity_text(severity: Severity) -> &'static str {
    match severity {
        Severity::Information => "information",
        Severity::Warning => "warning",
        Severity::Critical => "critical",
        Severity::Emergency => "emergency",
    }
}

/// Reads a stored severity.
pub(crate) fn parse_severity(text: &str) -> Result<Severity, StoreError> {
    match text {
        "information" => Ok(Severity::Information),
        "warning" => Ok(Severity::Warning),
        "critical" => Ok(Severity::Critical),
        "emergency" => Ok(Severity::Emergency),
        other => Err(damaged(format!("severity {other:?}"))),
    }
}
