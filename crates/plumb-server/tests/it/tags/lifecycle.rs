//! Creating, showing, listing, renaming and deleting tags.

use axum::http::header::LOCATION;
use axum::http::{Method, StatusCode};
use plumb_core::id::TagId;
use serde_json::json;

use super::{create, create_response, device, get, names, refused, show, tag};
use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn creating_a_tag_answers_201_with_the_tag_and_its_location_and_emoji_round_trip() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = create_response(&app, &key, "  🧑‍💻 Développeurs ").await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let id = response.body["id"].as_str().unwrap();
    assert_eq!(response.headers[LOCATION], format!("/v2/tags/{id}"));
    assert_eq!(
        response.body,
        json!({"id": id, "name": "🧑‍💻 Développeurs", "device_count": 0})
    );
    assert_eq!(show(&app, &key, id).await["name"], "🧑‍💻 Développeurs");
}

#[tokio::test]
async fn a_duplicate_blank_or_over_long_name_is_a_422_and_creates_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    create(&app, &key, "Servers").await;

    let duplicate = create_response(&app, &key, "Servers").await;
    let blank = create_response(&app, &key, "  ").await;
    let long = create_response(&app, &key, &"t".repeat(101)).await;
    let missing = app.post("/v2/tags", json!({})).key(&key).send(&app).await;

    refused(
        &duplicate,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    refused(
        &blank,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    refused(&long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    refused(&missing, StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(names(&get(&app, &key, "/v2/tags").await), ["Servers"]);
}

#[tokio::test]
async fn tags_list_in_creation_order_page_both_ways_and_filter_by_device() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let mut ids = Vec::new();
    for name in ["A", "B", "C", "D"] {
        ids.push(create(&app, &key, name).await);
    }
    let pc = device(&app, "pc-1").await;
    tag(&app, &key, &ids[1], &[&pc]).await;
    tag(&app, &key, &ids[3], &[&pc]).await;

    let first = get(&app, &key, "/v2/tags?limit=2").await;
    let second = get(
        &app,
        &key,
        &format!("/v2/tags?limit=2&starting_after={}", ids[1]),
    )
    .await;
    let back = get(
        &app,
        &key,
        &format!("/v2/tags?limit=2&ending_before={}", ids[3]),
    )
    .await;
    let on_device = get(&app, &key, &format!("/v2/tags?device_id={pc}")).await;
    let on_device_paged = get(
        &app,
        &key,
        &format!("/v2/tags?device_id={pc}&limit=1&starting_after={}", ids[1]),
    )
    .await;
    let other_device = get(
        &app,
        &key,
        &format!("/v2/tags?device_id={}", device(&app, "pc-2").await),
    )
    .await;
    let malformed = get(&app, &key, "/v2/tags?device_id=nope").await;

    assert_eq!(names(&first), ["A", "B"]);
    assert_eq!(first.body["has_more"], true);
    assert_eq!(names(&second), ["C", "D"]);
    assert_eq!(second.body["has_more"], false);
    assert_eq!(names(&back), ["B", "C"]);
    assert_eq!(back.body["has_more"], true);
    assert_eq!(names(&on_device), ["B", "D"]);
    assert_eq!(on_device.body["data"][0]["device_count"], 1);
    assert_eq!(names(&on_device_paged), ["D"]);
    assert_eq!(on_device_paged.body["has_more"], false);
    assert_eq!(other_device.body, json!({"data": [], "has_more": false}));
    refused(&malformed, StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn patch_and_put_rename_a_tag_and_a_taken_name_is_a_422() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = create(&app, &key, "Old").await;
    create(&app, &key, "Taken").await;

    let patched = app
        .patch(&format!("/v2/tags/{id}"), json!({"name": "New 🚀"}))
        .key(&key)
        .send(&app)
        .await;
    let put = RequestBuilder::new(Method::PUT, &format!("/v2/tags/{id}"))
        .json(json!({"name": "Newer"}))
        .key(&key)
        .send(&app)
        .await;
    let same = app
        .patch(&format!("/v2/tags/{id}"), json!({"name": "Newer"}))
        .key(&key)
        .send(&app)
        .await;
    let taken = app
        .patch(&format!("/v2/tags/{id}"), json!({"name": "Taken"}))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(patched.body["name"], "New 🚀");
    assert_eq!(put.body["name"], "Newer");
    assert_eq!(same.status, StatusCode::OK, "{}", same.text);
    refused(
        &taken,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(show(&app, &key, &id).await["name"], "Newer");
}

#[tokio::test]
async fn deleting_a_tag_takes_it_off_every_device() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = create(&app, &key, "Doomed").await;
    let pc = device(&app, "pc-1").await;
    tag(&app, &key, &id, &[&pc]).await;

    let deleted = app
        .delete(&format!("/v2/tags/{id}"))
        .key(&key)
        .send(&app)
        .await;
    let shown = get(&app, &key, &format!("/v2/tags/{id}")).await;
    let device_after = get(&app, &key, &format!("/v2/devices/{pc}")).await;
    let again = app
        .delete(&format!("/v2/tags/{id}"))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert_eq!(deleted.body, json!({"success": true}));
    refused(&shown, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(device_after.body["tags"], json!([]));
    refused(&again, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn unknown_and_malformed_tag_ids_are_a_404() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let unknown = TagId::new().to_string();

    for id in [unknown.as_str(), "nope"] {
        refused(
            &get(&app, &key, &format!("/v2/tags/{id}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
        let renamed = app
            .patch(&format!("/v2/tags/{id}"), json!({"name": "x"}))
            .key(&key)
            .send(&app)
            .await;
        refused(&renamed, StatusCode::NOT_FOUND, "not_found");
    }
}
