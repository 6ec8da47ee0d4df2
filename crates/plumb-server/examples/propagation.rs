//! Measures how long a key change made through one node takes to reach another node's cache
//! (docs/performance.md). Not a test: run it on demand against a PostgreSQL test database.
//!
//! ```sh
//! PLUMB_TEST_POSTGRES_URL=postgres://plumb:plumb@127.0.0.1:5432/plumb_test \
//!   cargo run --release -p plumb-server --example propagation -- 300
//! ```
//!
//! Two nodes (two `App`s with their own pools, caches and change feeds) start on a fresh schema.
//! Round-robin over N changes: edit a key's access, regenerate a key, delete a key, each made
//! through node A's `Keys` after node B has the key cached. The clock starts when A's call
//! returns (the moment A answers its client) and stops when B's cache no longer holds the old
//! state, checked every ~20 µs by a spinning thread; B then caches the key again.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measurement tool, not library code"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use plumb_core::Access;
use plumb_core::accounts::{NewAccount, user_ref};
use plumb_core::activity::Actor;
use plumb_core::store::{ApiKeyChange, CreateMode};
use plumb_core::verifier::{CacheLookup, KeyVerifier};
use plumb_server::App;
use plumb_server::config::Config;
use plumb_store_tests::TestSchema;
use secrecy::SecretString;

#[tokio::main]
async fn main() {
    let changes: usize = std::env::args()
        .nth(1)
        .map_or(300, |n| n.parse().expect("a count"));
    let schema = TestSchema::create()
        .await
        .expect("set PLUMB_TEST_POSTGRES_URL");
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(schema.url()),
        ..Config::default()
    };
    let node_a = App::start(&config).await.unwrap();
    let node_b = App::start(&config).await.unwrap();
    let account = NewAccount {
        organization_name: "Measure".into(),
        email: "measure@example.test".into(),
        name: None,
        password: SecretString::from("a long enough password"),
    };
    let now = node_a.state.clock.now();
    let admin = node_a
        .state
        .accounts
        .create_organization(account, CreateMode::FirstOnly, None, now)
        .await
        .unwrap();
    let actor = Actor {
        api_key: None,
        user: Some(user_ref(&admin)),
        organization_id: admin.organization.id,
        ip: None,
    };
    let keys = &node_a.state.keys;
    let verifier_b = node_b.state.keys.verifier().clone();

    let mut delays = [Vec::new(), Vec::new(), Vec::new()];
    let (mut record, mut plain) = keys
        .create(
            &actor,
            ("measured", Access::ReadWrite),
            Default::default(),
            now,
        )
        .await
        .unwrap();
    for round in 0..changes {
        let now = node_a.state.clock.now();
        verifier_b
            .verify(plain.expose(), now)
            .await
            .unwrap()
            .expect("node B verifies the key");
        let old = plain.expose().to_owned();
        let kind = round % 3;
        let access = record.access;
        let started = match kind {
            0 => {
                let flipped = if access == Access::ReadWrite {
                    Access::ReadOnly
                } else {
                    Access::ReadWrite
                };
                let change = ApiKeyChange {
                    description: None,
                    access: Some(flipped),
                    ..Default::default()
                };
                record = keys.update(&actor, record.id, change, now).await.unwrap();
                Instant::now()
            }
            1 => {
                (record, plain) = keys.regenerate(&actor, record.id, 0, now).await.unwrap();
                Instant::now()
            }
            _ => {
                keys.delete(&actor, record.id, now).await.unwrap();
                Instant::now()
            }
        };
        delays[kind].push(wait_until_stale_state_gone(&verifier_b, old, access, started).await);
        if kind == 2 {
            (record, plain) = keys
                .create(
                    &actor,
                    ("measured", Access::ReadWrite),
                    Default::default(),
                    now,
                )
                .await
                .unwrap();
        }
    }

    let names = ["edit (access)", "regenerate", "delete"];
    let mut all: Vec<Duration> = delays.iter().flatten().copied().collect();
    println!(
        "propagation from node A's answer to node B's cache, {} changes:",
        all.len()
    );
    for (name, samples) in names.iter().zip(delays.iter_mut()) {
        report(name, samples);
    }
    report("all", &mut all);
    node_a.shutdown().await;
    node_b.shutdown().await;
    schema.drop_schema().await;
}

/// Spins until node B's cache no longer answers `old` with `access`; returns the delay.
async fn wait_until_stale_state_gone(
    verifier: &Arc<KeyVerifier>,
    old: String,
    access: Access,
    started: Instant,
) -> Duration {
    let verifier = verifier.clone();
    tokio::task::spawn_blocking(move || {
        loop {
            match verifier.lookup_cached(&old) {
                CacheLookup::Hit(key) if key.principal.access == access => {}
                _ => return started.elapsed(),
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "no propagation within 5 s"
            );
            std::thread::sleep(Duration::from_micros(20));
        }
    })
    .await
    .unwrap()
}

fn report(name: &str, samples: &mut [Duration]) {
    samples.sort_unstable();
    let at = |quantile: f64| {
        samples[((samples.len() as f64 * quantile).ceil() as usize).saturating_sub(1)]
    };
    println!(
        "  {name:<14} n={:<4} p50 {:>8.2?}  p99 {:>8.2?}  max {:>8.2?}",
        samples.len(),
        at(0.50),
        at(0.99),
        samples[samples.len() - 1]
    );
}
