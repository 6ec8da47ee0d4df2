//! Re-sealing key values (master key rotation): every live sealed copy is offered once, in one
//! transaction, and only the copies the caller replaces change.

use std::sync::Mutex;

use plumb_core::id::ApiKeyId;
use plumb_core::store::{KeySecret, NewApiKey};
use plumb_core::{Access, Store};

use crate::support::{T0, activity, digest, insert_key, minutes, tenant};

conformance!(
    resealing_offers_every_live_sealed_copy_and_keeps_what_it_is_not_given,
    resealing_an_empty_installation_changes_nothing,
);

async fn resealing_offers_every_live_sealed_copy_and_keeps_what_it_is_not_given(store: &dyn Store) {
    // Arrange: two sealed keys, a deleted one, and one in hash-only mode, in two organizations.
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let first = insert_key(store, &acme, "first", 1, T0).await;
    let second = insert_key(store, &other, "second", 2, T0).await;
    let deleted = insert_key(store, &acme, "deleted", 3, T0).await;
    let log = activity(acme.id, "api_key.deleted");
    store
        .delete_api_key(acme.id, deleted, minutes(1), &log)
        .await
        .unwrap();
    let hash_only = NewApiKey {
        id: ApiKeyId::new(),
        organization_id: acme.id,
        description: "hash only".into(),
        access: Access::ReadOnly,
        secret: KeySecret {
            digest: digest(4),
            hint: "h004".into(),
            sealed: None,
        },
        created_by: acme.admin.id,
        created_at: T0,
    };
    let created = activity(acme.id, "api_key.created");
    store.insert_api_key(&hash_only, &created).await.unwrap();
    let offered = Mutex::new(Vec::new());

    // Act: replace the copy that starts with 1, keep the other.
    let replaced = store
        .reseal_api_keys(&|id, sealed| {
            offered.lock().unwrap().push(id);
            (sealed[0] == 1).then(|| vec![9; 12])
        })
        .await
        .unwrap();

    // Assert
    assert_eq!(replaced, 1);
    let mut offered = offered.into_inner().unwrap();
    offered.sort();
    let mut expected = vec![first, second];
    expected.sort();
    assert_eq!(offered, expected);
    let first = store.api_key(acme.id, first).await.unwrap();
    assert_eq!(first.sealed, Some(vec![9; 12]));
    assert_eq!((first.digest, first.updated_at), (digest(1), T0));
    let second = store.api_key(other.id, second).await.unwrap();
    assert_eq!(second.sealed, Some(vec![2; 40]));
    let hash_only = store.api_key(acme.id, hash_only.id).await.unwrap();
    assert_eq!(hash_only.sealed, None);
}

async fn resealing_an_empty_installation_changes_nothing(store: &dyn Store) {
    let replaced = store.reseal_api_keys(&|_, _| Some(vec![1])).await.unwrap();

    assert_eq!(replaced, 0);
}
