//! Device fixtures: named devices, inventories and pages of device ids.

use plumb_core::Store;
use plumb_core::id::{DeviceId, GroupId, OrganizationId};
use plumb_core::store::{InventoryDetail, NewDevice};
use plumb_proto::inventory::{Inventory, OperatingSystem, Platform};

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

/// A small inventory as an agent reports it.
pub fn inventory(hostname: &str) -> Inventory {
    Inventory {
        hostname: hostname.into(),
        platform: Some(Platform::Linux),
        operating_system: OperatingSystem {
            full_operating_system: Some("Debian GNU/Linux 12 (bookworm)".into()),
            ..OperatingSystem::default()
        },
        cpu_cores: Some(4),
        private_ip_addresses: vec!["10.0.0.7".into()],
        ..Inventory::default()
    }
}

/// An inventory as the store is handed it: its JSON text.
pub fn inventory_json(hostname: &str) -> String {
    serde_json::to_string(&inventory(hostname)).expect("an inventory serializes")
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
        .list_devices(organization_id, filter, &request, InventoryDetail::Whole)
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
