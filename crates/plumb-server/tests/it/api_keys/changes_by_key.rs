//! Changes made through `/v2` are in the activity log, attributed to the key that made them
//! (its masked value and description, never the value), with the before and after of each
//! change: groups, devices and tags here; custom fields, alerts and automation triggers in
//! `changes_by_key_more`.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

/// A read-write key "PSA sync": (id, value, masked value).
pub async fn sync_key(app: &TestApp, admin: &Session) -> (String, String, String) {
    let response = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "PSA sync", "access": "read_write"}),
        )
        .session(admin)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let field = |name: &str| response.body[name].as_str().unwrap().to_owned();
    (field("id"), field("key"), field("masked_key"))
}

/// The log's entries with these actions, oldest first.
pub async fn entries(app: &TestApp, admin: &Session, prefix: &str) -> Vec<Value> {
    let response = app
        .get("/api/v1/activity?limit=200")
        .session(admin)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let mut found: Vec<Value> = response.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["action"].as_str().unwrap().starts_with(prefix))
        .cloned()
        .collect();
    found.reverse();
    found
}

/// Checks that an entry names the key and no person, and returns its details.
pub fn by_key<'a>(entry: &'a Value, key: &(String, String, String)) -> &'a Value {
    assert_eq!(entry["actor"], Value::Null, "{entry}");
    assert_eq!(
        entry["api_key"],
        json!({"id": key.0, "masked_key": key.2, "description": "PSA sync"}),
        "{entry}"
    );
    assert!(
        !entry.to_string().contains(&key.1),
        "the key's value is never logged"
    );
    assert_eq!(entry["ip"], "127.0.0.1");
    &entry["details"]
}

fn actions(found: &[Value]) -> Vec<&str> {
    found
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn group_changes_made_with_a_key_are_logged_with_the_key_and_their_before_and_after() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let key = sync_key(&app, &admin).await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "db-01").await;
    let created = app
        .post("/v2/groups", json!({"name": "Servers"}))
        .key(&key.1)
        .send(&app)
        .await;
    let group = created.body["id"].as_str().unwrap().to_owned();
    let path = format!("/v2/groups/{group}");
    app.patch(&path, json!({"name": "Data centre"}))
        .key(&key.1)
        .send(&app)
        .await;
    let devices = json!({"device_ids": [device]});
    app.post(&format!("{path}/devices"), devices.clone())
        .key(&key.1)
        .send(&app)
        .await;
    app.delete(&format!("{path}/devices"))
        .json(devices)
        .key(&key.1)
        .send(&app)
        .await;
    app.delete(&path).key(&key.1).send(&app).await;

    let found = entries(&app, &admin, "group.").await;

    assert_eq!(
        actions(&found),
        [
            "group.created",
            "group.updated",
            "group.devices_assigned",
            "group.devices_removed",
            "group.deleted"
        ]
    );
    assert!(
        found
            .iter()
            .all(|entry| entry["target_id"] == group.as_str())
    );
    let details: Vec<&Value> = found.iter().map(|entry| by_key(entry, &key)).collect();
    assert_eq!(*details[0], json!({"name": "Servers", "parent_id": null}));
    assert_eq!(
        *details[1],
        json!({"before": {"name": "Servers"}, "after": {"name": "Data centre"}})
    );
    assert_eq!(details[2]["before"], json!({ &device: null }));
    assert_eq!(details[2]["after"], json!({ &device: group }));
    assert_eq!(details[3]["before"], json!({ &device: group }));
    assert_eq!(details[3]["after"], json!({ &device: null }));
    assert_eq!(
        *details[4],
        json!({"name": "Data centre", "parent_id": null})
    );
}

