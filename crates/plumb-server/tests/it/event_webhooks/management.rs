//! `/api/v1/webhooks`: the shape scripts rely on, the rules for each field, who may manage
//! endpoints, the activity log (never a secret) and the delivery log's retention.

use axum::http::StatusCode;
use serde_json::json;
use time::Duration;

use super::{Receiver, create_endpoint, deliver, deliveries, endpoint_for, hooks_app};
use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn an_endpoint_is_created_shown_changed_and_deleted_through_the_api() {
    let app = hooks_app().await;
    let session = app.admin_session().await;
    let secret = "sixteen-chars-or-more";
    let created = create_endpoint(
        &app,
        &session,
        json!({"url": "https://hooks.example.com/level", "description": "PSA", "secret": secret}),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["url"], "https://hooks.example.com/level");
    assert_eq!(created["description"], "PSA");
    assert_eq!(created["has_secret"], true);
    assert_eq!(
        created["event_types"],
        json!(null),
        "every event, including future ones"
    );
    assert_eq!(created["enabled"], true);
    assert!(created.get("secret").is_none());

    let path = format!("/api/v1/webhooks/{id}");
    let changed = app
        .patch(
            &path,
            json!({"event_types": ["device_deleted", "alert_active"], "enabled": false, "secret": null}),
        )
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(
        changed.body["event_types"],
        json!(["alert_active", "device_deleted"])
    );
    assert_eq!(changed.body["enabled"], false);
    assert_eq!(changed.body["has_secret"], false);
    assert_eq!(changed.body["description"], "PSA");

    let replaced = app
        .patch(&path, json!({"event_types": null}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(replaced.body["event_types"], json!(null));
    let listed = app
        .get("/api/v1/webhooks")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);

    let deleted = app.delete(&path).session(&session).send(&app).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app.get(&path).session(&session).send(&app).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    let activity = app
        .get("/api/v1/activity")
        .session(&session)
        .send(&app)
        .await;
    let actions: Vec<&str> = activity.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .filter(|action| action.starts_with("event_webhook"))
        .collect();
    assert_eq!(
        actions,
        [
            "event_webhook.deleted",
            "event_webhook.updated",
            "event_webhook.updated",
            "event_webhook.created"
        ]
    );
    assert!(
        !activity.text.contains(secret),
        "the activity log never holds a secret"
    );
}

#[tokio::test]
async fn bad_endpoints_are_refused_with_a_422_and_nothing_is_saved() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    for (body, needle) in [
        (json!({"url": "http://hooks.example.com/"}), "https://"),
        (json!({"url": "https://127.0.0.1/"}), "private"),
        (json!({"url": "https://169.254.169.254/latest"}), "private"),
        (json!({"url": "https://[::1]:8443/"}), "private"),
        (json!({"url": "https://localhost/"}), "private"),
        (
            json!({"url": "https://93.184.216.34/", "event_types": ["device_exploded"]}),
            "unknown event",
        ),
        (
            json!({"url": "https://93.184.216.34/", "event_types": []}),
            "at least one",
        ),
        (
            json!({"url": "https://93.184.216.34/", "secret": "short"}),
            "secret",
        ),
        (
            json!({"url": "https://93.184.216.34/", "alert_severities": []}),
            "severities",
        ),
    ] {
        let response = app
            .post("/api/v1/webhooks", body.clone())
            .session(&session)
            .send(&app)
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            response.text
        );
        assert!(
            response.body["error"].as_str().unwrap().contains(needle),
            "{}",
            response.text
        );
    }
    let missing = app
        .post("/api/v1/webhooks", json!({"description": "no url"}))
        .session(&session)
        .send(&app)
        .await;
    assert!(missing.status.is_client_error());
    let listed = app
        .get("/api/v1/webhooks")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"], json!([]));
}

#[tokio::test]
async fn only_people_with_the_settings_permission_manage_endpoints() {
    let app = hooks_app().await;
    app.add_user("plain@acme.test", "technician", &[]).await;
    app.add_user("settings@acme.test", "technician", &["settings"])
        .await;
    let plain = app.sign_in("plain@acme.test", PASSWORD).await;
    let settings = app.sign_in("settings@acme.test", PASSWORD).await;
    let body = json!({"url": "https://hooks.example.com/"});
    let refused = app
        .post("/api/v1/webhooks", body.clone())
        .session(&plain)
        .send(&app)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let listed = app.get("/api/v1/webhooks").session(&plain).send(&app).await;
    assert_eq!(listed.status, StatusCode::FORBIDDEN);
    create_endpoint(&app, &settings, body).await;
}

#[tokio::test]
async fn another_organizations_endpoint_is_not_found() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let id = endpoint_for(&app, &receiver).await;
    app.other_org("other@other.test").await;
    let other = app.sign_in("other@other.test", PASSWORD).await;
    for path in [
        format!("/api/v1/webhooks/{id}"),
        format!("/api/v1/webhooks/{id}/deliveries"),
    ] {
        let response = app.get(&path).session(&other).send(&app).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
    }
    let test = app
        .post(&format!("/api/v1/webhooks/{id}/test"), json!({}))
        .session(&other)
        .send(&app)
        .await;
    assert_eq!(test.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn events_and_their_log_are_pruned_after_the_retention() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let id = endpoint_for(&app, &receiver).await;
    let key = app.key("read_write").await;
    app.post("/v2/groups", json!({"name": "Old"}))
        .key(&key)
        .send(&app)
        .await;
    deliver(&app).await;
    let session = app.admin_session().await;
    assert_eq!(deliveries(&app, &session, &id).await.len(), 1);

    assert_eq!(
        app.app.deliverer().prune().await.unwrap(),
        0,
        "30 days by default"
    );
    let later = app.app.state.clock.now() + Duration::days(31);
    let outbox = plumb_core::events::outbox::Outbox::new(app.app.state.store.clone(), None);
    assert_eq!(outbox.prune(later).await.unwrap(), 1);
    assert!(deliveries(&app, &session, &id).await.is_empty());
}

#[tokio::test]
async fn the_delivery_log_pages_newest_first() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let id = endpoint_for(&app, &receiver).await;
    let key = app.key("read_write").await;
    for name in ["One", "Two", "Three"] {
        app.post("/v2/groups", json!({ "name": name }))
            .key(&key)
            .send(&app)
            .await;
        deliver(&app).await;
    }
    let session = app.admin_session().await;
    let first = app
        .get(&format!("/api/v1/webhooks/{id}/deliveries?limit=2"))
        .session(&session)
        .send(&app)
        .await;
    let names: Vec<String> = first.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let body: serde_json::Value =
                serde_json::from_str(entry["request_body"].as_str().unwrap()).unwrap();
            body["data"]["name"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(names, ["Three", "Two"]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!(
            "/api/v1/webhooks/{id}/deliveries?limit=2&cursor={cursor}"
        ))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(rest.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(rest.body["next_cursor"], json!(null));
    let bad = app
        .get(&format!("/api/v1/webhooks/{id}/deliveries?limit=0"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
