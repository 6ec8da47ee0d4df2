//! Custom field definitions: create (with `reference`), show, list, update, delete.

use axum::http::header::LOCATION;
use axum::http::{Method, StatusCode};
use plumb_core::id::CustomFieldId;
use serde_json::json;

use super::{device, field, get, refused, set_ok, values_of};
use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn creating_a_field_answers_201_with_its_reference_and_location() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let created = app
        .post(
            "/v2/custom_fields",
            json!({"name": " ScreenConnect URL ", "admin_only": true}),
        )
        .key(&key)
        .send(&app)
        .await;
    let plain = app
        .post("/v2/custom_fields", json!({"name": "Site -- Code (2)"}))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["id"].as_str().unwrap();
    assert_eq!(created.headers[LOCATION], format!("/v2/custom_fields/{id}"));
    assert_eq!(
        created.body,
        json!({"id": id, "name": "ScreenConnect URL", "reference": "cf_screenconnect_url", "admin_only": true})
    );
    assert_eq!(plain.body["reference"], "cf_site_code_2");
    assert_eq!(plain.body["admin_only"], false);
    let shown = get(&app, &key, &format!("/v2/custom_fields/{id}")).await;
    assert_eq!(shown.body, created.body);
}

#[tokio::test]
async fn duplicate_names_or_references_blank_and_long_names_are_a_422() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    field(&app, &key, "Region").await;
    let create = |name: &str| {
        app.post("/v2/custom_fields", json!({"name": name}))
            .key(&key)
            .send(&app)
    };

    let duplicate = create("Region").await;
    let other_case = create("REGION").await;
    let same_reference = create("region!").await;
    let blank = create(" ").await;
    let long = create(&"f".repeat(101)).await;
    let misspelt = app
        .post(
            "/v2/custom_fields",
            json!({"name": "Owner", "admin_olny": true}),
        )
        .key(&key)
        .send(&app)
        .await;

    for response in [&duplicate, &other_case, &same_reference, &blank, &long] {
        refused(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    refused(&misspelt, StatusCode::BAD_REQUEST, "bad_request");
    let listed = get(&app, &key, "/v2/custom_fields").await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn default_value_and_description_are_accepted_and_ignored_as_level_does() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let created = app
        .post(
            "/v2/custom_fields",
            json!({"name": "Owner", "default_value": "Ops", "description": "who to call"}),
        )
        .key(&key)
        .send(&app)
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let updated = app
        .patch(
            &format!("/v2/custom_fields/{id}"),
            json!({"default_value": "Dev"}),
        )
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(
        created.body,
        json!({"id": id, "name": "Owner", "reference": "cf_owner", "admin_only": false})
    );
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(values_of(&app, &key, None).await, []);
}

#[tokio::test]
async fn fields_list_in_creation_order_and_page() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let write = app.key("read_write").await;
    let mut ids = Vec::new();
    for name in ["One", "Two", "Three"] {
        ids.push(field(&app, &write, name).await);
    }

    let first = get(&app, &key, "/v2/custom_fields?limit=2").await;
    let rest = get(
        &app,
        &key,
        &format!("/v2/custom_fields?limit=2&starting_after={}", ids[1]),
    )
    .await;
    let back = get(
        &app,
        &key,
        &format!("/v2/custom_fields?ending_before={}", ids[2]),
    )
    .await;

    assert_eq!(first.body["data"][1]["name"], "Two");
    assert_eq!(first.body["has_more"], true);
    assert_eq!(rest.body["data"][0]["id"], ids[2]);
    assert_eq!(rest.body["has_more"], false);
    assert_eq!(back.body["data"].as_array().unwrap().len(), 2);
    assert_eq!(back.body["has_more"], false);
}

#[tokio::test]
async fn patch_and_put_change_the_name_and_visibility_and_refuse_a_taken_name() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let id = field(&app, &key, "Owner").await;
    field(&app, &key, "Taken").await;
    let path = format!("/v2/custom_fields/{id}");

    let renamed = app
        .patch(&path, json!({"name": "Site owner"}))
        .key(&key)
        .send(&app)
        .await;
    let hidden = RequestBuilder::new(Method::PUT, &path)
        .json(json!({"admin_only": true}))
        .key(&key)
        .send(&app)
        .await;
    let taken = app
        .patch(&path, json!({"name": "Taken"}))
        .key(&key)
        .send(&app)
        .await;
    let nothing = app.patch(&path, json!({})).key(&key).send(&app).await;

    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["reference"], "cf_site_owner");
    assert_eq!(hidden.body["admin_only"], true);
    assert_eq!(hidden.body["name"], "Site owner");
    refused(
        &taken,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(nothing.body, hidden.body);
}

#[tokio::test]
async fn deleting_a_field_drops_its_values_at_every_level() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let doomed = field(&app, &key, "Doomed").await;
    let kept = field(&app, &key, "Kept").await;
    let pc = device(&app, None, "pc-1").await;
    set_ok(&app, &key, &doomed, None, "org").await;
    set_ok(&app, &key, &doomed, Some(&pc), "device").await;
    set_ok(&app, &key, &kept, None, "stays").await;

    let deleted = app
        .delete(&format!("/v2/custom_fields/{doomed}"))
        .key(&key)
        .send(&app)
        .await;
    let again = app
        .delete(&format!("/v2/custom_fields/{doomed}"))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(deleted.body, json!({"success": true}));
    refused(&again, StatusCode::NOT_FOUND, "not_found");
    let org_values = values_of(&app, &key, None).await;
    assert_eq!(org_values.len(), 1);
    assert_eq!(org_values[0].0, "Kept");
    let device_values = values_of(&app, &key, Some(&pc)).await;
    assert_eq!(device_values.len(), 1, "{device_values:?}");
}

#[tokio::test]
async fn unknown_and_malformed_field_ids_are_a_404() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let unknown = CustomFieldId::new().to_string();

    for id in [unknown.as_str(), "nope"] {
        let path = format!("/v2/custom_fields/{id}");
        refused(
            &get(&app, &key, &path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
        let patched = app
            .patch(&path, json!({"name": "x"}))
            .key(&key)
            .send(&app)
            .await;
        refused(&patched, StatusCode::NOT_FOUND, "not_found");
    }
}
