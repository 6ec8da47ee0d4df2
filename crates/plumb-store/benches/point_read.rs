//! One indexed point read through the store on SQLite: the API key lookup by digest that a
//! verification miss makes, each iteration a `block_on` on a current-thread runtime. Run with
//! `cargo bench -p plumb-store --bench point_read`; figures (and the sqlx figure it replaced)
//! in docs/adr/0001-one-store.md.

#![allow(
    clippy::expect_used,
    reason = "a bench aborts on setup failure; there is no caller to report to"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use plumb_core::Role;
use plumb_core::Store;
use plumb_core::crypto::Digest;
use plumb_core::id::{ActivityId, OrganizationId, UserId};
use plumb_core::store::KeyStore;
use plumb_core::store::{Activity, CreateMode, NewOrganization, NewUser};
use plumb_store::{OpenMode, SqlStore};
use time::macros::datetime;

fn point_read(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime for the bench");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("plumb.db").display());
    let store = runtime.block_on(async {
        let store = SqlStore::sqlite(&url, OpenMode::CreateIfMissing)
            .await
            .expect("the store opens");
        store.migrate().await.expect("migrations apply");
        seed(&store).await;
        store
    });
    let digest = Digest([7; 32]);
    let mut group = c.benchmark_group("point_read");
    group.bench_function("rusqlite", |b| {
        b.iter(|| runtime.block_on(store.api_key_by_digest(black_box(&digest))))
    });
    group.finish();
}

/// An organization, so the lookup reads a real (if missing) key's index.
async fn seed(store: &dyn Store) {
    let at = datetime!(2026-12-01 12:00 UTC);
    let id = OrganizationId::new();
    let organization = NewOrganization {
        id,
        name: "Bench".to_owned(),
        created_at: at,
    };
    let admin = NewUser {
        id: UserId::new(),
        organization_id: id,
        email: "bench@example.com".to_owned(),
        name: "Bench".to_owned(),
        role: Role::Admin,
        permissions: Vec::new(),
        password_hash: None,
        created_at: at,
    };
    let created = Activity {
        api_key: None,
        id: ActivityId::new(),
        organization_id: id,
        actor: None,
        action: "organization.created".to_owned(),
        target_type: "organization".to_owned(),
        target_id: None,
        details: serde_json::json!({}),
        ip: None,
        created_at: at,
    };
    store
        .create_organization(&organization, &admin, CreateMode::FirstOnly, &created)
        .await
        .expect("an organization");
}

criterion_group!(benches, point_read);
criterion_main!(benches);
