//! The agent's side: a check-in (inventory, updates, back online) and the offline sweep.
//!
//! Several nodes may sweep at once: the sweep flips `online` with `update ... where online
//! returning`, so PostgreSQL hands each device to one sweeper (the others wait for its row lock,
//! re-read the row and skip it), and the partial unique index keeps one open alert per device.

use std::collections::BTreeMap;

use plumb_core::StoreError;
use plumb_core::id::{AlertId, DeviceId, OrganizationId, UpdateId};
use plumb_core::store::{CheckIn, NewUpdate, OFFLINE_ALERT, StoreResult, WentOffline};
use plumb_proto::v2::Severity;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::PgStore;
use crate::codec::{count_value, parse_uuid};
use crate::error::{db_error, rollback};
use crate::rows::severity_text;

/// Records a check-in in one transaction; `NotFound` if the device is gone.
pub(super) async fn record_checkin(
    store: &PgStore,
    organization_id: OrganizationId,
    checkin: &CheckIn,
) -> StoreResult<()> {
    let device_id = checkin.device_id.to_string();
    let mut tx = store.write().await?;
    // The row lock orders this check-in against a sweep of the same device.
    let was_online: Option<bool> = sqlx::query_scalar(
        "select online from devices where organization_id = $1 and id = $2 for update",
    )
    .bind(organization_id.to_string())
    .bind(&device_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?;
    let Some(was_online) = was_online else {
        return rollback(tx, StoreError::NotFound).await;
    };
    sqlx::query(
        "update devices set hostname = $3, serial_number = $4, inventory = $5, \
         public_ip_address = $6, last_seen_at = $7, offline_after = $8, online = true, \
         updated_at = $7 where organization_id = $1 and id = $2",
    )
    .bind(organization_id.to_string())
    .bind(&device_id)
    .bind(&checkin.hostname)
    .bind(checkin.serial_number.as_deref())
    .bind(&checkin.inventory)
    .bind(checkin.public_ip_address.as_deref())
    .bind(checkin.seen_at)
    .bind(checkin.offline_after)
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if !was_online {
        sqlx::query(
            "update alerts set resolved_at = $2 \
             where device_id = $1 and name = $3 and resolved_at is null",
        )
        .bind(&device_id)
        .bind(checkin.seen_at)
        .bind(OFFLINE_ALERT)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    }
    // Upsert by name (a name seen before keeps its id), then drop the names not reported.
    let (updates, names) = update_rows(&checkin.updates);
    sqlx::query(
        "insert into updates (id, organization_id, device_id, name, category, version, size, \
           kb_ids, is_available, error, published_on, installed_on, created_at, updated_at) \
         select r.id, $1, $2, r.name, r.category, r.version, r.size, r.kb_ids, r.is_available, \
           r.error, r.published_on, r.installed_on, $3, $3 \
         from jsonb_to_recordset($4::jsonb) as r (id text, name text, category text, \
           version text, size bigint, kb_ids text, is_available boolean, error text, \
           published_on timestamptz, installed_on timestamptz) \
         on conflict (device_id, name) do update set category = excluded.category, \
           version = excluded.version, size = excluded.size, kb_ids = excluded.kb_ids, \
           is_available = excluded.is_available, error = excluded.error, \
           published_on = excluded.published_on, installed_on = excluded.installed_on, \
           updated_at = excluded.updated_at",
    )
    .bind(organization_id.to_string())
    .bind(&device_id)
    .bind(checkin.seen_at)
    .bind(updates.to_string())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    sqlx::query("delete from updates where device_id = $1 and name <> all($2)")
        .bind(&device_id)
        .bind(names)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// The reported updates as a JSON array of records, one per name (the last report of a name
/// wins), each with a fresh id that is used only if the name is new; and the names.
fn update_rows(updates: &[NewUpdate]) -> (serde_json::Value, Vec<String>) {
    let by_name: BTreeMap<&str, &NewUpdate> = updates
        .iter()
        .map(|update| (update.name.as_str(), update))
        .collect();
    let time = |at: Option<OffsetDateTime>| at.and_then(|at| at.format(&Rfc3339).ok());
    let rows = by_name
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
                "published_on": time(update.published_on),
                "installed_on": time(update.installed_on),
            })
        })
        .collect();
    let names = by_name.keys().map(|name| (*name).to_owned()).collect();
    (rows, names)
}

/// The description of an offline alert.
fn offline_description(hostname: &str, last_seen_at: Option<OffsetDateTime>) -> String {
    match last_seen_at.and_then(|at| at.format(&Rfc3339).ok()) {
        Some(at) => format!("{hostname} has not checked in since {at}"),
        None => format!("{hostname} has not checked in"),
    }
}

/// Takes late devices offline and raises their alerts, in one transaction.
pub(super) async fn sweep_offline(
    store: &PgStore,
    now: OffsetDateTime,
) -> StoreResult<Vec<WentOffline>> {
    let mut tx = store.write().await?;
    let late: Vec<(String, String, String, Option<OffsetDateTime>)> = sqlx::query_as(
        "update devices set online = false where online and offline_after < $1 \
         returning organization_id, id, hostname, last_seen_at",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await
    .map_err(db_error)?;
    let mut went = Vec::with_capacity(late.len());
    for (organization_id, device_id, hostname, last_seen_at) in late {
        // The partial unique index keeps one open offline alert: an open one is reused.
        let raised: Option<String> = sqlx::query_scalar(
            "insert into alerts (id, organization_id, device_id, name, description, payload, \
               severity, started_at) values ($1, $2, $3, $4, $5, null, $6, $7) \
             on conflict do nothing returning id",
        )
        .bind(AlertId::new().to_string())
        .bind(&organization_id)
        .bind(&device_id)
        .bind(OFFLINE_ALERT)
        .bind(offline_description(&hostname, last_seen_at))
        .bind(severity_text(Severity::Critical))
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let alert_id = match raised {
            Some(id) => id,
            None => sqlx::query_scalar(
                "select id from alerts where device_id = $1 and name = $2 and resolved_at is null",
            )
            .bind(&device_id)
            .bind(OFFLINE_ALERT)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?,
        };
        went.push(WentOffline {
            organization_id: OrganizationId(parse_uuid(&organization_id)?),
            device_id: DeviceId(parse_uuid(&device_id)?),
            alert_id: AlertId(parse_uuid(&alert_id)?),
        });
    }
    tx.commit().await.map_err(db_error)?;
    Ok(went)
}
