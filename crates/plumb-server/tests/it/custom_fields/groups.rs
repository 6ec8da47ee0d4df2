//! The `custom_fields` map of a group: shown on `GET /v2/groups/{id}` and set or deleted by name
//! with `PATCH /v2/groups/{id}`, all or nothing.

use axum::http::StatusCode;
use serde_json::json;

use super::{device, field, get, group, refused, set_ok, triple, values_of};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_group_shows_only_its_own_values_by_field_name() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    field(&app, &key, "Owner").await;
    let clients = group(&app, &key, "Clients", None).await;
    let acme = group(&app, &key, "Acme", Some(&clients)).await;
    set_ok(&app, &key, &region, None, "EU").await;
    set_ok(&app, &key, &region, Some(&clients), "DACH").await;

    let parent = get(&app, &key, &format!("/v2/groups/{clients}")).await;
    let child = get(&app, &key, &format!("/v2/groups/{acme}")).await;
    let listed = get(&app, &key, "/v2/groups").await;

    assert_eq!(parent.body["custom_fields"], json!({"Region": "DACH"}));
    assert_eq!(child.body["custom_fields"], json!({}));
    assert!(
        listed.body["data"][0].get("custom_fields").is_none(),
        "{}",
        listed.text
    );
}

#[tokio::test]
async fn a_shown_group_follows_its_field_being_renamed_and_then_deleted() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let clients = group(&app, &key, "Clients", None).await;
    set_ok(&app, &key, &region, Some(&clients), "DACH").await;
    let path = format!("/v2/groups/{clients}");
    let before = get(&app, &key, &path).await;

    let renamed = app
        .patch(
            &format!("/v2/custom_fields/{region}"),
            json!({"name": "Area"}),
        )
        .key(&key)
        .send(&app)
        .await;
    let after_rename = get(&app, &key, &path).await;
    let deleted = app
        .delete(&format!("/v2/custom_fields/{region}"))
        .key(&key)
        .send(&app)
        .await;
    let after_delete = get(&app, &key, &path).await;

    assert_eq!(before.body["custom_fields"], json!({"Region": "DACH"}));
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(after_rename.body["custom_fields"], json!({"Area": "DACH"}));
    assert!(deleted.status.is_success(), "{}", deleted.text);
    assert_eq!(after_delete.body["custom_fields"], json!({}));
}

#[tokio::test]
async fn patch_sets_and_deletes_group_values_by_name_and_devices_inherit_them() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    field(&app, &key, "Region").await;
    field(&app, &key, "Owner").await;
    let clients = group(&app, &key, "Clients", None).await;
    let pc = device(&app, Some(&clients), "pc").await;
    let path = format!("/v2/groups/{clients}");

    let set = app
        .patch(
            &path,
            json!({"custom_fields": {"Region": "DACH", "Owner": "Ops"}, "name": "Clients 🌍"}),
        )
        .key(&key)
        .send(&app)
        .await;
    let after_set = get(&app, &key, &path).await;
    let inherited = values_of(&app, &key, Some(&pc)).await;
    let deleted = app
        .patch(&path, json!({"custom_fields": {"Owner": null}}))
        .key(&key)
        .send(&app)
        .await;
    let after_delete = get(&app, &key, &path).await;

    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(set.body["name"], "Clients 🌍");
    assert_eq!(
        after_set.body["custom_fields"],
        json!({"Owner": "Ops", "Region": "DACH"})
    );
    assert_eq!(
        inherited[0],
        triple("Region", json!("DACH"), json!(clients))
    );
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert_eq!(
        after_delete.body["custom_fields"],
        json!({"Region": "DACH"})
    );
}

#[tokio::test]
async fn an_unknown_field_name_is_a_422_naming_it_and_nothing_changes() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    field(&app, &key, "Region").await;
    let clients = group(&app, &key, "Clients", None).await;
    let path = format!("/v2/groups/{clients}");

    let response = app
        .patch(
            &path,
            json!({"name": "Renamed", "custom_fields": {"Region": "DACH", "Regoin": "x"}}),
        )
        .key(&key)
        .send(&app)
        .await;
    let too_long = app
        .patch(
            &path,
            json!({"custom_fields": {"Region": "v".repeat(10_001)}}),
        )
        .key(&key)
        .send(&app)
        .await;
    let wrong_type = app
        .patch(&path, json!({"custom_fields": {"Region": 5}}))
        .key(&key)
        .send(&app)
        .await;

    let message = refused(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(
        message.contains("Regoin") && !message.contains("\"Region\""),
        "{message}"
    );
    refused(
        &too_long,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    refused(&wrong_type, StatusCode::BAD_REQUEST, "bad_request");
    let shown = get(&app, &key, &path).await;
    assert_eq!(shown.body["name"], "Clients");
    assert_eq!(shown.body["custom_fields"], json!({}));
}
