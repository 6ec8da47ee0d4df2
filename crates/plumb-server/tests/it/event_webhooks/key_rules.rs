//! The API key settings of issue 13 meet the security events: disabling, enabling and a key
//! revoked by its value reach a SIEM's endpoint, and a change made with a key names the key
//! (masked) in Level's event while the key's value never travels.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Receiver, create_endpoint, deliver, endpoint_for, hooks_app};

fn actions(bodies: &[Value]) -> Vec<(String, String)> {
    bodies
        .iter()
        .map(|body| {
            let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
            (text(&body["event_type"]), text(&body["data"]["action"]))
        })
        .collect()
}

#[tokio::test]
async fn disabling_enabling_and_revoking_a_key_by_its_value_send_security_events() {
    let app = hooks_app().await;
    let siem = Receiver::start().await;
    let session = app.admin_session().await;
    let (id, key) = app.create_key(&session, "Leaky", "read_only").await;
    let events = json!(["api_key_updated", "api_key_deleted"]);
    create_endpoint(
        &app,
        &session,
        json!({"url": siem.url, "event_types": events}),
    )
    .await;

    for disabled in [true, false] {
        let changed = app
            .patch(
                &format!("/api/v1/api-keys/{id}"),
                json!({ "disabled": disabled }),
            )
            .session(&session)
            .send(&app)
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    }
    let revoked = app
        .post("/api/v1/api-keys/revoke", json!({ "key": key }))
        .send(&app)
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text);
    deliver(&app).await;

    let bodies = siem.bodies();
    let received: Vec<(String, String)> = actions(&bodies);
    let expected = [
        ("api_key_updated", "api_key.disabled"),
        ("api_key_updated", "api_key.enabled"),
        ("api_key_deleted", "api_key.revoked"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(event, action)| ((*event).to_owned(), (*action).to_owned()))
        .collect();
    assert_eq!(received, expected);
    assert!(
        bodies
            .iter()
            .all(|body| body["data"]["target_id"] == id.as_str())
    );
    for request in siem.received() {
        assert!(
            !request.body.contains(&key),
            "a key value in {}",
            request.body
        );
    }
}

#[tokio::test]
async fn a_group_created_with_a_key_sends_group_created_and_no_security_event() {
    let app = hooks_app().await;
    let level = Receiver::start().await;
    endpoint_for(&app, &level).await;
    let key = app.key("read_write").await;
    let session = app.admin_session().await;
    let everything = Receiver::start().await;
    create_endpoint(&app, &session, json!({ "url": everything.url })).await;

    let created = app
        .post("/v2/groups", json!({"name": "From the PSA"}))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    deliver(&app).await;

    let types = |receiver: &Receiver| -> Vec<String> {
        receiver
            .bodies()
            .iter()
            .map(|body| body["event_type"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(types(&level), ["group_created"]);
    assert_eq!(types(&everything), ["group_created"]);
    assert!(!everything.received()[0].body.contains(&key));
}
