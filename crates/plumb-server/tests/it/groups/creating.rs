//! Creating and showing groups: the created group's shape and location, parents on create,
//! the name rules (trimming, length, UTF-8), and a 404 for an unknown group on every route.

use axum::http::{Method, StatusCode};
use plumb_core::id::GroupId;
use serde_json::json;

use super::{GROUP_FIELDS, counts, create, device, field_names, ids, list, patch, refused, show};
use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn creating_a_root_group_returns_201_its_location_and_exactly_the_level_fields() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app
        .post("/v2/groups", json!({"name": "Clients"}))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let id = response.body["id"].as_str().unwrap();
    assert!(GroupId::parse(id).is_some(), "{id}");
    assert_eq!(
        response.headers["location"],
        format!("/v2/groups/{id}").as_str()
    );
    assert_eq!(field_names(&response.body), GROUP_FIELDS);
    assert_eq!(
        response.body,
        json!({
            "id": id,
            "parent_id": null,
            "child_ids": [],
            "name": "Clients",
            "device_count": 0,
            "descendent_device_count": 0,
        })
    );
}

#[tokio::test]
async fn creating_a_child_group_names_its_parent_and_appears_in_the_parents_child_ids() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let parent = create(&app, &key, "Clients", None).await;

    let response = app
        .post(
            "/v2/groups",
            json!({"name": "Acme Corp", "parent_id": parent}),
        )
        .key(&key)
        .send(&app)
        .await;
    let shown_parent = show(&app, &key, &parent).await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let child = response.body["id"].as_str().unwrap();
    assert_eq!(
        response.headers["location"],
        format!("/v2/groups/{child}").as_str()
    );
    assert_eq!(field_names(&response.body), GROUP_FIELDS);
    assert_eq!(response.body["parent_id"], parent);
    assert_eq!(response.body["child_ids"], json!([]));
    assert_eq!(response.body["name"], "Acme Corp");
    assert_eq!(shown_parent["child_ids"], json!([child]));
}

#[tokio::test]
async fn a_null_parent_id_on_create_makes_a_root_group() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let response = app
        .post("/v2/groups", json!({"name": "Root", "parent_id": null}))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert_eq!(response.body["parent_id"], json!(null));
}

#[tokio::test]
async fn creating_under_an_unknown_or_malformed_parent_is_a_404_and_creates_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let unknown = GroupId::new().to_string();

    let missing = app
        .post(
            "/v2/groups",
            json!({"name": "Orphan", "parent_id": unknown}),
        )
        .key(&key)
        .send(&app)
        .await;
    let malformed = app
        .post(
            "/v2/groups",
            json!({"name": "Orphan", "parent_id": "not-an-id"}),
        )
        .key(&key)
        .send(&app)
        .await;
    let after = list(&app, &key, "").await;

    refused(&missing, StatusCode::NOT_FOUND, "not_found");
    refused(&malformed, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(after.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn a_group_is_shown_by_id_with_its_figures() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let parent = create(&app, &key, "Clients", None).await;
    let child = create(&app, &key, "Acme Corp", Some(&parent)).await;
    device(&app, Some(&child), "acme-dc01").await;

    let shown = show(&app, &key, &child).await;

    assert_eq!(shown["id"], child);
    assert_eq!(shown["parent_id"], parent);
    assert_eq!(shown["name"], "Acme Corp");
    assert_eq!(shown["child_ids"], json!([]));
    assert_eq!(counts(&shown), (1, 1));
}

#[tokio::test]
async fn utf8_and_emoji_names_round_trip() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let name = "Clients 🧑‍💻 Zürich";

    let created = app
        .post("/v2/groups", json!({"name": name}))
        .key(&key)
        .send(&app)
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let shown = show(&app, &key, &id).await;
    let listed = list(&app, &key, "").await;
    let renamed = patch(&app, &key, &id, json!({"name": "東京 オフィス ✅"})).await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["name"], name);
    assert_eq!(shown["name"], name);
    assert_eq!(listed.body["data"][0]["name"], name);
    assert_eq!(renamed.body["name"], "東京 オフィス ✅");
}

#[tokio::test]
async fn names_are_trimmed_and_must_hold_one_to_two_hundred_characters() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let existing = create(&app, &key, "Existing", None).await;

    let padded = app
        .post("/v2/groups", json!({"name": "  Padded  "}))
        .key(&key)
        .send(&app)
        .await;
    let longest = app
        .post("/v2/groups", json!({"name": "é".repeat(200)}))
        .key(&key)
        .send(&app)
        .await;
    let emoji = app
        .post("/v2/groups", json!({"name": "😀".repeat(200)}))
        .key(&key)
        .send(&app)
        .await;
    let mut refusals = Vec::new();
    for name in [
        String::new(),
        "   ".to_owned(),
        "x".repeat(201),
        "é".repeat(201),
        "a\u{7}b".to_owned(),
    ] {
        let created = app
            .post("/v2/groups", json!({"name": name}))
            .key(&key)
            .send(&app)
            .await;
        let renamed = patch(&app, &key, &existing, json!({"name": name})).await;
        refusals.push(created);
        refusals.push(renamed);
    }
    let page = list(&app, &key, "").await;

    assert_eq!(padded.status, StatusCode::CREATED, "{}", padded.text);
    assert_eq!(padded.body["name"], "Padded");
    assert_eq!(longest.status, StatusCode::CREATED, "{}", longest.text);
    assert_eq!(emoji.status, StatusCode::CREATED, "{}", emoji.text);
    for response in &refusals {
        refused(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    assert_eq!(ids(&page).len(), 4);
    assert_eq!(show(&app, &key, &existing).await["name"], "Existing");
}

#[tokio::test]
async fn an_unknown_group_id_is_a_404_on_every_group_route() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let member = device(&app, None, "member").await;
    let path = format!("/v2/groups/{}", GroupId::new());
    let devices = format!("{path}/devices");
    let requests = [
        RequestBuilder::new(Method::GET, &path),
        RequestBuilder::new(Method::PATCH, &path).json(json!({"name": "x"})),
        RequestBuilder::new(Method::PUT, &path).json(json!({"name": "x"})),
        RequestBuilder::new(Method::DELETE, &path),
        RequestBuilder::new(Method::POST, &devices).json(json!({"device_ids": [member]})),
        RequestBuilder::new(Method::DELETE, &devices).json(json!({"device_ids": [member]})),
    ];

    for request in requests {
        let response = request.key(&key).send(&app).await;
        refused(&response, StatusCode::NOT_FOUND, "not_found");
    }
    assert_eq!(
        list(&app, &key, "").await.body,
        json!({"data": [], "has_more": false})
    );
}
