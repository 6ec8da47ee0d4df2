//! Raising events inside the transaction of the change that causes them (the outbox): a crash
//! after the commit delays an event, never drops it, and a rolled-back change raises nothing.
//!
//! An event is recorded only when an enabled endpoint of the organization subscribes to it:
//! one `insert ... select ... where exists` for the event and one `insert ... select` fanning
//! it out to one delivery per endpoint, whatever the number of endpoints (none: no rows). The
//! body is rendered here, from the object as `/v2` shows it at this moment.

use plumb_core::events::{self, EventType, device_digest};
use plumb_core::id::{AlertId, DeviceId, EventId, GroupId, OrganizationId};
use plumb_core::store::{Activity, GroupRecord, StoreResult};
use plumb_core::views::{Includes, alert_view, device_view, group_view};
use plumb_proto::v2::Severity;
use serde::Serialize;
use time::OffsetDateTime;

use crate::codec::severity_text;
use crate::db::{Exec, Tx, args};
use crate::devices::{fetch_alert, fetch_device};
use crate::groups::fetch_group;

/// The `due_at` of a fresh delivery: due at once, whatever time the change carries (an alert
/// may start in the past or the future). Deliveries are claimed in `due_at`, then id order, and
/// ids begin with the time-ordered event id, so fresh events go out in the order they occurred.
const DUE_AT_ONCE: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

/// Records `event_type` with `data` for every enabled endpoint of the organization that
/// subscribes to it (and, for alert events, to `severity`).
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
    let type_pattern = format!("%,{},%", event_type.as_str());
    let severity = severity.map(severity_text);
    let severity_pattern = severity.map(|text| format!("%,{text},%"));
    // ?1 organization, ?2 type pattern, ?3 severity pattern (null: not an alert).
    let subscribed = format!(
        "from event_endpoints p where p.organization_id = ?1 and {} \
         and (p.event_types is null or p.event_types like ?2) \
         and (?3 is null or p.severities is null or p.severities like ?3)",
        tx.dialect().is_true("p.enabled")
    );
    let recorded = tx
        .execute(
            &format!(
                "insert into events (id, organization_id, event_type, severity, body, \
                 occurred_at) select ?4, ?1, ?5, ?6, ?7, ?8 where exists (select 1 {subscribed})"
            ),
            args![
                organization_id,
                type_pattern.as_str(),
                severity_pattern.as_deref(),
                id,
                event_type.as_str(),
                severity,
                body.as_str(),
                at,
            ],
        )
        .await?;
    if recorded == 0 {
        return Ok(());
    }
    tx.execute(
        &format!(
            "insert into event_deliveries (id, event_id, endpoint_id, organization_id, state, \
             attempts_left, due_at, claim, updated_at) \
             select ?4 || '/' || p.id, ?4, p.id, ?1, 'pending', null, ?5, null, ?6 {subscribed}"
        ),
        args![
            organization_id,
            type_pattern.as_str(),
            severity_pattern.as_deref(),
            id,
            DUE_AT_ONCE,
            at,
        ],
    )
    .await
    .map(drop)
}

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
        "ip": entry.ip,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": entry.details,
        "created_at": plumb_proto::timestamp::format(entry.created_at),
    });
    raise(exec, entry.organization_id, event_type, None, &data, entry.created_at).await
}

/// `device_created` for a device just inserted; remembers its digest, so a first check-in
/// that reports nothing new sends nothing.
pub(crate) async fn device_created(
    tx: &Tx,
    organization_id: OrganizationId,
    id: DeviceId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let view = device_view(fetch_device(tx, organization_id, id).await?, Includes::default());
    save_digest(tx, organization_id, id, &device_digest(&view)).await?;
    raise(tx, organization_id, EventType::DeviceCreated, None, &view, at).await
}

/// `device_updated` for a device just written, when what decides it
/// (`plumb_core::events::device_digest`) changed.
pub(crate) async fn device_updated(
    tx: &Tx,
    organization_id: OrganizationId,
    id: DeviceId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let view = device_view(fetch_device(tx, organization_id, id).await?, Includes::default());
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
    raise(tx, organization_id, EventType::DeviceUpdated, None, &view, at).await
}

/// `device_deleted` with the device as it is, for a device about to be deleted in `tx`.
pub(crate) async fn device_deleted(
    tx: &Tx,
    organization_id: OrganizationId,
    id: DeviceId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let view = device_view(fetch_device(tx, organization_id, id).await?, Includes::default());
    raise(tx, organization_id, EventType::DeviceDeleted, None, &view, at).await
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
    raise(tx, group.organization_id, event_type, None, &group_view(group), at).await
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
    raise(tx, organization_id, event_type, Some(severity), &alert_view(&alert), at).await
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
