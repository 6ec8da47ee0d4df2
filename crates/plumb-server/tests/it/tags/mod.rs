//! The `/v2/tags` resource end to end: create, show, list (also of one device), rename with
//! PATCH and PUT, delete, and tagging and untagging devices.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

mod lifecycle;
mod membership;

async fn create(app: &TestApp, key: &str, name: &str) -> String {
    let response = create_response(app, key, name).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body["id"].as_str().unwrap().to_owned()
}

async fn create_response(app: &TestApp, key: &str, name: &str) -> TestResponse {
    app.post("/v2/tags", json!({"name": name}))
        .key(key)
        .send(app)
        .await
}

async fn get(app: &TestApp, key: &str, path: &str) -> TestResponse {
    app.get(path).key(key).send(app).await
}

async fn show(app: &TestApp, key: &str, id: &str) -> Value {
    let response = get(app, key, &format!("/v2/tags/{id}")).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

async fn tag(app: &TestApp, key: &str, id: &str, devices: &[&str]) -> TestResponse {
    app.post(
        &format!("/v2/tags/{id}/devices"),
        json!({"device_ids": devices}),
    )
    .key(key)
    .send(app)
    .await
}

async fn untag(app: &TestApp, key: &str, id: &str, devices: &[&str]) -> TestResponse {
    app.delete(&format!("/v2/tags/{id}/devices"))
        .json(json!({"device_ids": devices}))
        .key(key)
        .send(app)
        .await
}

async fn device(app: &TestApp, hostname: &str) -> String {
    app.device(app.admin.organization.id, None, hostname).await
}

/// The names of a page, in order.
fn names(page: &TestResponse) -> Vec<String> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tag| tag["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts our error envelope with its stable code; returns the message.
fn refused(response: &TestResponse, status: StatusCode, code: &str) -> String {
    let message = response.error(status);
    assert_eq!(response.body["code"], code, "{}", response.text);
    message
}
