//! `/v2`: the error bodies of Level's API, which integrations read.

use axum::http::Method;
use insta::assert_snapshot;
use serde_json::json;

use super::{LIMIT, wire};
use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn a_v2_request_without_a_key_is_a_401_with_levels_access_denied_body() {
    let app = TestApp::new().await;

    let response = app.get("/v2/groups").send(&app).await;

    assert_snapshot!(wire(&response), @r#"
    401 Unauthorized
    content-type: application/json
    {"error":"Access denied","code":"unauthenticated"}
    "#);
}

#[tokio::test]
async fn a_v2_request_with_an_unknown_key_is_the_same_401() {
    let app = TestApp::new().await;

    let response = app
        .get("/v2/groups")
        .key("plumb_00000000000000000000000000000000000000")
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    401 Unauthorized
    content-type: application/json
    {"error":"Access denied","code":"unauthenticated"}
    "#);
}

#[tokio::test]
async fn a_bad_v2_query_value_is_a_400() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app.get("/v2/groups?limit=0").key(&key).send(&app).await;

    assert_snapshot!(wire(&response), @r#"
    400 Bad Request
    content-type: application/json
    {"error":"limit must be a whole number from 1 to 100","code":"bad_request"}
    "#);
}

#[tokio::test]
async fn a_v2_body_that_is_not_json_is_a_400() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = RequestBuilder::new(Method::POST, "/v2/groups")
        .raw(r#"{"name":"#)
        .header("content-type", "application/json")
        .key(&key)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    400 Bad Request
    content-type: application/json
    {"error":"malformed JSON in request body: EOF while parsing a value at line 1 column 8","code":"bad_request"}
    "#);
}

#[tokio::test]
async fn a_v2_body_with_an_unknown_field_is_a_400_naming_it() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app
        .post("/v2/groups", json!({"nmae": "Clients"}))
        .key(&key)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    400 Bad Request
    content-type: application/json
    {"error":"invalid request body: unknown field `nmae`, expected `name` or `parent_id`","code":"bad_request"}
    "#);
}

#[tokio::test]
async fn a_read_only_key_that_writes_on_v2_gets_a_403() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;

    let response = app
        .post("/v2/groups", json!({"name": "Clients"}))
        .key(&key)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    403 Forbidden
    content-type: application/json
    {"error":"This API key is read-only: it may view data but not create, update or delete it.","code":"forbidden"}
    "#);
}

#[tokio::test]
async fn an_unknown_v2_object_is_a_404() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let missing = plumb_core::id::GroupId::new();

    let response = app
        .get(&format!("/v2/groups/{missing}"))
        .key(&key)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    404 Not Found
    content-type: application/json
    {"error":"group not found","code":"not_found"}
    "#);
}

#[tokio::test]
async fn a_malformed_v2_id_is_a_404_like_a_missing_one() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app.get("/v2/groups/not-an-id").key(&key).send(&app).await;

    assert_snapshot!(wire(&response), @r#"
    404 Not Found
    content-type: application/json
    {"error":"group not found","code":"not_found"}
    "#);
}

#[tokio::test]
async fn an_unknown_v2_route_is_a_404() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app.get("/v2/nothing").key(&key).send(&app).await;

    assert_snapshot!(wire(&response), @r#"
    404 Not Found
    content-type: application/json
    {"error":"no such route","code":"not_found"}
    "#);
}

#[tokio::test]
async fn a_method_a_v2_route_does_not_take_is_a_405() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = RequestBuilder::new(Method::PUT, "/v2/groups")
        .json(json!({"name": "Clients"}))
        .key(&key)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    405 Method Not Allowed
    content-type: application/json
    {"error":"this route does not accept that method","code":"method_not_allowed"}
    "#);
}

#[tokio::test]
async fn a_v2_body_over_64_kib_is_a_413() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app
        .post("/v2/groups", json!({"name": "x".repeat(LIMIT)}))
        .key(&key)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    413 Payload Too Large
    content-type: application/json
    {"error":"request body is too large (limit 65536 bytes)","code":"payload_too_large"}
    "#);
}

#[tokio::test]
async fn a_v2_body_that_breaks_a_rule_is_a_422() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app
        .post("/v2/groups", json!({"name": ""}))
        .key(&key)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    422 Unprocessable Entity
    content-type: application/json
    {"error":"name must not be empty","code":"validation_failed"}
    "#);
}
