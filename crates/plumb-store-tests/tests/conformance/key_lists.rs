//! Listing API keys: newest first within an organization, and the description search with
//! its literal treatment of `LIKE` wildcards.

use plumb_core::Store;
use plumb_core::id::{ApiKeyId, OrganizationId};

use crate::support::{insert_key, minutes, tenant};

conformance!(
    keys_are_listed_newest_first,
    key_search_is_a_case_insensitive_substring,
    key_search_treats_percent_underscore_and_backslash_literally,
    key_search_matches_non_ascii_text,
);

async fn keys_are_listed_newest_first(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let oldest = insert_key(store, &acme, "oldest", 1, minutes(1)).await;
    let newest = insert_key(store, &acme, "newest", 2, minutes(3)).await;
    // Two keys created in the same instant come newest id first.
    let tied_first = insert_key(store, &acme, "tied first", 3, minutes(2)).await;
    let tied_second = insert_key(store, &acme, "tied second", 4, minutes(2)).await;
    insert_key(store, &other, "other", 5, minutes(9)).await;

    let listed = store.list_api_keys(acme.id, None).await.unwrap();

    let ids: Vec<ApiKeyId> = listed.iter().map(|key| key.id).collect();
    assert_eq!(ids, [newest, tied_second, tied_first, oldest]);
}

/// The descriptions of an organization's keys that `search` finds.
async fn found(store: &dyn Store, organization_id: OrganizationId, search: &str) -> Vec<String> {
    let keys = store
        .list_api_keys(organization_id, Some(search))
        .await
        .unwrap();
    keys.into_iter().map(|key| key.description).collect()
}

async fn key_search_is_a_case_insensitive_substring(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    insert_key(store, &acme, "Nightly BACKUP job", 1, minutes(1)).await;
    insert_key(store, &acme, "backup-verify", 2, minutes(2)).await;
    insert_key(store, &acme, "Monitoring", 3, minutes(3)).await;

    assert_eq!(
        found(store, acme.id, "backup").await,
        ["backup-verify", "Nightly BACKUP job"]
    );
    assert_eq!(found(store, acme.id, "TOR").await, ["Monitoring"]);
    assert!(found(store, acme.id, "restore").await.is_empty());
    assert_eq!(found(store, acme.id, "").await.len(), 3);
}

async fn key_search_treats_percent_underscore_and_backslash_literally(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    insert_key(store, &acme, "100% uptime", 1, minutes(1)).await;
    insert_key(store, &acme, "100 uptime", 2, minutes(2)).await;
    insert_key(store, &acme, "my_key", 3, minutes(3)).await;
    insert_key(store, &acme, "myXkey", 4, minutes(4)).await;
    insert_key(store, &acme, r"C:\scripts", 5, minutes(5)).await;

    assert_eq!(found(store, acme.id, "0%").await, ["100% uptime"]);
    assert_eq!(found(store, acme.id, "%").await, ["100% uptime"]);
    assert_eq!(found(store, acme.id, "y_k").await, ["my_key"]);
    assert_eq!(found(store, acme.id, r"\s").await, [r"C:\scripts"]);
}

async fn key_search_matches_non_ascii_text(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    insert_key(store, &acme, "Sauvegarde café", 1, minutes(1)).await;
    insert_key(store, &acme, "Überwachung", 2, minutes(2)).await;

    assert_eq!(found(store, acme.id, "café").await, ["Sauvegarde café"]);
    // ASCII letters fold even next to non-ASCII ones; folding "Ü" itself is not promised.
    assert_eq!(found(store, acme.id, "ÜberWACHUNG").await, ["Überwachung"]);
}
