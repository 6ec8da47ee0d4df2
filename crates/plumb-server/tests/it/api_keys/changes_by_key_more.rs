//! Changes made through `/v2` in the activity log, continued: custom fields and their values,
//! alert resolves, and automation triggers (which a webhook token makes, not a key).

use axum::http::StatusCode;
use plumb_proto::v2::Severity;
use serde_json::{Value, json};

use super::changes_by_key::{by_key, entries, sync_key};
use crate::automations::{create_automation, trigger_url};
use crate::helpers::TestApp;

#[tokio::test]
async fn custom_field_and_value_changes_made_with_a_key_are_logged_with_the_key() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let key = sync_key(&app, &admin).await;
    let device = app.device(app.admin.organization.id, None, "db-01").await;
    let created = app
        .post("/v2/custom_fields", json!({"name": "Contract"}))
        .key(&key.1)
        .send(&app)
        .await;
    let field = created.body["id"].as_str().unwrap().to_owned();
    let path = format!("/v2/custom_fields/{field}");
    app.patch(&path, json!({"name": "Contract id", "admin_only": true}))
        .key(&key.1)
        .send(&app)
        .await;
    let value =
        |value: &str| json!({"custom_field_id": field, "assigned_to_id": device, "value": value});
    for text in ["C-1", "C-2"] {
        let set = app
            .patch("/v2/custom_field_values", value(text))
            .key(&key.1)
            .send(&app)
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    }
    let unset = json!({"custom_field_id": field, "assigned_to_id": device});
    app.delete("/v2/custom_field_values")
        .json(unset.clone())
        .key(&key.1)
        .send(&app)
        .await;
    // Deleting a value that is not set changes nothing and is not logged.
    app.delete("/v2/custom_field_values")
        .json(unset)
        .key(&key.1)
        .send(&app)
        .await;
    app.delete(&path).key(&key.1).send(&app).await;

    let fields = entries(&app, &admin, "custom_field.").await;
    let values = entries(&app, &admin, "custom_field_value.").await;

    let actions: Vec<&str> = fields
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "custom_field.created",
            "custom_field.updated",
            "custom_field.deleted"
        ]
    );
    assert_eq!(
        *by_key(&fields[0], &key),
        json!({"name": "Contract", "admin_only": false})
    );
    assert_eq!(
        *by_key(&fields[1], &key),
        json!({
            "before": {"name": "Contract", "admin_only": false},
            "after": {"name": "Contract id", "admin_only": true}
        })
    );
    let changes: Vec<(Value, Value)> = values
        .iter()
        .map(|entry| {
            let details = by_key(entry, &key);
            assert_eq!(entry["target_id"], field.as_str());
            assert_eq!(
                details["assigned_to"],
                json!({"type": "device", "id": device})
            );
            (
                details["before"]["value"].clone(),
                details["after"]["value"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (Value::Null, json!("C-1")),
            (json!("C-1"), json!("C-2")),
            (json!("C-2"), Value::Null)
        ]
    );
}

#[tokio::test]
async fn a_group_patch_logs_each_custom_field_value_it_changes() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let key = sync_key(&app, &admin).await;
    app.post("/v2/custom_fields", json!({"name": "Site code"}))
        .key(&key.1)
        .send(&app)
        .await;
    let group = app
        .post("/v2/groups", json!({"name": "Paris"}))
        .key(&key.1)
        .send(&app)
        .await;
    let path = format!("/v2/groups/{}", group.body["id"].as_str().unwrap());
    for value in [json!("PAR"), json!("PAR"), Value::Null] {
        app.patch(&path, json!({"custom_fields": {"Site code": value}}))
            .key(&key.1)
            .send(&app)
            .await;
    }

    let values = entries(&app, &admin, "custom_field_value.").await;

    // The second patch changed nothing.
    let changes: Vec<(&str, Value, Value)> = values
        .iter()
        .map(|entry| {
            let details = by_key(entry, &key);
            (
                entry["action"].as_str().unwrap(),
                details["before"]["value"].clone(),
                details["after"]["value"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("custom_field_value.set", Value::Null, json!("PAR")),
            ("custom_field_value.deleted", json!("PAR"), Value::Null)
        ]
    );
}

#[tokio::test]
async fn resolving_an_alert_with_a_key_is_logged_once_with_the_key() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let key = sync_key(&app, &admin).await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "db-01").await;
    let alert = app
        .alert(org, &device, "Disk almost full", Severity::Warning)
        .await;
    let path = format!("/v2/alerts/{alert}/resolve");

    let first = app.post(&path, json!({})).key(&key.1).send(&app).await;
    let again = app.post(&path, json!({})).key(&key.1).send(&app).await;

    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    let resolved = entries(&app, &admin, "alert.").await;
    assert_eq!(resolved.len(), 1, "resolving again changes nothing");
    assert_eq!(resolved[0]["action"], "alert.resolved");
    assert_eq!(resolved[0]["target_id"], alert.as_str());
    let details = by_key(&resolved[0], &key);
    assert_eq!(details["name"], "Disk almost full");
    assert_eq!(details["device_id"], device.as_str());
    assert_eq!(details["before"], json!({"status": "open"}));
    assert_eq!(details["after"], json!({"status": "resolved"}));
}

#[tokio::test]
async fn an_automation_trigger_is_logged_with_its_webhook_and_no_person_or_key() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "db-01").await;
    let automation = create_automation(&app, &admin, "Patch", None).await;
    let (path, _) = trigger_url(&app, &admin, &automation, false).await;

    let triggered = app
        .post(&path, json!({"device_ids": [device]}))
        .send(&app)
        .await;

    assert_eq!(triggered.status, StatusCode::OK, "{}", triggered.text);
    let logged = entries(&app, &admin, "automation.triggered").await;
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0]["target_type"], "automation");
    assert_eq!(logged[0]["target_id"], automation.as_str());
    assert_eq!(logged[0]["actor"], Value::Null);
    assert_eq!(logged[0]["api_key"], Value::Null);
    assert_eq!(logged[0]["ip"], "127.0.0.1");
    assert_eq!(logged[0]["details"]["device_ids"], json!([device]));
    assert!(logged[0]["details"]["webhook_id"].is_string());
    assert!(
        !logged[0]
            .to_string()
            .contains(&path[path.rfind('/').unwrap() + 1..])
    );
}
