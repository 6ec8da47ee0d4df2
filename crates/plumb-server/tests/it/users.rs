use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, RequestBuilder, TestApp};

#[tokio::test]
async fn an_admin_adds_a_technician_who_can_then_sign_in() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let created = app
        .post("/api/v1/users", json!({"email": "Tech@Acme.test", "name": "Tess", "role": "technician", "permissions": ["settings"], "password": PASSWORD}))
        .session(&admin)
        .send(&app)
        .await;
    let list = app.get("/api/v1/users").session(&admin).send(&app).await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["email"], "tech@acme.test");
    assert_eq!(created.body["permissions"], json!(["settings"]));
    assert!(created.body.get("set_password_url").is_none());
    assert_eq!(list.body["data"].as_array().unwrap().len(), 2);
    app.sign_in("tech@acme.test", PASSWORD).await;
}

#[tokio::test]
async fn a_user_added_without_a_password_gets_a_one_time_link() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let created = app
        .post(
            "/api/v1/users",
            json!({"email": "new@acme.test", "name": "New", "role": "technician"}),
        )
        .session(&admin)
        .send(&app)
        .await;
    let url = created.body["set_password_url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:8080/set-password?token="));
    let token = url.split("token=").nth(1).unwrap();

    let page = app
        .get(&format!("/set-password?token={token}"))
        .send(&app)
        .await;
    let set = app
        .post(
            "/api/v1/password",
            json!({"token": token, "password": PASSWORD}),
        )
        .send(&app)
        .await;
    let reused = app
        .post(
            "/api/v1/password",
            json!({"token": token, "password": "another password 1"}),
        )
        .send(&app)
        .await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text);
    reused.error(StatusCode::UNPROCESSABLE_ENTITY);
    app.sign_in("new@acme.test", PASSWORD).await;
}

#[tokio::test]
async fn technicians_cannot_manage_users() {
    let app = TestApp::new().await;
    app.add_user("tech@acme.test", "technician", &["settings"])
        .await;
    let tech = app.sign_in("tech@acme.test", PASSWORD).await;

    let list = app.get("/api/v1/users").session(&tech).send(&app).await;
    let create = app
        .post(
            "/api/v1/users",
            json!({"email": "x@acme.test", "name": "X", "role": "admin"}),
        )
        .session(&tech)
        .send(&app)
        .await;

    list.error(StatusCode::FORBIDDEN);
    create.error(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_admin_changes_role_and_permissions_and_disabling_ends_sessions() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let id = app.add_user("tech@acme.test", "technician", &[]).await;
    let tech = app.sign_in("tech@acme.test", PASSWORD).await;

    let granted = app
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({"permissions": ["settings"]}),
        )
        .session(&admin)
        .send(&app)
        .await;
    let keys_now = app.get("/api/v1/api-keys").session(&tech).send(&app).await;
    let disabled = app
        .patch(&format!("/api/v1/users/{id}"), json!({"disabled": true}))
        .session(&admin)
        .send(&app)
        .await;
    let after = app.get("/api/v1/session").session(&tech).send(&app).await;
    let sign_in = app
        .post(
            "/api/v1/session",
            json!({"email": "tech@acme.test", "password": PASSWORD}),
        )
        .send(&app)
        .await;

    assert_eq!(granted.body["permissions"], json!(["settings"]));
    assert_eq!(keys_now.status, StatusCode::OK);
    assert_eq!(disabled.body["disabled"], true);
    after.error(StatusCode::UNAUTHORIZED);
    sign_in.error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_cannot_disable_or_demote_themselves() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let path = format!("/api/v1/users/{}", app.admin.id);
    let disable = app
        .patch(&path, json!({"disabled": true}))
        .session(&admin)
        .send(&app)
        .await;
    let demote = app
        .patch(&path, json!({"role": "technician"}))
        .session(&admin)
        .send(&app)
        .await;
    disable.error(StatusCode::UNPROCESSABLE_ENTITY);
    demote.error(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_duplicate_email_is_refused() {
    let app = TestApp::new().await;
    app.add_user("tech@acme.test", "technician", &[]).await;
    let admin = app.admin_session().await;
    let again = app
        .post(
            "/api/v1/users",
            json!({"email": "TECH@acme.test", "name": "Again", "role": "technician"}),
        )
        .session(&admin)
        .send(&app)
        .await;
    assert!(
        again
            .error(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("already exists")
    );
}

#[tokio::test]
async fn another_organizations_user_is_not_found() {
    let app = TestApp::new().await;
    let other = app.other_org("boss@other.test").await;
    let admin = app.admin_session().await;
    let response = app
        .patch(
            &format!("/api/v1/users/{}", other.id),
            json!({"disabled": true}),
        )
        .session(&admin)
        .send(&app)
        .await;
    response.error(StatusCode::NOT_FOUND);
    let other_session = app.sign_in("boss@other.test", PASSWORD).await;
    let list = app
        .get("/api/v1/users")
        .session(&other_session)
        .send(&app)
        .await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn user_changes_are_in_the_activity_log_with_before_and_after() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let id = app.add_user("tech@acme.test", "technician", &[]).await;
    app.patch(&format!("/api/v1/users/{id}"), json!({"role": "admin"}))
        .session(&admin)
        .send(&app)
        .await;

    let log = RequestBuilder::new(axum::http::Method::GET, "/api/v1/activity?limit=1")
        .session(&admin)
        .send(&app)
        .await;

    let entry = &log.body["data"][0];
    assert_eq!(entry["action"], "user.updated");
    assert_eq!(entry["target_id"], id);
    assert_eq!(
        entry["details"],
        json!({"before": {"role": "technician"}, "after": {"role": "admin"}})
    );
    assert_eq!(entry["actor"]["email"], "admin@acme.test");
}
