//! Keyset pages of devices: travel in both directions, the edges of `has_more`, every filter
//! alone and combined, and tenant isolation.

use plumb_core::Store;
use plumb_core::id::{DeviceId, GroupId, OrganizationId};
use plumb_core::page::Cursor;
use plumb_core::store::DeviceFilter;

use crate::support::tenant;
use crate::support::{device_ids, device_page, insert_group, insert_named_device};

conformance!(
    an_empty_organization_has_an_empty_last_page_of_devices,
    device_pages_walk_forward_and_backward_in_id_order,
    an_exact_multiple_of_the_limit_ends_the_device_pages_without_more,
    an_unknown_cursor_id_is_just_a_position,
    device_pages_hold_only_the_organizations_devices,
    the_group_filters_pick_direct_members_ungrouped_devices_or_a_subtree,
    a_missing_or_foreign_ancestor_group_yields_no_devices,
);

/// Inserts `count` devices and returns their ids in id order.
async fn devices(
    store: &dyn Store,
    organization_id: OrganizationId,
    count: usize,
) -> Vec<DeviceId> {
    let mut ids = Vec::new();
    for number in 0..count {
        ids.push(
            insert_named_device(store, organization_id, None, &format!("host-{number}")).await,
        );
    }
    ids.sort();
    ids
}

fn all() -> DeviceFilter {
    DeviceFilter::default()
}

async fn an_empty_organization_has_an_empty_last_page_of_devices(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    for cursor in [
        Cursor::First,
        Cursor::After(DeviceId::new()),
        Cursor::Before(DeviceId::new()),
    ] {
        assert_eq!(
            device_page(store, acme.id, &all(), 5, cursor).await,
            (vec![], false)
        );
    }
}

async fn device_pages_walk_forward_and_backward_in_id_order(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let ids = devices(store, acme.id, 5).await;

    let first = device_page(store, acme.id, &all(), 2, Cursor::First).await;
    assert_eq!(first, (ids[0..2].to_vec(), true));
    let second = device_page(store, acme.id, &all(), 2, Cursor::After(ids[1])).await;
    assert_eq!(second, (ids[2..4].to_vec(), true));
    let last = device_page(store, acme.id, &all(), 2, Cursor::After(ids[3])).await;
    assert_eq!(last, (ids[4..].to_vec(), false));

    let back = device_page(store, acme.id, &all(), 2, Cursor::Before(ids[4])).await;
    assert_eq!(back, (ids[2..4].to_vec(), true));
    let start = device_page(store, acme.id, &all(), 2, Cursor::Before(ids[2])).await;
    assert_eq!(start, (ids[0..2].to_vec(), false));
}

async fn an_exact_multiple_of_the_limit_ends_the_device_pages_without_more(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let ids = devices(store, acme.id, 4).await;

    assert_eq!(
        device_page(store, acme.id, &all(), 2, Cursor::After(ids[1])).await,
        (ids[2..].to_vec(), false)
    );
    assert_eq!(
        device_page(store, acme.id, &all(), 4, Cursor::First).await,
        (ids.clone(), false)
    );
    assert_eq!(
        device_page(store, acme.id, &all(), 2, Cursor::After(ids[3])).await,
        (vec![], false)
    );
}

async fn an_unknown_cursor_id_is_just_a_position(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let before = devices(store, acme.id, 2).await;
    let between = DeviceId::new();
    let after = devices(store, acme.id, 2).await;

    assert_eq!(
        device_page(store, acme.id, &all(), 10, Cursor::After(between)).await,
        (after.clone(), false)
    );
    assert_eq!(
        device_page(store, acme.id, &all(), 10, Cursor::Before(between)).await,
        (before, false)
    );
}

async fn device_pages_hold_only_the_organizations_devices(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let ours = devices(store, acme.id, 2).await;
    let theirs = devices(store, other.id, 2).await;

    assert_eq!(device_ids(store, acme.id, &all()).await, ours);
    assert_eq!(device_ids(store, other.id, &all()).await, theirs);
    let by_host = DeviceFilter {
        hostname: Some("host-0".into()),
        ..all()
    };
    assert_eq!(device_ids(store, acme.id, &by_host).await, ours[..1]);
}

async fn the_group_filters_pick_direct_members_ungrouped_devices_or_a_subtree(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let root = insert_group(store, acme.id, None, "Root").await;
    let child = insert_group(store, acme.id, Some(root.id), "Child").await;
    let grandchild = insert_group(store, acme.id, Some(child.id), "Grandchild").await;
    let sibling = insert_group(store, acme.id, None, "Sibling").await;
    let in_root = insert_named_device(store, acme.id, Some(root.id), "a").await;
    let in_child = insert_named_device(store, acme.id, Some(child.id), "b").await;
    let in_grandchild = insert_named_device(store, acme.id, Some(grandchild.id), "c").await;
    let in_sibling = insert_named_device(store, acme.id, Some(sibling.id), "d").await;
    let loose = insert_named_device(store, acme.id, None, "e").await;

    let direct = DeviceFilter {
        group_id: Some(Some(child.id)),
        ..all()
    };
    assert_eq!(device_ids(store, acme.id, &direct).await, [in_child]);
    let ungrouped = DeviceFilter {
        group_id: Some(None),
        ..all()
    };
    assert_eq!(device_ids(store, acme.id, &ungrouped).await, [loose]);
    let subtree = DeviceFilter {
        ancestor_group_id: Some(root.id),
        ..all()
    };
    assert_eq!(
        device_ids(store, acme.id, &subtree).await,
        [in_root, in_child, in_grandchild]
    );
    let lower = DeviceFilter {
        ancestor_group_id: Some(child.id),
        ..all()
    };
    assert_eq!(
        device_ids(store, acme.id, &lower).await,
        [in_child, in_grandchild]
    );
    let both = DeviceFilter {
        group_id: Some(Some(sibling.id)),
        ancestor_group_id: Some(root.id),
        ..all()
    };
    assert!(device_ids(store, acme.id, &both).await.is_empty());
    assert_eq!(
        device_ids(
            store,
            acme.id,
            &DeviceFilter {
                group_id: Some(Some(sibling.id)),
                ..all()
            }
        )
        .await,
        [in_sibling]
    );
}

async fn a_missing_or_foreign_ancestor_group_yields_no_devices(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;
    insert_named_device(store, other.id, Some(foreign.id), "theirs").await;
    insert_named_device(store, acme.id, None, "ours").await;

    for group_id in [GroupId::new(), foreign.id] {
        let filter = DeviceFilter {
            ancestor_group_id: Some(group_id),
            ..all()
        };
        assert!(device_ids(store, acme.id, &filter).await.is_empty());
        let direct = DeviceFilter {
            group_id: Some(Some(group_id)),
            ..all()
        };
        assert!(device_ids(store, acme.id, &direct).await.is_empty());
    }
}
