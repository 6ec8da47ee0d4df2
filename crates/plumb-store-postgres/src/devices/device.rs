//! Writing devices: enrollment (one, or many for demo data), a person's changes, deletion, and
//! the agent's token lookup. Every write that changes a group's figures announces itself
//! (`announce_groups`) in its transaction and clears this node's group cache.

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::store::{DeviceChange, DeviceRecord, NewDevice, StoreResult, TokenOwner};
use time::OffsetDateTime;

use super::list::fetch_device;
use crate::PgStore;
use crate::announce::announce_groups;
use crate::codec::parse_uuid;
use crate::error::{db_error, rollback};

/// Rows per statement: each column travels as one array, so a chunk is eight binds.
const CHUNK: usize = 5000;

/// Inserts devices in chunks of `unnest`ed arrays inside one transaction; a group outside the
/// organization breaks the composite foreign key (`NotFound`), a reused token digest is
/// `devices.token`.
pub(super) async fn insert_devices(store: &PgStore, devices: &[NewDevice]) -> StoreResult<()> {
    if devices.is_empty() {
        return Ok(());
    }
    let mut tx = store.write().await?;
    for chunk in devices.chunks(CHUNK) {
        let column = |f: fn(&NewDevice) -> Option<String>| chunk.iter().map(f).collect::<Vec<_>>();
        sqlx::query(
            "insert into devices (id, organization_id, group_id, hostname, serial_number, \
               token_digest, inventory, created_at, updated_at) \
             select id, organization_id, group_id, hostname, serial_number, token_digest, \
               inventory, created_at, created_at \
             from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
               $6::bytea[], $7::text[], $8::timestamptz[]) \
               as new (id, organization_id, group_id, hostname, serial_number, token_digest, \
               inventory, created_at)",
        )
        .bind(column(|device| Some(device.id.to_string())))
        .bind(column(|device| Some(device.organization_id.to_string())))
        .bind(column(|device| device.group_id.map(|id| id.to_string())))
        .bind(column(|device| Some(device.hostname.clone())))
        .bind(column(|device| device.serial_number.clone()))
        .bind(
            chunk
                .iter()
                .map(|device| device.token_digest.map(|digest| digest.0.to_vec()))
                .collect::<Vec<_>>(),
        )
        .bind(column(|device| device.inventory.clone()))
        .bind(
            chunk
                .iter()
                .map(|device| device.created_at)
                .collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    }
    announce_groups(&mut tx, &store.channel).await?;
    tx.commit().await.map_err(db_error)?;
    store.groups.invalidate();
    Ok(())
}

/// Applies a person's change and returns the device as it is now.
pub(super) async fn update_device(
    store: &PgStore,
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
         nickname = case when $3 then $4 else nickname end, \
         notes = case when $5 then $6 else notes end, \
         group_id = case when $7 then $8 else group_id end, \
         updated_at = $9 \
         where organization_id = $1 and id = $2",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(sets_nickname)
    .bind(nickname)
    .bind(sets_notes)
    .bind(notes)
    .bind(moves)
    .bind(group_id)
    .bind(updated_at)
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if updated.rows_affected() == 0 {
        return rollback(tx, StoreError::NotFound).await;
    }
    let stored = fetch_device(&mut tx, organization_id, id).await?;
    if moves {
        announce_groups(&mut tx, &store.channel).await?;
    }
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
    store: &PgStore,
    organization_id: OrganizationId,
    id: DeviceId,
) -> StoreResult<()> {
    let mut tx = store.write().await?;
    let deleted = sqlx::query("delete from devices where organization_id = $1 and id = $2")
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    if deleted.rows_affected() == 0 {
        return rollback(tx, StoreError::NotFound).await;
    }
    announce_groups(&mut tx, &store.channel).await?;
    tx.commit().await.map_err(db_error)?;
    store.groups.invalidate();
    Ok(())
}

/// The device whose token has this digest.
pub(super) async fn device_by_token(
    store: &PgStore,
    digest: &Digest,
) -> StoreResult<Option<TokenOwner>> {
    let row: Option<(String, String)> =
        sqlx::query_as("select organization_id, id from devices where token_digest = $1")
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