#[tokio::test]
async fn device_and_tag_changes_made_with_a_key_are_logged_with_the_key() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let key = sync_key(&app, &admin).await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "web-01").await;
    let path = format!("/v2/devices/{device}");
    app.patch(&path, json!({"name": "Front web", "notes": "Rack 4"}))
        .key(&key.1)
        .send(&app)
        .await;
    let tag = app
        .post("/v2/tags", json!({"name": "VIP"}))
        .key(&key.1)
        .send(&app)
        .await;
    let tag = tag.body["id"].as_str().unwrap().to_owned();
    let tag_path = format!("/v2/tags/{tag}");
    app.patch(&tag_path, json!({"name": "Very important"}))
        .key(&key.1)
        .send(&app)
        .await;
    let devices = json!({"device_ids": [device]});
    app.post(&format!("{tag_path}/devices"), devices.clone())
        .key(&key.1)
        .send(&app)
        .await;
    app.delete(&format!("{tag_path}/devices"))
        .json(devices)
        .key(&key.1)
        .send(&app)
        .await;
    app.delete(&tag_path).key(&key.1).send(&app).await;
    app.delete(&path).key(&key.1).send(&app).await;

    let device_entries = entries(&app, &admin, "device.").await;
    let tag_entries = entries(&app, &admin, "tag.").await;

    assert_eq!(
        actions(&device_entries),
        ["device.updated", "device.deleted"]
    );
    assert_eq!(
        *by_key(&device_entries[0], &key),
        json!({
            "before": {"nickname": null, "notes": null},
            "after": {"nickname": "Front web", "notes": "Rack 4"}
        })
    );
    let deleted = by_key(&device_entries[1], &key);
    assert_eq!(deleted["hostname"], "web-01");
    assert_eq!(deleted["nickname"], "Front web");
    assert_eq!(
        actions(&tag_entries),
        [
            "tag.created",
            "tag.updated",
            "tag.devices_added",
            "tag.devices_removed",
            "tag.deleted"
        ]
    );
    let details: Vec<&Value> = tag_entries
        .iter()
        .map(|entry| by_key(entry, &key))
        .collect();
    assert_eq!(*details[0], json!({"name": "VIP"}));
    assert_eq!(
        *details[1],
        json!({"before": {"name": "VIP"}, "after": {"name": "Very important"}})
    );
    assert_eq!(details[2]["before"], json!({ &device: false }));
    assert_eq!(details[2]["after"], json!({ &device: true }));
    assert_eq!(details[3]["after"], json!({ &device: false }));
    assert_eq!(details[4]["name"], "Very important");
}

#[tokio::test]
async fn a_refused_change_is_not_logged() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let key = sync_key(&app, &admin).await;
    app.post("/v2/groups", json!({"name": "Servers"}))
        .key(&key.1)
        .send(&app)
        .await;

    let taken = app
        .post("/v2/groups", json!({"name": "Servers"}))
        .key(&key.1)
        .send(&app)
        .await;
    let missing = app
        .delete("/v2/tags/01900000-0000-7000-8000-000000000000")
        .key(&key.1)
        .send(&app)
        .await;

    taken.error(StatusCode::UNPROCESSABLE_ENTITY);
    missing.error(StatusCode::NOT_FOUND);
    assert_eq!(
        actions(&entries(&app, &admin, "group.").await),
        ["group.created"]
    );
    assert!(entries(&app, &admin, "tag.").await.is_empty());
}

#[tokio::test]
async fn v2_activities_name_the_key_that_made_a_change_without_its_address() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let key = sync_key(&app, &admin).await;
    app.post("/v2/tags", json!({"name": "VIP"}))
        .key(&key.1)
        .send(&app)
        .await;

    let page = app.get("/v2/activities").key(&key.1).send(&app).await;

    let entry = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["action"] == "tag.created")
        .unwrap();
    assert_eq!(
        entry["api_key"],
        json!({"id": key.0, "masked_key": key.2, "description": "PSA sync"})
    );
    assert_eq!(entry["user_id"], Value::Null);
    assert!(entry.get("ip").is_none());
}
