//! Fixtures shared by the conformance tests: fresh databases, fixed times, and builders for
//! the records most tests need (an organization with its administrator, keys, groups).
//!
//! Times are fixed with `datetime!`, never read from a clock, so every run sees the same data.

mod automations;
mod devices;

pub use automations::{automation_fields, insert_automation, step};
pub use devices::{device_ids, device_page, insert_named_device, inventory, inventory_json};

use plumb_core::crypto::Digest;
use plumb_core::id::{ActivityId, ApiKeyId, DeviceId, GroupId, OrganizationId, UserId};
use plumb_core::store::StoreResult;
use plumb_core::store::{Activity, CreateMode, KeySecret, NewApiKey, NewDevice, NewGroup};
use plumb_core::store::{GroupRecord, NewOrganization, NewUser, UserRef};
use plumb_core::{Access, Role, Store, StoreError};
use plumb_store::{OpenMode, SqlStore};
use plumb_store_tests::TestSchema;
use tempfile::TempDir;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// The time most records are created at.
pub const T0: OffsetDateTime = datetime!(2026-11-23 12:00 UTC);

/// `T0` plus some minutes, for ordering and expiry.
pub fn minutes(count: i64) -> OffsetDateTime {
    T0 + Duration::minutes(count)
}

/// A migrated SQLite store in a temporary directory that disappears with it.
pub struct SqliteDatabase {
    store: SqlStore,
    // Held so the directory outlives the store.
    _directory: TempDir,
}

impl SqliteDatabase {
    /// A fresh, migrated database file.
    pub async fn new() -> Self {
        let directory = tempfile::tempdir().expect("a temporary directory can be created");
        let url = format!("sqlite://{}", directory.path().join("plumb.db").display());
        let store = SqlStore::sqlite(&url, OpenMode::CreateIfMissing)
            .await
            .expect("store opens");
        store.migrate().await.expect("migrations apply");
        Self {
            store,
            _directory: directory,
        }
    }

    /// The store under test.
    pub fn store(&self) -> &dyn Store {
        &self.store
    }

    /// Closes the pool before the directory is removed.
    pub async fn close(self) {
        self.store.close().await;
    }
}

/// A migrated PostgreSQL store in a fresh schema of `PLUMB_TEST_POSTGRES_URL`, dropped with it.
pub struct PgDatabase {
    store: SqlStore,
    schema: TestSchema,
}

impl PgDatabase {
    /// A fresh, migrated schema, or `None` when PostgreSQL tests are skipped (the URL is unset
    /// and not required).
    pub async fn new() -> Option<Self> {
        let schema = TestSchema::create().await?;
        let store = SqlStore::postgres(&schema.url())
            .await
            .expect("store connects");
        store.migrate().await.expect("migrations apply");
        Some(Self { store, schema })
    }

    /// The store under test.
    pub fn store(&self) -> &dyn Store {
        &self.store
    }

    /// The concrete store, for backend-specific tests.
    pub fn sql_store(&self) -> &SqlStore {
        &self.store
    }

    /// The schema's URL, to open more stores (nodes) on the same data.
    pub fn url(&self) -> String {
        self.schema.url()
    }

    /// Closes the pool, then drops the schema.
    pub async fn close(self) {
        self.store.close().await;
        self.schema.drop_schema().await;
    }
}

/// An organization with its first administrator.
pub struct Tenant {
    pub id: OrganizationId,
    pub admin: UserRef,
}

/// Creates an organization named `name` with an administrator `admin@<name>.example`.
pub async fn tenant(store: &dyn Store, name: &str) -> Tenant {
    let id = OrganizationId::new();
    let organization = NewOrganization {
        id,
        name: name.to_owned(),
        created_at: T0,
    };
    let admin = new_user(id, &format!("admin@{name}.example"), Role::Admin);
    let created = activity(id, "organization.created");
    store
        .create_organization(&organization, &admin, CreateMode::Additional, &created)
        .await
        .expect("organization is created");
    Tenant {
        id,
        admin: UserRef {
            id: admin.id,
            email: admin.email,
        },
    }
}

