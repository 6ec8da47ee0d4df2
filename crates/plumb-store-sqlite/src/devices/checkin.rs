//! The agent's side: a check-in (inventory, updates, back online) and the offline sweep.

use std::collections::BTreeMap;

use plumb_core::StoreError;
use plumb_core::id::{AlertId, DeviceId, OrganizationId, UpdateId};
use plumb_core::store::{CheckIn, NewUpdate, OFFLINE_ALERT, StoreResult, WentOffline};
use plumb_proto::v2::Severity;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::SqliteStore;
use crate::codec::{count_value, parse_optional_time, parse_uuid, time_text};
use crate::error::db_error;
use crate::rows::severity_text;

/// Records a check-in in one transaction; `NotFound` if the device is gone.
pub(super) async fn record_checkin(
    store: &SqliteStore,
    organization_id: OrganizationId,
    checkin: &CheckIn,
) -> StoreResult<()> {
    let device_id = checkin.device_id.to_string();
    let seen_at = time_text(checkin.seen_at);
    let mut tx = store.write().await?;
    let was_online: Option<bool> =
        sqlx::query_scalar("select online from devices where organization_id = ?1 and id = ?2")
            .bind(organization_id.to_string())
            .bind(&device_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
    let Some(was_online) = was_online else {
        return Err(StoreError::NotFound);
    };
    sqlx::query(
        "update devices set hostname = ?3, serial_number = ?4, inventory = ?5, \
         public_ip_address = ?6, last_seen_at = ?7, offline_after = ?8, online = 1, \
         updated_at = ?7 where organization_id = ?1 and id = ?2",
    )
    .bind(organization_id.to_string())
    .bind(&device_id)
    .bind(&checkin.hostname)
    .bind(checkin.serial_number.as_deref())
    .bind(&checkin.inventory)
    .bind(checkin.public_ip_address.as_deref())
    .bind(&seen_at)
    .bind(time_text(checkin.offline_after))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if !was_online {
        sqlx::query(
            "update alerts set resolved_at = ?2 \
             where device_id = ?1 and name = ?3 and resolved_at is null",
        )
        .bind(&device_id)
        .bind(&seen_at)
        .bind(OFFLINE_ALERT)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    }
    // Upsert by name (a name seen before keeps its id), then drop the names not reported.
    let updates = update_rows(&checkin.updates);
    sqlx::query(
        "insert into updates (id, organization_id, device_id, name, category, version, size, \
           kb_ids, is_available, error, published_on, installed_on, created_at, updated_at) \
         select value ->> 'id', ?1, ?2, value ->> 'name', value ->> 'category', \
           value ->> 'version', value ->> 'size', value ->> 'kb_ids', value ->> 'is_available', \
           value ->> 'error', value ->> 'published_on', value ->> 'installed_on', ?3, ?3 \
         from json_each(?4) where true \
         on conflict (device_id, name) do update set category = excluded.category, \
           version = excluded.version, size = excluded.size, kb_ids = excluded.kb_ids, \
           is_available = excluded.is_available, error = excluded.error, \
           published_on = excluded.published_on, installed_on = excluded.installed_on, \
           updated_at = excluded.updated_at",
    )
    .bind(organization_id.to_string())
    .bind(&device_id)
    .bind(&seen_at)
    .bind(updates.to_string())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    sqlx::query(
        "delete from updates where device_id = ?1 \
         and name not in (select value ->> 'name' from json_each(?2))",
    )
    .bind(&device_id)
    .bind(updates.to_string())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// The reported updates as a JSON array of stored values, one per name (the last report of a
/// name wins), each with a fresh id that is used only if the name is new.
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

/// Takes late devices offline and raises their alerts, in one transaction.
pub(super) async fn sweep_offline(
    store: &SqliteStore,
    now: OffsetDateTime,
) -> StoreResult<Vec<WentOffline>> {
    let mut tx = store.write().await?;
    let late: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "update devices set online = 0 where online = 1 and offline_after < ?1 \
         returning organization_id, id, hostname, last_seen_at",
    )
    .bind(time_text(now))
    .fetch_all(&mut *tx)
    .await
    .map_err(db_error)?;
    let mut went = Vec::with_capacity(late.len());
    for (organization_id, device_id, hostname, last_seen_at) in late {
        let description =
            offline_description(&hostname, parse_optional_time(last_seen_at.as_deref())?);
        // The partial unique index keeps one open offline alert: an open one is reused.
        let raised: Option<String> = sqlx::query_scalar(
            "insert into alerts (id, organization_id, device_id, name, description, payload, \
               severity, started_at) values (?1, ?2, ?3, ?4, ?5, null, ?6, ?7) \
             on conflict do nothing returning id",
        )
        .bind(AlertId::new().to_string())
        .bind(&organization_id)
        .bind(&device_id)
        .bind(OFFLINE_ALERT)
        .bind(description)
        .bind(severity_text(Severity::Critical))
        .bind(time_text(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let alert_id = match raised {
            Some(id) => id,
            None => sqlx::query_scalar(
                "select id from alerts where device_id = ?1 and name = ?2 and resolved_at is null",
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
