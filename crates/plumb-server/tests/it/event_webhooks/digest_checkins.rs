//! Digest check-ins and events: a device that checks in with an unchanged inventory sends no
//! `device_updated`; one that comes back online through a digest check-in sends what a full
//! check-in sends (its alert resolved, the device updated).

use plumb_server::offline::sweep_at;
use serde_json::{Value, json};
use time::Duration;

use super::{Receiver, deliver, endpoint_for, hooks_app};
use crate::agent_protocol::digests::{digest, full, send};
use crate::agent_protocol::{enroll, install_key};
use crate::fixtures::windows_server;
use crate::helpers::TestApp;

async fn event_types(app: &TestApp, receiver: &Receiver, seen: &mut usize) -> Vec<String> {
    deliver(app).await;
    let bodies: Vec<Value> = receiver.bodies();
    let new = bodies[*seen..]
        .iter()
        .map(|body| body["event_type"].as_str().unwrap().to_owned())
        .collect();
    *seen = bodies.len();
    new
}

#[tokio::test]
async fn unchanged_digest_check_ins_send_no_event_and_a_return_online_sends_what_a_full_one_does() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    endpoint_for(&app, &receiver).await;
    let session = app.admin_session().await;
    let install = install_key(&app, &session, None).await;
    let (_, token) = enroll(&app, &install, "srv-01").await;
    let inventory = windows_server("srv-01");
    let first = send(&app, &token, full(&inventory)).await;
    assert_eq!(first.body, json!({"runs": []}), "{}", first.text);
    let mut seen = 0;
    event_types(&app, &receiver, &mut seen).await;

    for _ in 0..3 {
        let unchanged = send(&app, &token, digest(&inventory)).await;
        assert_eq!(unchanged.body, json!({"runs": []}), "{}", unchanged.text);
    }
    assert_eq!(
        event_types(&app, &receiver, &mut seen).await,
        Vec::<String>::new()
    );

    let later = app.app.state.clock.now() + Duration::hours(1);
    sweep_at(&app.app.state, later).await.unwrap();
    assert_eq!(
        event_types(&app, &receiver, &mut seen).await,
        ["device_updated", "alert_active"]
    );
    let back = send(&app, &token, digest(&inventory)).await;
    assert_eq!(back.body, json!({"runs": []}), "{}", back.text);
    assert_eq!(
        event_types(&app, &receiver, &mut seen).await,
        ["alert_resolved", "device_updated"]
    );
    let body = receiver.bodies().last().cloned().unwrap();
    assert_eq!(body["data"]["online"], true, "{body}");
}
