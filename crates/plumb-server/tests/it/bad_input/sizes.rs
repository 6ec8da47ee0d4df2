//! The 64 KiB body limit on both surfaces: exactly the limit is read, anything over is a 413.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{LIMIT, assert_refused, groups_snapshot, settings_snapshot, v2_fixture};
use crate::helpers::{ADMIN_EMAIL, RequestBuilder, TestApp};

#[tokio::test]
async fn a_body_over_64_kib_is_a_413_on_v2_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, device) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let huge = "x".repeat(LIMIT);
    let many_ids: Vec<String> = (0..2000).map(|_| device.clone()).collect();
    let cases = [
        (Method::POST, "/v2/groups".to_owned(), json!({"name": huge})),
        (
            Method::PATCH,
            format!("/v2/groups/{group}"),
            json!({"name": huge}),
        ),
        (
            Method::PUT,
            format!("/v2/groups/{group}"),
            json!({"name": huge}),
        ),
        (
            Method::POST,
            format!("/v2/groups/{group}/devices"),
            json!({"device_ids": many_ids}),
        ),
        (
            Method::DELETE,
            format!("/v2/groups/{group}/devices"),
            json!({"device_ids": many_ids}),
        ),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path}");
        let response = RequestBuilder::new(method, &path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &case,
        );
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn a_body_of_exactly_64_kib_is_read_and_one_byte_more_is_a_413() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let body = |size: usize| {
        let frame = br#"{"name": ""}"#.len();
        format!(r#"{{"name": "{}"}}"#, "x".repeat(size - frame)).into_bytes()
    };
    assert_eq!(body(LIMIT).len(), LIMIT);

    let at_the_limit = RequestBuilder::new(Method::POST, "/v2/groups")
        .raw(body(LIMIT))
        .key(&key)
        .send(&app)
        .await;
    let over_the_limit = RequestBuilder::new(Method::POST, "/v2/groups")
        .raw(body(LIMIT + 1))
        .key(&key)
        .send(&app)
        .await;

    assert_refused(
        &at_the_limit,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "at the limit",
    );
    assert_refused(
        &over_the_limit,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "over the limit",
    );
    assert_eq!(
        groups_snapshot(&app, &key).await,
        json!({"data": [], "has_more": false})
    );
}

#[tokio::test]
async fn a_body_over_64_kib_is_a_413_on_api_v1_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;
    let huge = "x".repeat(LIMIT);
    let cases = [
        (
            Method::POST,
            "/api/v1/api-keys".to_owned(),
            json!({"description": huge, "access": "read_only"}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/api-keys/{id}"),
            json!({"description": huge}),
        ),
        (
            Method::POST,
            "/api/v1/users".to_owned(),
            json!({"email": "x@acme.test", "name": huge, "role": "admin"}),
        ),
        (
            Method::POST,
            "/api/v1/session".to_owned(),
            json!({"email": ADMIN_EMAIL, "password": huge}),
        ),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path}");
        let response = RequestBuilder::new(method, &path)
            .json(body)
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &case,
        );
        assert!(response.headers.get("set-cookie").is_none(), "{case}");
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}
