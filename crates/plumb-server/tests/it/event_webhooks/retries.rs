//! Delivery under a manual clock: any 2xx acknowledges; a 500, a timeout or a redirect (never
//! followed) is a failed attempt, retried on Level's schedule (3 attempts, about 2 minutes
//! apart plus 1–60 s); a re-run sends the same event again; a refused target fails visibly.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use plumb_core::clock::{Clock, ManualClock};
use plumb_core::id::EndpointId;
use plumb_core::store::EndpointRecord;
use serde_json::json;
use time::Duration;
use time::macros::datetime;

use super::{Receiver, Reply, deliver, deliveries, endpoint_for, hooks_app_with_clock};
use crate::helpers::TestApp;

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(datetime!(2026-12-01 09:00 UTC)))
}

async fn one_group(app: &TestApp) {
    let key = app.key("read_write").await;
    app.post("/v2/groups", json!({"name": "Retried"}))
        .key(&key)
        .send(app)
        .await;
}

#[tokio::test]
async fn a_failing_endpoint_gets_three_attempts_about_two_minutes_apart_then_none() {
    let clock = clock();
    let app = hooks_app_with_clock(clock.clone()).await;
    let receiver = Receiver::start().await;
    let id = endpoint_for(&app, &receiver).await;
    receiver.reply([Reply::Status(500), Reply::Status(503), Reply::Status(500)]);
    one_group(&app).await;

    assert_eq!(deliver(&app).await, 1);
    assert_eq!(deliver(&app).await, 0, "not due again at once");
    clock.advance(Duration::seconds(120));
    assert_eq!(deliver(&app).await, 0, "the jitter adds at least a second");
    clock.advance(Duration::seconds(61));
    assert_eq!(deliver(&app).await, 1);
    clock.advance(Duration::seconds(181));
    assert_eq!(deliver(&app).await, 1);
    clock.advance(Duration::hours(1));
    assert_eq!(deliver(&app).await, 0, "three attempts in all");

    let bodies = receiver.received();
    assert_eq!(bodies.len(), 3);
    assert!(bodies.iter().all(|request| request.body == bodies[0].body));
    let session = app.admin_session().await;
    let log = deliveries(&app, &session, &id).await;
    let statuses: Vec<_> = log.iter().map(|entry| entry["status"].clone()).collect();
    assert_eq!(statuses, [json!(500), json!(503), json!(500)]);
    assert!(log.iter().all(|entry| entry["delivery_state"] == "failed"));
    assert!(log.iter().all(|entry| entry["ok"] == false));
    assert_eq!(log[0]["request_body"], bodies[0].body.as_str());
    assert_eq!(log[0]["response"], "nope");
}

#[tokio::test]
async fn a_timeout_fails_the_attempt_and_the_retry_delivers() {
    let clock = clock();
    let app = hooks_app_with_clock(clock.clone()).await;
    let receiver = Receiver::start().await;
    let id = endpoint_for(&app, &receiver).await;
    receiver.reply([Reply::Sleep(StdDuration::from_secs(3))]);
    one_group(&app).await;

    deliver(&app).await;
    clock.advance(Duration::seconds(181));
    deliver(&app).await;

    let session = app.admin_session().await;
    let log = deliveries(&app, &session, &id).await;
    assert_eq!(log.len(), 2);
    assert_eq!(log[1]["status"], json!(null));
    assert_eq!(log[1]["response"], "timed out");
    assert!(log[1]["duration_ms"].as_u64().unwrap() < 2900);
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[0]["delivery_state"], "delivered");
    let received = receiver.received();
    assert_eq!(
        received[0].json()["event_id"],
        received[1].json()["event_id"]
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_counts_as_a_failure() {
    let clock = clock();
    let app = hooks_app_with_clock(clock.clone()).await;
    let receiver = Receiver::start().await;
    let id = endpoint_for(&app, &receiver).await;
    receiver.reply([Reply::Redirect]);
    one_group(&app).await;
    deliver(&app).await;

    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "/hook");
    let session = app.admin_session().await;
    let log = deliveries(&app, &session, &id).await;
    assert_eq!(log[0]["status"], 302);
    assert_eq!(log[0]["delivery_state"], "pending");
}

