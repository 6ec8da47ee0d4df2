//! Deleting API keys: the key is returned as it was, then invisible to every read and write,
//! including the digest lookup that verifies requests.

use plumb_core::Store;
use plumb_core::id::ApiKeyId;
use plumb_core::store::ApiKeyChange;

use crate::support::{T0, activity, assert_not_found, digest, insert_key, minutes, secret, tenant};

conformance!(
    deleting_a_key_returns_it_as_it_was,
    deleted_keys_are_invisible_everywhere,
    deleted_keys_are_not_found_by_digest,
);

async fn deleting_a_key_returns_it_as_it_was(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "doomed", 1, T0).await;
    let before = store.api_key(acme.id, id).await.unwrap();
    let deleted = activity(acme.id, "api_key.deleted");

    let returned = store
        .delete_api_key(acme.id, id, minutes(1), &deleted)
        .await
        .unwrap();

    assert_eq!(returned, before);
    assert_eq!(
        store.list_activity(acme.id, None, 1).await.unwrap(),
        [deleted]
    );
}

async fn deleted_keys_are_invisible_everywhere(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "doomed", 1, T0).await;
    let kept = insert_key(store, &acme, "kept", 2, T0).await;
    let log = || activity(acme.id, "api_key.changed");
    let change = ApiKeyChange {
        description: Some("revived".into()),
        access: None,
        ..Default::default()
    };

    // Act
    store
        .delete_api_key(acme.id, id, minutes(1), &log())
        .await
        .unwrap();

    // Assert
    assert_not_found(store.api_key(acme.id, id).await);
    let listed: Vec<ApiKeyId> = store
        .list_api_keys(acme.id, None)
        .await
        .unwrap()
        .iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(listed, [kept]);
    assert_not_found(
        store
            .update_api_key(acme.id, id, &change, minutes(2), &log())
            .await,
    );
    assert_not_found(
        store
            .replace_api_key_secret(acme.id, id, &secret(3), minutes(2), &log())
            .await,
    );
    assert_not_found(store.delete_api_key(acme.id, id, minutes(2), &log()).await);
}

async fn deleted_keys_are_not_found_by_digest(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "doomed", 1, T0).await;

    store
        .delete_api_key(
            acme.id,
            id,
            minutes(1),
            &activity(acme.id, "api_key.deleted"),
        )
        .await
        .unwrap();

    assert_eq!(store.api_key_by_digest(&digest(1)).await.unwrap(), None);
}
