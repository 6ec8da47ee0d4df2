//! Tags: unique names, keyset pages with device counts, all-or-nothing tagging and untagging,
//! and tenant isolation.

use plumb_core::Store;
use plumb_core::id::{DeviceId, TagId};
use plumb_core::page::{Cursor, PageRequest};

use crate::support::{T0, assert_conflict, assert_not_found, first_page, insert_named_device};
use crate::support::{minutes, tenant};

conformance!(
    a_tag_name_is_unique_in_its_organization_only,
    renaming_a_tag_to_a_taken_name_is_a_conflict,
    tag_pages_walk_in_id_order_with_device_counts,
    tagging_is_all_or_nothing,
    untagging_is_all_or_nothing,
    deleting_a_tag_takes_it_off_every_device,
    another_organizations_tag_is_not_found,
);

async fn a_tag_name_is_unique_in_its_organization_only(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let tag = store
        .insert_tag(acme.id, TagId::new(), "🔥 prod", T0, None)
        .await
        .unwrap();
    assert_eq!((tag.name.as_str(), tag.device_count), ("🔥 prod", 0));

    assert_conflict(
        store
            .insert_tag(acme.id, TagId::new(), "🔥 prod", T0, None)
            .await,
        "tags.name",
    );
    store
        .insert_tag(other.id, TagId::new(), "🔥 prod", T0, None)
        .await
        .unwrap();
    store
        .insert_tag(acme.id, TagId::new(), "🔥 Prod", T0, None)
        .await
        .unwrap();
}

async fn renaming_a_tag_to_a_taken_name_is_a_conflict(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let prod = store
        .insert_tag(acme.id, TagId::new(), "prod", T0, None)
        .await
        .unwrap();
    let test = store
        .insert_tag(acme.id, TagId::new(), "test", T0, None)
        .await
        .unwrap();

    assert_conflict(
        store
            .rename_tag(acme.id, test.id, "prod", minutes(1), None)
            .await,
        "tags.name",
    );
    let renamed = store
        .rename_tag(acme.id, test.id, "staging", minutes(1), None)
        .await
        .unwrap();
    assert_eq!(renamed.name, "staging");
    assert_eq!(store.tag(acme.id, prod.id).await.unwrap().name, "prod");
    assert_not_found(
        store
            .rename_tag(acme.id, TagId::new(), "x", minutes(1), None)
            .await,
    );
}

async fn tag_pages_walk_in_id_order_with_device_counts(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web").await;
    let mut ids = Vec::new();
    for name in ["a", "b", "c"] {
        ids.push(
            store
                .insert_tag(acme.id, TagId::new(), name, T0, None)
                .await
                .unwrap()
                .id,
        );
    }
    store
        .tag_devices(acme.id, ids[1], &[device], T0, None)
        .await
        .unwrap();

    let page = store.list_tags(acme.id, &first_page(2)).await.unwrap();
    assert_eq!(
        page.items.iter().map(|tag| tag.id).collect::<Vec<_>>(),
        ids[..2]
    );
    assert!(page.has_more);
    assert_eq!(page.items[1].device_count, 1);
    let after = PageRequest {
        limit: 2,
        cursor: Cursor::After(ids[1]),
    };
    let last = store.list_tags(acme.id, &after).await.unwrap();
    assert_eq!(
        last.items.iter().map(|tag| tag.id).collect::<Vec<_>>(),
        ids[2..]
    );
    assert!(!last.has_more);
    let before = PageRequest {
        limit: 1,
        cursor: Cursor::Before(ids[2]),
    };
    let back = store.list_tags(acme.id, &before).await.unwrap();
    assert_eq!(
        back.items.iter().map(|tag| tag.id).collect::<Vec<_>>(),
        ids[1..2]
    );
    assert!(back.has_more);
}

