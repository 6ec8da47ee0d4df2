//! Re-sealing secrets (master key rotation): every live API key's sealed copy, then every webhook
//! trigger's sealed token, is offered once with the id it is bound to, in one transaction, and
//! only the copies the caller replaces change.

use std::sync::Mutex;

use plumb_core::id::ApiKeyId;
use plumb_core::store::{KeySecret, NewApiKey, NewWebhook};
use plumb_core::{Access, Store};

use crate::support::{T0, activity, digest, insert_automation, insert_key, minutes, tenant};
use crate::webhooks::{insert_webhook, new_webhook};

conformance!(
    resealing_offers_every_live_sealed_copy_and_keeps_what_it_is_not_given,
    resealing_offers_sealed_trigger_tokens_after_the_keys_and_skips_hash_only_triggers,
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
        rules: Default::default(),
    };
    let created = activity(acme.id, "api_key.created");
    store.insert_api_key(&hash_only, &created).await.unwrap();
    let offered = Mutex::new(Vec::new());

    // Act: replace the copy that starts with 1, keep the other.
    let replaced = store
        .reseal_secrets(&|id, sealed| {
            offered.lock().unwrap().push(id.to_owned());
            (sealed[0] == 1).then(|| vec![9; 12])
        })
        .await
        .unwrap();

    // Assert
    assert_eq!(replaced, 1);
    let mut offered = offered.into_inner().unwrap();
    offered.sort();
    let mut expected = vec![first.to_string(), second.to_string()];
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

async fn resealing_offers_sealed_trigger_tokens_after_the_keys_and_skips_hash_only_triggers(
    store: &dyn Store,
) {
    // Arrange: a sealed key, sealed triggers in two organizations, and a hash-only trigger.
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let key = insert_key(store, &acme, "key", 1, T0).await;
    let patch = insert_automation(store, acme.id, "Patch", None).await;
    let reboot = insert_automation(store, other.id, "Reboot", None).await;
    let ours = insert_webhook(store, &new_webhook(acme.id, patch.id, 5)).await;
    let theirs = insert_webhook(store, &new_webhook(other.id, reboot.id, 6)).await;
    let hash_only = NewWebhook {
        sealed_token: Vec::new(),
        ..new_webhook(acme.id, patch.id, 7)
    };
    insert_webhook(store, &hash_only).await;
    let offered = Mutex::new(Vec::new());

    // Act: replace the key's copy and our trigger's, keep theirs.
    let replaced = store
        .reseal_secrets(&|id, sealed| {
            offered.lock().unwrap().push(id.to_owned());
            (sealed.first() != Some(&6)).then(|| vec![9; 12])
        })
        .await
        .unwrap();

    // Assert: keys first, then triggers in id order; the hash-only trigger is never offered.
    assert_eq!(replaced, 2);
    let mut triggers = vec![ours.id.to_string(), theirs.id.to_string()];
    triggers.sort();
    let expected: Vec<String> = std::iter::once(key.to_string()).chain(triggers).collect();
    assert_eq!(offered.into_inner().unwrap(), expected);
    let sealed_token = |seed| async move {
        let found = store.webhook_by_token(&digest(seed)).await.unwrap();
        found.expect("the trigger is still there").sealed_token
    };
    assert_eq!(sealed_token(5).await, vec![9; 12]);
    assert_eq!(sealed_token(6).await, vec![6; 48]);
    assert_eq!(sealed_token(7).await, Vec::<u8>::new());
    assert_eq!(
        store.api_key(acme.id, key).await.unwrap().sealed,
        Some(vec![9; 12])
    );
}

async fn resealing_an_empty_installation_changes_nothing(store: &dyn Store) {
    let replaced = store.reseal_secrets(&|_, _| Some(vec![1])).await.unwrap();

    assert_eq!(replaced, 0);
}
