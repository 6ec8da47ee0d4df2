//! `GET /v2/automations`, `GET /v2/automations/webhooks` and `GET /v2/automation-runs/{id}`
//! with an API key (read-only keys may read them).

use axum::http::StatusCode;
use serde_json::json;

use super::{create_automation, trigger_url};
use crate::agent_protocol::{check_in, enrolled, report};
use crate::helpers::TestApp;

#[tokio::test]
async fn automations_and_their_triggers_are_listed_in_levels_shapes() {
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
    let first = create_automation(&app, &session, "Patch", Some(&group.id.to_string())).await;
    let second = create_automation(&app, &session, "Reboot", None).await;
    let (path, _) = trigger_url(&app, &session, &second, false).await;
    let key = app.key("read_only").await;

    let page = app
        .get("/v2/automations?limit=1")
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(
        page.body,
        json!({"data": [{"id": first, "name": "Patch", "description": null,
            "group_id": group.id.to_string(), "group_name": "Servers"}], "has_more": true})
    );
    let next = app
        .get(&format!("/v2/automations?starting_after={first}"))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(next.body["data"][0]["id"], second.as_str());
    assert_eq!(next.body["has_more"], false);

    let hooks = app
        .get("/v2/automations/webhooks")
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(hooks.status, StatusCode::OK, "{}", hooks.text);
    assert_eq!(
        hooks.body,
        json!({"data": [{"url": format!("http://127.0.0.1:8080{path}"), "automation_id": second,
            "automation_name": "Reboot", "requires_authorization_header": false,
            "parameters": ["device_ids"]}], "has_more": false})
    );
    app.get("/v2/automations")
        .send(&app)
        .await
        .error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_run_shows_its_lifecycle_and_with_include_steps_each_steps_outcome() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let (device, token) = enrolled(&app, "web-01").await;
    let response = app
        .post(
            "/api/v1/automations",
            json!({"name": "Two", "steps": [
                {"name": "First", "shell": "sh", "script": "echo 1"},
                {"name": "Second", "shell": "sh", "script": "echo 2"}]}),
        )
        .session(&session)
        .send(&app)
        .await;
    let automation = response.body["id"].as_str().unwrap().to_owned();
    let (path, _) = trigger_url(&app, &session, &automation, false).await;
    let triggered = app.post(&path, json!({})).send(&app).await;
    let run = triggered.body["runs"][0]["id"].as_str().unwrap().to_owned();
    let key = app.key("read_only").await;
    let show = |query: &'static str| {
        let path = format!("/v2/automation-runs/{run}{query}");
        let key = key.clone();
        let app = &app;
        async move { app.get(&path).key(&key).send(app).await }
    };

    let pending = show("").await;
    assert_eq!(pending.status, StatusCode::OK, "{}", pending.text);
    assert_eq!(pending.body["status"], "pending");
    assert_eq!(pending.body["device_id"], device.as_str());
    assert_eq!(pending.body["device_hostname"], "web-01");
    assert_eq!(pending.body["automation_name"], "Two");
    assert_eq!(pending.body["started_at"], json!(null));
    assert!(pending.body.get("steps").is_none());
    let steps = show("?include_steps=true").await;
    assert_eq!(
        steps.body["steps"][1],
        json!({"name": "Second", "status": "pending", "output": null})
    );

    check_in(&app, &token, "web-01").await;
    let running = show("").await;
    assert_eq!(running.body["status"], "running");
    assert!(running.body["started_at"].is_string());

    let body = json!({"status": "error", "steps": [{"name": "First", "status": "error", "output": "boom"}]});
    assert_eq!(
        report(&app, &token, &run, body).await.status,
        StatusCode::OK
    );
    let ended = show("?include_steps=true").await;
    assert_eq!(ended.body["status"], "error");
    assert!(ended.body["ended_at"].is_string());
    assert_eq!(
        ended.body["steps"],
        json!([{"name": "First", "status": "error", "output": "boom"},
               {"name": "Second", "status": "canceled", "output": null}])
    );
    show("?include_steps=maybe")
        .await
        .error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_run_of_another_organization_or_an_unknown_run_is_404() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let (_, _) = enrolled(&app, "web-01").await;
    let automation = create_automation(&app, &session, "Hello", None).await;
    let (path, _) = trigger_url(&app, &session, &automation, false).await;
    let triggered = app.post(&path, json!({})).send(&app).await;
    let run = triggered.body["runs"][0]["id"].as_str().unwrap().to_owned();
    let other = app.other_org("boss@other.test").await;
    let other_session = app.sign_in(&other.email, crate::helpers::PASSWORD).await;
    let (_, other_key) = app.create_key(&other_session, "Theirs", "read_write").await;

    app.get(&format!("/v2/automation-runs/{run}"))
        .key(&other_key)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    let key = app.key("read_write").await;
    app.get(&format!(
        "/v2/automation-runs/{}",
        plumb_core::id::RunId::new()
    ))
    .key(&key)
    .send(&app)
    .await
    .error(StatusCode::NOT_FOUND);
    let hooks = app
        .get("/v2/automations/webhooks")
        .key(&other_key)
        .send(&app)
        .await;
    assert_eq!(hooks.body["data"], json!([]));
}
