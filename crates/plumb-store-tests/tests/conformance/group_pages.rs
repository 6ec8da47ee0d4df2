//! Keyset pages of groups: forward and backward travel, `has_more` at the edges, and the
//! parent filters.

use plumb_core::Store;
use plumb_core::id::{GroupId, OrganizationId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{GroupRecord, ParentFilter};

use crate::support::{insert_group, tenant};

conformance!(
    an_empty_organization_has_an_empty_last_page,
    pages_walk_forward_and_backward_in_id_order,
    an_exact_multiple_of_the_limit_ends_without_more,
    parent_filters_pick_roots_or_direct_children,
    pages_hold_only_the_organizations_groups,
);

async fn page(
    store: &dyn Store,
    organization_id: OrganizationId,
    parent: ParentFilter,
    limit: u32,
    cursor: Cursor<GroupId>,
) -> (Vec<GroupId>, bool) {
    let request = PageRequest { limit, cursor };
    let Page { items, has_more } = store
        .list_groups(organization_id, parent, &request)
        .await
        .unwrap();
    (
        items.iter().map(|group: &GroupRecord| group.id).collect(),
        has_more,
    )
}

/// Inserts `count` root groups and returns their ids in id order.
async fn roots(store: &dyn Store, organization_id: OrganizationId, count: usize) -> Vec<GroupId> {
    let mut ids = Vec::new();
    for number in 0..count {
        ids.push(
            insert_group(store, organization_id, None, &format!("group {number}"))
                .await
                .id,
        );
    }
    ids.sort();
    ids
}

async fn an_empty_organization_has_an_empty_last_page(store: &dyn Store) {
    let acme = tenant(store, "acme").await;

    for cursor in [
        Cursor::First,
        Cursor::After(GroupId::new()),
        Cursor::Before(GroupId::new()),
    ] {
        assert_eq!(
            page(store, acme.id, ParentFilter::Any, 5, cursor).await,
            (vec![], false)
        );
    }
}

async fn pages_walk_forward_and_backward_in_id_order(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let ids = roots(store, acme.id, 5).await;
    let any = ParentFilter::Any;

    // Forward: 2 + 2 + 1.
    assert_eq!(
        page(store, acme.id, any, 2, Cursor::First).await,
        (ids[0..2].to_vec(), true)
    );
    assert_eq!(
        page(store, acme.id, any, 2, Cursor::After(ids[1])).await,
        (ids[2..4].to_vec(), true)
    );
    assert_eq!(
        page(store, acme.id, any, 2, Cursor::After(ids[3])).await,
        (ids[4..].to_vec(), false)
    );
    assert_eq!(
        page(store, acme.id, any, 2, Cursor::After(ids[4])).await,
        (vec![], false)
    );

    // Backward: pages come back in ascending order, and `has_more` looks further back.
    assert_eq!(
        page(store, acme.id, any, 2, Cursor::Before(ids[4])).await,
        (ids[2..4].to_vec(), true)
    );
    assert_eq!(
        page(store, acme.id, any, 2, Cursor::Before(ids[2])).await,
        (ids[0..2].to_vec(), false)
    );
    assert_eq!(
        page(store, acme.id, any, 2, Cursor::Before(ids[1])).await,
        (ids[0..1].to_vec(), false)
    );
    assert_eq!(
        page(store, acme.id, any, 2, Cursor::Before(ids[0])).await,
        (vec![], false)
    );
}

async fn an_exact_multiple_of_the_limit_ends_without_more(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let ids = roots(store, acme.id, 4).await;
    let any = ParentFilter::Any;

    assert_eq!(
        page(store, acme.id, any, 2, Cursor::After(ids[1])).await,
        (ids[2..].to_vec(), false)
    );
    assert_eq!(
        page(store, acme.id, any, 4, Cursor::First).await,
        (ids.clone(), false)
    );
    assert_eq!(
        page(store, acme.id, any, 3, Cursor::First).await,
        (ids[..3].to_vec(), true)
    );
}

async fn parent_filters_pick_roots_or_direct_children(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let first = insert_group(store, acme.id, None, "First").await;
    let second = insert_group(store, acme.id, None, "Second").await;
    let mut children = Vec::new();
    for name in ["a", "b", "c"] {
        children.push(insert_group(store, acme.id, Some(first.id), name).await.id);
    }
    let grandchild = insert_group(store, acme.id, Some(children[0]), "deep").await;
    children.sort();
    let mut everything = vec![first.id, second.id, grandchild.id];
    everything.extend(&children);
    everything.sort();

    // Act
    let roots = page(store, acme.id, ParentFilter::Root, 10, Cursor::First).await;
    let under_first = ParentFilter::ChildrenOf(first.id);
    let first_page = page(store, acme.id, under_first, 2, Cursor::First).await;
    let second_page = page(store, acme.id, under_first, 2, Cursor::After(children[1])).await;
    let before = page(store, acme.id, under_first, 2, Cursor::Before(children[2])).await;

    // Assert
    let mut expected_roots = vec![first.id, second.id];
    expected_roots.sort();
    assert_eq!(roots, (expected_roots, false));
    assert_eq!(first_page, (children[..2].to_vec(), true));
    assert_eq!(second_page, (children[2..].to_vec(), false));
    assert_eq!(before, (children[..2].to_vec(), false));
    let empty = page(
        store,
        acme.id,
        ParentFilter::ChildrenOf(second.id),
        10,
        Cursor::First,
    )
    .await;
    assert_eq!(empty, (vec![], false));
    assert_eq!(
        page(store, acme.id, ParentFilter::Any, 10, Cursor::First).await,
        (everything, false)
    );
}

async fn pages_hold_only_the_organizations_groups(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let ours = roots(store, acme.id, 2).await;
    let theirs = roots(store, other.id, 3).await;

    assert_eq!(
        page(store, acme.id, ParentFilter::Any, 10, Cursor::First).await,
        (ours, false)
    );
    let after = page(
        store,
        other.id,
        ParentFilter::Root,
        1,
        Cursor::After(theirs[0]),
    )
    .await;
    assert_eq!(after, (theirs[1..2].to_vec(), true));
}
