//! Tagging and untagging devices: all or nothing, 422 for redundant changes and 404 naming
//! unknown devices.

use axum::http::StatusCode;
use plumb_core::id::DeviceId;
use serde_json::json;

use super::{create, device, get, refused, show, tag, untag};
use crate::helpers::TestApp;

#[tokio::test]
async fn tagging_devices_answers_with_the_tag_and_shows_its_name_on_each_device() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = create(&app, &key, "🔥 Hot").await;
    let first = device(&app, "pc-1").await;
    let second = device(&app, "pc-2").await;

    let tagged = tag(&app, &key, &id, &[&first, &second, &first]).await;
    let shown = get(&app, &key, &format!("/v2/devices/{first}")).await;

    assert_eq!(tagged.status, StatusCode::OK, "{}", tagged.text);
    assert_eq!(
        tagged.body,
        json!({"id": id, "name": "🔥 Hot", "device_count": 2})
    );
    assert_eq!(shown.body["tags"], json!(["🔥 Hot"]));
}

#[tokio::test]
async fn tagging_a_device_that_already_carries_the_tag_is_a_422_naming_it_and_tags_none() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = create(&app, &key, "VIP").await;
    let carrier = device(&app, "pc-1").await;
    let fresh = device(&app, "pc-2").await;
    tag(&app, &key, &id, &[&carrier]).await;

    let response = tag(&app, &key, &id, &[&fresh, &carrier]).await;

    let message = refused(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(message.contains(&carrier), "{message}");
    assert!(!message.contains(&fresh), "{message}");
    assert_eq!(show(&app, &key, &id).await["device_count"], 1);
}

#[tokio::test]
async fn unknown_or_malformed_devices_are_a_404_naming_every_one_and_change_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = create(&app, &key, "VIP").await;
    let real = device(&app, "pc-1").await;
    let (unknown_a, unknown_b) = (DeviceId::new().to_string(), DeviceId::new().to_string());

    let tagged = tag(&app, &key, &id, &[&real, &unknown_a, &unknown_b]).await;
    let malformed = tag(&app, &key, &id, &[&real, "not-a-device"]).await;
    let untagged = untag(&app, &key, &id, &[&unknown_a]).await;

    let message = refused(&tagged, StatusCode::NOT_FOUND, "not_found");
    assert!(
        message.contains(&unknown_a) && message.contains(&unknown_b),
        "{message}"
    );
    assert!(!message.contains(&real), "{message}");
    assert!(refused(&malformed, StatusCode::NOT_FOUND, "not_found").contains("not-a-device"));
    assert!(refused(&untagged, StatusCode::NOT_FOUND, "not_found").contains(&unknown_a));
    assert_eq!(show(&app, &key, &id).await["device_count"], 0);
}

#[tokio::test]
async fn untagging_answers_success_and_untagging_a_device_without_the_tag_is_a_422() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = create(&app, &key, "VIP").await;
    let first = device(&app, "pc-1").await;
    let second = device(&app, "pc-2").await;
    tag(&app, &key, &id, &[&first, &second]).await;

    let removed = untag(&app, &key, &id, &[&first]).await;
    let again = untag(&app, &key, &id, &[&second, &first]).await;

    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text);
    assert_eq!(removed.body, json!({"success": true}));
    let message = refused(
        &again,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(
        message.contains(&first) && !message.contains(&second),
        "{message}"
    );
    assert_eq!(show(&app, &key, &id).await["device_count"], 1);
    let shown = get(&app, &key, &format!("/v2/devices/{second}")).await;
    assert_eq!(shown.body["tags"], json!(["VIP"]));
}

#[tokio::test]
async fn empty_device_lists_are_a_422_and_a_missing_list_a_400() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = create(&app, &key, "VIP").await;

    let empty = tag(&app, &key, &id, &[]).await;
    let missing = app
        .post(&format!("/v2/tags/{id}/devices"), json!({}))
        .key(&key)
        .send(&app)
        .await;
    let unknown_tag = tag(
        &app,
        &key,
        &DeviceId::new().to_string(),
        &[&device(&app, "pc").await],
    )
    .await;

    refused(
        &empty,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    refused(&missing, StatusCode::BAD_REQUEST, "bad_request");
    refused(&unknown_tag, StatusCode::NOT_FOUND, "not_found");
}
