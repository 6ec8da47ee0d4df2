//! `POST /v2/automations/webhooks/{token}`: the token is the credential; a required
//! `Authorization` value is checked; `device_ids` narrows the target.

use axum::http::StatusCode;
use serde_json::json;

use super::{create_automation, trigger_url};
use crate::helpers::TestApp;

fn device_ids(body: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = body["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["device_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_trigger_starts_one_run_per_device_of_the_automations_group_subtree() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let now = app.app.state.clock.now();
    let servers = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(org, None),
            "Servers",
            None,
            now,
        )
        .await
        .unwrap();
    let web = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(org, None),
            "Web",
            Some(servers.id),
            now,
        )
        .await
        .unwrap();
    let a = app.device(org, Some(servers.id), "db-01").await;
    let b = app.device(org, Some(web.id), "web-01").await;
    app.device(org, None, "laptop-01").await;
    let automation =
        create_automation(&app, &session, "Patch", Some(&servers.id.to_string())).await;
    let (path, _) = trigger_url(&app, &session, &automation, false).await;

    let all = app
        .post(&path, json!({"other": "ignored"}))
        .send(&app)
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort();
    assert_eq!(device_ids(&all.body), expected);

    let empty_body = app.post(&path, json!(null)).raw("").send(&app).await;
    assert_eq!(
        device_ids(&empty_body.body),
        expected,
        "{}",
        empty_body.text
    );

    let outside = app.device(org, None, "outside").await;
    let narrowed = app
        .post(&path, json!({"device_ids": [b, outside, "not-an-id"]}))
        .send(&app)
        .await;
    assert_eq!(narrowed.status, StatusCode::OK, "{}", narrowed.text);
    assert_eq!(device_ids(&narrowed.body), vec![b.clone()]);

    let none = app.post(&path, json!({"device_ids": []})).send(&app).await;
    assert_eq!(none.body, json!({"runs": []}));
}

#[tokio::test]
async fn a_trigger_that_requires_authorization_refuses_a_missing_or_wrong_value_with_401() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    app.device(org, None, "web-01").await;
    let automation = create_automation(&app, &session, "Hello", None).await;
    let (path, authorization) = trigger_url(&app, &session, &automation, true).await;
    let authorization = authorization.unwrap();
    let api_key = app.key("read_write").await;

    for wrong in [
        None,
        Some(api_key.as_str()),
        Some("plumbw_nope"),
        Some(&authorization[1..]),
    ] {
        let mut request = app.post(&path, json!({}));
        if let Some(value) = wrong {
            request = request.header("authorization", value);
        }
        let response = request.send(&app).await;
        assert_eq!(response.error(StatusCode::UNAUTHORIZED), "Access denied");
    }
    let run = app
        .get("/v2/automations/webhooks?limit=5")
        .key(&api_key)
        .send(&app)
        .await;
    assert_eq!(run.body["data"][0]["requires_authorization_header"], true);

    let ok = app
        .post(&path, json!({}))
        .header("authorization", &authorization)
        .send(&app)
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.body["runs"].as_array().unwrap().len(), 1);
    let bearer = app
        .post(&path, json!({}))
        .header("authorization", &format!("Bearer {authorization}"))
        .send(&app)
        .await;
    assert_eq!(bearer.status, StatusCode::OK, "{}", bearer.text);
}

#[tokio::test]
async fn an_unknown_token_is_404_and_a_bad_body_400() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let automation = create_automation(&app, &session, "Hello", None).await;
    let (path, _) = trigger_url(&app, &session, &automation, false).await;
    let unknown = plumb_core::credential::PlainToken::generate(
        plumb_core::credential::TokenKind::WebhookToken,
    );
    for token in [unknown.expose(), "plumbw_short", "anything"] {
        app.post(&format!("/v2/automations/webhooks/{token}"), json!({}))
            .send(&app)
            .await
            .error(StatusCode::NOT_FOUND);
    }
    app.post(&path, json!([1]))
        .send(&app)
        .await
        .error(StatusCode::BAD_REQUEST);
    app.post(&path, json!({}))
        .raw("{nope")
        .send(&app)
        .await
        .error(StatusCode::BAD_REQUEST);
    app.post(&path, json!({"device_ids": "all"}))
        .send(&app)
        .await
        .error(StatusCode::BAD_REQUEST);
    app.post(&path, json!({"device_ids": [1]}))
        .send(&app)
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn deleting_the_automation_stops_its_trigger() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let automation = create_automation(&app, &session, "Hello", None).await;
    let (path, _) = trigger_url(&app, &session, &automation, false).await;
    app.delete(&format!("/api/v1/automations/{automation}"))
        .session(&session)
        .send(&app)
        .await;
    app.post(&path, json!({}))
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
}
