//! The agent's side: a check-in (inventory, updates, back online) and the offline sweep.
//!
//! Several nodes may sweep at once: the sweep flips `online` with `update ... returning`, so
//! PostgreSQL hands each device to one sweeper (the others wait for its row lock, re-read the
//! row and skip it), and the partial unique index keeps one open alert per device. A check-in
//! locks its device's row first, which orders it against a sweep of the same device.

use std::collections::BTreeMap;

use crate::codec::{count_value, severity_text};
use crate::stored::time_text;
use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{AlertId, DeviceId, OrganizationId, UpdateId};
use plumb_core::store::{CheckIn, NewUpdate, OFFLINE_ALERT, StoreResult, WentOffline};
use plumb_proto::v2::Severity;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::db::{Db, Exec, Tx, args};
use crate::events::{alert_event, device_created, device_updated};
use plumb_core::events::EventType;

/// Records a check-in in one transaction; `NotFound` if the device is gone.
pub(super) async fn record_checkin(
    db: &Db,
    organization_id: OrganizationId,
    checkin: &CheckIn,
) -> StoreResult<()> {
    let device_id = checkin.device_id;
    let tx = db.begin().await?;
    let outcome = async {
        let sql = format!(
            "select online, last_seen_at is null, updates_digest from devices \
             where organization_id = ?1 and id = ?2{}",
            tx.dialect().for_update()
        );
        let found: Option<(bool, bool, Option<Digest>)> =
            tx.first(&sql, args![organization_id, device_id]).await?;
        let Some((was_online, first, stored_updates)) = found else {
            return Err(StoreError::NotFound);
        };
        let digests = checkin.digests.as_ref();
        tx.execute(
            "update devices set hostname = ?3, serial_number = ?4, inventory = ?5, \
             public_ip_address = ?6, last_seen_at = ?7, offline_after = ?8, online = true, \
             updated_at = ?7, inventory_digest = ?9, updates_digest = ?10 \
             where organization_id = ?1 and id = ?2",
            args![
                organization_id,
                device_id,
                &checkin.hostname,
                checkin.serial_number.as_deref(),
                &checkin.inventory,
                checkin.public_ip_address.as_deref(),
                checkin.seen_at,
                checkin.offline_after,
                digests.map(|digests| &digests.inventory.0[..]),
                digests.map(|digests| &digests.updates.0[..]),
            ],
        )
        .await?;
        let at = checkin.seen_at;
        if !was_online {
            let resolved: Vec<AlertId> = tx
                .rows(
                    "update alerts set resolved_at = ?2 \
                     where device_id = ?1 and name = ?3 and resolved_at is null returning id",
                    args![device_id, at, OFFLINE_ALERT],
                )
                .await?;
            for alert in resolved {
                alert_event(&tx, organization_id, alert, EventType::AlertResolved, at).await?;
            }
        }
        // The stored updates digest describes the stored update rows: the same digest, the
        // same rows.
        let same_updates = stored_updates.is_some()
            && stored_updates.as_ref() == digests.map(|digests| &digests.updates);
        if !same_updates {
            replace_updates(&tx, organization_id, device_id, checkin).await?;
        }
        // The first check-in completes an enrollment: the device is created, as it now is.
        if first {
            device_created(&tx, organization_id, device_id, at).await
        } else {
            device_updated(&tx, organization_id, device_id, at).await
        }
    }
    .await;
    tx.finish(outcome).await
}

