//! Several nodes, one truth, for what an owner limits about a key: disabling, an expiry edit,
//! an address list, a rate limit and the end of a grace period, made through node A, apply on
//! node B within 100 ms (its cached key is announced through the change feed).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{RequestBuilder, Session, TestApp};
use crate::nodes::{assert_cached_on, status_with, two_nodes, within_propagation};

async fn patch_key(node_a: &TestApp, session: &Session, id: &str, body: Value) {
    let changed = node_a
        .patch(&format!("/api/v1/api-keys/{id}"), body)
        .session(session)
        .send(node_a)
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
}

#[tokio::test]
async fn disabling_and_enabling_through_one_node_applies_on_the_other_within_100_ms() {
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, key) = node_a.create_key(&session, "Shared", "read_only").await;
    assert_eq!(
        status_with(&router_b, Method::GET, "/v2/groups", &key).await,
        StatusCode::OK
    );
    assert_cached_on(&node_b, &key);

    patch_key(&node_a, &session, &id, json!({ "disabled": true })).await;
    within_propagation(StatusCode::UNAUTHORIZED, || {
        status_with(&router_b, Method::GET, "/v2/groups", &key)
    })
    .await;
    patch_key(&node_a, &session, &id, json!({ "disabled": false })).await;
    within_propagation(StatusCode::OK, || {
        status_with(&router_b, Method::GET, "/v2/groups", &key)
    })
    .await;
}

#[tokio::test]
async fn an_expiry_edit_through_one_node_applies_on_the_other_within_100_ms() {
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, key) = node_a.create_key(&session, "Shared", "read_only").await;
    assert_eq!(
        status_with(&router_b, Method::GET, "/v2/groups", &key).await,
        StatusCode::OK
    );
    assert_cached_on(&node_b, &key);
    // One second ahead: valid when set, expired a moment later on both nodes.
    let soon = node_a.app.state.clock.now() + time::Duration::seconds(1);
    let soon = soon
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();

    patch_key(&node_a, &session, &id, json!({ "expires_at": soon })).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let status = status_with(&router_b, Method::GET, "/v2/groups", &key).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_cached_on(&node_b, &key);
}

#[tokio::test]
async fn an_address_list_set_through_one_node_applies_on_the_other_within_100_ms() {
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, key) = node_a.create_key(&session, "Shared", "read_only").await;
    let from_outside = || {
        RequestBuilder::new(Method::GET, "/v2/groups")
            .key(&key)
            .peer_address("203.0.113.9")
    };
    assert_eq!(
        from_outside().send_to(&router_b).await.status,
        StatusCode::OK
    );
    assert_cached_on(&node_b, &key);

    patch_key(
        &node_a,
        &session,
        &id,
        json!({ "allowed_ips": ["192.0.2.0/24"] }),
    )
    .await;

    within_propagation(StatusCode::FORBIDDEN, || async {
        from_outside().send_to(&router_b).await.status
    })
    .await;
}

#[tokio::test]
async fn an_organization_rate_limit_set_through_one_node_applies_on_the_other() {
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (_, key) = node_a.create_key(&session, "Shared", "read_only").await;
    assert_eq!(
        status_with(&router_b, Method::GET, "/v2/groups", &key).await,
        StatusCode::OK
    );
    assert_cached_on(&node_b, &key);

    let set = node_a
        .patch(
            "/api/v1/api-key-settings",
            json!({ "rate_limit_per_minute": 1 }),
        )
        .session(&session)
        .send(&node_a)
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);

    // The first request of the minute passes, every later one is refused.
    within_propagation(StatusCode::TOO_MANY_REQUESTS, || {
        status_with(&router_b, Method::GET, "/v2/groups", &key)
    })
    .await;
}

#[tokio::test]
async fn ending_a_grace_period_through_one_node_refuses_the_old_value_on_the_other() {
    let (node_a, node_b, router_b) = two_nodes().await;
    let session = node_a.admin_session().await;
    let (id, old) = node_a.create_key(&session, "Rotating", "read_only").await;
    let regenerated = node_a
        .post(
            &format!("/api/v1/api-keys/{id}/regenerate"),
            json!({ "grace_seconds": 3600 }),
        )
        .session(&session)
        .send(&node_a)
        .await;
    assert_eq!(regenerated.status, StatusCode::OK, "{}", regenerated.text);
    assert_eq!(
        status_with(&router_b, Method::GET, "/v2/groups", &old).await,
        StatusCode::OK
    );
    assert_cached_on(&node_b, &old);

    let ended = node_a
        .post(&format!("/api/v1/api-keys/{id}/end-grace"), json!({}))
        .session(&session)
        .send(&node_a)
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);

    within_propagation(StatusCode::UNAUTHORIZED, || {
        status_with(&router_b, Method::GET, "/v2/groups", &old)
    })
    .await;
}
