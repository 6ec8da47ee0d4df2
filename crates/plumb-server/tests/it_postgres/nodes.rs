//! Several nodes, one truth: two nodes (two `App`s with their own routers, caches and change
//! feeds) on one PostgreSQL schema. A key deleted, edited or regenerated through node A is
//! refused or changed on node B within 100 ms, and a node whose feed is cut verifies every key
//! against the database until the feed is back.

use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{Method, StatusCode};
use plumb_core::verifier::CacheLookup;
use plumb_server::{App, router};
use serde_json::json;

use crate::helpers::{RequestBuilder, Session, TestApp};

/// How long a change made through one node may take to reach another.
const PROPAGATION: Duration = Duration::from_millis(100);

/// Node A (with the organization) and node B, started on A's database.
pub(crate) async fn two_nodes() -> (TestApp, App, Router) {
    let node_a = TestApp::new().await;
    let node_b = App::start(&node_a.config()).await.unwrap();
    let router_b = router(node_b.state.clone());
    (node_a, node_b, router_b)
}

/// A `/v2` request with `key` on a node's router; returns the status.
pub(crate) async fn status_with(
    router: &Router,
    method: Method,
    path: &str,
    key: &str,
) -> StatusCode {
    RequestBuilder::new(method, path)
        .key(key)
        .send_to(router)
        .await
        .status
}

/// A write that a read-write key may make and a read-only key may not: 404 (allowed, nothing
/// there) or 403 (read-only), and nothing is changed either way.
async fn write_status(router: &Router, key: &str) -> StatusCode {
    let missing = "/v2/groups/01900000-0000-7000-8000-000000000000";
    status_with(router, Method::DELETE, missing, key).await
}

/// Polls `probe` until it answers `expected`; fails after [`PROPAGATION`]. Returns the delay.
pub(crate) async fn within_propagation<F, Fut>(expected: StatusCode, mut probe: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: Future<Output = StatusCode>,
{
    let started = Instant::now();
    loop {
        let status = probe().await;
        if status == expected {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < PROPAGATION,
            "still {status} after {:?}, expected {expected}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Asserts that node B would answer `key` from its cache: the test is not trivially passing.
pub(crate) fn assert_cached_on(node: &App, key: &str) {
    let lookup = node.state.keys.verifier().lookup_cached(key);
    assert!(matches!(lookup, CacheLookup::Hit(_)), "{lookup:?}");
}

async fn delete_key(node_a: &TestApp, session: &Session, id: &str) {
    let deleted = node_a
        .delete(&format!("/api/v1/api-keys/{id}"))
        .session(session)
        .send(node_a)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
}

#[tokio::test]
async fn a_key_deleted_through_one_node_is_refused_by_the_other_within_100_ms() {
    // Arrange
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, key) = node_a.create_key(&session, "Shared", "read_write").await;
    let used = status_with(&router_b, Method::GET, "/v2/groups", &key).await;
    assert_eq!(used, StatusCode::OK);
    assert_cached_on(&node_b, &key);

    // Act
    delete_key(&node_a, &session, &id).await;

    // Assert
    within_propagation(StatusCode::UNAUTHORIZED, || {
        status_with(&router_b, Method::GET, "/v2/groups", &key)
    })
    .await;
}

#[tokio::test]
async fn an_access_change_through_one_node_applies_on_the_other_within_100_ms() {
    // Arrange
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, key) = node_a.create_key(&session, "Shared", "read_write").await;
    assert_eq!(write_status(&router_b, &key).await, StatusCode::NOT_FOUND);
    assert_cached_on(&node_b, &key);
    let set_access = |access: &str| {
        node_a
            .patch(
                &format!("/api/v1/api-keys/{id}"),
                json!({ "access": access }),
            )
            .session(&session)
    };

    // Act and assert: read-write to read-only, and back.
    let restricted = set_access("read_only").send(&node_a).await;
    assert_eq!(restricted.status, StatusCode::OK, "{}", restricted.text);
    within_propagation(StatusCode::FORBIDDEN, || write_status(&router_b, &key)).await;
    let widened = set_access("read_write").send(&node_a).await;
    assert_eq!(widened.status, StatusCode::OK, "{}", widened.text);
    within_propagation(StatusCode::NOT_FOUND, || write_status(&router_b, &key)).await;
}

#[tokio::test]
async fn a_key_regenerated_through_one_node_changes_on_the_other_within_100_ms() {
    // Arrange
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, old) = node_a.create_key(&session, "Rotating", "read_write").await;
    assert_eq!(
        status_with(&router_b, Method::GET, "/v2/groups", &old).await,
        StatusCode::OK
    );
    assert_cached_on(&node_b, &old);

    // Act
    let regenerated = node_a
        .post(&format!("/api/v1/api-keys/{id}/regenerate"), json!({}))
        .session(&session)
        .send(&node_a)
        .await;
    let new = regenerated.body["key"].as_str().unwrap().to_owned();

    // Assert
    within_propagation(StatusCode::UNAUTHORIZED, || {
        status_with(&router_b, Method::GET, "/v2/groups", &old)
    })
    .await;
    let with_new = status_with(&router_b, Method::GET, "/v2/groups", &new).await;
    assert_eq!(with_new, StatusCode::OK);
}

/// Waits up to five seconds for `condition` on a node.
async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what} did not happen within five seconds");
}

