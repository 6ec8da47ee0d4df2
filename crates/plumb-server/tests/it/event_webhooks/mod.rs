//! Outgoing event webhooks end to end, with a real receiver on 127.0.0.1: every event from
//! every path that raises it (`events`; the web UI's `/api/v1` writes in `api_v1`), signatures
//! checked by an independent implementation (`signatures`), retries, timeouts, redirects and
//! re-runs under a manual clock (`retries`), and the management API (`management`). The delivery worker's own loop is slowed to a
//! minute so each test delivers by hand (`Deliverer::deliver_due`) and knows what was sent when.

use std::sync::Arc;

use axum::http::StatusCode;
use plumb_core::clock::{Clock, ManualClock};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

mod api_v1;
mod digest_checkins;
mod events;
mod key_rules;
mod management;
mod measure;
mod receiver;
mod retries;
mod signatures;

pub use receiver::{Receiver, Reply};

/// An installation that may send to 127.0.0.1 and whose worker waits for the test.
pub async fn hooks_app() -> TestApp {
    TestApp::with_config(quiet_worker).await
}

/// The same with a manual clock.
pub async fn hooks_app_with_clock(clock: Arc<ManualClock>) -> TestApp {
    let clock: Arc<dyn Clock> = clock;
    TestApp::with_clock(clock, quiet_worker).await
}

fn quiet_worker(config: &mut plumb_server::config::Config) {
    config.webhooks.allow_private_targets = true;
    config.webhooks.poll_milliseconds = 60_000;
    config.webhooks.timeout_seconds = 1;
}

/// Creates an endpoint through the API; returns its JSON.
pub async fn create_endpoint(app: &TestApp, session: &Session, body: Value) -> Value {
    let response = app
        .post("/api/v1/webhooks", body)
        .session(session)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body
}

/// Level's eight events.
pub const LEVEL_EVENTS: [&str; 8] = [
    "alert_active",
    "alert_resolved",
    "device_created",
    "device_updated",
    "device_deleted",
    "group_created",
    "group_updated",
    "group_deleted",
];

/// An endpoint for Level's eight events at `receiver` (not plumb's security events, which the
/// tests' own sign-ins and keys would raise); returns its id.
pub async fn endpoint_for(app: &TestApp, receiver: &Receiver) -> String {
    let session = app.admin_session().await;
    let body = json!({ "url": receiver.url, "event_types": LEVEL_EVENTS });
    let created = create_endpoint(app, &session, body).await;
    created["id"].as_str().unwrap().to_owned()
}

/// Delivers everything due now; returns how many attempts were made.
pub async fn deliver(app: &TestApp) -> usize {
    let mut total = 0;
    loop {
        let made = app.app.deliverer().deliver_due().await.unwrap();
        total += made;
        if made == 0 {
            return total;
        }
    }
}

/// The delivery log of an endpoint, newest first.
pub async fn deliveries(app: &TestApp, session: &Session, id: &str) -> Vec<Value> {
    let response = app
        .get(&format!("/api/v1/webhooks/{id}/deliveries"))
        .session(session)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body["data"].as_array().unwrap().clone()
}
