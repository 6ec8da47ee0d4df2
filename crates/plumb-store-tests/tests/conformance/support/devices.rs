//! Device fixtures: named devices and pages of device ids.

use plumb_core::Store;
use plumb_core::id::{DeviceId, GroupId, OrganizationId};
use plumb_core::store::NewDevice;

use super::T0;

/// Inserts a device with this hostname (and optionally a group), returning it as stored.
pub async fn insert_named_device(
    store: &dyn Store,
    organization_id: OrganizationId,
    group_id: Option<GroupId>,
    hostname: &str,
) -> DeviceId {
    let device = NewDevice::bare(organization_id, group_id, hostname, T0);
    store
        .insert_device(&device)
        .await
        .expect("device is inserted");
    device.id
}

/// The ids on one page of devices and whether there is more.
pub async fn device_page(
    store: &dyn Store,
    organization_id: OrganizationId,
    filter: &plumb_core::store::DeviceFilter,
    limit: u32,
    cursor: plumb_core::page::Cursor<DeviceId>,
) -> (Vec<DeviceId>, bool) {
    let request = plumb_core::page::PageRequest { limit, cursor };
    let page = store
        .list_devices(organization_id, filter, &request)
        .await
        .expect("devices are listed");
    (
        page.items.iter().map(|device| device.id).collect(),
        page.has_more,
    )
}

/// The ids of every device matching `filter` (one page of the largest size).
pub async fn device_ids(
    store: &dyn Store,
    organization_id: OrganizationId,
    filter: &plumb_core::store::DeviceFilter,
) -> Vec<DeviceId> {
    let cursor = plumb_core::page::Cursor::First;
    device_page(
        store,
        organization_id,
        filter,
        plumb_core::page::MAX_LIMIT,
        cursor,
    )
    .await
    .0
}
