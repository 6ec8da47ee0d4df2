//! Raising events inside the transaction of the change that causes them (the outbox): a crash
//! after the commit delays an event, never drops it, and a rolled-back change raises nothing.
//!
//! An event is recorded only when an enabled endpoint of the organization subscribes to it,
//! with one `insert ... select ... where exists`: one row whatever the number of endpoints
//! (none: no row), fanned out later by the delivery worker. The body is rendered here, from the
//! object as `/v2` shows it at this moment.

use plumb_core::StoreError;
use plumb_core::events::{self, EventType, device_digest};
use plumb_core::id::{AlertId, DeviceId, EventId, GroupId, OrganizationId};
use plumb_core::store::{Activity, GroupRecord, InventoryDetail, StoreResult};
use plumb_core::views::{Includes, alert_view, device_view, group_view};
use plumb_proto::v2::Severity;
use serde::Serialize;
use time::OffsetDateTime;

use crate::codec::severity_text;
use crate::db::{Exec, Tx, args};
use crate::devices::{fetch_alert, fetch_device};
use crate::groups::fetch_group;

/// Records `event_type` with `data` if an enabled endpoint of the organization subscribes to
/// it (and, for alert events, to `severity`): one row whatever the number of endpoints, which
/// the delivery worker fans out to one delivery per endpoint (`outbox`).
pub(crate) async fn raise(
    tx: &impl Exec,
    organization_id: OrganizationId,
    event_type: EventType,
    severity: Option<Severity>,
    data: &impl Serialize,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let id = EventId::new();
    let body = events::body(event_type, id, at, data);
    let severity = severity.map(severity_text);
    let sql = format!(
        "insert into events (id, organization_id, event_type, severity, body, occurred_at, \
           fanned_out) \
         select ?1, ?2, ?3, ?4, ?5, ?6, false where exists (select 1 from event_endpoints p \
           where p.organization_id = ?2 and {} and {})",
        tx.dialect().is_true("p.enabled"),
        SUBSCRIBES
    );
    tx.execute(
        &sql,
        args![
            id,
            organization_id,
            event_type.as_str(),
            severity,
            body.as_str(),
            at
        ],
    )
    .await
    .map(drop)
}

/// Whether endpoint `p` takes an event of type `?3` and severity `?4` (null: not an alert).
/// Lists are stored as `,a,b,`; `null` means every event, or every severity.
const SUBSCRIBES: &str = "(p.event_types is null \
     or p.event_types like '%,' || ?3 || ',%') \
     and (?4 is null or p.severities is null or p.severities like '%,' || ?4 || ',%')";

/// The security event of an activity entry, if its action raises one, with the entry as
/// `GET /api/v1/activity` shows it (never a secret: entries never hold one).
pub(crate) async fn activity_event(exec: &impl Exec, entry: &Activity) -> StoreResult<()> {
    let Some(event_type) = EventType::for_activity(&entry.action) else {
        return Ok(());
    };
    let data = serde_json::json!({
        "id": entry.id.to_string(),
        "action": entry.action,
        "actor": entry.actor.as_ref().map(|actor| serde_json::json!({
            "id": actor.id.to_string(),
            "email": actor.email,
        })),
        "api_key": entry.api_key.as_ref().map(|key| serde_json::json!({
            "id": key.id.to_string(),
            "masked_key": key.masked_key,
            "description": key.description,
        })),
        "ip": entry.ip,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": entry.details,
        "created_at": plumb_proto::timestamp::format(entry.created_at),
    });
    raise(
        exec,
        entry.organization_id,
        event_type,
        None,
        &data,
        entry.created_at,
    )
    .await
}

/// `device_created` for a device just inserted; remembers its digest, so a first check-in
/// that reports nothing new sends nothing.
pub(crate) async fn device_created(
    tx: &Tx,
    organization_id: OrganizationId,
    id: DeviceId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let view = device_view(shown(tx, organization_id, id).await?, Includes::default());
    save_digest(tx, organization_id, id, &device_digest(&view)).await?;
    raise(
        tx,
        organization_id,
        EventType::DeviceCreated,
        None,
        &view,
        at,
    )
    .await
}

/// `device_updated` for a device just written, when what decides it
/// (`plumb_core::events::device_digest`) changed.
pub(crate) async fn device_updated(
    tx: &Tx,
    organization_id: OrganizationId,
    id: DeviceId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let view = device_view(shown(tx, organization_id, id).await?, Includes::default());
    let digest = device_digest(&view);
    let stored: Option<Vec<u8>> = tx
        .one(
            "select event_digest from devices where organization_id = ?1 and id = ?2",
            args![organization_id, id],
        )
        .await?;
    if stored.as_deref() == Some(&digest[..]) {
        return Ok(());
    }
    save_digest(tx, organization_id, id, &digest).await?;
    raise(
        tx,
        organization_id,
        EventType::DeviceUpdated,
        None,
        &view,
        at,
    )
    .await
}

/// `device_deleted` with the device as it is, for a device about to be deleted in `tx`. A
/// device whose stored record no longer decodes can still be deleted: its event then carries
/// only its id.
pub(crate) async fn device_deleted(
    tx: &Tx,
    organization_id: OrganizationId,
    id: DeviceId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let data = match shown(tx, organization_id, id).await {
        Ok(record) => serde_json::to_value(device_view(record, Includes::default()))
            .map_err(|_| crate::codec::damaged("device view"))?,
        Err(StoreError::NotFound) => return Err(StoreError::NotFound),
        Err(error) => {
            tracing::warn!(device.id = %id, error = %error, "deleting a damaged device: {error}");
            serde_json::json!({ "id": id.to_string() })
        }
    };
    let event = EventType::DeviceDeleted;
    raise(tx, organization_id, event, None, &data, at).await
}

/// A group event with the group as it is now in `tx`.
pub(crate) async fn group_event(
    tx: &Tx,
    organization_id: OrganizationId,
    id: GroupId,
    event_type: EventType,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let group = fetch_group(tx, organization_id, id).await?;
    group_record_event(tx, &group, event_type, at).await
}

/// A group event with a group the write has just read.
pub(crate) async fn group_record_event(
    tx: &Tx,
    group: &GroupRecord,
    event_type: EventType,
    at: OffsetDateTime,
) -> StoreResult<()> {
    raise(
        tx,
        group.organization_id,
        event_type,
        None,
        &group_view(group),
        at,
    )
    .await
}

/// An alert event with the alert as it is now in `tx`.
pub(crate) async fn alert_event(
    tx: &Tx,
    organization_id: OrganizationId,
    id: AlertId,
    event_type: EventType,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let alert = fetch_alert(tx, organization_id, id).await?;
    let severity = alert.severity;
    raise(
        tx,
        organization_id,
        event_type,
        Some(severity),
        &alert_view(&alert),
        at,
    )
    .await
}

/// A device as events show it: `/v2`'s default view, which needs the inventory's summary only.
async fn shown(
    tx: &Tx,
    organization_id: OrganizationId,
    id: DeviceId,
) -> StoreResult<plumb_core::store::DeviceRecord> {
    fetch_device(tx, organization_id, id, InventoryDetail::Summary).await
}

async fn save_digest(
    tx: &Tx,
    organization_id: OrganizationId,
    id: DeviceId,
    digest: &[u8; 32],
) -> StoreResult<()> {
    tx.execute(
        "update devices set event_digest = ?3 where organization_id = ?1 and id = ?2",
        args![organization_id, id, &digest[..]],
    )
    .await
    .map(drop)
}
