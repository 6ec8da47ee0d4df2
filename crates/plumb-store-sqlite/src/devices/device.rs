//! Writing devices: enrollment (one, or many for demo data), a person's changes, deletion, and
//! the agent's token lookup.

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::store::{DeviceChange, DeviceRecord, NewDevice, StoreResult, TokenOwner};
use time::OffsetDateTime;

use super::list::fetch_device;
use crate::SqliteStore;
use crate::codec::{parse_uuid, time_text};
use crate::error::db_error;

/// Rows per multi-row insert: 9 parameters each stays far below SQLite's 32,766 limit.
const CHUNK: usize = 400;

/// The columns an enrollment sets, in the order [`bind_device`] binds them.
const INSERT: &str = "insert into devices (id, organization_id, group_id, hostname, \
                      serial_number, token_digest, inventory, created_at, updated_at) values ";
const PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";

type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

fn bind_device<'q>(query: Query<'q>, device: &'q NewDevice) -> Query<'q> {
    let created_at = time_text(device.created_at);
    query
        .bind(device.id.to_string())
        .bind(device.organization_id.to_string())
        .bind(device.group_id.map(|id| id.to_string()))
        .bind(device.hostname.as_str())
        .bind(device.serial_number.as_deref())
        .bind(device.token_digest.map(|digest| digest.0.to_vec()))
        .bind(device.inventory.as_deref())
        .bind(created_at.clone())
        .bind(created_at)
}

/// Inserts devices in chunks inside one transaction; a group outside the organization breaks
/// the composite foreign key (`NotFound`), a reused token digest is `devices.token`.
pub(super) async fn insert_devices(store: &SqliteStore, devices: &[NewDevice]) -> StoreResult<()> {
    if devices.is_empty() {
        return Ok(());
    }
    let mut tx = store.write().await?;
    for chunk in devices.chunks(CHUNK) {
        let sql = format!("{INSERT}{}", vec![PLACEHOLDERS; chunk.len()].join(", "));
        let mut query = sqlx::query(&sql);
        for device in chunk {
            query = bind_device(query, device);
        }
        query.execute(&mut *tx).await.map_err(db_error)?;
    }
    tx.commit().await.map_err(db_error)?;
    store.groups.invalidate();
    Ok(())
}

/// Applies a person's change and returns the device as it is now.
pub(super) async fn update_device(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: DeviceId,
    change: &DeviceChange,
    updated_at: OffsetDateTime,
) -> StoreResult<DeviceRecord> {
    let (sets_nickname, nickname) = split(change.nickname.as_ref().map(Option::as_deref));
    let (sets_notes, notes) = split(change.notes.as_ref().map(Option::as_deref));
    let group = change.group_id.map(|group| group.map(|id| id.to_string()));
    let (moves, group_id) = split(group.as_ref().map(Option::as_deref));
    let mut tx = store.write().await?;
    // A group outside the organization breaks the composite foreign key: `NotFound`.
    let updated = sqlx::query(
        "update devices set \
         nickname = case when ?3 then ?4 else nickname end, \
         notes = case when ?5 then ?6 else notes end, \
         group_id = case when ?7 then ?8 else group_id end, \
         updated_at = ?9 \
         where organization_id = ?1 and id = ?2",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(sets_nickname)
    .bind(nickname)
    .bind(sets_notes)
    .bind(notes)
    .bind(moves)
    .bind(group_id)
    .bind(time_text(updated_at))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let stored = fetch_device(&mut tx, organization_id, id).await?;
    tx.commit().await.map_err(db_error)?;
    if moves {
        store.groups.invalidate();
    }
    Ok(stored)
}

/// `Some(value)` as (true, value), `None` as (false, nothing).
fn split<T>(change: Option<Option<T>>) -> (bool, Option<T>) {
    match change {
        Some(value) => (true, value),
        None => (false, None),
    }
}

/// Deletes a device; the foreign keys take its tags, values, alerts and updates with it and
/// leave its automation runs without a device.
pub(super) async fn delete_device(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: DeviceId,
) -> StoreResult<()> {
    let mut tx = store.write().await?;
    let deleted = sqlx::query("delete from devices where organization_id = ?1 and id = ?2")
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    tx.commit().await.map_err(db_error)?;
    store.groups.invalidate();
    Ok(())
}

/// The device whose token has this digest.
pub(super) async fn device_by_token(
    store: &SqliteStore,
    digest: &Digest,
) -> StoreResult<Option<TokenOwner>> {
    let row: Option<(String, String)> =
        sqlx::query_as("select organization_id, id from devices where token_digest = ?1")
            .bind(digest.0.to_vec())
            .fetch_optional(&store.pool)
            .await
            .map_err(db_error)?;
    row.map(|(organization_id, id)| {
        Ok(TokenOwner {
            organization_id: OrganizationId(parse_uuid(&organization_id)?),
            device_id: DeviceId(parse_uuid(&id)?),
        })
    })
    .transpose()
}
