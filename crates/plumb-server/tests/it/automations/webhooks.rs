//! Webhook triggers on `/api/v1/automations/{id}/webhooks`: created with a URL (and the
//! required `Authorization` value, shown once), listed with the URL again, deleted.

use axum::http::StatusCode;
use serde_json::json;

use super::create_automation;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_trigger_is_created_listed_again_with_its_url_and_deleted() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let id = create_automation(&app, &session, "Hello", None).await;
    let path = format!("/api/v1/automations/{id}/webhooks");

    let created = app
        .post(&path, json!({"require_authorization": true}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let url = created.body["url"].as_str().unwrap();
    let token = url.rsplit('/').next().unwrap();
    assert_eq!(
        url,
        format!("http://127.0.0.1:8080/v2/automations/webhooks/{token}")
    );
    assert!(token.starts_with("plumbw_") && token.len() == 45);
    assert_eq!(created.body["requires_authorization_header"], true);
    let authorization = created.body["authorization"].as_str().unwrap();
    assert!(authorization.starts_with("plumbw_") && authorization != token);

    let listed = app.get(&path).session(&session).send(&app).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    let entry = &listed.body["data"][0];
    assert_eq!(entry["url"], url);
    assert_eq!(entry["automation_id"], id.as_str());
    assert!(entry.get("authorization").is_none(), "{}", listed.text);

    let webhook = created.body["id"].as_str().unwrap();
    let deleted = app
        .delete(&format!("{path}/{webhook}"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let listed = app.get(&path).session(&session).send(&app).await;
    assert_eq!(listed.body["data"], json!([]));
    let called = app
        .post(&format!("/v2/automations/webhooks/{token}"), json!({}))
        .header("authorization", authorization)
        .send(&app)
        .await;
    called.error(StatusCode::NOT_FOUND);

    let activity = app
        .get("/api/v1/activity")
        .session(&session)
        .send(&app)
        .await;
    assert!(activity.text.contains("automation_webhook.created"));
    assert!(activity.text.contains("automation_webhook.deleted"));
    assert!(!activity.text.contains(token) && !activity.text.contains(authorization));
}

#[tokio::test]
async fn without_a_public_url_the_trigger_url_follows_the_host_header() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let id = create_automation(&app, &session, "Hello", None).await;
    let created = app
        .post(&format!("/api/v1/automations/{id}/webhooks"), json!({}))
        .session(&session)
        .header("host", "rmm.example.test:8443")
        .send(&app)
        .await;
    assert!(
        created.body["url"]
            .as_str()
            .unwrap()
            .starts_with("http://rmm.example.test:8443/v2/automations/webhooks/plumbw_"),
        "{}",
        created.text
    );
    assert!(created.body.get("authorization").is_none());
}

#[tokio::test]
async fn a_configured_public_url_is_the_base_of_trigger_urls() {
    let app = TestApp::with_config(|config| {
        config.public_url = Some("https://rmm.example.com/".to_owned());
    })
    .await;
    let session = app.admin_session().await;
    let id = create_automation(&app, &session, "Hello", None).await;
    let created = app
        .post(&format!("/api/v1/automations/{id}/webhooks"), json!({}))
        .session(&session)
        .header("host", "evil.test")
        .send(&app)
        .await;
    assert!(
        created.body["url"]
            .as_str()
            .unwrap()
            .starts_with("https://rmm.example.com/v2/automations/webhooks/plumbw_"),
        "{}",
        created.text
    );
}

#[tokio::test]
async fn in_hash_only_mode_a_trigger_url_is_shown_once() {
    let app = TestApp::hash_only().await;
    let session = app.admin_session().await;
    let id = create_automation(&app, &session, "Hello", None).await;
    let path = format!("/api/v1/automations/{id}/webhooks");
    let created = app
        .post(&path, json!({}))
        .session(&session)
        .send(&app)
        .await;
    let url = created.body["url"].as_str().unwrap().to_owned();

    let listed = app.get(&path).session(&session).send(&app).await;
    assert_eq!(listed.body["data"][0]["url"], json!(null));
    let called = app
        .post(&url[url.find("/v2/").unwrap()..], json!({}))
        .send(&app)
        .await;
    assert_eq!(called.status, StatusCode::OK, "{}", called.text);
}

#[tokio::test]
async fn triggers_of_a_missing_or_foreign_automation_are_404() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let first = create_automation(&app, &session, "First", None).await;
    let second = create_automation(&app, &session, "Second", None).await;
    let created = app
        .post(&format!("/api/v1/automations/{first}/webhooks"), json!({}))
        .session(&session)
        .send(&app)
        .await;
    let webhook = created.body["id"].as_str().unwrap();
    let missing = plumb_core::id::AutomationId::new();

    app.post(
        &format!("/api/v1/automations/{missing}/webhooks"),
        json!({}),
    )
    .session(&session)
    .send(&app)
    .await
    .error(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/automations/{missing}/webhooks"))
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    app.delete(&format!("/api/v1/automations/{second}/webhooks/{webhook}"))
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    let listed = app
        .get(&format!("/api/v1/automations/{first}/webhooks"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
}