async fn tagging_is_all_or_nothing(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let first = insert_named_device(store, acme.id, None, "first").await;
    let second = insert_named_device(store, acme.id, None, "second").await;
    let foreign = insert_named_device(store, other.id, None, "theirs").await;
    let tag = store
        .insert_tag(acme.id, TagId::new(), "prod", T0, None)
        .await
        .unwrap();

    for stray in [DeviceId::new(), foreign] {
        assert_not_found(
            store
                .tag_devices(acme.id, tag.id, &[first, stray], T0, None)
                .await,
        );
    }
    assert_eq!(store.tag(acme.id, tag.id).await.unwrap().device_count, 0);

    // A device named twice counts once.
    let tagged = store
        .tag_devices(acme.id, tag.id, &[first, first], T0, None)
        .await
        .unwrap();
    assert_eq!(tagged.device_count, 1);
    assert_conflict(
        store
            .tag_devices(acme.id, tag.id, &[second, first], T0, None)
            .await,
        "device_tags.present",
    );
    assert!(store.device(acme.id, second).await.unwrap().tags.is_empty());
    assert_not_found(
        store
            .tag_devices(acme.id, TagId::new(), &[second], T0, None)
            .await,
    );
    let tagged = store
        .tag_devices(acme.id, tag.id, &[second], T0, None)
        .await
        .unwrap();
    assert_eq!(tagged.device_count, 2);
}

async fn untagging_is_all_or_nothing(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let first = insert_named_device(store, acme.id, None, "first").await;
    let second = insert_named_device(store, acme.id, None, "second").await;
    let tag = store
        .insert_tag(acme.id, TagId::new(), "prod", T0, None)
        .await
        .unwrap();
    store
        .tag_devices(acme.id, tag.id, &[first], T0, None)
        .await
        .unwrap();

    assert_conflict(
        store
            .untag_devices(acme.id, tag.id, &[first, second], None)
            .await,
        "device_tags.absent",
    );
    assert_not_found(
        store
            .untag_devices(acme.id, tag.id, &[first, DeviceId::new()], None)
            .await,
    );
    assert_eq!(store.device(acme.id, first).await.unwrap().tags, ["prod"]);

    let untagged = store
        .untag_devices(acme.id, tag.id, &[first, first], None)
        .await
        .unwrap();
    assert_eq!(untagged.device_count, 0);
    assert!(store.device(acme.id, first).await.unwrap().tags.is_empty());
}

async fn deleting_a_tag_takes_it_off_every_device(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web").await;
    let tag = store
        .insert_tag(acme.id, TagId::new(), "prod", T0, None)
        .await
        .unwrap();
    store
        .tag_devices(acme.id, tag.id, &[device], T0, None)
        .await
        .unwrap();

    store.delete_tag(acme.id, tag.id, None).await.unwrap();

    assert_not_found(store.tag(acme.id, tag.id).await);
    assert_not_found(store.delete_tag(acme.id, tag.id, None).await);
    assert!(store.device(acme.id, device).await.unwrap().tags.is_empty());
    // The name is free again.
    store
        .insert_tag(acme.id, TagId::new(), "prod", T0, None)
        .await
        .unwrap();
}

async fn another_organizations_tag_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let theirs = store
        .insert_tag(other.id, TagId::new(), "theirs", T0, None)
        .await
        .unwrap();
    let ours = insert_named_device(store, acme.id, None, "web").await;

    assert_not_found(store.tag(acme.id, theirs.id).await);
    assert_not_found(store.rename_tag(acme.id, theirs.id, "mine", T0, None).await);
    assert_not_found(
        store
            .tag_devices(acme.id, theirs.id, &[ours], T0, None)
            .await,
    );
    assert_not_found(store.untag_devices(acme.id, theirs.id, &[], None).await);
    assert_not_found(store.delete_tag(acme.id, theirs.id, None).await);
    assert!(
        store
            .list_tags(acme.id, &first_page(10))
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(store.tag(other.id, theirs.id).await.unwrap().name, "theirs");
}
