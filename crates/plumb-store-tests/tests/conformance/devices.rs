//! Devices and their groups: insertion, lookup of current groups, and atomic moves scoped to
//! one organization.

use plumb_core::Store;
use plumb_core::id::{DeviceId, GroupId};
use plumb_core::store::NewDevice;

use crate::support::{T0, assert_not_found, insert_device, insert_group, minutes, tenant};

conformance!(
    a_device_in_a_missing_or_foreign_group_is_not_found,
    device_groups_answers_only_for_the_organizations_devices,
    moving_devices_puts_them_in_the_group,
    moving_devices_out_of_any_group_leaves_them_ungrouped,
    moving_devices_with_an_unknown_id_changes_nothing,
    moving_another_organizations_device_changes_nothing,
    moving_devices_into_a_missing_or_foreign_group_is_not_found,
);

async fn a_device_in_a_missing_or_foreign_group_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;

    for group_id in [GroupId::new(), foreign.id] {
        let device = NewDevice {
            id: DeviceId::new(),
            organization_id: acme.id,
            group_id: Some(group_id),
            hostname: "stray".into(),
            serial_number: None,
            token_digest: None,
            inventory: None,
            created_at: T0,
        };
        assert_not_found(store.insert_device(&device).await);
        assert!(
            store
                .device_groups(acme.id, &[device.id])
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert_eq!(
        store
            .group(other.id, foreign.id)
            .await
            .unwrap()
            .device_count,
        0
    );
}

async fn device_groups_answers_only_for_the_organizations_devices(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let grouped = insert_device(store, acme.id, Some(group.id)).await;
    let loose = insert_device(store, acme.id, None).await;
    let foreign = insert_device(store, other.id, None).await;

    let mut found = store
        .device_groups(acme.id, &[loose, foreign, DeviceId::new(), grouped])
        .await
        .unwrap();
    found.sort();

    let mut expected = vec![(grouped, Some(group.id)), (loose, None)];
    expected.sort();
    assert_eq!(found, expected);
    assert!(store.device_groups(acme.id, &[]).await.unwrap().is_empty());
}

async fn moving_devices_puts_them_in_the_group(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let from = insert_group(store, acme.id, None, "From").await;
    let to = insert_group(store, acme.id, None, "To").await;
    let first = insert_device(store, acme.id, Some(from.id)).await;
    let second = insert_device(store, acme.id, None).await;

    // A device named twice is moved once.
    store
        .move_devices(
            acme.id,
            &[first, second, first],
            Some(to.id),
            minutes(1),
            None,
        )
        .await
        .unwrap();

    let groups = store
        .device_groups(acme.id, &[first, second])
        .await
        .unwrap();
    assert!(groups.iter().all(|(_, group_id)| *group_id == Some(to.id)));
    assert_eq!(groups.len(), 2);
    assert_eq!(store.group(acme.id, to.id).await.unwrap().device_count, 2);
    assert_eq!(store.group(acme.id, from.id).await.unwrap().device_count, 0);
}

async fn moving_devices_out_of_any_group_leaves_them_ungrouped(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let device = insert_device(store, acme.id, Some(group.id)).await;

    store
        .move_devices(acme.id, &[device], None, minutes(1), None)
        .await
        .unwrap();

    assert_eq!(
        store.device_groups(acme.id, &[device]).await.unwrap(),
        [(device, None)]
    );
}

async fn moving_devices_with_an_unknown_id_changes_nothing(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let device = insert_device(store, acme.id, None).await;

    let ids = [device, DeviceId::new()];
    let result = store
        .move_devices(acme.id, &ids, Some(group.id), minutes(1), None)
        .await;

    assert_not_found(result);
    assert_eq!(
        store.device_groups(acme.id, &[device]).await.unwrap(),
        [(device, None)]
    );
}

async fn moving_another_organizations_device_changes_nothing(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let ours = insert_device(store, acme.id, None).await;
    let theirs = insert_device(store, other.id, None).await;

    let result = store
        .move_devices(acme.id, &[ours, theirs], Some(group.id), minutes(1), None)
        .await;

    assert_not_found(result);
    assert_eq!(
        store.device_groups(acme.id, &[ours]).await.unwrap(),
        [(ours, None)]
    );
    assert_eq!(
        store.device_groups(other.id, &[theirs]).await.unwrap(),
        [(theirs, None)]
    );
}

async fn moving_devices_into_a_missing_or_foreign_group_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;
    let device = insert_device(store, acme.id, None).await;

    for group_id in [GroupId::new(), foreign.id] {
        assert_not_found(
            store
                .move_devices(acme.id, &[device], Some(group_id), minutes(1), None)
                .await,
        );
        assert_not_found(
            store
                .move_devices(acme.id, &[], Some(group_id), minutes(1), None)
                .await,
        );
    }
    assert_eq!(
        store.device_groups(acme.id, &[device]).await.unwrap(),
        [(device, None)]
    );
}
