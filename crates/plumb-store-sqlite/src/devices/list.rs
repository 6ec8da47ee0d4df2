//! Reading devices: one device, and keyset pages of an organization's devices narrowed by a
//! [`DeviceFilter`].
//!
//! A page costs two queries whatever its size: one for the devices (with their group's name,
//! joined), one for the tags of exactly those devices. Pages walk the (organization_id, id)
//! index, so the last page of a million devices costs what the first does.

use std::collections::HashMap;

use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{DeviceFilter, DeviceRecord, StoreResult};
use sqlx::SqliteConnection;

use crate::codec::{escape_like, id_array};
use crate::error::db_error;
use crate::rows::{DEVICE_SELECT, DeviceRow};

/// A bound value of a query built at run time.
enum Arg {
    /// Text (ids, names, patterns).
    Text(String),
    /// A flag.
    Bool(bool),
    /// A number.
    Int(i64),
}

/// Runs `sql` (positional `?` parameters) with `args` bound in order.
async fn fetch_devices(
    conn: &mut SqliteConnection,
    sql: &str,
    args: Vec<Arg>,
) -> StoreResult<Vec<DeviceRecord>> {
    let mut query = sqlx::query_as::<_, DeviceRow>(sql);
    for arg in args {
        query = match arg {
            Arg::Text(text) => query.bind(text),
            Arg::Bool(flag) => query.bind(flag),
            Arg::Int(number) => query.bind(number),
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
async fn attach_tags(conn: &mut SqliteConnection, devices: &mut [DeviceRecord]) -> StoreResult<()> {
    if devices.is_empty() {
        return Ok(());
    }
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select dt.device_id, t.name from device_tags dt join tags t on t.id = dt.tag_id \
         where dt.device_id in (select value from json_each(?1))",
    )
    .bind(id_array(devices.iter().map(|device| device.id.to_string())))
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
    conn: &mut SqliteConnection,
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
/// proving that there is more.
pub(crate) async fn fetch_device_page(
    conn: &mut SqliteConnection,
    organization_id: OrganizationId,
    filter: &DeviceFilter,
    page: &PageRequest<DeviceId>,
) -> StoreResult<Page<DeviceRecord>> {
    let mut sql = format!("{DEVICE_SELECT} where d.organization_id = ?");
    let mut args = vec![Arg::Text(organization_id.to_string())];
    let order = match page.cursor {
        Cursor::First => "asc",
        Cursor::After(id) => {
            sql.push_str(" and d.id > ?");
            args.push(Arg::Text(id.to_string()));
            "asc"
        }
        Cursor::Before(id) => {
            sql.push_str(" and d.id < ?");
            args.push(Arg::Text(id.to_string()));
            "desc"
        }
    };
    push_filter(&mut sql, &mut args, organization_id, filter);
    sql.push_str(&format!(" order by d.id {order} limit ?"));
    args.push(Arg::Int(i64::from(page.limit) + 1));
    let devices = fetch_devices(conn, &sql, args).await?;
    Ok(Page::from_probe(devices, page))
}

/// Appends the filter's conditions on `d` and their arguments.
fn push_filter(
    sql: &mut String,
    args: &mut Vec<Arg>,
    organization_id: OrganizationId,
    filter: &DeviceFilter,
) {
    match filter.group_id {
        None => {}
        Some(None) => sql.push_str(" and d.group_id is null"),
        Some(Some(group_id)) => {
            sql.push_str(" and d.group_id = ?");
            args.push(Arg::Text(group_id.to_string()));
        }
    }
    if let Some(ancestor) = filter.ancestor_group_id {
        // `union` stops the walk even if a cycle ever slipped into the data.
        sql.push_str(
            " and d.group_id in (with recursive subtree (id) as ( \
               select id from groups where organization_id = ? and id = ? \
               union \
               select child.id from subtree \
               join groups child on child.organization_id = ? and child.parent_id = subtree.id \
             ) select id from subtree)",
        );
        args.push(Arg::Text(organization_id.to_string()));
        args.push(Arg::Text(ancestor.to_string()));
        args.push(Arg::Text(organization_id.to_string()));
    }
    if let Some(tag_id) = filter.tag_id {
        sql.push_str(
            " and exists (select 1 from device_tags dt where dt.tag_id = ? and dt.device_id = d.id)",
        );
        args.push(Arg::Text(tag_id.to_string()));
    }
    if let Some(hostname) = &filter.hostname {
        sql.push_str(" and d.hostname = ?");
        args.push(Arg::Text(hostname.clone()));
    }
    if let Some(serial_number) = &filter.serial_number {
        sql.push_str(" and d.serial_number = ?");
        args.push(Arg::Text(serial_number.clone()));
    }
    if let Some(online) = filter.online {
        sql.push_str(" and d.online = ?");
        args.push(Arg::Bool(online));
    }
    if let Some(search) = &filter.search {
        // SQLite's `like` ignores case (for ASCII letters, like `lower`).
        sql.push_str(
            " and (d.hostname like ? escape '\\' or coalesce(d.nickname, '') like ? escape '\\')",
        );
        let pattern = format!("%{}%", escape_like(search));
        args.push(Arg::Text(pattern.clone()));
        args.push(Arg::Text(pattern));
    }
}
