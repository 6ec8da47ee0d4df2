//! The activity log as `/v2/activities` pages it: oldest first by id, keyset cursors both
//! ways, sign-in entries left out, one organization at a time.

use plumb_core::Store;
use plumb_core::id::{ActivityId, OrganizationId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::Activity;

use crate::support::{activity, first_page, tenant};

conformance!(
    changes_are_listed_oldest_first_without_sign_ins,
    changes_page_forward_and_back_by_id,
    a_cursor_naming_no_entry_still_pages_by_position,
    another_organizations_changes_are_not_listed,
);

/// Appends an entry with `action` and returns its id.
async fn append(store: &dyn Store, organization_id: OrganizationId, action: &str) -> ActivityId {
    let entry = activity(organization_id, action);
    store.insert_activity(&entry).await.unwrap();
    entry.id
}

fn ids(entries: &[Activity]) -> Vec<ActivityId> {
    entries.iter().map(|entry| entry.id).collect()
}

/// The organization's creation entry, then `count` changes, with a sign-in after each.
async fn history(
    store: &dyn Store,
    organization_id: OrganizationId,
    count: usize,
) -> Vec<ActivityId> {
    let mut changes = ids(&store
        .list_activity(organization_id, None, 10)
        .await
        .unwrap());
    for _ in 0..count {
        changes.push(append(store, organization_id, "api_key.created").await);
        append(store, organization_id, "session.signed_in").await;
        append(store, organization_id, "session.sign_in_failed").await;
    }
    changes
}

async fn changes_are_listed_oldest_first_without_sign_ins(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let changes = history(store, acme.id, 3).await;

    let page = store.list_changes(acme.id, &first_page(10)).await.unwrap();

    assert_eq!(ids(&page.items), changes);
    assert!(!page.has_more);
    assert!(
        page.items
            .iter()
            .all(|entry| !entry.action.starts_with("session."))
    );
}

async fn changes_page_forward_and_back_by_id(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let changes = history(store, acme.id, 4).await;
    let page = |cursor| PageRequest { limit: 2, cursor };

    let first = store.list_changes(acme.id, &first_page(2)).await.unwrap();
    assert_eq!(ids(&first.items), changes[..2]);
    assert!(first.has_more);
    let second = store
        .list_changes(acme.id, &page(Cursor::After(changes[1])))
        .await
        .unwrap();
    assert_eq!(ids(&second.items), changes[2..4]);
    assert!(second.has_more);
    let last = store
        .list_changes(acme.id, &page(Cursor::After(changes[3])))
        .await
        .unwrap();
    assert_eq!(ids(&last.items), changes[4..]);
    assert!(!last.has_more);

    let back = store
        .list_changes(acme.id, &page(Cursor::Before(changes[4])))
        .await
        .unwrap();
    assert_eq!(ids(&back.items), changes[2..4]);
    assert!(back.has_more);
    let start = store
        .list_changes(acme.id, &page(Cursor::Before(changes[2])))
        .await
        .unwrap();
    assert_eq!(ids(&start.items), changes[..2]);
    assert!(!start.has_more);
}

async fn a_cursor_naming_no_entry_still_pages_by_position(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let before = history(store, acme.id, 1).await;
    let gap = ActivityId::new();
    let after = append(store, acme.id, "user.created").await;

    let page = store
        .list_changes(
            acme.id,
            &PageRequest {
                limit: 5,
                cursor: Cursor::After(gap),
            },
        )
        .await
        .unwrap();

    assert_eq!(ids(&page.items), [after]);
    let page = store
        .list_changes(
            acme.id,
            &PageRequest {
                limit: 5,
                cursor: Cursor::Before(gap),
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(&page.items), before);
}

async fn another_organizations_changes_are_not_listed(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let changes = history(store, acme.id, 2).await;
    history(store, other.id, 2).await;

    let page = store.list_changes(acme.id, &first_page(100)).await.unwrap();

    assert_eq!(ids(&page.items), changes);
    assert!(
        page.items
            .iter()
            .all(|entry| entry.organization_id == acme.id)
    );
}
