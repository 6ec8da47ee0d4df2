//! A digest check-in (a heartbeat) inside a batch's transaction: the device's heartbeat columns
//! and its pending runs, or nothing when the stored digests are not the heartbeat's.
//!
//! The common case is one `update` whose `where` names the digests and `online`: one row
//! changed means the device was online with that inventory. No row changed: the device is
//! gone, its inventory differs, or it was offline (it comes back and its offline alert is
//! resolved, as with a full check-in); one locked read tells which.

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::OrganizationId;
use plumb_core::store::{Heartbeat, HeartbeatOutcome, OFFLINE_ALERT, StoreResult};

use crate::automations::claim_in;
use crate::db::{Exec, Tx, args};

/// What one heartbeat did: recorded (with its runs), not recorded, or no such device.
pub(super) type Beat = Result<HeartbeatOutcome, StoreError>;

/// Records one heartbeat in `tx`. The outer error fails the whole batch; the inner one is this
/// heartbeat's own answer (`NotFound`).
pub(super) async fn beat(
    tx: &Tx,
    organization_id: OrganizationId,
    heartbeat: &Heartbeat,
) -> StoreResult<Beat> {
    let dialect = tx.dialect();
    let device_id = heartbeat.device_id;
    let seen = format!(
        "update devices set last_seen_at = ?3, offline_after = ?4, public_ip_address = ?5 \
         where organization_id = ?1 and id = ?2 and inventory_digest = ?6 \
         and updates_digest = ?7 and {}",
        dialect.is_true("online")
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
    if changed == 0 {
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
        if inventory.as_ref() != Some(&digests.inventory)
            || updates.as_ref() != Some(&digests.updates)
        {
            return Ok(Ok(HeartbeatOutcome::SendFull));
        }
        // Same inventory: the device was offline and comes back (or another check-in of it
        // brought it back meanwhile).
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
        if !was_online {
            tx.execute(
                "update alerts set resolved_at = ?2 \
                 where device_id = ?1 and name = ?3 and resolved_at is null",
                args![device_id, heartbeat.seen_at, OFFLINE_ALERT],
            )
            .await?;
        }
    }
    let runs = claim_in(tx, organization_id, device_id, heartbeat.seen_at).await?;
    Ok(Ok(HeartbeatOutcome::Recorded(runs)))
}
