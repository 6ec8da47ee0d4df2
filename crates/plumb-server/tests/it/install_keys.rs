//! `/api/v1/install-keys`: created with the value shown once, listed masked, revoked; only
//! administrators and technicians with Settings may manage them.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn an_install_key_is_shown_once_listed_masked_and_revoked() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let group = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(org, None),
            "Servers",
            None,
            app.app.state.clock.now(),
        )
        .await
        .unwrap();

    let created = app
        .post(
            "/api/v1/install-keys",
            json!({"group_id": group.id.to_string()}),
        )
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let key = created.body["key"].as_str().unwrap();
    assert!(key.starts_with("plumbi_") && key.len() == 45, "{key}");
    assert!(
        plumb_core::credential::check_format(plumb_core::credential::TokenKind::InstallKey, key)
            .is_ok()
    );
    assert_eq!(created.body["group_id"], group.id.to_string());
    let id = created.body["id"].as_str().unwrap();

    let listed = app
        .get("/api/v1/install-keys")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(
        listed.body["data"],
        json!([{"id": id, "masked_key": format!("plumbi_****{}", &key[41..]),
            "group_id": group.id.to_string(), "created_at": created.body["created_at"]}])
    );
    assert!(!listed.text.contains(key));

    let revoked = app
        .delete(&format!("/api/v1/install-keys/{id}"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let listed = app
        .get("/api/v1/install-keys")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"], json!([]));
    app.delete(&format!("/api/v1/install-keys/{id}"))
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);

    let activity = app
        .get("/api/v1/activity")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(activity.body["data"][0]["action"], "install_key.revoked");
    assert_eq!(activity.body["data"][1]["action"], "install_key.created");
    assert!(
        !activity.text.contains(key),
        "the key never reaches the log"
    );
}

#[tokio::test]
async fn a_key_for_an_unknown_or_foreign_group_is_404_and_an_empty_body_400() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let other = app.other_org("boss@other.test").await;
    let foreign = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(other.organization.id, None),
            "Theirs",
            None,
            app.app.state.clock.now(),
        )
        .await
        .unwrap();
    for group in [foreign.id.to_string(), "not-an-id".to_owned()] {
        app.post("/api/v1/install-keys", json!({"group_id": group}))
            .session(&session)
            .send(&app)
            .await
            .error(StatusCode::NOT_FOUND);
    }
    app.post("/api/v1/install-keys", json!({"group": null}))
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::BAD_REQUEST);
    let none = app
        .post("/api/v1/install-keys", json!({}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(none.status, StatusCode::CREATED);
    assert_eq!(none.body["group_id"], json!(null));
    let listed = app
        .get("/api/v1/install-keys")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn only_settings_users_manage_install_keys_and_only_their_organizations() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let created = app
        .post("/api/v1/install-keys", json!({}))
        .session(&admin)
        .send(&app)
        .await;
    let id = created.body["id"].as_str().unwrap();
    app.add_user("tech@acme.test", "technician", &[]).await;
    app.add_user("ops@acme.test", "technician", &["settings"])
        .await;
    let tech = app.sign_in("tech@acme.test", PASSWORD).await;
    let ops = app.sign_in("ops@acme.test", PASSWORD).await;
    let other = app.other_org("boss@other.test").await;
    let boss = app.sign_in(&other.email, PASSWORD).await;

    app.get("/api/v1/install-keys")
        .session(&tech)
        .send(&app)
        .await
        .error(StatusCode::FORBIDDEN);
    app.post("/api/v1/install-keys", json!({}))
        .session(&tech)
        .send(&app)
        .await
        .error(StatusCode::FORBIDDEN);
    app.delete(&format!("/api/v1/install-keys/{id}"))
        .session(&tech)
        .send(&app)
        .await
        .error(StatusCode::FORBIDDEN);
    app.delete(&format!("/api/v1/install-keys/{id}"))
        .session(&boss)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    let theirs = app
        .get("/api/v1/install-keys")
        .session(&boss)
        .send(&app)
        .await;
    assert_eq!(theirs.body["data"], json!([]));

    let listed = app
        .get("/api/v1/install-keys")
        .session(&ops)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"][0]["id"], id);
    let revoked = app
        .delete(&format!("/api/v1/install-keys/{id}"))
        .session(&ops)
        .send(&app)
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
}
