//! API keys one at a time: creation, lookup by digest, changes and regeneration, each scoped
//! to the key's organization.

use plumb_core::id::ApiKeyId;
use plumb_core::store::{ApiKeyChange, KeyUsage, NewApiKey};
use plumb_core::{Access, Store};

use crate::support::{T0, activity, assert_conflict, assert_not_found, digest, insert_key};
use crate::support::{minutes, secret, tenant};

conformance!(
    an_inserted_key_reads_back_with_its_creator,
    a_duplicate_digest_conflicts_across_organizations,
    a_key_created_by_another_organizations_user_is_not_found,
    keys_are_found_by_digest_in_any_organization,
    another_organizations_key_is_not_found,
    updating_a_key_changes_only_the_given_fields,
    regenerating_a_key_replaces_its_digest,
    regenerating_into_a_taken_digest_conflicts,
);

async fn an_inserted_key_reads_back_with_its_creator(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let key = NewApiKey {
        id: ApiKeyId::new(),
        organization_id: acme.id,
        description: "Backups".into(),
        access: Access::ReadOnly,
        secret: secret(1),
        created_by: acme.admin.id,
        created_at: minutes(3),
        rules: Default::default(),
    };
    let created = activity(acme.id, "api_key.created");

    let stored = store.insert_api_key(&key, &created).await.unwrap();

    assert_eq!(stored, store.api_key(acme.id, key.id).await.unwrap());
    assert_eq!((stored.id, stored.organization_id), (key.id, acme.id));
    assert_eq!(
        (stored.description.as_str(), stored.access),
        ("Backups", Access::ReadOnly)
    );
    assert_eq!((stored.digest, stored.hint.as_str()), (digest(1), "h001"));
    assert_eq!(stored.sealed, secret(1).sealed);
    assert_eq!(stored.created_by, acme.admin);
    assert_eq!(
        (stored.created_at, stored.updated_at, stored.last_used_at),
        (minutes(3), minutes(3), None)
    );
    assert_eq!(stored.usage, KeyUsage::default());
    assert_eq!(
        store.list_activity(acme.id, None, 1).await.unwrap(),
        [created]
    );
}

async fn a_duplicate_digest_conflicts_across_organizations(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    insert_key(store, &acme, "first", 1, T0).await;
    let key = NewApiKey {
        id: ApiKeyId::new(),
        organization_id: other.id,
        description: "second".into(),
        access: Access::ReadWrite,
        secret: secret(1),
        created_by: other.admin.id,
        created_at: T0,
        rules: Default::default(),
    };

    let result = store
        .insert_api_key(&key, &activity(other.id, "api_key.created"))
        .await;

    assert_conflict(result, "api_keys.digest");
    assert_not_found(store.api_key(other.id, key.id).await);
}

async fn a_key_created_by_another_organizations_user_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let key = NewApiKey {
        id: ApiKeyId::new(),
        organization_id: acme.id,
        description: "crossed".into(),
        access: Access::ReadWrite,
        secret: secret(1),
        created_by: other.admin.id,
        created_at: T0,
        rules: Default::default(),
    };

    assert_not_found(
        store
            .insert_api_key(&key, &activity(acme.id, "api_key.created"))
            .await,
    );
}

async fn keys_are_found_by_digest_in_any_organization(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let acme_key = insert_key(store, &acme, "acme", 1, T0).await;
    let other_key = insert_key(store, &other, "other", 2, T0).await;

    let found = store.api_key_by_digest(&digest(2)).await.unwrap().unwrap();

    assert_eq!((found.id, found.organization_id), (other_key, other.id));
    assert_eq!(
        store
            .api_key_by_digest(&digest(1))
            .await
            .unwrap()
            .unwrap()
            .id,
        acme_key
    );
    assert_eq!(store.api_key_by_digest(&digest(3)).await.unwrap(), None);
}

async fn another_organizations_key_is_not_found(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let id = insert_key(store, &acme, "acme", 1, T0).await;
    let change = ApiKeyChange {
        description: Some("stolen".into()),
        access: None,
        ..Default::default()
    };
    let log = || activity(other.id, "api_key.changed");

    // Act and assert
    assert_not_found(store.api_key(other.id, id).await);
    assert!(
        store
            .list_api_keys(other.id, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert_not_found(
        store
            .update_api_key(other.id, id, &change, minutes(1), &log())
            .await,
    );
    assert_not_found(
        store
            .replace_api_key_secret(other.id, id, &secret(2), minutes(1), &log())
            .await,
    );
    assert_not_found(store.delete_api_key(other.id, id, minutes(1), &log()).await);
    let unchanged = store.api_key(acme.id, id).await.unwrap();
    assert_eq!(
        (unchanged.description.as_str(), unchanged.digest),
        ("acme", digest(1))
    );
    assert!(store.list_activity(other.id, None, 10).await.unwrap().len() == 1);
}

async fn updating_a_key_changes_only_the_given_fields(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "before", 1, T0).await;
    let describe = ApiKeyChange {
        description: Some("after".into()),
        access: None,
        ..Default::default()
    };
    let restrict = ApiKeyChange {
        description: None,
        access: Some(Access::ReadOnly),
        ..Default::default()
    };
    let changed = activity(acme.id, "api_key.changed");

    let described = store
        .update_api_key(acme.id, id, &describe, minutes(1), &changed)
        .await
        .unwrap();
    let log = activity(acme.id, "x");
    let restricted = store
        .update_api_key(acme.id, id, &restrict, minutes(2), &log)
        .await;

    assert_eq!(
        (described.description.as_str(), described.access),
        ("after", Access::ReadWrite)
    );
    assert_eq!(described.updated_at, minutes(1));
    let restricted = restricted.unwrap();
    assert_eq!(
        (restricted.description.as_str(), restricted.access),
        ("after", Access::ReadOnly)
    );
    assert_eq!(
        (
            restricted.updated_at,
            restricted.digest,
            restricted.created_at
        ),
        (minutes(2), digest(1), T0)
    );
    assert_eq!(
        store.list_activity(acme.id, None, 2).await.unwrap()[1],
        changed
    );
}

async fn regenerating_a_key_replaces_its_digest(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "rotating", 1, T0).await;
    let regenerated = activity(acme.id, "api_key.regenerated");

    let stored = store
        .replace_api_key_secret(acme.id, id, &secret(2), minutes(1), &regenerated)
        .await;

    let stored = stored.unwrap();
    assert_eq!((stored.id, stored.description.as_str()), (id, "rotating"));
    assert_eq!((stored.digest, stored.hint.as_str()), (digest(2), "h002"));
    assert_eq!(
        (&stored.sealed, stored.updated_at),
        (&secret(2).sealed, minutes(1))
    );
    assert_eq!(store.api_key_by_digest(&digest(1)).await.unwrap(), None);
    assert_eq!(
        store.api_key_by_digest(&digest(2)).await.unwrap(),
        Some(stored)
    );
    assert_eq!(
        store.list_activity(acme.id, None, 1).await.unwrap(),
        [regenerated]
    );
}

async fn regenerating_into_a_taken_digest_conflicts(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "one", 1, T0).await;
    insert_key(store, &acme, "two", 2, T0).await;

    let (taken, log) = (secret(2), activity(acme.id, "x"));
    let result = store
        .replace_api_key_secret(acme.id, id, &taken, minutes(1), &log)
        .await;

    assert_conflict(result, "api_keys.digest");
    assert_eq!(store.api_key(acme.id, id).await.unwrap().digest, digest(1));
}
