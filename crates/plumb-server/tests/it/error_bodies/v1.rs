//! `/api/v1`: the error bodies the web UI and the CLI read.

use axum::http::Method;
use insta::assert_snapshot;
use serde_json::json;

use super::{LIMIT, wire};
use crate::helpers::{ADMIN_EMAIL, PASSWORD, RequestBuilder, TestApp};

#[tokio::test]
async fn an_api_v1_request_without_a_session_is_a_401() {
    let app = TestApp::new().await;

    let response = app.get("/api/v1/api-keys").send(&app).await;

    assert_snapshot!(wire(&response), @r#"
    401 Unauthorized
    content-type: application/json
    {"error":"sign in first","code":"unauthenticated"}
    "#);
}

#[tokio::test]
async fn signing_in_with_a_wrong_password_is_a_401() {
    let app = TestApp::new().await;

    let response = app
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": "wrong password"}),
        )
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    401 Unauthorized
    content-type: application/json
    {"error":"invalid email or password","code":"unauthenticated"}
    "#);
}

#[tokio::test]
async fn an_api_v1_body_that_is_not_json_is_a_400() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let response = RequestBuilder::new(Method::POST, "/api/v1/api-keys")
        .raw(r#"{"description":"#)
        .header("content-type", "application/json")
        .session(&admin)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    400 Bad Request
    content-type: application/json
    {"error":"malformed JSON in request body: EOF while parsing a value at line 1 column 15","code":"bad_request"}
    "#);
}

#[tokio::test]
async fn an_api_v1_body_with_an_unknown_field_is_a_400_naming_it() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let response = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "x", "access": "read_only", "acess": "read_write"}),
        )
        .session(&admin)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    400 Bad Request
    content-type: application/json
    {"error":"invalid request body: unknown field `acess`, expected one of `description`, `access`, `expires_at`, `disabled`, `allowed_ips`, `rate_limit_per_minute`","code":"bad_request"}
    "#);
}

#[tokio::test]
async fn an_api_v1_write_without_the_csrf_token_is_a_403() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let response = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "x", "access": "read_only"}),
        )
        .header("cookie", &admin.cookie)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    403 Forbidden
    content-type: application/json
    {"error":"missing or invalid X-CSRF-Token header","code":"csrf_failed"}
    "#);
}

#[tokio::test]
async fn a_technician_without_settings_access_gets_a_403_on_api_keys() {
    let app = TestApp::new().await;
    app.add_user("plain@acme.test", "technician", &[]).await;
    let plain = app.sign_in("plain@acme.test", PASSWORD).await;

    let response = app.get("/api/v1/api-keys").session(&plain).send(&app).await;

    assert_snapshot!(wire(&response), @r#"
    403 Forbidden
    content-type: application/json
    {"error":"you need Settings access for this; ask an administrator to grant it","code":"forbidden"}
    "#);
}

#[tokio::test]
async fn an_unknown_api_v1_object_is_a_404() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let missing = plumb_core::id::GroupId::new();

    let response = app
        .get(&format!("/api/v1/api-keys/{missing}"))
        .session(&admin)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    404 Not Found
    content-type: application/json
    {"error":"api key not found","code":"not_found"}
    "#);
}

#[tokio::test]
async fn an_unknown_api_v1_route_is_a_404() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let response = app.get("/api/v1/nothing").session(&admin).send(&app).await;

    assert_snapshot!(wire(&response), @r#"
    404 Not Found
    content-type: application/json
    {"error":"no such route","code":"not_found"}
    "#);
}

#[tokio::test]
async fn a_method_an_api_v1_route_does_not_take_is_a_405() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let response = app
        .delete("/api/v1/api-keys")
        .session(&admin)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    405 Method Not Allowed
    content-type: application/json
    {"error":"this route does not accept that method","code":"method_not_allowed"}
    "#);
}

#[tokio::test]
async fn revealing_a_key_in_hash_only_mode_is_a_409() {
    let app = TestApp::hash_only().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Once", "read_only").await;

    let response = app
        .post(&format!("/api/v1/api-keys/{id}/reveal"), json!({}))
        .session(&admin)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    409 Conflict
    content-type: application/json
    {"error":"this key's value cannot be copied: plumb keeps only a digest of it (hash-only mode), so the full value was shown once, at creation; regenerate the key to get a new value","code":"conflict"}
    "#);
}

#[tokio::test]
async fn an_api_v1_body_over_64_kib_is_a_413() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let response = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "x".repeat(LIMIT), "access": "read_only"}),
        )
        .session(&admin)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    413 Payload Too Large
    content-type: application/json
    {"error":"request body is too large (limit 65536 bytes)","code":"payload_too_large"}
    "#);
}

#[tokio::test]
async fn an_api_v1_body_that_breaks_a_rule_is_a_422() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let response = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "", "access": "read_only"}),
        )
        .session(&admin)
        .send(&app)
        .await;

    assert_snapshot!(wire(&response), @r#"
    422 Unprocessable Entity
    content-type: application/json
    {"error":"description must not be empty","code":"validation_failed"}
    "#);
}

#[tokio::test]
async fn too_many_failed_sign_ins_are_a_429_with_retry_after() {
    let app = TestApp::new().await;
    let wrong = json!({"email": ADMIN_EMAIL, "password": "wrong password"});
    for _ in 0..5 {
        app.post("/api/v1/session", wrong.clone()).send(&app).await;
    }

    let response = app.post("/api/v1/session", wrong).send(&app).await;

    // The seconds left depend on the clock; the shape does not.
    let seconds = response.headers["retry-after"].to_str().unwrap();
    let seen = format!("{}\nretry-after: {seconds}", wire(&response))
        .replace(&format!("retry in {seconds} "), "retry in <seconds> ")
        .replace(&format!("retry-after: {seconds}"), "retry-after: <seconds>");
    assert_snapshot!(seen, @r#"
    429 Too Many Requests
    content-type: application/json
    {"error":"too many attempts; retry in <seconds> seconds","code":"rate_limited"}
    retry-after: <seconds>
    "#);
}
