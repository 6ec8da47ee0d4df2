//! Groups one at a time: insertion, sibling-name uniqueness, renaming and moving, and tenancy
//! of every group method.

use plumb_core::Store;
use plumb_core::id::GroupId;
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{GroupChange, NewGroup, ParentFilter};

use crate::support::{T0, assert_conflict, assert_not_found, insert_group, minutes, tenant};

conformance!(
    an_inserted_group_reads_back,
    a_group_under_a_missing_parent_is_not_found,
    a_group_under_another_organizations_parent_is_not_found,
    sibling_names_conflict,
    two_roots_with_one_name_conflict,
    one_name_may_repeat_under_other_parents_and_organizations,
    another_organizations_group_is_not_found,
    renaming_a_group_into_a_siblings_name_conflicts,
    moving_a_group_changes_its_parent,
    moving_a_group_next_to_a_namesake_conflicts,
    moving_a_group_under_a_missing_parent_is_not_found,
);

fn new_group(
    organization_id: plumb_core::id::OrganizationId,
    parent_id: Option<GroupId>,
    name: &str,
) -> NewGroup {
    NewGroup {
        id: GroupId::new(),
        organization_id,
        parent_id,
        name: name.into(),
        created_at: minutes(1),
    }
}

fn rename(name: &str) -> GroupChange {
    GroupChange {
        name: Some(name.into()),
        parent_id: None,
    }
}

fn move_to(parent_id: Option<GroupId>) -> GroupChange {
    GroupChange {
        name: None,
        parent_id: Some(parent_id),
    }
}

async fn an_inserted_group_reads_back(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let parent = insert_group(store, acme.id, None, "Sites").await;
    let group = new_group(acme.id, Some(parent.id), "Paris");

    let stored = store.insert_group(&group, None).await.unwrap();

    assert_eq!(stored, store.group(acme.id, group.id).await.unwrap());
    assert_eq!(
        (stored.id, stored.organization_id, stored.parent_id),
        (group.id, acme.id, Some(parent.id))
    );
    assert_eq!(stored.name, "Paris");
    assert!(stored.child_ids.is_empty());
    assert_eq!(
        (stored.device_count, stored.descendent_device_count),
        (0, 0)
    );
    assert_eq!(
        (stored.created_at, stored.updated_at),
        (minutes(1), minutes(1))
    );
    assert_eq!(
        store.group(acme.id, parent.id).await.unwrap().child_ids,
        [group.id]
    );
}

async fn a_group_under_a_missing_parent_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = new_group(acme.id, Some(GroupId::new()), "Orphan");

    assert_not_found(store.insert_group(&group, None).await);
    assert_not_found(store.group(acme.id, group.id).await);
}

async fn a_group_under_another_organizations_parent_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;

    assert_not_found(
        store
            .insert_group(&new_group(acme.id, Some(foreign.id), "Mine"), None)
            .await,
    );
    assert!(
        store
            .group(other.id, foreign.id)
            .await
            .unwrap()
            .child_ids
            .is_empty()
    );
}

async fn sibling_names_conflict(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let parent = insert_group(store, acme.id, None, "Sites").await;
    insert_group(store, acme.id, Some(parent.id), "Paris").await;

    let duplicate = new_group(acme.id, Some(parent.id), "Paris");

    assert_conflict(store.insert_group(&duplicate, None).await, "groups.name");
}

async fn two_roots_with_one_name_conflict(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    insert_group(store, acme.id, None, "Servers").await;

    assert_conflict(
        store
            .insert_group(&new_group(acme.id, None, "Servers"), None)
            .await,
        "groups.name",
    );
}

async fn one_name_may_repeat_under_other_parents_and_organizations(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let first = insert_group(store, acme.id, None, "Europe").await;
    let second = insert_group(store, acme.id, None, "America").await;

    insert_group(store, acme.id, Some(first.id), "Servers").await;
    insert_group(store, acme.id, Some(second.id), "Servers").await;
    insert_group(store, acme.id, None, "Servers").await;
    insert_group(store, other.id, None, "Europe").await;
    // Names are compared exactly: a different case is a different name.
    insert_group(store, acme.id, None, "europe").await;
}

