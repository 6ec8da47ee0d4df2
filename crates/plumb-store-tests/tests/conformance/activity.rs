//! The activity log: entries keep every field, list newest first, and page back with
//! `before` within one organization.

use plumb_core::Store;
use plumb_core::id::{ActivityId, ApiKeyId, UserId};
use plumb_core::store::{Activity, KeyRef, UserRef};

use crate::support::{activity, minutes, tenant};

conformance!(
    an_entry_keeps_every_field,
    entries_are_listed_newest_first_up_to_the_limit,
    before_pages_to_strictly_older_entries,
    another_organizations_entries_are_not_listed,
);

async fn an_entry_keeps_every_field(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let entry = Activity {
        id: ActivityId::new(),
        organization_id: acme.id,
        actor: Some(UserRef {
            id: UserId::new(),
            email: "gone@acme.example".into(),
        }),
        api_key: Some(KeyRef {
            id: ApiKeyId::new(),
            masked_key: "plumb_****x7Qa".into(),
            description: "PSA sync".into(),
        }),
        action: "api_key.changed".into(),
        target_type: "api_key".into(),
        target_id: Some("0193c3a0-0000-7000-8000-000000000001".into()),
        details: serde_json::json!({"before": {"description": "a"}, "after": {"description": "b"}}),
        ip: Some("192.0.2.7".into()),
        created_at: minutes(4),
    };

    store.insert_activity(&entry).await.unwrap();

    // The actor need not exist any more: the log outlives what it mentions.
    assert_eq!(
        store.list_activity(acme.id, None, 1).await.unwrap(),
        [entry]
    );
}

/// Appends `count` entries to an organization's log, oldest first.
async fn append(
    store: &dyn Store,
    organization_id: plumb_core::id::OrganizationId,
    count: usize,
) -> Vec<ActivityId> {
    let mut ids = Vec::new();
    for _ in 0..count {
        let entry = activity(organization_id, "test.happened");
        store.insert_activity(&entry).await.unwrap();
        ids.push(entry.id);
    }
    ids
}

fn ids(entries: &[Activity]) -> Vec<ActivityId> {
    entries.iter().map(|entry| entry.id).collect()
}

async fn entries_are_listed_newest_first_up_to_the_limit(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    // The organization's creation is the oldest entry.
    let mut appended = ids(&store.list_activity(acme.id, None, 10).await.unwrap());
    appended.extend(append(store, acme.id, 4).await);
    appended.reverse();

    assert_eq!(
        ids(&store.list_activity(acme.id, None, 10).await.unwrap()),
        appended
    );
    assert_eq!(
        ids(&store.list_activity(acme.id, None, 2).await.unwrap()),
        appended[..2]
    );
}

async fn before_pages_to_strictly_older_entries(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let appended = append(store, acme.id, 5).await;

    let page = store
        .list_activity(acme.id, Some(appended[3]), 2)
        .await
        .unwrap();
    assert_eq!(ids(&page), [appended[2], appended[1]]);
    let page = store
        .list_activity(acme.id, Some(appended[1]), 2)
        .await
        .unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].id, appended[0]);
    let last = page[1].id;
    assert!(
        store
            .list_activity(acme.id, Some(last), 2)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn another_organizations_entries_are_not_listed(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let acme_ids = append(store, acme.id, 2).await;
    append(store, other.id, 2).await;

    let listed = store.list_activity(acme.id, None, 10).await.unwrap();

    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|entry| entry.organization_id == acme.id));
    assert_eq!(listed[0].id, acme_ids[1]);
}
