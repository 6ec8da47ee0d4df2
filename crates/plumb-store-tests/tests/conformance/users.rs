//! Users: email uniqueness across organizations, tenancy of user reads and writes, listing
//! order, and partial updates.

use plumb_core::id::{OrganizationId, UserId};
use plumb_core::store::UserChange;
use plumb_core::{Permission, Role, Store};

use crate::support::{T0, activity, assert_conflict, assert_not_found, minutes, new_user, tenant};

conformance!(
    users_are_found_by_email_in_any_organization,
    an_unknown_email_finds_no_user,
    a_taken_email_conflicts_even_in_another_organization,
    inserting_a_user_stores_every_field_and_its_activity,
    a_user_in_a_missing_organization_is_not_found,
    users_are_listed_oldest_first_within_their_organization,
    another_organizations_user_is_not_found,
    updating_a_user_changes_only_the_given_fields,
);

async fn users_are_found_by_email_in_any_organization(store: &dyn Store) {
    let first = tenant(store, "first").await;
    let second = tenant(store, "second").await;

    let found = store
        .user_by_email("admin@second.example")
        .await
        .unwrap()
        .unwrap();

    assert_eq!(
        (found.id, found.organization.id),
        (second.admin.id, second.id)
    );
    let found = store
        .user_by_email("admin@first.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, first.admin.id);
}

async fn an_unknown_email_finds_no_user(store: &dyn Store) {
    tenant(store, "acme").await;
    assert_eq!(
        store.user_by_email("nobody@acme.example").await.unwrap(),
        None
    );
}

async fn a_taken_email_conflicts_even_in_another_organization(store: &dyn Store) {
    let first = tenant(store, "first").await;
    let second = tenant(store, "second").await;
    let user = new_user(second.id, &first.admin.email, Role::Technician);

    let result = store
        .insert_user(&user, &activity(second.id, "user.created"))
        .await;

    assert_conflict(result, "users.email");
    assert_not_found(store.user(second.id, user.id).await);
}

async fn inserting_a_user_stores_every_field_and_its_activity(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let mut user = new_user(acme.id, "tech@acme.example", Role::Technician);
    user.permissions = vec![Permission::Settings];
    user.password_hash = Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into());
    user.created_at = minutes(5);
    let created = activity(acme.id, "user.created");

    let stored = store.insert_user(&user, &created).await.unwrap();

    assert_eq!(stored, store.user(acme.id, user.id).await.unwrap());
    assert_eq!((stored.id, stored.organization.id), (user.id, acme.id));
    assert_eq!(
        (stored.email.as_str(), stored.name.as_str()),
        ("tech@acme.example", "tech")
    );
    assert_eq!(
        (stored.role, stored.permissions.as_slice()),
        (Role::Technician, &[Permission::Settings][..])
    );
    assert_eq!(stored.password_hash, user.password_hash);
    assert!(!stored.disabled);
    assert_eq!(
        (stored.created_at, stored.updated_at),
        (minutes(5), minutes(5))
    );
    assert_eq!(
        store.list_activity(acme.id, None, 1).await.unwrap(),
        [created]
    );
}

async fn a_user_in_a_missing_organization_is_not_found(store: &dyn Store) {
    let missing = OrganizationId::new();
    let user = new_user(missing, "lost@nowhere.example", Role::Admin);

    assert_not_found(
        store
            .insert_user(&user, &activity(missing, "user.created"))
            .await,
    );
}

async fn users_are_listed_oldest_first_within_their_organization(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let mut later = new_user(acme.id, "later@acme.example", Role::Technician);
    later.created_at = minutes(2);
    let mut sooner = new_user(acme.id, "sooner@acme.example", Role::Technician);
    sooner.created_at = minutes(1);
    for user in [&later, &sooner] {
        store
            .insert_user(user, &activity(acme.id, "user.created"))
            .await
            .unwrap();
    }

    let listed = store.list_users(acme.id).await.unwrap();

    let ids: Vec<UserId> = listed.iter().map(|user| user.id).collect();
    assert_eq!(ids, [acme.admin.id, sooner.id, later.id]);
    let others: Vec<UserId> = store
        .list_users(other.id)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(others, [other.admin.id]);
}

async fn another_organizations_user_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let change = UserChange {
        disabled: Some(true),
        ..UserChange::default()
    };

    assert_not_found(store.user(other.id, acme.admin.id).await);
    let log = activity(other.id, "user.updated");
    assert_not_found(
        store
            .update_user(other.id, acme.admin.id, &change, minutes(1), &log)
            .await,
    );

    let unchanged = store.user(acme.id, acme.admin.id).await.unwrap();
    assert!(!unchanged.disabled);
    assert_eq!(unchanged.updated_at, T0);
}

async fn updating_a_user_changes_only_the_given_fields(store: &dyn Store) {
    // Arrange
    let acme = tenant(store, "acme").await;
    let mut user = new_user(acme.id, "tech@acme.example", Role::Technician);
    user.permissions = vec![Permission::Settings];
    store
        .insert_user(&user, &activity(acme.id, "user.created"))
        .await
        .unwrap();
    let promote = UserChange {
        role: Some(Role::Admin),
        ..UserChange::default()
    };
    let strip = UserChange {
        permissions: Some(Vec::new()),
        ..UserChange::default()
    };
    let updated = activity(acme.id, "user.updated");

    // Act
    let promoted = store
        .update_user(acme.id, user.id, &promote, minutes(1), &updated)
        .await
        .unwrap();
    let stripped = store
        .update_user(
            acme.id,
            user.id,
            &strip,
            minutes(2),
            &activity(acme.id, "x"),
        )
        .await;

    // Assert
    assert_eq!(
        (promoted.role, promoted.permissions.as_slice()),
        (Role::Admin, &[Permission::Settings][..])
    );
    assert_eq!(promoted.updated_at, minutes(1));
    let stripped = stripped.unwrap();
    assert_eq!(
        (stripped.role, stripped.permissions.as_slice()),
        (Role::Admin, &[][..])
    );
    assert_eq!(
        (stripped.disabled, stripped.updated_at),
        (false, minutes(2))
    );
    assert_eq!(stripped, store.user(acme.id, user.id).await.unwrap());
    let logged = store.list_activity(acme.id, None, 2).await.unwrap();
    assert_eq!(logged[1], updated);
}
