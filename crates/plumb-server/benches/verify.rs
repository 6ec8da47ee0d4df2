//! API key verification cost: a cached hit, a miss that asks the store, and a malformed value
//! refused before any lookup. Run with `cargo bench -p plumb-server --bench verify`; figures in
//! docs/performance.md.

#![allow(
    clippy::expect_used,
    reason = "a bench aborts on setup failure; there is no caller to report to"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use plumb_core::Access;
use plumb_core::accounts::NewAccount;
use plumb_core::activity::Actor;
use plumb_core::api_key::PlainApiKey;
use plumb_core::store::CreateMode;
use plumb_core::verifier::CacheLookup;
use plumb_server::App;
use plumb_server::config::Config;
use secrecy::SecretString;

fn verification(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime for the bench");
    let dir = tempfile::tempdir().expect("a temporary data directory");
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    let (app, key) = runtime.block_on(async {
        let app = App::start(&config).await.expect("the app starts");
        let account = NewAccount {
            organization_name: "Bench MSP".to_owned(),
            email: "bench@example.com".to_owned(),
            name: None,
            password: SecretString::from("bench password 123"),
        };
        let now = app.state.clock.now();
        let admin = app
            .state
            .accounts
            .create_organization(account, CreateMode::FirstOnly, None, now)
            .await
            .expect("an organization");
        let actor = Actor {
            api_key: None,
            user: Some(plumb_core::accounts::user_ref(&admin)),
            organization_id: admin.organization.id,
            ip: None,
        };
        let (_, key) = app
            .state
            .keys
            .create(
                &actor,
                ("bench", Access::ReadWrite),
                Default::default(),
                now,
            )
            .await
            .expect("a key");
        (app, key)
    });
    let verifier = app.state.keys.verifier().clone();
    assert!(matches!(
        verifier.lookup_cached(key.expose()),
        CacheLookup::Hit(_)
    ));
    let unknown = PlainApiKey::generate();
    let mut group = c.benchmark_group("verify");
    group.bench_function("cached_hit", |b| {
        b.iter(|| verifier.lookup_cached(black_box(key.expose())))
    });
    // Wrong length: refused after one comparison.
    group.bench_function("malformed_shape", |b| {
        b.iter(|| verifier.lookup_cached(black_box("plumb_not-a-key")))
    });
    // Right shape, wrong checksum: the most work a malformed value can cause (a CRC32).
    let mut bad_checksum = key.expose().to_owned();
    let last = if bad_checksum.ends_with('A') {
        "B"
    } else {
        "A"
    };
    bad_checksum.replace_range(bad_checksum.len() - 1.., last);
    group.bench_function("malformed_checksum", |b| {
        b.iter(|| verifier.lookup_cached(black_box(&bad_checksum)))
    });
    group.bench_function("miss_to_store", |b| {
        b.iter(|| {
            runtime
                .block_on(verifier.verify(black_box(unknown.expose()), app.state.clock.now()))
                .expect("the store answers")
        })
    });
    group.finish();
    runtime.block_on(app.shutdown());
}

criterion_group!(benches, verification);
criterion_main!(benches);
