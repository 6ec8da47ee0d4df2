//! Reading devices: one device, and keyset pages of an organization's devices narrowed by a
//! [`DeviceFilter`].
//!
//! A page is one statement whatever its size: the devices with their group's name (joined) and
//! their tag names (a JSON array aggregated per device), plus one query for the subtree's group
//! ids under the ancestor filter. Pages are keyset pages on an index in id order (see
//! [`plan`]), so the last page of a million devices costs what the first does.
//!
//! The inventory is decoded here, once, into an `Inventory` ([`Json`]): for one device straight
//! from the row's text, for a page once the statement is done; one that does not decode is a
//! damaged database. A page asks for the whole inventory only when it shows its parts
//! ([`InventoryDetail`]); otherwise it reads the summary the database keeps beside it, a few
//! hundred bytes instead of the whole document.

use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{
    DeviceFilter, DeviceRecord, InventoryDetail, InventorySummary, StoreResult,
};
use plumb_proto::inventory::Inventory;

use crate::db::{Columns, Dialect, Exec, FromRow, Json, Row, args};

mod plan;

/// Selects a [`DeviceRecord`] with its tags, its inventory's summary and (for
/// [`InventoryDetail::Whole`]) its inventory last; callers append a `where` on `d` (devices).
fn device_select(dialect: Dialect, detail: InventoryDetail) -> String {
    let inventory = match detail {
        InventoryDetail::Summary => "null",
        InventoryDetail::Whole => "d.inventory",
    };
    format!(
        "select d.id, d.organization_id, d.group_id, g.name, d.hostname, d.nickname, d.notes, \
         d.serial_number, d.maintenance_mode, d.online, d.last_seen_at, d.public_ip_address, \
         (select {} from device_tags dt join tags t on t.id = dt.tag_id \
           where dt.device_id = d.id), \
         d.created_at, d.updated_at, d.summary, {inventory} \
         from devices d left join groups g \
         on g.organization_id = d.organization_id and g.id = d.group_id ",
        dialect.json_array_of("t.name")
    )
}

/// One device read alone: its inventory is decoded straight from the row's text.
impl FromRow for DeviceRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        let mut device = read_device(&mut columns)?;
        device.summary = columns
            .next::<Option<Json<InventorySummary>>>()?
            .map(|Json(summary)| summary);
        device.inventory = columns
            .next::<Option<Json<Box<Inventory>>>>()?
            .map(|Json(inventory)| inventory);
        Ok(device)
    }
}

/// A device of a page as its row is read: the record, and its summary's and inventory's texts,
/// decoded once the statement is done ([`Listed::decode`]).
struct Listed(DeviceRecord, Option<String>, Option<String>);

impl FromRow for Listed {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        let device = read_device(&mut columns)?;
        Ok(Listed(device, columns.next()?, columns.next()?))
    }
}

impl Listed {
    fn decode(self) -> StoreResult<DeviceRecord> {
        let Listed(mut device, summary, inventory) = self;
        device.summary = match summary {
            Some(text) => Some(Json::<InventorySummary>::from_text(&text)?.0),
            None => None,
        };
        device.inventory = match inventory {
            Some(text) => Some(Json::<Box<Inventory>>::from_text(&text)?.0),
            None => None,
        };
        Ok(device)
    }
}

/// Reads a device's columns up to its summary and inventory, the last two, which are left to
/// the caller.
fn read_device(columns: &mut Columns<'_>) -> StoreResult<DeviceRecord> {
    Ok(DeviceRecord {
        id: columns.next()?,
        organization_id: columns.next()?,
        group_id: columns.next()?,
        group_name: columns.next()?,
        hostname: columns.next()?,
        nickname: columns.next()?,
        notes: columns.next()?,
        serial_number: columns.next()?,
        maintenance_mode: columns.next()?,
        online: columns.next()?,
        last_seen_at: columns.next()?,
        public_ip_address: columns.next()?,
        tags: tag_names(columns.next()?),
        created_at: columns.next()?,
        updated_at: columns.next()?,
        summary: None,
        inventory: None,
    })
}

/// The sorted tag names of a device from their JSON array (null when it has none).
fn tag_names(array: Option<Json<Vec<String>>>) -> Vec<String> {
    let mut names = array.map(|Json(names)| names).unwrap_or_default();
    names.sort_unstable();
    names
}

/// One device of an organization, with as much of its inventory as `detail` says (events need
/// its summary only).
pub(crate) async fn fetch_device(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: DeviceId,
    detail: InventoryDetail,
) -> StoreResult<DeviceRecord> {
    let sql = format!(
        "{}where d.organization_id = ?1 and d.id = ?2",
        device_select(exec.dialect(), detail)
    );
    exec.one(&sql, args![organization_id, id]).await
}

/// A keyset page of devices: `limit + 1` rows in the direction of travel, the extra one only
/// proving that there is more. [`plan`] picks the index that drives the page.
pub(crate) async fn fetch_device_page(
    exec: &impl Exec,
    organization_id: OrganizationId,
    filter: &DeviceFilter,
    page: &PageRequest<DeviceId>,
    detail: InventoryDetail,
) -> StoreResult<Page<DeviceRecord>> {
    let subtree = match filter.ancestor_group_id {
        None => None,
        Some(ancestor) => Some(plan::subtree(exec, organization_id, ancestor).await?),
    };
    if subtree.as_ref().is_some_and(Vec::is_empty) {
        // A missing or foreign ancestor: no device can be below it.
        return Ok(Page::from_probe(Vec::new(), page));
    }
    let select = device_select(exec.dialect(), detail);
    let (sql, params) = plan::page_statement(
        exec.dialect(),
        &select,
        organization_id,
        filter,
        subtree.as_deref(),
        page,
    );
    // The inventories are decoded once the statement is done, not row by row. On SQLite a row
    // is read between two steps of the statement, and decoding a 2 KB inventory there made
    // SQLite and the decoder evict each other's code and data from the CPU's caches at every
    // row: copying each text out and decoding afterwards cost about 7 % less CPU per
    // `GET /v2/devices?limit=100` (docs/performance.md). The probe row past the page is not
    // decoded at all.
    let listed = Page::from_probe(exec.rows::<Listed>(&sql, params.as_slice()).await?, page);
    Ok(Page {
        items: listed
            .items
            .into_iter()
            .map(Listed::decode)
            .collect::<StoreResult<_>>()?,
        has_more: listed.has_more,
    })
}
