//! Digest check-ins (heartbeats) inside a batch's transaction.
//!
//! The common case writes only the heartbeat columns of a device whose stored digests are its
//! heartbeat's, that is online and whose public address did not move: nothing `/v2` shows
//! changes, so no event is raised. On PostgreSQL that is one `update` for the whole batch
//! ([`seen_together`]), whatever its size; on SQLite, where a statement is a function call, each
//! heartbeat has its own. A heartbeat not recorded so is looked at alone ([`beat_alone`]): the
//! device is gone, its inventory differs (nothing is recorded), or it was offline or its address
//! moved (it comes back, its offline alert is resolved and the events are raised, as with a full
//! check-in). The batch then claims the pending runs of every device it recorded, in one
//! statement.

use std::collections::HashSet;

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::events::EventType;
use plumb_core::id::{AlertId, DeviceId, OrganizationId};
use plumb_core::store::{Heartbeat, HeartbeatOutcome, OFFLINE_ALERT, StoreResult};
use plumb_core::transfer::Kind;

use crate::db::{Exec, Tx, args};
use crate::events::{alert_event, device_updated};
use crate::stored::time_text;

/// What one heartbeat did: recorded, not recorded, or no such device.
pub(super) type Beat = Result<HeartbeatOutcome, StoreError>;

/// Records, in one statement, the heartbeats of online devices whose stored digests are theirs;
/// returns the devices recorded. Each device must appear once.
pub(super) async fn seen_together(
    tx: &Tx,
    heartbeats: &[(OrganizationId, &Heartbeat)],
) -> StoreResult<HashSet<DeviceId>> {
    let dialect = tx.dialect();
    let rows: serde_json::Value = heartbeats
        .iter()
        .map(|(organization_id, heartbeat)| {
            serde_json::json!({
                "org": organization_id.to_string(),
                "id": heartbeat.device_id.to_string(),
                "inventory": hex::encode(heartbeat.digests.inventory.0),
                "updates": hex::encode(heartbeat.digests.updates.0),
                "seen": time_text(heartbeat.seen_at),
                "late": time_text(heartbeat.offline_after),
                "ip": heartbeat.public_ip_address,
            })
        })
        .collect();
    let sql = format!(
        "update devices set last_seen_at = {}, offline_after = {}, \
           public_ip_address = value ->> 'ip' \
         from {} \
         where devices.id = value ->> 'id' and devices.organization_id = value ->> 'org' \
           and {} = value ->> 'inventory' and {} = value ->> 'updates' and {} and {} \
         returning devices.id",
        dialect.time_of("value ->> 'seen'"),
        dialect.time_of("value ->> 'late'"),
        dialect.json_rows("?1"),
        dialect.neutral_text("devices.inventory_digest", Kind::Bytes),
        dialect.neutral_text("devices.updates_digest", Kind::Bytes),
        dialect.is_true("devices.online"),
        dialect.same("devices.public_ip_address", "value ->> 'ip'"),
    );
    let rows = rows.to_string();
    let recorded: Vec<DeviceId> = tx.rows(&sql, args![rows.as_str()]).await?;
    Ok(recorded.into_iter().collect())
}

/// Records one heartbeat in `tx`: with its own `update` when `try_update`, then, if that
/// recorded nothing, by looking at the device. The outer error fails the whole batch; the
/// inner one is this heartbeat's own answer (`NotFound`).
pub(super) async fn beat_alone(
    tx: &Tx,
    organization_id: OrganizationId,
    heartbeat: &Heartbeat,
    try_update: bool,
) -> StoreResult<Beat> {
    let dialect = tx.dialect();
    let device_id = heartbeat.device_id;
    if try_update {
        let seen = format!(
            "update devices set last_seen_at = ?3, offline_after = ?4 \
             where organization_id = ?1 and id = ?2 and inventory_digest = ?6 \
             and updates_digest = ?7 and {} and {}",
            dialect.is_true("online"),
            dialect.same("public_ip_address", "?5"),
        );
        let changed = tx
            .execute(
                &seen,
                args![
                    organization_id,
                    device_id,
                    heartbeat.seen_at,
                    heartbeat.offline_after,
                    heartbeat.public_ip_address.as_deref(),
                    &heartbeat.digests.inventory,
                    &heartbeat.digests.updates,
                ],
            )
            .await?;
        if changed > 0 {
            return Ok(Ok(HeartbeatOutcome::Recorded(Vec::new())));
        }
    }
    let sql = format!(
        "select online, inventory_digest, updates_digest from devices \
         where organization_id = ?1 and id = ?2{}",
        dialect.for_update()
    );
    let stored: Option<(bool, Option<Digest>, Option<Digest>)> =
        tx.first(&sql, args![organization_id, device_id]).await?;
    let Some((was_online, inventory, updates)) = stored else {
        return Ok(Err(StoreError::NotFound));
    };
    let digests = &heartbeat.digests;
    if inventory.as_ref() != Some(&digests.inventory) || updates.as_ref() != Some(&digests.updates)
    {
        return Ok(Ok(HeartbeatOutcome::SendFull));
    }
    // Same inventory: the device was offline and comes back, or its public address moved (or
    // another check-in of it did either meanwhile). What `/v2` shows changed, as with a full
    // check-in: `device_updated` decides by the device's digest.
    tx.execute(
        "update devices set last_seen_at = ?3, offline_after = ?4, public_ip_address = ?5, \
         online = true where organization_id = ?1 and id = ?2",
        args![
            organization_id,
            device_id,
            heartbeat.seen_at,
            heartbeat.offline_after,
            heartbeat.public_ip_address.as_deref(),
        ],
    )
    .await?;
    let at = heartbeat.seen_at;
    if !was_online {
        let resolved: Vec<AlertId> = tx
            .rows(
                "update alerts set resolved_at = ?2 \
                 where device_id = ?1 and name = ?3 and resolved_at is null returning id",
                args![device_id, at, OFFLINE_ALERT],
            )
            .await?;
        for alert in resolved {
            alert_event(tx, organization_id, alert, EventType::AlertResolved, at).await?;
        }
    }
    device_updated(tx, organization_id, device_id, at).await?;
    Ok(Ok(HeartbeatOutcome::Recorded(Vec::new())))
}
