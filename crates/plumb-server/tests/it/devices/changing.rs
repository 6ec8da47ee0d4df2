//! Changing devices: PATCH and PUT (`name` → nickname, `notes`, `group_id`), their refusals, and
//! DELETE (the device, its tags and values go; its token stops working).

use axum::http::{Method, StatusCode};
use plumb_core::crypto::sha256;
use plumb_core::id::GroupId;
use plumb_core::store::NewDevice;
use serde_json::{Value, json};

use super::{DEVICE_FIELDS, device, field_names, get, group, refused, show};
use crate::helpers::{RequestBuilder, TestApp, TestResponse};

async fn patch(app: &TestApp, key: &str, id: &str, body: Value) -> TestResponse {
    app.patch(&format!("/v2/devices/{id}"), body)
        .key(key)
        .send(app)
        .await
}

#[tokio::test]
async fn patch_sets_the_nickname_notes_and_group_and_answers_with_the_device() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = group(&app, &key, "Clients", None).await;
    let id = device(&app, None, "pc-1").await;

    let named = patch(
        &app,
        &key,
        &id,
        json!({"name": "Reception PC 🖥️", "notes": "Desk 3\nBy the door"}),
    )
    .await;
    let moved = patch(&app, &key, &id, json!({"group_id": clients})).await;
    let shown = show(&app, &key, &id).await;

    assert_eq!(named.status, StatusCode::OK, "{}", named.text);
    assert_eq!(field_names(&named.body), DEVICE_FIELDS);
    assert_eq!(named.body["nickname"], "Reception PC 🖥️");
    assert_eq!(named.body["hostname"], "pc-1");
    assert_eq!(named.body["notes"], "Desk 3\nBy the door");
    assert_eq!(moved.body["group_id"], clients);
    assert_eq!(moved.body["group_name"], "Clients");
    assert_eq!(
        moved.body["nickname"], "Reception PC 🖥️",
        "absent fields stay"
    );
    assert_eq!(shown["nickname"], "Reception PC 🖥️");
    assert_eq!(shown["group_id"], clients);
    let listed = get(&app, &key, &format!("/v2/groups/{clients}")).await;
    assert_eq!(listed.body["device_count"], 1);
}

#[tokio::test]
async fn put_works_like_patch_and_nulls_clear_the_nickname_notes_and_group() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = group(&app, &key, "Clients", None).await;
    let id = device(&app, Some(&clients), "pc-1").await;
    patch(&app, &key, &id, json!({"name": "Front desk", "notes": "x"})).await;

    let cleared = RequestBuilder::new(Method::PUT, &format!("/v2/devices/{id}"))
        .json(json!({"name": null, "notes": null, "group_id": null}))
        .key(&key)
        .send(&app)
        .await;
    let blank_notes = patch(&app, &key, &id, json!({"notes": "x"})).await;
    let blanked = patch(&app, &key, &id, json!({"notes": "  "})).await;
    let nothing = patch(&app, &key, &id, json!({})).await;

    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.text);
    assert_eq!(cleared.body["nickname"], json!(null));
    assert_eq!(cleared.body["notes"], json!(null));
    assert_eq!(cleared.body["group_id"], json!(null));
    assert_eq!(blank_notes.body["notes"], "x");
    assert_eq!(blanked.body["notes"], json!(null));
    assert_eq!(nothing.status, StatusCode::OK);
    assert_eq!(nothing.body["hostname"], "pc-1");
}

#[tokio::test]
async fn bad_updates_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = device(&app, None, "pc-1").await;
    patch(&app, &key, &id, json!({"name": "Kept"})).await;

    let blank = patch(&app, &key, &id, json!({"name": "   "})).await;
    let long = patch(&app, &key, &id, json!({"name": "n".repeat(201)})).await;
    let long_notes = patch(&app, &key, &id, json!({"notes": "n".repeat(10_001)})).await;
    let unknown_group = patch(
        &app,
        &key,
        &id,
        json!({"name": "Lost", "group_id": GroupId::new().to_string()}),
    )
    .await;
    let malformed_group = patch(&app, &key, &id, json!({"group_id": "nope"})).await;
    let typo = patch(&app, &key, &id, json!({"nickname": "x"})).await;
    let wrong_type = patch(&app, &key, &id, json!({"name": 5})).await;

    refused(
        &blank,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    refused(&long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    refused(
        &long_notes,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(refused(&unknown_group, StatusCode::NOT_FOUND, "not_found").contains("group"));
    refused(&malformed_group, StatusCode::NOT_FOUND, "not_found");
    refused(&typo, StatusCode::BAD_REQUEST, "bad_request");
    refused(&wrong_type, StatusCode::BAD_REQUEST, "bad_request");
    let shown = show(&app, &key, &id).await;
    assert_eq!(shown["nickname"], "Kept");
    assert_eq!(shown["group_id"], json!(null));
}

#[tokio::test]
async fn unknown_and_malformed_device_ids_are_a_404_on_every_verb() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let unknown = plumb_core::id::DeviceId::new().to_string();

    for id in [unknown.as_str(), "nope"] {
        let path = format!("/v2/devices/{id}");
        refused(
            &get(&app, &key, &path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
        refused(
            &patch(&app, &key, id, json!({"name": "x"})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
        let deleted = app.delete(&path).key(&key).send(&app).await;
        refused(&deleted, StatusCode::NOT_FOUND, "not_found");
    }
}

#[tokio::test]
async fn delete_removes_the_device_its_tag_links_and_its_token_at_once() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let org = app.admin.organization.id;
    let token = sha256("plumbd_test-device-token");
    let mut new = NewDevice::bare(org, None, "doomed", app.app.state.clock.now());
    new.token_digest = Some(token);
    app.app.state.store.insert_device(&new).await.unwrap();
    let id = new.id.to_string();
    let keeper = device(&app, None, "keeper").await;
    let tag = app
        .post("/v2/tags", json!({"name": "VIP"}))
        .key(&key)
        .send(&app)
        .await;
    let tag = tag.body["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/v2/tags/{tag}/devices"),
        json!({"device_ids": [id, keeper]}),
    )
    .key(&key)
    .send(&app)
    .await;
    assert!(
        app.app
            .state
            .store
            .device_by_token(&token)
            .await
            .unwrap()
            .is_some()
    );

    let deleted = app
        .delete(&format!("/v2/devices/{id}"))
        .key(&key)
        .send(&app)
        .await;
    let again = app
        .delete(&format!("/v2/devices/{id}"))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert_eq!(deleted.body, json!({"success": true}));
    refused(
        &get(&app, &key, &format!("/v2/devices/{id}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    refused(&again, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        app.app.state.store.device_by_token(&token).await.unwrap(),
        None
    );
    let tag_after = get(&app, &key, &format!("/v2/tags/{tag}")).await;
    assert_eq!(tag_after.body["device_count"], 1);
    let listed = get(&app, &key, "/v2/devices").await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
}
