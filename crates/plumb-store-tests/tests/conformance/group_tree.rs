//! The group tree as a whole: children, device counts over subtrees, ancestors, and deletion
//! moving a group's contents up to its parent.

use plumb_core::Store;
use plumb_core::id::GroupId;

use crate::support::{assert_conflict, assert_not_found, insert_device, insert_group, tenant};

conformance!(
    child_ids_are_the_direct_children_in_id_order,
    counts_cover_direct_devices_and_the_whole_subtree,
    ancestors_are_listed_nearest_first,
    a_missing_groups_ancestors_are_not_found,
    deleting_a_group_moves_its_devices_and_children_to_its_parent,
    deleting_a_root_group_makes_its_children_roots,
    deleting_a_group_whose_child_collides_changes_nothing,
    a_child_named_like_its_deleted_parent_moves_up,
);

async fn child_ids_are_the_direct_children_in_id_order(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let root = insert_group(store, acme.id, None, "Root").await;
    let mut children = Vec::new();
    for name in ["c", "a", "b"] {
        children.push(insert_group(store, acme.id, Some(root.id), name).await.id);
    }
    insert_group(store, acme.id, Some(children[0]), "grandchild").await;
    children.sort();

    assert_eq!(
        store.group(acme.id, root.id).await.unwrap().child_ids,
        children
    );
}

async fn counts_cover_direct_devices_and_the_whole_subtree(store: &dyn Store) {
    // Arrange: top (1 device) > middle (2) > bottom (3), plus a sibling of middle (4) and an
    // ungrouped device and another organization's devices that count nowhere.
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let top = insert_group(store, acme.id, None, "Top").await;
    let middle = insert_group(store, acme.id, Some(top.id), "Middle").await;
    let bottom = insert_group(store, acme.id, Some(middle.id), "Bottom").await;
    let sibling = insert_group(store, acme.id, Some(top.id), "Sibling").await;
    for (group, count) in [(&top, 1), (&middle, 2), (&bottom, 3), (&sibling, 4)] {
        for _ in 0..count {
            insert_device(store, acme.id, Some(group.id)).await;
        }
    }
    insert_device(store, acme.id, None).await;
    let theirs = insert_group(store, other.id, None, "Top").await;
    insert_device(store, other.id, Some(theirs.id)).await;

    // Act
    let counts =
        |group: plumb_core::store::GroupRecord| (group.device_count, group.descendent_device_count);

    // Assert
    assert_eq!(counts(store.group(acme.id, top.id).await.unwrap()), (1, 10));
    assert_eq!(
        counts(store.group(acme.id, middle.id).await.unwrap()),
        (2, 5)
    );
    assert_eq!(
        counts(store.group(acme.id, bottom.id).await.unwrap()),
        (3, 3)
    );
    assert_eq!(
        counts(store.group(acme.id, sibling.id).await.unwrap()),
        (4, 4)
    );
    assert_eq!(
        counts(store.group(other.id, theirs.id).await.unwrap()),
        (1, 1)
    );
}

async fn ancestors_are_listed_nearest_first(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let top = insert_group(store, acme.id, None, "Top").await;
    let middle = insert_group(store, acme.id, Some(top.id), "Middle").await;
    let bottom = insert_group(store, acme.id, Some(middle.id), "Bottom").await;

    assert_eq!(
        store.group_ancestors(acme.id, bottom.id).await.unwrap(),
        [middle.id, top.id]
    );
    assert_eq!(
        store.group_ancestors(acme.id, middle.id).await.unwrap(),
        [top.id]
    );
    assert!(
        store
            .group_ancestors(acme.id, top.id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_missing_groups_ancestors_are_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    assert_not_found(store.group_ancestors(acme.id, GroupId::new()).await);
}

async fn deleting_a_group_moves_its_devices_and_children_to_its_parent(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let top = insert_group(store, acme.id, None, "Top").await;
    let doomed = insert_group(store, acme.id, Some(top.id), "Doomed").await;
    let child = insert_group(store, acme.id, Some(doomed.id), "Child").await;
    let grandchild = insert_group(store, acme.id, Some(child.id), "Grandchild").await;
    let direct = insert_device(store, acme.id, Some(doomed.id)).await;
    let nested = insert_device(store, acme.id, Some(grandchild.id)).await;

    // Act
    store
        .delete_group(acme.id, doomed.id, time::OffsetDateTime::UNIX_EPOCH, None)
        .await
        .unwrap();

    // Assert
    assert_not_found(store.group(acme.id, doomed.id).await);
    let top = store.group(acme.id, top.id).await.unwrap();
    assert_eq!(top.child_ids, [child.id]);
    assert_eq!((top.device_count, top.descendent_device_count), (1, 2));
    assert_eq!(
        store.group(acme.id, child.id).await.unwrap().parent_id,
        Some(top.id)
    );
    assert_eq!(
        store.group(acme.id, grandchild.id).await.unwrap().parent_id,
        Some(child.id)
    );
    let groups = store
        .device_groups(acme.id, &[direct, nested])
        .await
        .unwrap();
    assert!(groups.contains(&(direct, Some(top.id))));
    assert!(groups.contains(&(nested, Some(grandchild.id))));
}

async fn deleting_a_root_group_makes_its_children_roots(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let doomed = insert_group(store, acme.id, None, "Doomed").await;
    let child = insert_group(store, acme.id, Some(doomed.id), "Child").await;
    let device = insert_device(store, acme.id, Some(doomed.id)).await;

    store
        .delete_group(acme.id, doomed.id, time::OffsetDateTime::UNIX_EPOCH, None)
        .await
        .unwrap();

    assert_eq!(
        store.group(acme.id, child.id).await.unwrap().parent_id,
        None
    );
    assert_eq!(
        store.device_groups(acme.id, &[device]).await.unwrap(),
        [(device, None)]
    );
    assert_not_found(
        store
            .delete_group(acme.id, doomed.id, time::OffsetDateTime::UNIX_EPOCH, None)
            .await,
    );
}

async fn deleting_a_group_whose_child_collides_changes_nothing(store: &dyn Store) {
    // Arrange: the doomed group's child "Servers" would land next to another "Servers".
    let acme = tenant(store, "acme").await;
    let top = insert_group(store, acme.id, None, "Top").await;
    insert_group(store, acme.id, Some(top.id), "Servers").await;
    let doomed = insert_group(store, acme.id, Some(top.id), "Doomed").await;
    let child = insert_group(store, acme.id, Some(doomed.id), "Servers").await;
    let device = insert_device(store, acme.id, Some(doomed.id)).await;

    // Act
    let result = store
        .delete_group(acme.id, doomed.id, time::OffsetDateTime::UNIX_EPOCH, None)
        .await;

    // Assert
    assert_conflict(result, "groups.name");
    let kept = store.group(acme.id, doomed.id).await.unwrap();
    assert_eq!(
        (kept.child_ids.as_slice(), kept.device_count),
        (&[child.id][..], 1)
    );
    assert_eq!(
        store.device_groups(acme.id, &[device]).await.unwrap(),
        [(device, Some(doomed.id))]
    );
}

async fn a_child_named_like_its_deleted_parent_moves_up(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let doomed = insert_group(store, acme.id, None, "Servers").await;
    let child = insert_group(store, acme.id, Some(doomed.id), "Servers").await;

    store
        .delete_group(acme.id, doomed.id, time::OffsetDateTime::UNIX_EPOCH, None)
        .await
        .unwrap();

    let moved = store.group(acme.id, child.id).await.unwrap();
    assert_eq!((moved.parent_id, moved.name.as_str()), (None, "Servers"));
}