async fn another_organizations_group_is_not_found(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let group = insert_group(store, acme.id, None, "Ours").await;
    let child = insert_group(store, acme.id, Some(group.id), "Child").await;
    let page = PageRequest {
        limit: 10,
        cursor: Cursor::First,
    };

    // Act and assert
    assert_not_found(store.group(other.id, group.id).await);
    assert_not_found(store.group_ancestors(other.id, child.id).await);
    assert_not_found(
        store
            .update_group(other.id, group.id, &rename("Stolen"), minutes(2), None)
            .await,
    );
    assert_not_found(
        store
            .delete_group(other.id, group.id, time::OffsetDateTime::UNIX_EPOCH, None)
            .await,
    );
    assert!(
        store
            .list_groups(other.id, ParentFilter::Any, &page)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let children = store
        .list_groups(other.id, ParentFilter::ChildrenOf(group.id), &page)
        .await;
    assert!(children.unwrap().items.is_empty());
    let unchanged = store.group(acme.id, group.id).await.unwrap();
    assert_eq!(
        (unchanged.name.as_str(), unchanged.updated_at),
        ("Ours", T0)
    );
}

async fn renaming_a_group_into_a_siblings_name_conflicts(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let paris = insert_group(store, acme.id, None, "Paris").await;
    insert_group(store, acme.id, None, "Lyon").await;

    let renamed = store
        .update_group(acme.id, paris.id, &rename("Paris 1"), minutes(2), None)
        .await
        .unwrap();
    let clash = store
        .update_group(acme.id, paris.id, &rename("Lyon"), minutes(3), None)
        .await;

    assert_eq!(
        (renamed.name.as_str(), renamed.updated_at),
        ("Paris 1", minutes(2))
    );
    assert_conflict(clash, "groups.name");
    assert_eq!(
        store.group(acme.id, paris.id).await.unwrap().name,
        "Paris 1"
    );
}

async fn moving_a_group_changes_its_parent(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let europe = insert_group(store, acme.id, None, "Europe").await;
    let america = insert_group(store, acme.id, None, "America").await;
    let site = insert_group(store, acme.id, Some(europe.id), "Site").await;

    // Act
    let moved = store
        .update_group(
            acme.id,
            site.id,
            &move_to(Some(america.id)),
            minutes(2),
            None,
        )
        .await;
    let moved = moved.unwrap();
    let both = GroupChange {
        name: Some("Rooted".into()),
        parent_id: Some(None),
    };
    let rooted = store
        .update_group(acme.id, site.id, &both, minutes(3), None)
        .await
        .unwrap();

    // Assert
    assert_eq!(
        (moved.parent_id, moved.name.as_str()),
        (Some(america.id), "Site")
    );
    assert_eq!((rooted.parent_id, rooted.name.as_str()), (None, "Rooted"));
    assert_eq!(rooted.updated_at, minutes(3));
    assert!(
        store
            .group(acme.id, europe.id)
            .await
            .unwrap()
            .child_ids
            .is_empty()
    );
    assert!(
        store
            .group(acme.id, america.id)
            .await
            .unwrap()
            .child_ids
            .is_empty()
    );
}

async fn moving_a_group_next_to_a_namesake_conflicts(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let europe = insert_group(store, acme.id, None, "Europe").await;
    insert_group(store, acme.id, None, "Servers").await;
    let nested = insert_group(store, acme.id, Some(europe.id), "Servers").await;

    let result = store
        .update_group(acme.id, nested.id, &move_to(None), minutes(2), None)
        .await;

    assert_conflict(result, "groups.name");
    assert_eq!(
        store.group(acme.id, nested.id).await.unwrap().parent_id,
        Some(europe.id)
    );
}

async fn moving_a_group_under_a_missing_parent_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let group = insert_group(store, acme.id, None, "Mine").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;

    for parent_id in [GroupId::new(), foreign.id] {
        let change = move_to(Some(parent_id));
        assert_not_found(
            store
                .update_group(acme.id, group.id, &change, minutes(2), None)
                .await,
        );
    }
    assert_eq!(
        store.group(acme.id, group.id).await.unwrap().parent_id,
        None
    );
}
