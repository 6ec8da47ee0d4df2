//! `DeviceStore`: enrollment (one device, or many for demo data), a person's changes, deletion
//! and the agent's token lookup here; pages in `list`, check-ins and the sweep in `checkin`.
//! Every write that changes a group's figures marks its transaction (`Tx::groups_changed`): the
//! group cache is cleared after the commit and, on PostgreSQL, every other node hears of it.

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::DeviceStore;
use plumb_core::store::{Activity, InventoryDetail, StoreResult, TokenOwner, WentOffline};
use plumb_core::store::{CheckIn, DeviceChange, DeviceFilter, DeviceRecord, NewDevice};
use plumb_core::store::{Heartbeat, HeartbeatOutcome};
use time::OffsetDateTime;

use super::checkin::{record_checkin, sweep_offline};
use super::list::{fetch_device, fetch_device_page};
use crate::SqlStore;
use crate::db::{Db, Exec, FromRow, Params, Row, args};
use crate::events::{device_deleted, device_updated};

/// Rows per multi-row insert: 9 parameters each stays far below both databases' limits
/// (SQLite 32,766, PostgreSQL 65,535).
const CHUNK: usize = 400;

impl FromRow for TokenOwner {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(TokenOwner {
            organization_id: columns.next()?,
            device_id: columns.next()?,
        })
    }
}

#[async_trait]
impl DeviceStore for SqlStore {
    async fn insert_device(&self, device: &NewDevice) -> StoreResult<()> {
        insert_devices(&self.db, std::slice::from_ref(device)).await
    }

    async fn insert_devices(&self, devices: &[NewDevice]) -> StoreResult<()> {
        insert_devices(&self.db, devices).await
    }

    async fn list_devices(
        &self,
        organization_id: OrganizationId,
        filter: &DeviceFilter,
        page: &PageRequest<DeviceId>,
        detail: InventoryDetail,
    ) -> StoreResult<Page<DeviceRecord>> {
        fetch_device_page(&self.db, organization_id, filter, page, detail).await
    }

    async fn device_with(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        detail: InventoryDetail,
    ) -> StoreResult<DeviceRecord> {
        fetch_device(&self.db, organization_id, id, detail).await
    }

    async fn update_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        change: &DeviceChange,
        updated_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<DeviceRecord> {
        let (sets_nickname, nickname) = split(change.nickname.as_ref().map(Option::as_deref));
        let (sets_notes, notes) = split(change.notes.as_ref().map(Option::as_deref));
        let (moves, group_id) = split(change.group_id);
        let tx = self.db.begin().await?;
        let outcome = async {
            // A group outside the organization breaks the composite foreign key: `NotFound`.
            tx.change(
                "update devices set \
                 nickname = case when ?3 then ?4 else nickname end, \
                 notes = case when ?5 then ?6 else notes end, \
                 group_id = case when ?7 then ?8 else group_id end, \
                 updated_at = ?9 \
                 where organization_id = ?1 and id = ?2",
                args![
                    organization_id,
                    id,
                    sets_nickname,
                    nickname,
                    sets_notes,
                    notes,
                    moves,
                    group_id,
                    updated_at,
                ],
            )
            .await?;
            if moves {
                tx.groups_changed().await?;
            }
            device_updated(&tx, organization_id, id, updated_at).await?;
            crate::activity::insert_entry(&tx, activity).await?;
            fetch_device(&tx, organization_id, id, InventoryDetail::Whole).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn delete_device(
        &self,
        organization_id: OrganizationId,
        id: DeviceId,
        deleted_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            // `device_deleted` carries the device as it was; a missing one is `NotFound`.
            device_deleted(&tx, organization_id, id, deleted_at).await?;
            tx.change(
                "delete from devices where organization_id = ?1 and id = ?2",
                args![organization_id, id],
            )
            .await?;
            crate::activity::insert_entry(&tx, activity).await?;
            tx.groups_changed().await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn device_by_token(&self, digest: &Digest) -> StoreResult<Option<TokenOwner>> {
        self.db
            .first(
                "select organization_id, id from devices where token_digest = ?1",
                args![digest],
            )
            .await
    }

    async fn record_checkin(
        &self,
        organization_id: OrganizationId,
        checkin: &CheckIn,
    ) -> StoreResult<()> {
        record_checkin(&self.db, organization_id, checkin).await
    }

    async fn record_heartbeat(
        &self,
        organization_id: OrganizationId,
        heartbeat: &Heartbeat,
    ) -> StoreResult<HeartbeatOutcome> {
        self.heartbeats().record(organization_id, heartbeat).await
    }

    async fn sweep_offline(&self, now: OffsetDateTime) -> StoreResult<Vec<WentOffline>> {
        sweep_offline(&self.db, now).await
    }
}

/// Inserts devices in chunks inside one transaction; a group outside the organization breaks
/// the composite foreign key (`NotFound`), a reused token digest is `devices.token`. A device
/// sends `device_created` at its first check-in (`checkin`), which completes its enrollment.
pub(super) async fn insert_devices(db: &Db, devices: &[NewDevice]) -> StoreResult<()> {
    if devices.is_empty() {
        return Ok(());
    }
    let tx = db.begin().await?;
    let outcome = async {
        for chunk in devices.chunks(CHUNK) {
            let mut params = Params::default();
            let rows: Vec<String> = chunk
                .iter()
                .map(|device| {
                    let values = [
                        params.push(device.id),
                        params.push(device.organization_id),
                        params.push(device.group_id),
                        params.push(device.hostname.as_str()),
                        params.push(device.serial_number.as_deref()),
                        params.push(device.token_digest.as_ref().map(|digest| &digest.0[..])),
                        params.push(device.inventory.as_deref()),
                        params.push(device.created_at),
                    ];
                    format!("({}, {})", values.join(", "), values[7])
                })
                .collect();
            let sql = format!(
                "insert into devices (id, organization_id, group_id, hostname, serial_number, \
                 token_digest, inventory, created_at, updated_at) values {}",
                rows.join(", ")
            );
            tx.execute(&sql, params.as_slice()).await?;
        }
        tx.groups_changed().await
    }
    .await;
    tx.finish(outcome).await
}

/// `Some(value)` as (true, value), `None` as (false, nothing).
fn split<T>(change: Option<Option<T>>) -> (bool, Option<T>) {
    match change {
        Some(value) => (true, value),
        None => (false, None),
    }
}
