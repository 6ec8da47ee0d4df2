//! Reading devices: one device, and keyset pages of an organization's devices narrowed by a
//! [`DeviceFilter`].
//!
//! A page costs two queries whatever its size: one for the devices (with their group's name,
//! joined), one for the tags of exactly those devices, plus one for the subtree's group ids
//! under the ancestor filter. Pages are keyset pages on an index in id order (see [`plan`]),
//! so the last page of a million devices costs what the first does.

use std::collections::HashMap;

use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{DeviceFilter, DeviceRecord, StoreResult};
use sqlx::PgConnection;

use crate::codec::numbered;
use crate::error::db_error;
use crate::rows::{DEVICE_SELECT, DeviceRow};

mod plan;

/// A bound value of a query built at run time.
enum Arg {
    /// Text (ids, names, patterns).
    Text(String),
    /// A flag.
    Bool(bool),
    /// A number.
    Int(i64),
    /// A list of text (bound as `text[]`).
    Texts(Vec<String>),
}

/// Runs `sql` (`?` placeholders, numbered here) with `args` bound in order.
async fn fetch_devices(
    conn: &mut PgConnection,
    sql: &str,
    args: Vec<Arg>,
) -> StoreResult<Vec<DeviceRecord>> {
    let sql = numbered(sql);
    let mut query = sqlx::query_as::<_, DeviceRow>(&sql);
    for arg in args {
        query = match arg {
            Arg::Text(text) => query.bind(text),
            Arg::Bool(flag) => query.bind(flag),
            Arg::Int(number) => query.bind(number),
            Arg::Texts(texts) => query.bind(texts),
        };
    }
    let rows = query.fetch_all(&mut *conn).await.map_err(db_error)?;
    let mut devices = rows
        .into_iter()
        .map(DeviceRecord::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    attach_tags(conn, &mut devices).await?;
    Ok(devices)
}

/// Fills in the sorted tag names of `devices` with one query.
async fn attach_tags(conn: &mut PgConnection, devices: &mut [DeviceRecord]) -> StoreResult<()> {
    if devices.is_empty() {
        return Ok(());
    }
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select dt.device_id, t.name from device_tags dt join tags t on t.id = dt.tag_id \
         where dt.device_id = any($1)",
    )
    .bind(
        devices
            .iter()
            .map(|device| device.id.to_string())
            .collect::<Vec<_>>(),
    )
    .fetch_all(conn)
    .await
    .map_err(db_error)?;
    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    for (device_id, name) in rows {
        tags.entry(device_id).or_default().push(name);
    }
    for device in devices {
        if let Some(mut names) = tags.remove(&device.id.to_string()) {
            names.sort_unstable();
            device.tags = names;
        }
    }
    Ok(())
}

/// One device of an organization.
pub(crate) async fn fetch_device(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    id: DeviceId,
) -> StoreResult<DeviceRecord> {
    let sql = format!("{DEVICE_SELECT} where d.organization_id = ? and d.id = ?");
    let args = vec![
        Arg::Text(organization_id.to_string()),
        Arg::Text(id.to_string()),
    ];
    let mut devices = fetch_devices(conn, &sql, args).await?;
    devices.pop().ok_or(plumb_core::StoreError::NotFound)
}

/// A keyset page of devices: `limit + 1` rows in the direction of travel, the extra one only
/// proving that there is more. [`plan`] picks the index that drives the page.
pub(crate) async fn fetch_device_page(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    filter: &DeviceFilter,
    page: &PageRequest<DeviceId>,
) -> StoreResult<Page<DeviceRecord>> {
    let subtree = match filter.ancestor_group_id {
        None => None,
        Some(ancestor) => Some(plan::subtree(conn, organization_id, ancestor).await?),
    };
    if subtree.as_ref().is_some_and(Vec::is_empty) {
        // A missing or foreign ancestor: no device can be below it.
        return Ok(Page::from_probe(Vec::new(), page));
    }
    let (sql, args) = plan::page_statement(organization_id, filter, subtree.as_deref(), page);
    let devices = fetch_devices(conn, &sql, args).await?;
    Ok(Page::from_probe(devices, page))
}
