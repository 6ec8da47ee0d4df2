//! Custom fields and their values end to end: `/v2/custom_fields`, `/v2/custom_field_values`
//! (the organization → group → subgroup → device cascade, `force`, paging by field id) and the
//! `custom_fields` map of `/v2/groups/{id}`.

use axum::http::StatusCode;
use plumb_core::id::GroupId;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

mod cascade;
mod fields;
mod groups;
mod values;

async fn field(app: &TestApp, key: &str, name: &str) -> String {
    let response = app
        .post("/v2/custom_fields", json!({"name": name}))
        .key(key)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body["id"].as_str().unwrap().to_owned()
}

async fn group(app: &TestApp, key: &str, name: &str, parent: Option<&str>) -> String {
    let response = app
        .post("/v2/groups", json!({"name": name, "parent_id": parent}))
        .key(key)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body["id"].as_str().unwrap().to_owned()
}

async fn device(app: &TestApp, group: Option<&str>, hostname: &str) -> String {
    let group = group.map(|id| GroupId::parse(id).unwrap());
    app.device(app.admin.organization.id, group, hostname).await
}

async fn get(app: &TestApp, key: &str, path: &str) -> TestResponse {
    app.get(path).key(key).send(app).await
}

/// `PATCH /v2/custom_field_values` with `body`.
async fn set(app: &TestApp, key: &str, body: Value) -> TestResponse {
    app.patch("/v2/custom_field_values", body)
        .key(key)
        .send(app)
        .await
}

/// Sets a value and asserts it worked.
async fn set_ok(app: &TestApp, key: &str, field: &str, assigned_to: Option<&str>, value: &str) {
    let response = set(
        app,
        key,
        json!({"custom_field_id": field, "assigned_to_id": assigned_to, "value": value}),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
}

/// `DELETE /v2/custom_field_values` with `body`.
async fn unset(app: &TestApp, key: &str, body: Value) -> TestResponse {
    app.delete("/v2/custom_field_values")
        .json(body)
        .key(key)
        .send(app)
        .await
}

/// `GET /v2/custom_field_values` for an assignee: `(field name, value, assigned_to_id)` in order.
async fn values_of(
    app: &TestApp,
    key: &str,
    assigned_to: Option<&str>,
) -> Vec<(String, Value, Value)> {
    let query = assigned_to.map_or(String::new(), |id| format!("?assigned_to_id={id}"));
    let response = get(app, key, &format!("/v2/custom_field_values{query}")).await;
    triples(&response)
}

fn triples(response: &TestResponse) -> Vec<(String, Value, Value)> {
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| {
            (
                value["custom_field_name"].as_str().unwrap().to_owned(),
                value["value"].clone(),
                value["assigned_to_id"].clone(),
            )
        })
        .collect()
}

fn triple(name: &str, value: Value, assigned_to: Value) -> (String, Value, Value) {
    (name.to_owned(), value, assigned_to)
}

/// Asserts our error envelope with its stable code; returns the message.
fn refused(response: &TestResponse, status: StatusCode, code: &str) -> String {
    let message = response.error(status);
    assert_eq!(response.body["code"], code, "{}", response.text);
    message
}
