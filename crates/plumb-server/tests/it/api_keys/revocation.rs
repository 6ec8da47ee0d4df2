//! `POST /api/v1/api-keys/revoke`: whoever holds a key's value can revoke it, with no session
//! and from any site; the answer is the same whether or not the value was live.

use axum::http::{Method, StatusCode};
use plumb_core::api_key::PlainApiKey;
use serde_json::json;

use crate::helpers::{RequestBuilder, TestApp};

const REVOKE: &str = "/api/v1/api-keys/revoke";

#[tokio::test]
async fn anyone_holding_a_key_value_can_revoke_it_and_the_log_says_so() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app
        .create_key(&admin, "Pasted in a chat", "read_write")
        .await;

    let revoked = app
        .post(REVOKE, json!({ "key": key }))
        .header("origin", "https://scanner.example")
        .send(&app)
        .await;
    let after = app.get("/v2/groups").key(&key).send(&app).await;
    let listed = app
        .get(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;
    let log = app.get("/api/v1/activity").session(&admin).send(&app).await;

    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text);
    assert_eq!(revoked.body, json!({ "revoked": true }));
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(listed.status, StatusCode::NOT_FOUND);
    let entry = &log.body["data"][0];
    assert_eq!(entry["action"], "api_key.revoked");
    assert_eq!(entry["actor"], json!(null));
    assert!(!log.text.contains(&key), "the log must not hold the value");
}

#[tokio::test]
async fn an_unknown_or_malformed_value_gets_the_same_answer() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let unknown = PlainApiKey::generate();

    let answers = [
        app.post(REVOKE, json!({ "key": unknown.expose() }))
            .send(&app)
            .await,
        app.post(REVOKE, json!({ "key": "not a key" }))
            .send(&app)
            .await,
    ];

    for answer in answers {
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body, json!({ "revoked": true }));
    }
    assert_eq!(
        app.get("/v2/groups").key(&key).send(&app).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_revocation_must_be_json() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;

    let form = RequestBuilder::new(Method::POST, REVOKE)
        .raw(format!("key={key}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(&app)
        .await;

    form.error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.get("/v2/groups").key(&key).send(&app).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn revoking_the_old_value_during_a_grace_period_ends_only_the_grace_period() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, old) = app.create_key(&admin, "Rotating", "read_write").await;
    let regenerated = app
        .post(
            &format!("/api/v1/api-keys/{id}/regenerate"),
            json!({ "grace_seconds": 3600 }),
        )
        .session(&admin)
        .send(&app)
        .await;
    let new = regenerated.body["key"].as_str().unwrap().to_owned();

    let revoked = app.post(REVOKE, json!({ "key": old })).send(&app).await;

    assert_eq!(revoked.status, StatusCode::OK);
    assert_eq!(
        app.get("/v2/groups").key(&old).send(&app).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/v2/groups").key(&new).send(&app).await.status,
        StatusCode::OK
    );
}
