//! Sessions and one-time password links: expiry, disabling, and single use.

use plumb_core::store::{NewSession, UserChange};
use plumb_core::{Role, Store};

use crate::support::{T0, activity, assert_not_found, digest, minutes, new_user, tenant};

conformance!(
    a_live_session_carries_its_user_and_organization,
    an_unknown_session_is_none,
    expired_sessions_are_not_returned,
    touching_a_session_extends_its_life,
    deleted_sessions_are_not_returned,
    disabling_a_user_ends_their_sessions_and_only_theirs,
    a_disabled_users_session_is_not_returned,
    a_password_token_sets_the_password_exactly_once,
    an_expired_password_token_is_not_found,
    an_unknown_password_token_is_not_found,
);

fn session(seed: u8, user_id: plumb_core::id::UserId) -> NewSession {
    NewSession {
        digest: digest(seed),
        user_id,
        created_at: T0,
        expires_at: minutes(30),
    }
}

async fn a_live_session_carries_its_user_and_organization(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    store
        .insert_session(&session(1, acme.admin.id))
        .await
        .unwrap();

    let found = store
        .session(&digest(1), minutes(10))
        .await
        .unwrap()
        .unwrap();

    assert_eq!(found.digest, digest(1));
    assert_eq!((found.created_at, found.expires_at), (T0, minutes(30)));
    assert_eq!(
        found.user,
        store.user(acme.id, acme.admin.id).await.unwrap()
    );
    assert_eq!(found.user.organization.name, "acme");
}

async fn an_unknown_session_is_none(store: &dyn Store) {
    assert!(store.session(&digest(9), T0).await.unwrap().is_none());
}

async fn expired_sessions_are_not_returned(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    store
        .insert_session(&session(1, acme.admin.id))
        .await
        .unwrap();

    let just_before = minutes(30) - time::Duration::microseconds(1);
    assert!(
        store
            .session(&digest(1), just_before)
            .await
            .unwrap()
            .is_some()
    );
    // A session is dead from its expiry instant on.
    assert!(
        store
            .session(&digest(1), minutes(30))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session(&digest(1), minutes(31))
            .await
            .unwrap()
            .is_none()
    );
}

async fn touching_a_session_extends_its_life(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    store
        .insert_session(&session(1, acme.admin.id))
        .await
        .unwrap();

    store.touch_session(&digest(1), minutes(60)).await.unwrap();

    let found = store
        .session(&digest(1), minutes(45))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.expires_at, minutes(60));
}

async fn deleted_sessions_are_not_returned(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    store
        .insert_session(&session(1, acme.admin.id))
        .await
        .unwrap();

    store.delete_session(&digest(1)).await.unwrap();

    assert!(store.session(&digest(1), T0).await.unwrap().is_none());
    // Signing out twice is harmless.
    store.delete_session(&digest(1)).await.unwrap();
}

async fn disabling_a_user_ends_their_sessions_and_only_theirs(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let tech = new_user(acme.id, "tech@acme.example", Role::Technician);
    store
        .insert_user(&tech, &activity(acme.id, "user.created"))
        .await
        .unwrap();
    for (seed, user_id) in [(1, tech.id), (2, tech.id), (3, acme.admin.id)] {
        store.insert_session(&session(seed, user_id)).await.unwrap();
    }
    let disable = UserChange {
        disabled: Some(true),
        ..UserChange::default()
    };
    let enable = UserChange {
        disabled: Some(false),
        ..UserChange::default()
    };

    // Act
    let (first, second) = (activity(acme.id, "a"), activity(acme.id, "b"));
    let disabled = store
        .update_user(acme.id, tech.id, &disable, minutes(1), &first)
        .await;
    assert!(disabled.unwrap().disabled);
    let enabled = store
        .update_user(acme.id, tech.id, &enable, minutes(2), &second)
        .await;
    assert!(!enabled.unwrap().disabled);

    // Assert: re-enabling does not bring the ended sessions back.
    assert!(
        store
            .session(&digest(1), minutes(3))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session(&digest(2), minutes(3))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session(&digest(3), minutes(3))
            .await
            .unwrap()
            .is_some()
    );
}

async fn a_disabled_users_session_is_not_returned(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let tech = new_user(acme.id, "tech@acme.example", Role::Technician);
    store
        .insert_user(&tech, &activity(acme.id, "user.created"))
        .await
        .unwrap();
    let disable = UserChange {
        disabled: Some(true),
        ..UserChange::default()
    };
    store
        .update_user(acme.id, tech.id, &disable, T0, &activity(acme.id, "a"))
        .await
        .unwrap();

    store.insert_session(&session(1, tech.id)).await.unwrap();

    assert!(
        store
            .session(&digest(1), minutes(1))
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_password_token_sets_the_password_exactly_once(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let tech = new_user(acme.id, "tech@acme.example", Role::Technician);
    store
        .insert_user(&tech, &activity(acme.id, "user.created"))
        .await
        .unwrap();
    store
        .insert_password_token(&digest(7), tech.id, minutes(60))
        .await
        .unwrap();

    // Act
    let user = store
        .consume_password_token(&digest(7), "$argon2id$first", minutes(5))
        .await
        .unwrap();
    let again = store
        .consume_password_token(&digest(7), "$argon2id$second", minutes(6))
        .await;

    // Assert
    assert_eq!(user.id, tech.id);
    assert_eq!(
        (user.password_hash.as_deref(), user.updated_at),
        (Some("$argon2id$first"), minutes(5))
    );
    assert_not_found(again);
    let stored = store.user(acme.id, tech.id).await.unwrap();
    assert_eq!(stored.password_hash.as_deref(), Some("$argon2id$first"));
}

async fn an_expired_password_token_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    store
        .insert_password_token(&digest(7), acme.admin.id, minutes(60))
        .await
        .unwrap();

    let late = store
        .consume_password_token(&digest(7), "$argon2id$late", minutes(60))
        .await;

    assert_not_found(late);
    let stored = store.user(acme.id, acme.admin.id).await.unwrap();
    assert_eq!(stored.password_hash, None);
}

async fn an_unknown_password_token_is_not_found(store: &dyn Store) {
    tenant(store, "acme").await;
    assert_not_found(
        store
            .consume_password_token(&digest(8), "$argon2id$x", T0)
            .await,
    );
}
