//! Automations end to end: `/api/v1/automations` (with their webhook triggers), the `/v2`
//! reads, and the trigger. The helpers here are shared with the agent protocol tests.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

mod managing;
mod run_now;
mod triggering;
mod v2_reads;
mod validation;
mod webhooks;

/// One step that says hello.
pub fn hello_step() -> Value {
    json!({"name": "Say hello", "shell": "sh", "script": "echo hello"})
}

/// Creates an automation through the API with one step; returns its id.
pub async fn create_automation(
    app: &TestApp,
    session: &Session,
    name: &str,
    group_id: Option<&str>,
) -> String {
    let response = app
        .post(
            "/api/v1/automations",
            json!({"name": name, "group_id": group_id, "steps": [hello_step()]}),
        )
        .session(session)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body["id"].as_str().unwrap().to_owned()
}

/// Adds a webhook trigger; returns the path of its URL (from `/v2/`) and the required
/// `Authorization` value, if any.
pub async fn trigger_url(
    app: &TestApp,
    session: &Session,
    automation_id: &str,
    require_authorization: bool,
) -> (String, Option<String>) {
    let response = app
        .post(
            &format!("/api/v1/automations/{automation_id}/webhooks"),
            json!({"require_authorization": require_authorization}),
        )
        .session(session)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let url = response.body["url"].as_str().unwrap();
    let path = &url[url.find("/v2/").unwrap()..];
    (
        path.to_owned(),
        response.body["authorization"].as_str().map(str::to_owned),
    )
}
