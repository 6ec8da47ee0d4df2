//! Unparseable, mistyped and array bodies on the `/api/v1` key and user writes: a 400,
//! nothing written.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{assert_refused, settings_snapshot, unparseable};
use crate::helpers::{ADMIN_EMAIL, RequestBuilder, TestApp};

#[tokio::test]
async fn unparseable_or_mistyped_api_key_bodies_are_a_400_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;
    let edit = format!("/api/v1/api-keys/{id}");
    let edit = edit.as_str();
    let mut cases: Vec<(String, Method, &str, Vec<u8>)> = Vec::new();
    for (what, body) in unparseable() {
        cases.push((
            what.to_owned(),
            Method::POST,
            "/api/v1/api-keys",
            body.clone(),
        ));
        cases.push((what.to_owned(), Method::PATCH, edit, body.clone()));
        cases.push((what.to_owned(), Method::PUT, edit, body));
    }
    let typed: Vec<(&str, Method, &str, Value)> = vec![
        (
            "description is a number",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": 5, "access": "read_only"}),
        ),
        (
            "access is unknown",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x", "access": "admin"}),
        ),
        (
            "access is upper case",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x", "access": "READ_ONLY"}),
        ),
        (
            "access is missing",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x"}),
        ),
        (
            "description is missing",
            Method::POST,
            "/api/v1/api-keys",
            json!({"access": "read_only"}),
        ),
        ("nothing", Method::POST, "/api/v1/api-keys", json!({})),
        (
            "a misspelt field",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x", "access": "read_only", "acess": "read_write"}),
        ),
        (
            "a key value",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x", "access": "read_only", "key": "plumb_x"}),
        ),
        (
            "new access is unknown",
            Method::PATCH,
            edit,
            json!({"access": "everything"}),
        ),
        (
            "new access is a boolean",
            Method::PATCH,
            edit,
            json!({"access": true}),
        ),
        (
            "new description is a list",
            Method::PUT,
            edit,
            json!({"description": ["x"]}),
        ),
        (
            "a misspelt edit",
            Method::PATCH,
            edit,
            json!({"acess": "read_write"}),
        ),
    ];
    for (what, method, path, body) in typed {
        cases.push((
            what.to_owned(),
            method,
            path,
            serde_json::to_vec(&body).unwrap(),
        ));
    }

    for (what, method, path, body) in cases {
        let response = RequestBuilder::new(method.clone(), path)
            .raw(body)
            .header("content-type", "application/json")
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::BAD_REQUEST,
            "bad_request",
            &format!("{method} {path}, {what}"),
        );
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}

#[tokio::test]
async fn unparseable_or_mistyped_user_bodies_are_a_400_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let before = settings_snapshot(&app, &admin).await;
    let mut cases: Vec<(String, Vec<u8>)> = unparseable()
        .into_iter()
        .map(|(what, body)| (what.to_owned(), body))
        .collect();
    let typed = [
        (
            "email is a number",
            json!({"email": 5, "name": "X", "role": "technician"}),
        ),
        (
            "role is unknown",
            json!({"email": "x@acme.test", "name": "X", "role": "superuser"}),
        ),
        (
            "role is missing",
            json!({"email": "x@acme.test", "name": "X"}),
        ),
        (
            "name is missing",
            json!({"email": "x@acme.test", "role": "technician"}),
        ),
        (
            "permissions is a string",
            json!({
                "email": "x@acme.test", "name": "X", "role": "technician", "permissions": "settings"
            }),
        ),
        (
            "permissions holds an unknown flag",
            json!({
                "email": "x@acme.test", "name": "X", "role": "technician", "permissions": ["root"]
            }),
        ),
        (
            "password is a number",
            json!({
                "email": "x@acme.test", "name": "X", "role": "technician", "password": 1234567890
            }),
        ),
        (
            "a misspelt field",
            json!({
                "email": "x@acme.test", "name": "X", "role": "technician", "rolle": "admin"
            }),
        ),
        (
            "an organization",
            json!({"email": "x@acme.test", "name": "X", "role": "admin", "organization_id": "x"}),
        ),
    ];
    for (what, body) in typed {
        cases.push((what.to_owned(), serde_json::to_vec(&body).unwrap()));
    }

    for (what, body) in cases {
        let response = RequestBuilder::new(Method::POST, "/api/v1/users")
            .raw(body)
            .header("content-type", "application/json")
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", &what);
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}

#[tokio::test]
async fn an_array_body_on_api_v1_is_a_400_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;
    let edit = format!("/api/v1/api-keys/{id}");
    let cases = [
        (Method::POST, "/api/v1/api-keys", json!([])),
        (
            Method::POST,
            "/api/v1/api-keys",
            json!(["Sneaky", "read_write"]),
        ),
        (Method::PATCH, edit.as_str(), json!([])),
        (Method::PUT, edit.as_str(), json!([])),
        (
            Method::PATCH,
            edit.as_str(),
            json!(["Renamed", "read_write"]),
        ),
        (Method::POST, "/api/v1/users", json!([])),
        (
            Method::POST,
            "/api/v1/users",
            json!(["sneaky@acme.test", "Sneaky", "admin"]),
        ),
        (Method::POST, "/api/v1/session", json!([])),
        (
            Method::POST,
            "/api/v1/session",
            json!([ADMIN_EMAIL, "wrong password!"]),
        ),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path} {body}");
        let response = RequestBuilder::new(method, path)
            .json(body)
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", &case);
        assert!(response.headers.get("set-cookie").is_none(), "{case}");
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}
