//! The figures of docs/performance.md, "Event webhooks" (ignored by default; run with
//! `cargo test --release -p plumb-server --test it -- --ignored --nocapture measure`):
//! a `/v2` write with 10 subscribed endpoints against the same write with none, and sustained
//! delivery to a receiver on 127.0.0.1.

use std::time::{Duration, Instant};

use plumb_core::id::GroupId;
use plumb_core::store::NewGroup;
use serde_json::json;

use super::{Receiver, create_endpoint, deliver, hooks_app};
use crate::helpers::{PASSWORD, TestApp};

const WRITES: usize = 400;

/// Renames a group `count` times through `/v2`; returns the time each rename took.
async fn renames(app: &TestApp, key: &str, group: &str, round: usize) -> Duration {
    let started = Instant::now();
    let response = app
        .patch(
            &format!("/v2/groups/{group}"),
            json!({ "name": format!("Renamed {round}") }),
        )
        .key(key)
        .send(app)
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    started.elapsed()
}

#[tokio::test]
#[ignore = "a measurement: run with --ignored --nocapture, in release"]
async fn measure_a_v2_write_with_ten_endpoints_against_none() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    // Organization A has no endpoint; organization B has ten. Writes alternate between them.
    let quiet_key = app.key("read_write").await;
    app.other_org("other@other.test").await;
    let other = app.sign_in("other@other.test", PASSWORD).await;
    for _ in 0..10 {
        create_endpoint(&app, &other, json!({ "url": receiver.url })).await;
    }
    let (_, busy_key) = app.create_key(&other, "Busy", "read_write").await;
    let group = |key: String| {
        let app = &app;
        async move {
            app.post("/v2/groups", json!({"name": "Measured"}))
                .key(&key)
                .send(app)
                .await
                .body["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let quiet_group = group(quiet_key.clone()).await;
    let busy_group = group(busy_key.clone()).await;
    let (mut none, mut ten) = (Vec::new(), Vec::new());
    for round in 0..WRITES {
        none.push(renames(&app, &quiet_key, &quiet_group, round).await);
        ten.push(renames(&app, &busy_key, &busy_group, round).await);
    }
    let median = |mut times: Vec<Duration>| {
        times.sort_unstable();
        times[times.len() / 2]
    };
    let (none, ten) = (median(none), median(ten));
    let ratio = ten.as_secs_f64() / none.as_secs_f64();
    println!(
        "PATCH /v2/groups/{{id}} median: no endpoint {none:?}, ten endpoints {ten:?}, ratio {ratio:.3}"
    );
    assert!(ratio <= 1.2, "ratio {ratio:.3}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run with --ignored --nocapture, in release"]
async fn measure_sustained_delivery_to_a_local_receiver() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let session = app.admin_session().await;
    create_endpoint(&app, &session, json!({ "url": receiver.url })).await;
    let events = 5000;
    for number in 0..events {
        app.app
            .state
            .store
            .insert_group(
                &NewGroup {
                    id: GroupId::new(),
                    organization_id: app.admin.organization.id,
                    parent_id: None,
                    name: format!("Group {number}"),
                    created_at: app.app.state.clock.now(),
                },
                None,
            )
            .await
            .unwrap();
    }
    let started = Instant::now();
    let delivered = deliver(&app).await;
    let elapsed = started.elapsed();
    assert_eq!(delivered, events);
    assert_eq!(receiver.received().len(), events);
    let rate = events as f64 / elapsed.as_secs_f64();
    println!("delivered {events} events in {elapsed:?}: {rate:.0} events/s");
    assert!(rate >= 500.0, "{rate:.0} events/s");
}
