//! `plumb db copy`: every table moves between backends and reads back the same through the
//! `Store` trait, counts are verified, and a non-empty target is refused unless forced.

use clap::Parser;
use plumb_cli::Cli;
use plumb_cli::db::copy_between;
use plumb_core::Store;
use plumb_core::crypto::Digest;
use plumb_core::id::{ActivityId, ApiKeyId, DeviceId, GroupId, OrganizationId, UserId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{Activity, CreateMode, GroupChange, KeySecret, KeyUsageDelta, NewApiKey};
use plumb_core::store::{NewDevice, NewGroup, NewOrganization, NewSession, NewUser, ParentFilter};
use plumb_core::{Access, Permission, Role};
use plumb_server::database::{Database, open_store};
use plumb_store_tests::TestSchema;
use time::macros::datetime;

use crate::db_copy_automations::{SeededAutomations, assert_same_automations, seed_automations};
use crate::db_copy_devices::{SeededDevices, assert_same_devices, seed_devices};
use crate::db_copy_webhooks::{SeededWebhooks, assert_same_webhooks, seed_webhooks};

const T0: time::OffsetDateTime = datetime!(2026-11-23 12:00:00.123456 UTC);

/// What `seed` created, to look it up again.
struct Seeded {
    organization: OrganizationId,
    admin: UserId,
    live_key: ApiKeyId,
    automations: SeededAutomations,
    devices: SeededDevices,
    webhooks: SeededWebhooks,
}

fn activity(organization_id: OrganizationId, action: &str) -> Activity {
    Activity {
        api_key: None,
        id: ActivityId::new(),
        organization_id,
        actor: None,
        action: action.into(),
        target_type: "test".into(),
        target_id: None,
        details: serde_json::json!({"before": {"a": 1}, "after": {"a": "é"}}),
        ip: Some("192.0.2.1".into()),
        created_at: T0,
    }
}

/// Fills a store with a row of every kind, including a group whose parent has a later id.
async fn seed(store: &dyn Store) -> Seeded {
    let organization = OrganizationId::new();
    let new_org = NewOrganization {
        id: organization,
        name: "Acme".into(),
        created_at: T0,
    };
    let admin = NewUser {
        id: UserId::new(),
        organization_id: organization,
        email: "admin@acme.test".into(),
        name: "Admin".into(),
        role: Role::Admin,
        permissions: vec![Permission::Settings],
        password_hash: Some("$argon2id$x".into()),
        created_at: T0,
    };
    let log = || activity(organization, "test");
    store
        .create_organization(&new_org, &admin, CreateMode::FirstOnly, &log())
        .await
        .unwrap();
    store
        .init_setting("api_key_pepper", &[7; 32], T0)
        .await
        .unwrap();
    let session = NewSession {
        digest: Digest([1; 32]),
        user_id: admin.id,
        created_at: T0,
        expires_at: T0 + time::Duration::hours(1),
    };
    store.insert_session(&session).await.unwrap();
    store
        .insert_password_token(&Digest([2; 32]), admin.id, T0)
        .await
        .unwrap();
    let key = |seed: u8, sealed: Option<Vec<u8>>| NewApiKey {
        id: ApiKeyId::new(),
        organization_id: organization,
        description: format!("key {seed}"),
        access: Access::ReadOnly,
        secret: KeySecret {
            digest: Digest([seed; 32]),
            hint: "abcd".into(),
            sealed,
        },
        created_by: admin.id,
        created_at: T0,
        rules: plumb_core::store::KeyRules {
            expires_at: Some(T0 + time::Duration::days(30)),
            disabled: seed.is_multiple_of(2),
            allowed_ips: vec!["192.0.2.0/24".into(), "2001:db8::/32".into()],
            rate_limit_per_minute: Some(u32::from(seed) * 10),
        },
    };
    let live = key(10, Some(vec![0, 1, 254, 255]));
    store.insert_api_key(&live, &log()).await.unwrap();
    let usage = KeyUsageDelta {
        id: live.id,
        last_used_at: T0,
        last_ip: Some("::1".into()),
        last_user_agent: None,
        successes: 3,
        failures: 1,
    };
    store.record_api_key_usage(&[usage]).await.unwrap();
    let logged = plumb_core::store::KeyRequest {
        organization_id: organization,
        api_key_id: live.id,
        at: T0,
        method: "GET".into(),
        route: "/v2/groups/{id}".into(),
        path: "/v2/groups/x".into(),
        status: 404,
        duration_us: 812,
        client_ip: Some("2001:db8::7".into()),
        user_agent: Some("n8n/1.0".into()),
    };
    let batch =
        plumb_core::request_log::codec::encode(plumb_core::id::ApiKeyRequestId::new(), &[&logged])
            .unwrap();
    store.insert_api_key_requests(&[batch]).await.unwrap();
    let deleted = key(11, None);
    store.insert_api_key(&deleted, &log()).await.unwrap();
    store
        .delete_api_key(organization, deleted.id, T0, &log())
        .await
        .unwrap();
    let group = |name: &str| NewGroup {
        id: GroupId::new(),
        organization_id: organization,
        parent_id: None,
        name: name.into(),
        created_at: T0,
    };
    let (child, parent) = (group("child"), group("parent"));
    store.insert_group(&child, None).await.unwrap();
    store.insert_group(&parent, None).await.unwrap();
    let under = GroupChange {
        name: None,
        parent_id: Some(Some(parent.id)),
    };
    store
        .update_group(organization, child.id, &under, T0, None)
        .await
        .unwrap();
    for group_id in [Some(child.id), None] {
        let device = NewDevice {
            id: DeviceId::new(),
            organization_id: organization,
            group_id,
            hostname: "host".into(),
            serial_number: None,
            token_digest: None,
            inventory: None,
            created_at: T0,
        };
        store.insert_device(&device).await.unwrap();
    }
    let automations = seed_automations(store, organization, child.id, T0).await;
    let devices = seed_devices(store, organization, T0).await;
    let webhooks = seed_webhooks(store, organization, &log(), T0).await;
    Seeded {
        organization,
        admin: admin.id,
        live_key: live.id,
        automations,
        devices,
        webhooks,
    }
}

/// Asserts that `copy` reads back exactly as `original` through the trait.
async fn assert_same(original: &dyn Store, copy: &dyn Store, seeded: &Seeded) {
    let org = seeded.organization;
    assert_eq!(
        copy.organization(org).await.unwrap(),
        original.organization(org).await.unwrap()
    );
    assert_eq!(
        copy.list_users(org).await.unwrap(),
        original.list_users(org).await.unwrap()
    );
    assert_eq!(
        copy.setting("api_key_pepper").await.unwrap(),
        Some(vec![7; 32])
    );
    let now = T0 + time::Duration::minutes(1);
    let session = copy.session(&Digest([1; 32]), now).await.unwrap().unwrap();
    assert_eq!(session.user.id, seeded.admin);
    assert_eq!(
        copy.list_api_keys(org, None).await.unwrap(),
        original.list_api_keys(org, None).await.unwrap()
    );
    let key = copy
        .api_key_by_digest(&Digest([10; 32]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (key.id, key.usage.success_count, key.last_used_at),
        (seeded.live_key, 3, Some(T0))
    );
    assert_eq!(key.sealed, Some(vec![0, 1, 254, 255]));
    assert_eq!(key.rules.allowed_ips, ["192.0.2.0/24", "2001:db8::/32"]);
    let everything = plumb_core::store::BatchQuery {
        statuses: 0xff,
        through: None,
        limit: 10,
    };
    assert_eq!(
        copy.list_api_key_requests(org, key.id, &everything)
            .await
            .unwrap(),
        original
            .list_api_key_requests(org, key.id, &everything)
            .await
            .unwrap()
    );
    assert_eq!(
        copy.api_key_by_digest(&Digest([11; 32])).await.unwrap(),
        None
    );
    assert_eq!(
        copy.list_activity(org, None, 100).await.unwrap(),
        original.list_activity(org, None, 100).await.unwrap()
    );
    let page = PageRequest {
        limit: 10,
        cursor: Cursor::First,
    };
    let groups = copy
        .list_groups(org, ParentFilter::Any, &page)
        .await
        .unwrap();
    assert_eq!(
        groups,
        original
            .list_groups(org, ParentFilter::Any, &page)
            .await
            .unwrap()
    );
    assert_eq!(
        groups
            .items
            .iter()
            .map(|g| g.descendent_device_count)
            .sum::<u64>(),
        2
    );
    assert_same_automations(original, copy, org, &seeded.automations).await;
    assert_same_devices(original, copy, org, &seeded.devices).await;
    assert_same_webhooks(original, copy, org, &seeded.webhooks).await;
}

async fn sqlite_in(dir: &tempfile::TempDir, name: &str) -> (String, Database) {
    let url = format!("sqlite://{}", dir.path().join(name).display());
    let database = open_store(&url).await.unwrap();
    (url, database)
}

#[tokio::test]
async fn a_sqlite_installation_copies_to_another_sqlite_file_through_the_command_line() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let (from, source) = sqlite_in(&dir, "from.db").await;
    let seeded = seed(&*source.store()).await;
    let to = format!("sqlite://{}", dir.path().join("to.db").display());
    let command = |force: &str| {
        let mut args = vec!["plumb", "db", "copy", "--from", &from, "--to", &to];
        if !force.is_empty() {
            args.push(force);
        }
        Cli::try_parse_from(args).unwrap()
    };

    // Act
    plumb_cli::run(command("")).await.unwrap();
    let again = plumb_cli::run(command("")).await;
    plumb_cli::run(command("--force")).await.unwrap();

    // Assert
    let message = format!("{:#}", again.unwrap_err());
    assert!(
        message.contains("not empty") && message.contains("--force"),
        "{message}"
    );
    let target = open_store(&to).await.unwrap();
    assert_same(&*source.store(), &*target.store(), &seeded).await;
    source.close().await;
    target.close().await;
}

#[tokio::test]
async fn an_installation_moves_from_sqlite_to_postgres_and_back_with_every_row() {
    // Arrange
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_, sqlite) = sqlite_in(&dir, "plumb.db").await;
    let seeded = seed(&*sqlite.store()).await;
    let postgres = open_store(&schema.url()).await.unwrap();
    let (_, back) = sqlite_in(&dir, "back.db").await;

    // Act
    let there = copy_between(sqlite.transfer(), postgres.transfer(), false)
        .await
        .unwrap();
    let refused = copy_between(sqlite.transfer(), postgres.transfer(), false).await;
    let again = copy_between(sqlite.transfer(), postgres.transfer(), true)
        .await
        .unwrap();
    let back_again = copy_between(postgres.transfer(), back.transfer(), false)
        .await
        .unwrap();

    // Assert
    assert!(refused.is_err());
    assert_eq!(there, again);
    assert_eq!(there, back_again);
    let rows: u64 = there.iter().map(|(_, count)| count).sum();
    assert!(there.iter().all(|(_, count)| *count > 0), "{there:?}");
    assert_eq!(rows, 42, "{there:?}");
    assert_same(&*sqlite.store(), &*postgres.store(), &seeded).await;
    assert_same(&*sqlite.store(), &*back.store(), &seeded).await;
    for database in [sqlite, postgres, back] {
        database.close().await;
    }
    schema.drop_schema().await;
}
