//! A device's inventory summary, kept by the database: whatever writes the inventory (an
//! insert, a check-in), the summary the database computes is what plumb-core's
//! `InventorySummary::from` computes from the same inventory, and a page that asks only for
//! summaries does not read the inventories.

use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::store::{DeviceFilter, InventoryDetail, InventorySummary, NewDevice};
use plumb_core::{Store, StoreError};
use plumb_proto::inventory::{Inventory, OperatingSystem, Platform};
use time::macros::datetime;

use crate::device_checkins::checkin;
use crate::support::{T0, first_page, inventory, tenant};

conformance!(
    the_summary_the_database_keeps_is_the_one_computed_from_the_inventory,
    a_check_in_that_changes_the_inventory_changes_its_summary,
    a_page_or_a_device_read_for_its_summary_reads_no_inventory,
    an_inventory_that_is_not_json_is_refused_and_nothing_is_stored,
);

/// Inventories that exercise every summary field: full, sparse and empty.
fn inventories() -> Vec<Inventory> {
    let full = Inventory {
        hostname: "ACME-SRV-01".into(),
        platform: Some(Platform::Windows),
        operating_system: OperatingSystem {
            full_operating_system: Some("Windows Server 2022 Datacenter «ü» \"quoted\"".into()),
            major_version: Some("10".into()),
            ..OperatingSystem::default()
        },
        architecture: Some("x86_64".into()),
        manufacturer: Some("Dell Inc.".into()),
        model: Some("PowerEdge R650".into()),
        serial_number: Some("SN-\\-42".into()),
        total_memory: Some(549_755_813_888),
        memory_slots: Some(16),
        cpu_cores: Some(64),
        last_logged_in_user: Some("ACME\\admin".into()),
        last_reboot_time: Some(datetime!(2026-11-30 04:05:06.789 UTC)),
        private_ip_addresses: vec!["10.0.0.7".into(), "fe80::1".into()],
        ..Inventory::default()
    };
    vec![full, inventory("web-1"), Inventory::default()]
}

fn device_with(organization_id: OrganizationId, inventory: Option<String>) -> NewDevice {
    NewDevice {
        inventory,
        ..NewDevice::bare(organization_id, None, "web-1", T0)
    }
}

/// Every device's id and summary, in id order.
async fn summaries(
    store: &dyn Store,
    organization_id: OrganizationId,
) -> Vec<(DeviceId, Option<InventorySummary>)> {
    store
        .list_devices(
            organization_id,
            &DeviceFilter::default(),
            &first_page::<DeviceId>(10),
            InventoryDetail::Summary,
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|device| (device.id, device.summary))
        .collect()
}

async fn the_summary_the_database_keeps_is_the_one_computed_from_the_inventory(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let mut expected = Vec::new();
    for inventory in inventories() {
        let device = device_with(acme.id, Some(serde_json::to_string(&inventory).unwrap()));
        store.insert_device(&device).await.unwrap();
        expected.push((device.id, Some(InventorySummary::from(&inventory))));
    }
    let never = device_with(acme.id, None);
    store.insert_device(&never).await.unwrap();
    expected.push((never.id, None));
    expected.sort_by_key(|(id, _)| *id);

    let listed = summaries(store, acme.id).await;
    let alone = store.device(acme.id, expected[0].0).await.unwrap();

    assert_eq!(listed, expected);
    assert_eq!(alone.summary, expected[0].1);
}

async fn a_check_in_that_changes_the_inventory_changes_its_summary(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = device_with(acme.id, None);
    store.insert_device(&device).await.unwrap();

    let mut changes = Vec::new();
    for inventory in inventories() {
        let mut report = checkin(device.id, T0, Vec::new());
        report.inventory = serde_json::to_string(&inventory).unwrap();
        store.record_checkin(acme.id, &report).await.unwrap();
        let stored = store.device(acme.id, device.id).await.unwrap();
        changes.push((stored.summary, InventorySummary::from(&inventory)));
    }

    for (stored, expected) in changes {
        assert_eq!(stored, Some(expected));
    }
}

async fn a_page_or_a_device_read_for_its_summary_reads_no_inventory(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = device_with(
        acme.id,
        Some(serde_json::to_string(&inventory("web-1")).unwrap()),
    );
    store.insert_device(&device).await.unwrap();

    let page = store
        .list_devices(
            acme.id,
            &DeviceFilter::default(),
            &first_page::<DeviceId>(10),
            InventoryDetail::Summary,
        )
        .await
        .unwrap();
    let alone = store
        .device_with(acme.id, device.id, InventoryDetail::Summary)
        .await
        .unwrap();

    let expected = Some(InventorySummary::from(&inventory("web-1")));
    assert_eq!(page.items[0].inventory, None);
    assert_eq!(page.items[0].summary, expected);
    assert_eq!(alone.inventory, None);
    assert_eq!(alone.summary, expected);
}

async fn an_inventory_that_is_not_json_is_refused_and_nothing_is_stored(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = device_with(acme.id, Some("not json".to_owned()));

    let inserted = store.insert_device(&device).await;
    let stored = store.device(acme.id, device.id).await;

    assert!(inserted.is_err(), "{inserted:?}");
    assert!(matches!(stored, Err(StoreError::NotFound)), "{stored:?}");
}
