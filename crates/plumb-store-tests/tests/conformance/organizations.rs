//! Installation settings and organizations: first-organization creation and its atomicity.

use plumb_core::id::OrganizationId;
use plumb_core::store::{CreateMode, NewOrganization};
use plumb_core::{Role, Store};

use crate::support::{T0, activity, assert_conflict, assert_not_found, minutes, new_user, tenant};

conformance!(
    the_store_answers_a_ping,
    a_missing_setting_reads_as_none,
    init_setting_keeps_the_first_value,
    the_first_organization_can_only_be_created_once,
    additional_organizations_can_follow_the_first,
    creating_an_organization_stores_it_with_its_admin_and_activity,
    a_failed_organization_creation_keeps_nothing,
    an_unknown_organization_is_not_found,
    concurrent_first_organizations_let_exactly_one_through,
);

async fn the_store_answers_a_ping(store: &dyn Store) {
    store.ping().await.unwrap();
}

async fn a_missing_setting_reads_as_none(store: &dyn Store) {
    assert_eq!(store.setting("pepper").await.unwrap(), None);
}

async fn init_setting_keeps_the_first_value(store: &dyn Store) {
    let first = store.init_setting("pepper", b"one", T0).await.unwrap();
    let second = store
        .init_setting("pepper", b"two", minutes(1))
        .await
        .unwrap();

    assert_eq!(first, b"one");
    assert_eq!(second, b"one");
    assert_eq!(
        store.setting("pepper").await.unwrap(),
        Some(b"one".to_vec())
    );
}

async fn the_first_organization_can_only_be_created_once(store: &dyn Store) {
    // Arrange
    assert!(!store.has_organizations().await.unwrap());
    let first = NewOrganization {
        id: OrganizationId::new(),
        name: "First".into(),
        created_at: T0,
    };
    let first_admin = new_user(first.id, "admin@first.example", Role::Admin);
    let second = NewOrganization {
        id: OrganizationId::new(),
        name: "Second".into(),
        created_at: T0,
    };
    let second_admin = new_user(second.id, "admin@second.example", Role::Admin);

    // Act
    let created = activity(first.id, "organization.created");
    store
        .create_organization(&first, &first_admin, CreateMode::FirstOnly, &created)
        .await
        .unwrap();
    let refused = activity(second.id, "organization.created");
    let again = store.create_organization(&second, &second_admin, CreateMode::FirstOnly, &refused);

    // Assert
    assert_conflict(again.await, "organizations.first");
    assert!(store.has_organizations().await.unwrap());
    assert_not_found(store.organization(second.id).await);
    assert_eq!(
        store.user_by_email(&second_admin.email).await.unwrap(),
        None
    );
    assert!(
        store
            .list_activity(second.id, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn additional_organizations_can_follow_the_first(store: &dyn Store) {
    let first = tenant(store, "first").await;
    let second = tenant(store, "second").await;

    assert_eq!(store.organization(first.id).await.unwrap().name, "first");
    assert_eq!(store.organization(second.id).await.unwrap().name, "second");
}

async fn creating_an_organization_stores_it_with_its_admin_and_activity(store: &dyn Store) {
    let organization = NewOrganization {
        id: OrganizationId::new(),
        name: "Acme".into(),
        created_at: T0,
    };
    let admin = new_user(organization.id, "root@acme.example", Role::Admin);
    let created = activity(organization.id, "organization.created");

    store
        .create_organization(&organization, &admin, CreateMode::FirstOnly, &created)
        .await
        .unwrap();

    let stored = store.organization(organization.id).await.unwrap();
    assert_eq!(
        (stored.id, stored.name.as_str(), stored.created_at),
        (organization.id, "Acme", T0)
    );
    let user = store.user(organization.id, admin.id).await.unwrap();
    assert_eq!(user.organization, stored);
    assert_eq!(
        (user.email.as_str(), user.role),
        ("root@acme.example", Role::Admin)
    );
    assert_eq!(
        store
            .list_activity(organization.id, None, 10)
            .await
            .unwrap(),
        [created]
    );
}

async fn a_failed_organization_creation_keeps_nothing(store: &dyn Store) {
    let existing = tenant(store, "existing").await;
    let organization = NewOrganization {
        id: OrganizationId::new(),
        name: "Dup".into(),
        created_at: T0,
    };
    let admin = new_user(organization.id, &existing.admin.email, Role::Admin);
    let created = activity(organization.id, "organization.created");

    let result = store.create_organization(&organization, &admin, CreateMode::Additional, &created);

    assert_conflict(result.await, "users.email");
    assert_not_found(store.organization(organization.id).await);
}

async fn an_unknown_organization_is_not_found(store: &dyn Store) {
    assert_not_found(store.organization(OrganizationId::new()).await);
}

async fn concurrent_first_organizations_let_exactly_one_through(store: &dyn Store) {
    // Arrange
    let organizations: Vec<NewOrganization> = (0..4)
        .map(|number| NewOrganization {
            id: OrganizationId::new(),
            name: format!("racer {number}"),
            created_at: T0,
        })
        .collect();
    let admins: Vec<_> = organizations
        .iter()
        .enumerate()
        .map(|(number, organization)| {
            new_user(
                organization.id,
                &format!("admin@racer{number}.example"),
                Role::Admin,
            )
        })
        .collect();
    let logs: Vec<_> = organizations
        .iter()
        .map(|organization| activity(organization.id, "organization.created"))
        .collect();

    // Act: the calls interleave at every await, each on its own pooled connection.
    let (a, b, c, d) = tokio::join!(
        store.create_organization(
            &organizations[0],
            &admins[0],
            CreateMode::FirstOnly,
            &logs[0]
        ),
        store.create_organization(
            &organizations[1],
            &admins[1],
            CreateMode::FirstOnly,
            &logs[1]
        ),
        store.create_organization(
            &organizations[2],
            &admins[2],
            CreateMode::FirstOnly,
            &logs[2]
        ),
        store.create_organization(
            &organizations[3],
            &admins[3],
            CreateMode::FirstOnly,
            &logs[3]
        ),
    );

    // Assert
    let results = [a, b, c, d];
    assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1);
    for result in results.into_iter().filter(Result::is_err) {
        assert_conflict(result, "organizations.first");
    }
}
