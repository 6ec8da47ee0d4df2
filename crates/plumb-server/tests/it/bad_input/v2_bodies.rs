//! Unparseable, mistyped and array bodies on the `/v2` group writes: a 400, nothing written.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{assert_refused, groups_snapshot, unparseable, v2_fixture};
use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn unparseable_group_bodies_are_a_400_on_every_v2_write_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, _) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let routes = [
        (Method::POST, "/v2/groups".to_owned()),
        (Method::PATCH, format!("/v2/groups/{group}")),
        (Method::PUT, format!("/v2/groups/{group}")),
        (Method::POST, format!("/v2/groups/{group}/devices")),
        (Method::DELETE, format!("/v2/groups/{group}/devices")),
    ];

    for (method, path) in &routes {
        for (what, body) in unparseable() {
            let response = RequestBuilder::new(method.clone(), path)
                .raw(body)
                .header("content-type", "application/json")
                .key(&key)
                .send(&app)
                .await;
            assert_refused(
                &response,
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!("{method} {path}, {what}"),
            );
        }
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn mistyped_unknown_or_missing_group_fields_are_a_400_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, device) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let create = "/v2/groups".to_owned();
    let update = format!("/v2/groups/{group}");
    let devices = format!("/v2/groups/{group}/devices");
    let cases: Vec<(&str, Method, &String, Value)> = vec![
        (
            "name is a number",
            Method::POST,
            &create,
            json!({"name": 5}),
        ),
        ("name is null", Method::POST, &create, json!({"name": null})),
        (
            "name is an object",
            Method::POST,
            &create,
            json!({"name": {"text": "x"}}),
        ),
        (
            "parent_id is a number",
            Method::POST,
            &create,
            json!({"name": "x", "parent_id": 5}),
        ),
        (
            "parent_id is an array",
            Method::POST,
            &create,
            json!({"name": "x", "parent_id": [group]}),
        ),
        (
            "a misspelt field",
            Method::POST,
            &create,
            json!({"name": "x", "nmae": "y"}),
        ),
        (
            "custom fields",
            Method::POST,
            &create,
            json!({"name": "x", "custom_fields": {}}),
        ),
        ("name is missing", Method::POST, &create, json!({})),
        (
            "only parent_id",
            Method::POST,
            &create,
            json!({"parent_id": group}),
        ),
        (
            "new name is a number",
            Method::PATCH,
            &update,
            json!({"name": 5}),
        ),
        (
            "new name is a boolean",
            Method::PUT,
            &update,
            json!({"name": true}),
        ),
        (
            "new parent is a number",
            Method::PATCH,
            &update,
            json!({"parent_id": 7}),
        ),
        (
            "a misspelt update",
            Method::PATCH,
            &update,
            json!({"name": "x", "nmae": "y"}),
        ),
        (
            "a misspelt PUT",
            Method::PUT,
            &update,
            json!({"parent": null}),
        ),
        (
            "device_ids is a string",
            Method::POST,
            &devices,
            json!({"device_ids": device}),
        ),
        (
            "device_ids holds a number",
            Method::POST,
            &devices,
            json!({"device_ids": [5]}),
        ),
        (
            "device_ids is null",
            Method::DELETE,
            &devices,
            json!({"device_ids": null}),
        ),
        ("device_ids is missing", Method::POST, &devices, json!({})),
        (
            "device_ids is missing on remove",
            Method::DELETE,
            &devices,
            json!({}),
        ),
        (
            "a misspelt device field",
            Method::POST,
            &devices,
            json!({"devices": [device]}),
        ),
        (
            "an extra device field",
            Method::DELETE,
            &devices,
            json!({"device_ids": [device], "all": true}),
        ),
    ];

    for (what, method, path, body) in cases {
        let response = RequestBuilder::new(method.clone(), path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::BAD_REQUEST,
            "bad_request",
            &format!("{method} {path}, {what}"),
        );
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn an_array_holding_the_fields_in_order_is_not_an_object_and_is_a_400() {
    let app = TestApp::new().await;
    let (key, group, device) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let cases = [
        (Method::POST, "/v2/groups".to_owned(), json!([])),
        (Method::PATCH, format!("/v2/groups/{group}"), json!([])),
        (Method::PUT, format!("/v2/groups/{group}"), json!([])),
        (Method::POST, "/v2/groups".to_owned(), json!(["Sneaky"])),
        (
            Method::POST,
            "/v2/groups".to_owned(),
            json!(["Sneaky", group]),
        ),
        (
            Method::PATCH,
            format!("/v2/groups/{group}"),
            json!(["Renamed"]),
        ),
        (
            Method::PUT,
            format!("/v2/groups/{group}"),
            json!([null, null]),
        ),
        (
            Method::POST,
            format!("/v2/groups/{group}/devices"),
            json!([[device]]),
        ),
        (
            Method::DELETE,
            format!("/v2/groups/{group}/devices"),
            json!([[device]]),
        ),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path} {body}");
        let response = RequestBuilder::new(method, &path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", &case);
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}
