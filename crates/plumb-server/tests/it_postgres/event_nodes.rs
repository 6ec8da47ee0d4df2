//! Event webhooks with two nodes on one PostgreSQL database: every event is delivered once
//! although both nodes' workers claim at the same time, and a node that dies holding claims
//! leaves them to the other once its lease runs out.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use plumb_core::clock::{Clock, ManualClock};
use plumb_core::events::outbox::Outbox;
use plumb_core::id::GroupId;
use plumb_core::store::NewGroup;
use plumb_server::config::Config;
use plumb_server::startup::App;
use time::macros::datetime;

use crate::event_webhooks::{Receiver, endpoint_for};
use crate::helpers::TestApp;

fn busy_worker(config: &mut Config) {
    config.webhooks.allow_private_targets = true;
    config.webhooks.poll_milliseconds = 20;
}

fn quiet_worker(config: &mut Config) {
    config.webhooks.allow_private_targets = true;
    config.webhooks.poll_milliseconds = 60_000;
}

/// Creates `count` groups (one `group_created` event each) through `app`'s store.
async fn groups(app: &TestApp, count: usize, at: time::OffsetDateTime) {
    for number in 0..count {
        app.app
            .state
            .store
            .insert_group(
                &NewGroup {
                    id: GroupId::new(),
                    organization_id: app.admin.organization.id,
                    parent_id: None,
                    name: format!("Group {number}"),
                    created_at: at,
                },
                None,
            )
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_events_through_two_busy_nodes_are_each_delivered_exactly_once() {
    let node_a = TestApp::with_config(busy_worker).await;
    let mut config = node_a.config();
    busy_worker(&mut config);
    let node_b = App::start(&config).await.unwrap();
    let receiver = Receiver::start().await;
    endpoint_for(&node_a, &receiver).await;

    groups(&node_a, 1000, node_a.app.state.clock.now()).await;
    let received = receiver.wait_for(1000).await;
    // Anything extra would have arrived by now too.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received = receiver.received().len().max(received.len());
    let ids: HashSet<String> = receiver
        .bodies()
        .iter()
        .map(|body| body["event_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1000);
    assert_eq!(received, 1000, "no event was delivered twice");
    node_b.shutdown().await;
}

#[tokio::test]
async fn a_node_that_dies_holding_claims_leaves_them_to_the_other_after_its_lease() {
    let clock = Arc::new(ManualClock::new(datetime!(2026-12-01 09:00 UTC)));
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let node_a = TestApp::with_clock(dyn_clock.clone(), quiet_worker).await;
    let mut config = node_a.config();
    quiet_worker(&mut config);
    let node_b = App::start_with_clock(&config, dyn_clock).await.unwrap();
    let receiver = Receiver::start().await;
    endpoint_for(&node_a, &receiver).await;
    groups(&node_a, 10, clock.now()).await;

    // Node A's worker claims everything and dies before attempting any of it.
    let now = clock.now();
    let outbox = Outbox::new(node_a.app.state.store.clone(), None);
    let lease = now + time::Duration::seconds(70);
    assert_eq!(outbox.claim(now, lease, 100).await.unwrap().len(), 10);

    assert_eq!(
        node_b.deliverer().deliver_due().await.unwrap(),
        0,
        "claimed by A"
    );
    clock.advance(time::Duration::seconds(71));
    let mut delivered = 0;
    loop {
        let made = node_b.deliverer().deliver_due().await.unwrap();
        delivered += made;
        if made == 0 {
            break;
        }
    }
    assert_eq!(delivered, 10);
    let ids: HashSet<String> = receiver
        .bodies()
        .iter()
        .map(|body| body["event_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!((ids.len(), receiver.received().len()), (10, 10));
    node_b.shutdown().await;
}
