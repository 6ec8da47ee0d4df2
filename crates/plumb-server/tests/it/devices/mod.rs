//! The `/v2/devices` resource end to end: the device object built from the stored inventory,
//! every list filter and `include_*` flag, paging, update with PATCH and PUT, and delete.

use axum::http::StatusCode;
use plumb_core::id::GroupId;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

mod changing;
mod damaged;
mod includes;
mod listing;

/// The fields every device shows, without any include flag.
const DEVICE_FIELDS: [&str; 27] = [
    "architecture",
    "city",
    "country",
    "cpu_cores",
    "flag",
    "group_id",
    "group_name",
    "hostname",
    "id",
    "last_logged_in_user",
    "last_reboot_time",
    "last_seen_at",
    "maintenance_mode",
    "manufacturer",
    "memory_slots",
    "model",
    "nickname",
    "notes",
    "online",
    "platform",
    "private_ip_addresses",
    "public_ip_address",
    "role",
    "security_score",
    "serial_number",
    "tags",
    "total_memory",
];

/// The include flags and the field each adds.
const INCLUDES: [(&str, &str); 8] = [
    ("include_operating_system", "operating_system"),
    ("include_cpus", "cpus"),
    ("include_memory", "memory"),
    ("include_disks", "disks"),
    ("include_disk_partitions", "disk_partitions"),
    ("include_network_interfaces", "network_interfaces"),
    ("include_motherboard", "motherboard"),
    ("include_security", "security"),
];

async fn group(app: &TestApp, key: &str, name: &str, parent: Option<&str>) -> String {
    let response = app
        .post("/v2/groups", json!({"name": name, "parent_id": parent}))
        .key(key)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body["id"].as_str().unwrap().to_owned()
}

/// A device of the administrator's organization, optionally in a group.
async fn device(app: &TestApp, group: Option<&str>, hostname: &str) -> String {
    let group = group.map(|id| GroupId::parse(id).unwrap());
    app.device(app.admin.organization.id, group, hostname).await
}

async fn get(app: &TestApp, key: &str, path: &str) -> TestResponse {
    app.get(path).key(key).send(app).await
}

async fn show(app: &TestApp, key: &str, id: &str) -> Value {
    let response = get(app, key, &format!("/v2/devices/{id}")).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

/// The hostnames of a page, in order.
fn hostnames(page: &TestResponse) -> Vec<String> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|device| device["hostname"].as_str().unwrap().to_owned())
        .collect()
}

fn field_names(object: &Value) -> Vec<String> {
    let mut names: Vec<String> = object.as_object().unwrap().keys().cloned().collect();
    names.sort_unstable();
    names
}

/// Asserts our error envelope with its stable code; returns the message.
fn refused(response: &TestResponse, status: StatusCode, code: &str) -> String {
    let message = response.error(status);
    assert_eq!(response.body["code"], code, "{}", response.text);
    message
}
