//! A tag's device count, kept by the database: it follows tagging, untagging, refused changes
//! and the deletion of tagged devices, for that tag only.

use plumb_core::Store;
use plumb_core::id::{OrganizationId, TagId};

use crate::support::{T0, insert_named_device, tenant};

conformance!(a_tags_device_count_follows_every_change_to_its_devices);

async fn count(store: &dyn Store, organization_id: OrganizationId, id: TagId) -> u64 {
    store.tag(organization_id, id).await.unwrap().device_count
}

async fn a_tags_device_count_follows_every_change_to_its_devices(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let prod = store
        .insert_tag(acme.id, TagId::new(), "prod", T0, None)
        .await
        .unwrap()
        .id;
    let other = store
        .insert_tag(acme.id, TagId::new(), "other", T0, None)
        .await
        .unwrap()
        .id;
    let mut devices = Vec::new();
    for name in ["a", "b", "c"] {
        devices.push(insert_named_device(store, acme.id, None, name).await);
    }

    let tagged = store
        .tag_devices(acme.id, prod, &devices, T0, None)
        .await
        .unwrap();
    assert_eq!(tagged.device_count, 3);
    store
        .tag_devices(acme.id, other, &devices[..1], T0, None)
        .await
        .unwrap();
    // A refused change (a device already tagged) changes no count.
    assert!(
        store
            .tag_devices(acme.id, prod, &devices[..1], T0, None)
            .await
            .is_err()
    );
    assert_eq!(count(store, acme.id, prod).await, 3);

    let untagged = store
        .untag_devices(acme.id, prod, &devices[1..2], None)
        .await
        .unwrap();
    assert_eq!(untagged.device_count, 2);
    store
        .delete_device(acme.id, devices[0], time::OffsetDateTime::UNIX_EPOCH, None)
        .await
        .unwrap();

    assert_eq!(count(store, acme.id, prod).await, 1);
    assert_eq!(count(store, acme.id, other).await, 0);
    store.delete_tag(acme.id, other, None).await.unwrap();
    assert_eq!(count(store, acme.id, prod).await, 1);
}
