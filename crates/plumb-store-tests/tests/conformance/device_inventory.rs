//! A device's inventory: handed to the store as JSON text, read back decoded, alone and on a
//! page; a stored inventory that does not decode is a damaged database, never a missing one.

use plumb_core::id::DeviceId;
use plumb_core::store::{DeviceFilter, InventoryDetail, NewDevice};
use plumb_core::{Store, StoreError};

use crate::support::{T0, first_page, inventory, inventory_json, tenant};

conformance!(
    an_inventory_reads_back_decoded_alone_and_on_a_page,
    a_device_that_never_reported_has_no_inventory,
    a_stored_inventory_that_does_not_decode_is_a_damaged_database,
);

fn device_with(
    organization_id: plumb_core::id::OrganizationId,
    inventory: Option<String>,
) -> NewDevice {
    NewDevice {
        inventory,
        ..NewDevice::bare(organization_id, None, "web-1", T0)
    }
}

async fn an_inventory_reads_back_decoded_alone_and_on_a_page(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = device_with(acme.id, Some(inventory_json("web-1")));
    store.insert_device(&device).await.unwrap();

    let alone = store.device(acme.id, device.id).await.unwrap();
    let page = store
        .list_devices(
            acme.id,
            &DeviceFilter::default(),
            &first_page::<DeviceId>(10),
            InventoryDetail::Whole,
        )
        .await
        .unwrap();

    assert_eq!(alone.inventory.as_deref(), Some(&inventory("web-1")));
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        page.items[0].inventory.as_deref(),
        Some(&inventory("web-1"))
    );
}

async fn a_device_that_never_reported_has_no_inventory(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = device_with(acme.id, None);
    store.insert_device(&device).await.unwrap();

    let stored = store.device(acme.id, device.id).await.unwrap();

    assert_eq!(stored.inventory, None);
}

async fn a_stored_inventory_that_does_not_decode_is_a_damaged_database(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    // (Text that is not JSON at all is refused when it is written: `device_summaries`.)
    for damaged in [r#"{"cpu":4}"#, r#"{"hostname":7}"#] {
        let device = device_with(acme.id, Some(damaged.to_owned()));
        store.insert_device(&device).await.unwrap();

        let alone = store.device(acme.id, device.id).await;
        let page = store
            .list_devices(
                acme.id,
                &DeviceFilter::default(),
                &first_page::<DeviceId>(10),
                InventoryDetail::Whole,
            )
            .await;

        assert!(
            matches!(alone, Err(StoreError::Unavailable(_))),
            "{damaged}: {alone:?}"
        );
        assert!(
            matches!(page, Err(StoreError::Unavailable(_))),
            "{damaged}: {page:?}"
        );
        store
            .delete_device(acme.id, device.id, time::OffsetDateTime::UNIX_EPOCH, None)
            .await
            .unwrap();
    }
}