/// A new user without a password.
pub fn new_user(organization_id: OrganizationId, email: &str, role: Role) -> NewUser {
    NewUser {
        id: UserId::new(),
        organization_id,
        email: email.to_owned(),
        name: email.split('@').next().unwrap_or(email).to_owned(),
        role,
        permissions: Vec::new(),
        password_hash: None,
        created_at: T0,
    }
}

/// An activity entry with no actor.
pub fn activity(organization_id: OrganizationId, action: &str) -> Activity {
    Activity {
        api_key: None,
        id: ActivityId::new(),
        organization_id,
        actor: None,
        action: action.to_owned(),
        target_type: "test".to_owned(),
        target_id: None,
        details: serde_json::json!({}),
        ip: None,
        created_at: T0,
    }
}

/// A digest that differs for every `seed`.
pub fn digest(seed: u8) -> Digest {
    Digest([seed; 32])
}

/// A key secret whose digest comes from `seed`, with a sealed copy.
pub fn secret(seed: u8) -> KeySecret {
    KeySecret {
        digest: digest(seed),
        hint: format!("h{seed:03}"),
        sealed: Some(vec![seed; 40]),
    }
}

/// Inserts a read-write key created by the tenant's administrator at `created_at`.
pub async fn insert_key(
    store: &dyn Store,
    tenant: &Tenant,
    description: &str,
    seed: u8,
    created_at: OffsetDateTime,
) -> ApiKeyId {
    let key = NewApiKey {
        id: ApiKeyId::new(),
        organization_id: tenant.id,
        description: description.to_owned(),
        access: Access::ReadWrite,
        secret: secret(seed),
        created_by: tenant.admin.id,
        created_at,
        rules: Default::default(),
    };
    store
        .insert_api_key(&key, &activity(tenant.id, "api_key.created"))
        .await
        .expect("key");
    key.id
}

/// Inserts a group.
pub async fn insert_group(
    store: &dyn Store,
    organization_id: OrganizationId,
    parent_id: Option<GroupId>,
    name: &str,
) -> GroupRecord {
    let group = NewGroup {
        id: GroupId::new(),
        organization_id,
        parent_id,
        name: name.to_owned(),
        created_at: T0,
    };
    store
        .insert_group(&group, None)
        .await
        .expect("group is inserted")
}

/// Inserts a device, optionally into a group.
pub async fn insert_device(
    store: &dyn Store,
    organization_id: OrganizationId,
    group_id: Option<GroupId>,
) -> DeviceId {
    let id = DeviceId::new();
    let device = NewDevice {
        id,
        organization_id,
        group_id,
        hostname: format!("host-{id}"),
        serial_number: None,
        token_digest: None,
        inventory: None,
        created_at: T0,
    };
    store
        .insert_device(&device)
        .await
        .expect("device is inserted");
    id
}

/// Fails unless `result` is `NotFound`.
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: StoreResult<T>) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// Fails unless `result` is a conflict on `constraint`.
#[track_caller]
pub fn assert_conflict<T: std::fmt::Debug>(result: StoreResult<T>, constraint: &str) {
    match result {
        Err(StoreError::Conflict { constraint: found }) if found == constraint => {}
        other => panic!("expected a conflict on {constraint}, got {other:?}"),
    }
}

/// A request for the first page of `limit` items.
pub fn first_page<Id>(limit: u32) -> plumb_core::page::PageRequest<Id> {
    plumb_core::page::PageRequest {
        limit,
        cursor: plumb_core::page::Cursor::First,
    }
}

/// The actions in an organization's activity log, oldest first.
pub async fn logged_actions(store: &dyn Store, organization_id: OrganizationId) -> Vec<String> {
    let mut entries = store
        .list_activity(organization_id, None, 100)
        .await
        .expect("activity is listed");
    entries.reverse();
    entries.into_iter().map(|entry| entry.action).collect()
}