#[tokio::test]
async fn a_rerun_of_a_failed_delivery_sends_the_same_event_again() {
    let clock = clock();
    let app = hooks_app_with_clock(clock.clone()).await;
    let receiver = Receiver::start().await;
    let id = endpoint_for(&app, &receiver).await;
    receiver.reply([Reply::Status(500), Reply::Status(500), Reply::Status(500)]);
    one_group(&app).await;
    for _ in 0..3 {
        deliver(&app).await;
        clock.advance(Duration::seconds(181));
    }
    let session = app.admin_session().await;
    let log = deliveries(&app, &session, &id).await;
    assert_eq!(log[0]["delivery_state"], "failed");

    let rerun = app
        .post(
            &format!(
                "/api/v1/webhooks/{id}/deliveries/{}/rerun",
                log[0]["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(rerun.status, 202, "{}", rerun.text);
    assert_eq!(deliver(&app).await, 1);

    let received = receiver.received();
    assert_eq!(received.len(), 4);
    assert_eq!(
        received[3].body, received[0].body,
        "same event_id, same bytes"
    );
    let log = deliveries(&app, &session, &id).await;
    assert_eq!(log.len(), 4);
    assert_eq!(log[0]["delivery_state"], "delivered");
    let activity = app
        .get("/api/v1/activity")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(activity.body["data"][0]["action"], "event_webhook.rerun");
}

#[tokio::test]
async fn a_test_event_reaches_only_that_endpoint() {
    let app = hooks_app_with_clock(clock()).await;
    let receiver = Receiver::start().await;
    let other = Receiver::start().await;
    let id = endpoint_for(&app, &receiver).await;
    endpoint_for(&app, &other).await;
    let session = app.admin_session().await;
    let queued = app
        .post(&format!("/api/v1/webhooks/{id}/test"), json!({}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(queued.status, 202, "{}", queued.text);
    deliver(&app).await;
    let bodies = receiver.bodies();
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["event_type"], "test");
    assert_eq!(bodies[0]["event_id"], queued.body["event_id"]);
    assert_eq!(bodies[0]["data"]["id"], id.as_str());
    assert!(other.received().is_empty());
}

#[tokio::test]
async fn a_private_target_is_refused_at_delivery_and_the_failure_is_logged() {
    let clock = clock();
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let app = TestApp::with_clock(dyn_clock, |config| {
        config.webhooks.poll_milliseconds = 60_000;
    })
    .await;
    let receiver = Receiver::start().await;
    // Saved before the rules changed (through the store, as the API refuses it now).
    let id = EndpointId::new();
    let now = clock.now();
    let url = receiver.url.replace("http://", "https://");
    let record = EndpointRecord {
        id,
        organization_id: app.admin.organization.id,
        url,
        description: String::new(),
        sealed_secret: Vec::new(),
        event_types: None,
        severities: None,
        enabled: true,
        created_at: now,
        updated_at: now,
    };
    let entry = plumb_core::activity::Actor::anonymous(app.admin.organization.id, None).record(
        "event_webhook.created",
        ("event_webhook", None),
        json!({}),
        now,
    );
    app.app
        .state
        .store
        .insert_endpoint(&record, &entry)
        .await
        .unwrap();
    one_group(&app).await;
    deliver(&app).await;

    assert!(receiver.received().is_empty());
    let session = app.admin_session().await;
    let log = deliveries(&app, &session, &id.to_string()).await;
    assert_eq!(log[0]["status"], json!(null));
    assert!(
        log[0]["response"].as_str().unwrap().contains("private"),
        "{}",
        log[0]["response"]
    );
}
