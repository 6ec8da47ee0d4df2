//! Runs a full scenario with every log level captured and checks that no secret appears.
//!
//! This is its own test binary, with a global subscriber, so no other test runs in the process
//! and every event of every thread is captured.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_pass_by_value,
    reason = "test helpers panic on broken fixtures and take json!() values by value"
)]

#[path = "it/backend.rs"]
mod backend;
#[path = "it/helpers.rs"]
#[allow(
    dead_code,
    unused_imports,
    reason = "this binary uses part of the shared helpers"
)]
mod helpers;
#[path = "it/requests.rs"]
#[allow(dead_code, reason = "this binary uses part of the shared helpers")]
mod requests;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn no_key_password_or_session_token_ever_appears_in_the_logs() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let mut secrets = vec![PASSWORD.to_owned()];

    // A full scenario: sign in, create, use, edit, reveal, regenerate, delete, fail.
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    secrets.push(session.cookie.split('=').nth(1).unwrap().to_owned());
    secrets.push(session.csrf.clone());
    let (id, key) = app
        .create_key(&session, "Logged scenario", "read_write")
        .await;
    secrets.push(key.clone());
    app.post("/v2/groups", json!({"name": "Clients"}))
        .key(&key)
        .send(&app)
        .await;
    app.get("/v2/groups")
        .header("authorization", &format!("Bearer {key}"))
        .send(&app)
        .await;
    app.patch(
        &format!("/api/v1/api-keys/{id}"),
        json!({"access": "read_only"}),
    )
    .session(&session)
    .send(&app)
    .await;
    app.post("/v2/groups", json!({"name": "Refused"}))
        .key(&key)
        .send(&app)
        .await;
    app.post(&format!("/api/v1/api-keys/{id}/reveal"), json!({}))
        .session(&session)
        .send(&app)
        .await;
    let regenerated = app
        .post(&format!("/api/v1/api-keys/{id}/regenerate"), json!({}))
        .session(&session)
        .send(&app)
        .await;
    let new_key = regenerated.body["key"].as_str().unwrap().to_owned();
    secrets.push(new_key.clone());
    app.get("/v2/groups").key(&key).send(&app).await;
    app.get("/v2/groups").key(&new_key).send(&app).await;
    app.flush_usage().await;
    app.delete(&format!("/api/v1/api-keys/{id}"))
        .session(&session)
        .send(&app)
        .await;
    app.post(
        "/api/v1/session",
        json!({"email": ADMIN_EMAIL, "password": "a wrong password"}),
    )
    .send(&app)
    .await;
    secrets.push("a wrong password".to_owned());
    let created = app
        .post(
            "/api/v1/users",
            json!({"email": "t@acme.test", "name": "T", "role": "technician"}),
        )
        .session(&session)
        .send(&app)
        .await;
    let link_token = created.body["set_password_url"]
        .as_str()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_owned();
    app.get(&format!("/set-password?token={link_token}"))
        .send(&app)
        .await;
    secrets.push(link_token);

    secrets.extend(agent_scenario(&app, &session).await);

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("created api key"),
        "the capture must have seen the scenario's logs"
    );
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret leaked into the logs: {}…",
            &secret[..6]
        );
    }
    // Credential values have a recognisable shape: none may appear at all.
    for prefix in ["plumb_", "plumbi_", "plumbd_", "plumbw_"] {
        assert!(
            !logs
                .split(prefix)
                .skip(1)
                .any(|rest| rest.len() >= 38
                    && rest[..38].chars().all(|c| c.is_ascii_alphanumeric())),
            "a {prefix} credential leaked into the logs"
        );
    }
}

/// Install key, enrollment, check-ins (good and bad), an automation trigger that needs an
/// `Authorization` value (right and wrong), and a run report; returns the secrets it used.
async fn agent_scenario(app: &TestApp, session: &helpers::Session) -> Vec<String> {
    let created = app
        .post("/api/v1/install-keys", json!({}))
        .session(session)
        .send(app)
        .await;
    let install_key = created.body["key"].as_str().unwrap().to_owned();
    let inventory = serde_json::to_value(plumb_proto::inventory::Inventory {
        hostname: "logged-host".to_owned(),
        ..Default::default()
    })
    .unwrap();
    let enrolled = app
        .post(
            "/agent/v1/enroll",
            json!({"install_key": install_key, "inventory": inventory}),
        )
        .send(app)
        .await;
    let device_token = enrolled.body["device_token"].as_str().unwrap().to_owned();
    let automation = app
        .post(
            "/api/v1/automations",
            json!({"name": "Logged", "steps": [{"name": "s", "shell": "sh", "script": "true"}]}),
        )
        .session(session)
        .send(app)
        .await;
    let automation_id = automation.body["id"].as_str().unwrap();
    let trigger = app
        .post(
            &format!("/api/v1/automations/{automation_id}/webhooks"),
            json!({"require_authorization": true}),
        )
        .session(session)
        .send(app)
        .await;
    let url = trigger.body["url"].as_str().unwrap();
    let path = url[url.find("/v2/").unwrap()..].to_owned();
    let webhook_token = path.rsplit('/').next().unwrap().to_owned();
    let authorization = trigger.body["authorization"].as_str().unwrap().to_owned();
    app.post(&path, json!({}))
        .header("authorization", "wrong")
        .send(app)
        .await;
    app.post(&path, json!({}))
        .header("authorization", &authorization)
        .send(app)
        .await;
    let checkin = json!({"inventory": inventory, "checkin_interval_seconds": 60});
    let claimed = app
        .post("/agent/v1/checkin", checkin.clone())
        .header("authorization", &format!("Bearer {device_token}"))
        .send(app)
        .await;
    let run_id = claimed.body["runs"][0]["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/agent/v1/runs/{run_id}"),
        json!({"status": "success", "steps": [{"name": "s", "status": "success", "output": ""}]}),
    )
    .header("authorization", &format!("Bearer {device_token}"))
    .send(app)
    .await;
    let wrong_token = format!("{}x", &device_token[..device_token.len() - 1]);
    app.post("/agent/v1/checkin", checkin)
        .header("authorization", &format!("Bearer {wrong_token}"))
        .send(app)
        .await;
    app.post(
        "/agent/v1/enroll",
        json!({"install_key": format!("{install_key}0"), "inventory": inventory}),
    )
    .send(app)
    .await;
    vec![
        install_key,
        device_token,
        webhook_token,
        authorization,
        wrong_token,
    ]
}