#[tokio::test]
async fn a_node_that_lost_its_feed_refuses_a_deleted_key_at_once_and_recovers() {
    // Arrange: node B has the key cached, then its feed connection is cut.
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, key) = node_a.create_key(&session, "Shared", "read_write").await;
    status_with(&router_b, Method::GET, "/v2/groups", &key).await;
    assert_cached_on(&node_b, &key);
    let verifier = node_b.state.keys.verifier().clone();
    let pid = node_b.change_feed_pid().expect("node B's feed is up");
    // Held, so the outage lasts until released instead of the few milliseconds a reconnection
    // takes.
    node_b.hold_change_feed(true);
    assert!(node_a.database.terminate_backend(pid).await);
    eventually("node B noticing the cut", || !verifier.is_coherent()).await;

    // Act: the announcement of this deletion reaches nobody on node B.
    delete_key(&node_a, &session, &id).await;

    // Assert: node B asks the database, so the very first request is refused.
    let refused = status_with(&router_b, Method::GET, "/v2/groups", &key).await;
    assert_eq!(refused, StatusCode::UNAUTHORIZED);

    // And the feed comes back on a new connection, with propagation working again.
    node_b.hold_change_feed(false);
    eventually("node B's feed coming back", || verifier.is_coherent()).await;
    assert_ne!(node_b.change_feed_pid(), Some(pid));
    let (id, key) = node_a.create_key(&session, "After", "read_write").await;
    status_with(&router_b, Method::GET, "/v2/groups", &key).await;
    assert_cached_on(&node_b, &key);
    delete_key(&node_a, &session, &id).await;
    within_propagation(StatusCode::UNAUTHORIZED, || {
        status_with(&router_b, Method::GET, "/v2/groups", &key)
    })
    .await;
}

#[tokio::test]
async fn usage_flushed_by_two_nodes_keeps_the_latest_time_and_every_count() {
    // Arrange: node B serves one request, then node A a later one.
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, key) = node_a.create_key(&session, "Shared", "read_only").await;
    status_with(&router_b, Method::GET, "/v2/groups", &key).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    node_a.get("/v2/groups").key(&key).send(&node_a).await;
    let shown = || {
        node_a
            .get(&format!("/api/v1/api-keys/{id}"))
            .session(&session)
            .send(&node_a)
    };

    // Act: the node with the newer request flushes first, the older one last.
    node_a.flush_usage().await;
    let after_newer = shown().await;
    node_b.state.keys.verifier().flush_usage().await.unwrap();
    let after_older = shown().await;

    // Assert
    assert!(
        after_newer.body["last_used_at"].is_string(),
        "{}",
        after_newer.text
    );
    assert_eq!(
        after_older.body["last_used_at"],
        after_newer.body["last_used_at"]
    );
    assert_eq!(after_older.body["usage"]["success_count"], 2);
}

/// The name node B shows for a group.
async fn name_on(router: &Router, key: &str, group: &str) -> String {
    let shown = RequestBuilder::new(Method::GET, &format!("/v2/groups/{group}"))
        .key(key)
        .send_to(router)
        .await;
    shown.body["name"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_group_renamed_through_one_node_is_shown_renamed_by_the_other_within_100_ms() {
    // Arrange: node B has shown (and so cached) the group.
    let (node_a, _node_b, router_b) = two_nodes().await;
    let key = node_a.key("read_write").await;
    let created = node_a
        .post("/v2/groups", json!({"name": "Before"}))
        .key(&key)
        .send(&node_a)
        .await;
    let group = created.body["id"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        assert_eq!(name_on(&router_b, &key, &group).await, "Before");
    }

    // Act
    let renamed = node_a
        .patch(&format!("/v2/groups/{group}"), json!({"name": "After"}))
        .key(&key)
        .send(&node_a)
        .await;

    // Assert
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    let started = Instant::now();
    while name_on(&router_b, &key, &group).await != "After" {
        assert!(
            started.elapsed() < PROPAGATION,
            "node B still shows the old name"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}
