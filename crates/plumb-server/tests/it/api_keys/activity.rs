//! The activity log of key changes: every change recorded without a secret, and cursor paging.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn every_key_change_is_in_the_activity_log_without_any_secret() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Audited", "read_only").await;
    app.patch(
        &format!("/api/v1/api-keys/{id}"),
        json!({"access": "read_write"}),
    )
    .session(&admin)
    .send(&app)
    .await;
    let regenerated = app
        .post(&format!("/api/v1/api-keys/{id}/regenerate"), json!({}))
        .session(&admin)
        .send(&app)
        .await;
    app.post(&format!("/api/v1/api-keys/{id}/reveal"), json!({}))
        .session(&admin)
        .send(&app)
        .await;
    app.delete(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;

    let log = app.get("/api/v1/activity").session(&admin).send(&app).await;

    let entries = log.body["data"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .take(5)
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "api_key.deleted",
            "api_key.revealed",
            "api_key.regenerated",
            "api_key.updated",
            "api_key.created"
        ]
    );
    let updated = &entries[3];
    assert_eq!(
        updated["details"],
        json!({"before": {"access": "read_only"}, "after": {"access": "read_write"}})
    );
    assert_eq!(updated["actor"]["email"], "admin@acme.test");
    assert_eq!(updated["ip"], "127.0.0.1");
    assert!(updated["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(!log.text.contains(&key));
    assert!(!log.text.contains(regenerated.body["key"].as_str().unwrap()));
}

#[tokio::test]
async fn the_activity_log_pages_with_a_cursor() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    for n in 0..3 {
        app.create_key(&admin, &format!("key {n}"), "read_only")
            .await;
    }

    let first = app
        .get("/api/v1/activity?limit=2")
        .session(&admin)
        .send(&app)
        .await;
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(&format!("/api/v1/activity?limit=2&cursor={cursor}"))
        .session(&admin)
        .send(&app)
        .await;
    let bad = app
        .get("/api/v1/activity?cursor=nope")
        .session(&admin)
        .send(&app)
        .await;

    assert_eq!(first.body["data"][0]["details"]["description"], "key 2");
    assert_eq!(second.body["data"][0]["details"]["description"], "key 0");
    bad.error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn changes_made_in_the_web_ui_are_in_the_activity_log_under_the_person_who_made_them() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "ws-one").await;
    let group = app
        .post("/api/v1/groups", json!({"name": "Front desk"}))
        .session(&admin)
        .send(&app)
        .await;
    assert_eq!(group.status, StatusCode::CREATED, "{}", group.text);
    let group_id = group.body["id"].as_str().unwrap().to_owned();
    for group_id in [json!(group_id), json!(null)] {
        let moved = app
            .post(
                "/api/v1/devices/group",
                json!({"device_ids": [device], "group_id": group_id}),
            )
            .session(&admin)
            .send(&app)
            .await;
        assert_eq!(moved.status, StatusCode::NO_CONTENT, "{}", moved.text);
    }

    let mut entries = super::changes_by_key::entries(&app, &admin, "").await;
    entries.retain(|entry| {
        let action = entry["action"].as_str().unwrap();
        action.starts_with("group.") || action.starts_with("devices.")
    });
    let actions: Vec<&str> = entries
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "group.created",
            "group.devices_assigned",
            "devices.ungrouped"
        ]
    );
    for entry in &entries {
        assert_eq!(entry["actor"]["email"], app.admin.email, "{entry}");
        assert_eq!(entry["api_key"], serde_json::Value::Null, "{entry}");
    }
    assert_eq!(
        entries[2]["details"]["before"][&device], group_id,
        "the ungrouping names the group each device left"
    );
    assert_eq!(
        entries[2]["details"]["after"][&device],
        serde_json::Value::Null
    );
}
