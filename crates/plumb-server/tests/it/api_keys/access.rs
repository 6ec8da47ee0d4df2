//! Who may manage keys: technicians need Settings access, keys never manage keys, and
//! another organization's keys are not found.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn technicians_without_settings_access_get_403_and_with_it_may_manage_keys() {
    let app = TestApp::new().await;
    app.add_user("plain@acme.test", "technician", &[]).await;
    app.add_user("settings@acme.test", "technician", &["settings"])
        .await;
    let plain = app.sign_in("plain@acme.test", PASSWORD).await;
    let allowed = app.sign_in("settings@acme.test", PASSWORD).await;

    let refused = app.get("/api/v1/api-keys").session(&plain).send(&app).await;
    let refused_create = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "x", "access": "read_only"}),
        )
        .session(&plain)
        .send(&app)
        .await;
    let refused_log = app.get("/api/v1/activity").session(&plain).send(&app).await;

    assert!(
        refused
            .error(StatusCode::FORBIDDEN)
            .contains("Settings access")
    );
    refused_create.error(StatusCode::FORBIDDEN);
    refused_log.error(StatusCode::FORBIDDEN);
    app.create_key(&allowed, "Technician key", "read_only")
        .await;
}

#[tokio::test]
async fn an_api_key_can_never_manage_api_keys() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let list = app.get("/api/v1/api-keys").key(&key).send(&app).await;
    let create = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "x", "access": "read_write"}),
        )
        .key(&key)
        .send(&app)
        .await;
    list.error(StatusCode::UNAUTHORIZED);
    create.error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn another_organizations_key_is_not_found_and_unchanged() {
    let app = TestApp::new().await;
    app.other_org("boss@other.test").await;
    let other = app.sign_in("boss@other.test", PASSWORD).await;
    let (id, key) = app.create_key(&other, "Theirs", "read_only").await;
    let admin = app.admin_session().await;

    let show = app
        .get(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;
    let edit = app
        .patch(
            &format!("/api/v1/api-keys/{id}"),
            json!({"access": "read_write"}),
        )
        .session(&admin)
        .send(&app)
        .await;
    let reveal = app
        .post(&format!("/api/v1/api-keys/{id}/reveal"), json!({}))
        .session(&admin)
        .send(&app)
        .await;
    let regenerate = app
        .post(&format!("/api/v1/api-keys/{id}/regenerate"), json!({}))
        .session(&admin)
        .send(&app)
        .await;
    let delete = app
        .delete(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;
    let list = app.get("/api/v1/api-keys").session(&admin).send(&app).await;

    for response in [&show, &edit, &reveal, &regenerate, &delete] {
        response.error(StatusCode::NOT_FOUND);
    }
    assert_eq!(list.body["data"].as_array().unwrap().len(), 0);
    let still = app
        .post("/v2/groups", json!({"name": "x"}))
        .key(&key)
        .send(&app)
        .await;
    still.error(StatusCode::FORBIDDEN);
}