/// Upserts the reported updates by name (a name seen before keeps its id), then drops the
/// names not reported, with one statement each whatever the number of updates.
async fn replace_updates(
    tx: &Tx,
    organization_id: OrganizationId,
    device_id: DeviceId,
    checkin: &CheckIn,
) -> StoreResult<()> {
    let dialect = tx.dialect();
    let updates = update_rows(&checkin.updates).to_string();
    let upsert = format!(
        "insert into updates (id, organization_id, device_id, name, category, version, size, \
           kb_ids, is_available, error, published_on, installed_on, created_at, updated_at) \
         select value ->> 'id', ?1, ?2, value ->> 'name', value ->> 'category', \
           value ->> 'version', cast(value ->> 'size' as bigint), value ->> 'kb_ids', \
           cast(value ->> 'is_available' as boolean), value ->> 'error', {}, {}, ?3, ?3 \
         from {} where true \
         on conflict (device_id, name) do update set category = excluded.category, \
           version = excluded.version, size = excluded.size, kb_ids = excluded.kb_ids, \
           is_available = excluded.is_available, error = excluded.error, \
           published_on = excluded.published_on, installed_on = excluded.installed_on, \
           updated_at = excluded.updated_at",
        dialect.time_of("value ->> 'published_on'"),
        dialect.time_of("value ->> 'installed_on'"),
        dialect.json_rows("?4"),
    );
    tx.execute(
        &upsert,
        args![
            organization_id,
            device_id,
            checkin.seen_at,
            updates.as_str()
        ],
    )
    .await?;
    let prune = format!(
        "delete from updates where device_id = ?1 \
         and name not in (select value ->> 'name' from {})",
        dialect.json_rows("?2")
    );
    tx.execute(&prune, args![device_id, updates.as_str()])
        .await
        .map(drop)
}

/// The reported updates as a JSON array of stored values, one per name (the last report of a
/// name wins), each with a fresh id that is used only if the name is new. Times are in the
/// stored text spelling, which PostgreSQL parses too.
fn update_rows(updates: &[NewUpdate]) -> serde_json::Value {
    let by_name: BTreeMap<&str, &NewUpdate> = updates
        .iter()
        .map(|update| (update.name.as_str(), update))
        .collect();
    by_name
        .values()
        .map(|update| {
            serde_json::json!({
                "id": UpdateId::new().to_string(),
                "name": update.name,
                "category": update.category,
                "version": update.version,
                "size": update.size.map(count_value),
                "kb_ids": serde_json::json!(update.kb_ids).to_string(),
                "is_available": update.is_available,
                "error": update.error,
                "published_on": update.published_on.map(time_text),
                "installed_on": update.installed_on.map(time_text),
            })
        })
        .collect()
}

/// The description of an offline alert.
fn offline_description(hostname: &str, last_seen_at: Option<OffsetDateTime>) -> String {
    match last_seen_at.and_then(|at| at.format(&Rfc3339).ok()) {
        Some(at) => format!("{hostname} has not checked in since {at}"),
        None => format!("{hostname} has not checked in"),
    }
}

/// A device the sweep took offline.
type Late = (OrganizationId, DeviceId, String, Option<OffsetDateTime>);

/// Takes late devices offline and raises their alerts, in one transaction.
pub(super) async fn sweep_offline(db: &Db, now: OffsetDateTime) -> StoreResult<Vec<WentOffline>> {
    let tx = db.begin().await?;
    let outcome = async {
        let sql = format!(
            "update devices set online = false where {} and offline_after < ?1 \
             returning organization_id, id, hostname, last_seen_at",
            tx.dialect().is_true("online")
        );
        let late: Vec<Late> = tx.rows(&sql, args![now]).await?;
        let mut went = Vec::with_capacity(late.len());
        for (organization_id, device_id, hostname, last_seen_at) in late {
            // The partial unique index keeps one open offline alert: an open one is reused.
            let raised: Option<AlertId> = tx
                .first(
                    "insert into alerts (id, organization_id, device_id, name, description, \
                       payload, severity, started_at) values (?1, ?2, ?3, ?4, ?5, null, ?6, ?7) \
                     on conflict do nothing returning id",
                    args![
                        AlertId::new(),
                        organization_id,
                        device_id,
                        OFFLINE_ALERT,
                        offline_description(&hostname, last_seen_at),
                        severity_text(Severity::Critical),
                        now,
                    ],
                )
                .await?;
            device_updated(&tx, organization_id, device_id, now).await?;
            let alert_id = match raised {
                Some(id) => {
                    alert_event(&tx, organization_id, id, EventType::AlertActive, now).await?;
                    id
                }
                None => {
                    tx.one(
                        "select id from alerts \
                         where device_id = ?1 and name = ?2 and resolved_at is null",
                        args![device_id, OFFLINE_ALERT],
                    )
                    .await?
                }
            };
            went.push(WentOffline {
                organization_id,
                device_id,
                alert_id,
            });
        }
        Ok(went)
    }
    .await;
    tx.finish(outcome).await
}
