//! Install keys: insertion with its activity entry, the live list newest first, revocation for
//! good, the enrollment lookup by digest, and tenant isolation.

use plumb_core::Store;
use plumb_core::id::{GroupId, InstallKeyId, OrganizationId};
use plumb_core::store::{InstallKeyRecord, NewInstallKey};
use time::OffsetDateTime;

use crate::support::{T0, activity, assert_conflict, assert_not_found, digest, insert_group};
use crate::support::{logged_actions, minutes, tenant};

conformance!(
    an_install_key_reads_back_by_digest_with_its_group,
    install_keys_are_listed_newest_first_within_their_organization,
    a_revoked_install_key_is_neither_listed_nor_found,
    revoking_a_missing_revoked_or_foreign_install_key_is_not_found,
    an_install_key_for_a_missing_or_foreign_group_is_not_found,
    an_install_key_digest_is_never_issued_twice,
);

fn new_key(
    organization_id: OrganizationId,
    group_id: Option<GroupId>,
    seed: u8,
    created_at: OffsetDateTime,
) -> NewInstallKey {
    NewInstallKey {
        id: InstallKeyId::new(),
        organization_id,
        group_id,
        digest: digest(seed),
        hint: format!("k{seed:03}"),
        created_at,
    }
}

async fn insert(store: &dyn Store, key: &NewInstallKey) -> InstallKeyRecord {
    let created = activity(key.organization_id, "install_key.created");
    store.insert_install_key(key, &created).await.unwrap()
}

async fn an_install_key_reads_back_by_digest_with_its_group(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Laptops").await;
    let key = new_key(acme.id, Some(group.id), 7, minutes(3));

    let stored = insert(store, &key).await;

    let expected = InstallKeyRecord {
        id: key.id,
        organization_id: acme.id,
        group_id: Some(group.id),
        hint: "k007".into(),
        created_at: minutes(3),
    };
    assert_eq!(stored, expected);
    assert_eq!(
        store.install_key_by_digest(&digest(7)).await.unwrap(),
        Some(expected)
    );
    assert_eq!(store.install_key_by_digest(&digest(8)).await.unwrap(), None);
    assert_eq!(
        logged_actions(store, acme.id)
            .await
            .last()
            .map(String::as_str),
        Some("install_key.created")
    );
}

async fn install_keys_are_listed_newest_first_within_their_organization(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let oldest = insert(store, &new_key(acme.id, None, 1, T0)).await;
    let newest = insert(store, &new_key(acme.id, None, 2, minutes(2))).await;
    let middle = insert(store, &new_key(acme.id, None, 3, minutes(1))).await;
    let theirs = insert(store, &new_key(other.id, None, 4, minutes(5))).await;

    assert_eq!(
        store.list_install_keys(acme.id).await.unwrap(),
        [newest, middle, oldest]
    );
    assert_eq!(store.list_install_keys(other.id).await.unwrap(), [theirs]);
}

async fn a_revoked_install_key_is_neither_listed_nor_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let kept = insert(store, &new_key(acme.id, None, 1, T0)).await;
    let revoked = insert(store, &new_key(acme.id, None, 2, T0)).await;

    let entry = activity(acme.id, "install_key.revoked");
    store
        .revoke_install_key(acme.id, revoked.id, &entry)
        .await
        .unwrap();

    assert_eq!(store.list_install_keys(acme.id).await.unwrap(), [kept]);
    assert_eq!(store.install_key_by_digest(&digest(2)).await.unwrap(), None);
    assert!(
        store
            .install_key_by_digest(&digest(1))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        logged_actions(store, acme.id)
            .await
            .last()
            .map(String::as_str),
        Some("install_key.revoked")
    );
}

async fn revoking_a_missing_revoked_or_foreign_install_key_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let theirs = insert(store, &new_key(other.id, None, 1, T0)).await;
    let ours = insert(store, &new_key(acme.id, None, 2, T0)).await;
    store
        .revoke_install_key(acme.id, ours.id, &activity(acme.id, "install_key.revoked"))
        .await
        .unwrap();
    let logged = logged_actions(store, acme.id).await;

    for id in [InstallKeyId::new(), ours.id, theirs.id] {
        let entry = activity(acme.id, "install_key.revoked");
        assert_not_found(store.revoke_install_key(acme.id, id, &entry).await);
    }

    // Nothing changed: no entry was logged and the other organization's key still works.
    assert_eq!(logged_actions(store, acme.id).await, logged);
    assert_eq!(store.list_install_keys(other.id).await.unwrap(), [theirs]);
}

async fn an_install_key_for_a_missing_or_foreign_group_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;
    let logged = logged_actions(store, acme.id).await;

    for (seed, group_id) in [(1, GroupId::new()), (2, foreign.id)] {
        let key = new_key(acme.id, Some(group_id), seed, T0);
        let created = activity(acme.id, "install_key.created");
        assert_not_found(store.insert_install_key(&key, &created).await);
        assert_eq!(
            store.install_key_by_digest(&digest(seed)).await.unwrap(),
            None
        );
    }
    assert!(store.list_install_keys(acme.id).await.unwrap().is_empty());
    assert_eq!(logged_actions(store, acme.id).await, logged);
}

async fn an_install_key_digest_is_never_issued_twice(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let first = insert(store, &new_key(acme.id, None, 9, T0)).await;
    store
        .revoke_install_key(acme.id, first.id, &activity(acme.id, "install_key.revoked"))
        .await
        .unwrap();

    // Even revoked, even in another organization, the digest stays taken.
    let again = new_key(other.id, None, 9, minutes(1));
    let created = activity(other.id, "install_key.created");
    assert_conflict(
        store.insert_install_key(&again, &created).await,
        "install_keys.digest",
    );
    assert!(store.list_install_keys(other.id).await.unwrap().is_empty());
}
