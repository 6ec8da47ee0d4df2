//! Mistyped sign-in bodies: a 400 with no session, no log entry and no throttle strike.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{assert_refused, settings_snapshot, unparseable};
use crate::helpers::{ADMIN_EMAIL, PASSWORD, RequestBuilder, TestApp};

#[tokio::test]
async fn mistyped_sign_in_bodies_are_a_400_without_a_session_a_log_entry_or_a_throttle_strike() {
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
            json!({"email": 5, "password": PASSWORD}),
        ),
        (
            "password is a number",
            json!({"email": ADMIN_EMAIL, "password": 1234567890}),
        ),
        (
            "password is a list",
            json!({"email": ADMIN_EMAIL, "password": [PASSWORD]}),
        ),
        (
            "email is null",
            json!({"email": null, "password": PASSWORD}),
        ),
        ("password is missing", json!({"email": ADMIN_EMAIL})),
        ("email is missing", json!({"password": PASSWORD})),
        ("nothing", json!({})),
        (
            "a misspelt field",
            json!({"email": ADMIN_EMAIL, "password": PASSWORD, "remember": true}),
        ),
    ];
    for (what, body) in typed {
        cases.push((what.to_owned(), serde_json::to_vec(&body).unwrap()));
    }

    for (what, body) in cases {
        let response = RequestBuilder::new(Method::POST, "/api/v1/session")
            .raw(body)
            .header("content-type", "application/json")
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", &what);
        assert!(response.headers.get("set-cookie").is_none(), "{what}");
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
}
