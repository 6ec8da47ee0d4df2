//! Over-long or blank text on both surfaces: a 422, nothing written.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{assert_refused, groups_snapshot, settings_snapshot, v2_fixture};
use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn over_long_or_blank_group_names_are_a_422_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, _) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let update = format!("/v2/groups/{group}");
    let cases = [
        (Method::POST, "/v2/groups", json!({"name": "x".repeat(201)})),
        (Method::POST, "/v2/groups", json!({"name": "ü".repeat(201)})),
        (
            Method::POST,
            "/v2/groups",
            json!({"name": "x".repeat(10_000)}),
        ),
        (Method::POST, "/v2/groups", json!({"name": ""})),
        (Method::POST, "/v2/groups", json!({"name": " \t "})),
        (
            Method::PATCH,
            update.as_str(),
            json!({"name": "x".repeat(201)}),
        ),
        (
            Method::PUT,
            update.as_str(),
            json!({"name": "x".repeat(201)}),
        ),
        (Method::PATCH, update.as_str(), json!({"name": ""})),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path} with {} bytes", body.to_string().len());
        let response = RequestBuilder::new(method, path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            &case,
        );
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn over_long_or_blank_text_on_api_v1_is_a_422_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;
    let edit = format!("/api/v1/api-keys/{id}");
    let edit = edit.as_str();
    let user = |email: String, name: String, password: Option<String>| {
        json!({
            "email": email, "name": name, "role": "technician", "password": password
        })
    };
    let cases: Vec<(&str, Method, &str, Value)> = vec![
        (
            "a long description",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "d".repeat(201), "access": "read_only"}),
        ),
        (
            "a blank description",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "  ", "access": "read_only"}),
        ),
        (
            "a long new description",
            Method::PATCH,
            edit,
            json!({"description": "d".repeat(201)}),
        ),
        (
            "a long PUT description",
            Method::PUT,
            edit,
            json!({"description": "ß".repeat(201)}),
        ),
        (
            "a blank new description",
            Method::PATCH,
            edit,
            json!({"description": ""}),
        ),
        (
            "a long user name",
            Method::POST,
            "/api/v1/users",
            user("x@acme.test".to_owned(), "n".repeat(201), None),
        ),
        (
            "a blank user name",
            Method::POST,
            "/api/v1/users",
            user("x@acme.test".to_owned(), " ".to_owned(), None),
        ),
        (
            "a long email",
            Method::POST,
            "/api/v1/users",
            user(
                format!("{}@acme.test", "e".repeat(250)),
                "X".to_owned(),
                None,
            ),
        ),
        (
            "a long password",
            Method::POST,
            "/api/v1/users",
            user(
                "x@acme.test".to_owned(),
                "X".to_owned(),
                Some("p".repeat(1025)),
            ),
        ),
    ];

    for (what, method, path, body) in cases {
        let response = RequestBuilder::new(method, path)
            .json(body)
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            what,
        );
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}
