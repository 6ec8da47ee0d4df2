//! The agent protocol, `/agent/v1`, end to end: enrollment with install keys, check-ins with
//! the device token, and run reports. The helpers here are shared with the automation tests.

use axum::http::StatusCode;
use plumb_proto::inventory::{Inventory, PackageUpdate};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, TestResponse};

mod checkin;
mod digest_effects;
pub mod digests;
mod enroll;
mod runs;

/// A small inventory: a hostname, a serial number and one available update.
pub fn inventory(hostname: &str) -> Value {
    serde_json::to_value(Inventory {
        hostname: hostname.to_owned(),
        serial_number: Some(format!("SN-{hostname}")),
        updates: vec![PackageUpdate {
            name: "openssl".to_owned(),
            version: Some("3.0.15".to_owned()),
            is_available: true,
            ..PackageUpdate::default()
        }],
        ..Inventory::default()
    })
    .unwrap()
}

/// Creates an install key through the API (for `group_id`, if given); returns its value.
pub async fn install_key(app: &TestApp, session: &Session, group_id: Option<&str>) -> String {
    let response = app
        .post("/api/v1/install-keys", json!({ "group_id": group_id }))
        .session(session)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body["key"].as_str().unwrap().to_owned()
}

/// Enrolls a device with `key`; returns (device id, device token).
pub async fn enroll(app: &TestApp, key: &str, hostname: &str) -> (String, String) {
    let response = app
        .post(
            "/agent/v1/enroll",
            json!({"install_key": key, "inventory": inventory(hostname)}),
        )
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    (
        response.body["device_id"].as_str().unwrap().to_owned(),
        response.body["device_token"].as_str().unwrap().to_owned(),
    )
}

/// A fresh install key of the administrator's organization and one device enrolled with it.
pub async fn enrolled(app: &TestApp, hostname: &str) -> (String, String) {
    let session = app.admin_session().await;
    let key = install_key(app, &session, None).await;
    enroll(app, &key, hostname).await
}

/// Checks in with `token` at a 60-second interval.
pub async fn check_in(app: &TestApp, token: &str, hostname: &str) -> TestResponse {
    app.post(
        "/agent/v1/checkin",
        json!({"inventory": inventory(hostname), "checkin_interval_seconds": 60}),
    )
    .header("authorization", &format!("Bearer {token}"))
    .send(app)
    .await
}

/// Reports a run's outcome with `token`.
pub async fn report(app: &TestApp, token: &str, run_id: &str, body: Value) -> TestResponse {
    app.post(&format!("/agent/v1/runs/{run_id}"), body)
        .header("authorization", &format!("Bearer {token}"))
        .send(app)
        .await
}
