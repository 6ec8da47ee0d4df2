//! The `/v2/groups` resource end to end: create, show, list with `parent_id` and paging, update
//! with PATCH and PUT, the tree rules (sibling names, cycles), device counts, assigning and
//! removing devices, and delete handing a group's contents to its parent.

use axum::http::StatusCode;
use plumb_core::id::GroupId;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

mod creating;
mod deleting;
mod devices;
mod listing;
mod paging;
mod updating;

/// The fields of a group on every surface but show, in Level's spelling.
const GROUP_FIELDS: [&str; 6] = [
    "child_ids",
    "descendent_device_count",
    "device_count",
    "id",
    "name",
    "parent_id",
];

async fn create(app: &TestApp, key: &str, name: &str, parent_id: Option<&str>) -> String {
    let response = app
        .post("/v2/groups", json!({"name": name, "parent_id": parent_id}))
        .key(key)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body["id"].as_str().unwrap().to_owned()
}

/// `count` root groups named "Group 00", "Group 01", ...; their ids in creation order.
async fn create_many(app: &TestApp, key: &str, count: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(count);
    for n in 0..count {
        ids.push(create(app, key, &format!("Group {n:02}"), None).await);
    }
    ids
}

async fn show(app: &TestApp, key: &str, id: &str) -> Value {
    let response = app
        .get(&format!("/v2/groups/{id}"))
        .key(key)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

async fn list(app: &TestApp, key: &str, query: &str) -> TestResponse {
    app.get(&format!("/v2/groups{query}"))
        .key(key)
        .send(app)
        .await
}

async fn patch(app: &TestApp, key: &str, id: &str, body: Value) -> TestResponse {
    app.patch(&format!("/v2/groups/{id}"), body)
        .key(key)
        .send(app)
        .await
}

async fn assign(app: &TestApp, key: &str, id: &str, devices: &[&str]) -> TestResponse {
    app.post(
        &format!("/v2/groups/{id}/devices"),
        json!({"device_ids": devices}),
    )
    .key(key)
    .send(app)
    .await
}

async fn remove(app: &TestApp, key: &str, id: &str, devices: &[&str]) -> TestResponse {
    app.delete(&format!("/v2/groups/{id}/devices"))
        .json(json!({"device_ids": devices}))
        .key(key)
        .send(app)
        .await
}

/// A device of the administrator's organization, optionally in a group.
async fn device(app: &TestApp, group: Option<&str>, hostname: &str) -> String {
    let group = group.map(|id| GroupId::parse(id).unwrap());
    app.device(app.admin.organization.id, group, hostname).await
}

/// The ids of a page, in order.
fn ids(page: &TestResponse) -> Vec<String> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| group["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A group's `child_ids`, sorted (their order is not part of the contract).
fn children(group: &Value) -> Vec<String> {
    let mut ids: Vec<String> = group["child_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// `(device_count, descendent_device_count)`.
fn counts(group: &Value) -> (u64, u64) {
    (
        group["device_count"].as_u64().unwrap(),
        group["descendent_device_count"].as_u64().unwrap(),
    )
}

fn field_names(group: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = group
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    names
}

/// Asserts our error envelope with its stable code; returns the message.
fn refused(response: &TestResponse, status: StatusCode, code: &str) -> String {
    let message = response.error(status);
    assert_eq!(response.body["code"], code, "{}", response.text);
    message
}
