//! Using a key's value: copying it (refused in hash-only mode) and the last-used figures.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn copy_key_returns_the_full_value_at_any_time() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Copy me", "read_only").await;

    let revealed = app
        .post(&format!("/api/v1/api-keys/{id}/reveal"), json!({}))
        .session(&admin)
        .send(&app)
        .await;

    assert_eq!(revealed.status, StatusCode::OK);
    assert_eq!(revealed.body["key"], key);
}

#[tokio::test]
async fn in_hash_only_mode_the_value_is_shown_once_and_copy_key_is_refused_with_409() {
    let app = TestApp::hash_only().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Once", "read_only").await;

    let revealed = app
        .post(&format!("/api/v1/api-keys/{id}/reveal"), json!({}))
        .session(&admin)
        .send(&app)
        .await;
    let works = app.get("/v2/groups").key(&key).send(&app).await;

    assert!(revealed.error(StatusCode::CONFLICT).contains("hash-only"));
    assert!(!revealed.text.contains(&key));
    assert_eq!(works.status, StatusCode::OK);
}

#[tokio::test]
async fn last_used_is_null_until_used_then_shows_the_time_and_origin() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Used", "read_only").await;
    let before = app
        .get(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;

    app.get("/v2/groups")
        .key(&key)
        .header("user-agent", "n8n/1.0")
        .send(&app)
        .await;
    app.post("/v2/groups", json!({"name": "x"}))
        .key(&key)
        .send(&app)
        .await;
    app.flush_usage().await;
    let after = app
        .get(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;

    assert_eq!(before.body["last_used_at"], json!(null));
    let last_used = after.body["last_used_at"]
        .as_str()
        .expect("a last used time");
    assert!(last_used.ends_with('Z'));
    assert_eq!(after.body["usage"]["success_count"], 1);
    assert_eq!(after.body["usage"]["failure_count"], 1);
    assert_eq!(after.body["usage"]["last_ip"], "127.0.0.1");
}

#[tokio::test]
async fn last_used_reaches_the_list_within_two_seconds_without_any_manual_flush() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (_, key) = app.create_key(&admin, "Background", "read_only").await;

    app.get("/v2/groups").key(&key).send(&app).await;
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    let list = app.get("/api/v1/api-keys").session(&admin).send(&app).await;

    assert!(
        list.body["data"][0]["last_used_at"].is_string(),
        "{}",
        list.text
    );
}
