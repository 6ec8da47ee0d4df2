//! Every Level event, from every path that raises it, reaches a subscribed endpoint with
//! Level's envelope and the object exactly as `/v2` shows it (a delete: as it was).

use axum::http::StatusCode;
use plumb_core::id::{AlertId, DeviceId};
use plumb_core::store::NewAlert;
use plumb_proto::v2::Severity;
use plumb_server::offline::sweep_at;
use serde_json::{Value, json};
use time::Duration;

use super::{Receiver, create_endpoint, deliver, endpoint_for, hooks_app};
use crate::agent_protocol::{check_in, enroll, install_key};
use crate::helpers::TestApp;

/// Delivers what is due and returns the bodies that arrived since `seen`.
async fn next_bodies(app: &TestApp, receiver: &Receiver, seen: &mut usize) -> Vec<Value> {
    deliver(app).await;
    let bodies = receiver.bodies();
    let new = bodies[*seen..].to_vec();
    *seen = bodies.len();
    new
}

fn types(bodies: &[Value]) -> Vec<&str> {
    bodies
        .iter()
        .map(|body| body["event_type"].as_str().unwrap())
        .collect()
}

async fn v2(app: &TestApp, key: &str, path: &str) -> Value {
    let response = app.get(path).key(key).send(app).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

#[tokio::test]
async fn every_level_event_from_every_path_carries_the_object_as_v2_shows_it() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    endpoint_for(&app, &receiver).await;
    let key = app.key("read_write").await;
    let session = app.admin_session().await;
    let mut seen = 0;

    // /v2: a group is created, then renamed.
    let created = app
        .post("/v2/groups", json!({"name": "Paris"}))
        .key(&key)
        .send(&app)
        .await;
    let group = created.body["id"].as_str().unwrap().to_owned();
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["group_created"]);
    assert_eq!(bodies[0]["data"], created.body);
    let renamed = app
        .patch(&format!("/v2/groups/{group}"), json!({"name": "Paris HQ"}))
        .key(&key)
        .send(&app)
        .await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["group_updated"]);
    assert_eq!(bodies[0]["data"], renamed.body);

    // The agent: enrollment (with its first check-in) creates a device, online; check-ins
    // with nothing new send nothing; one that changes what /v2 shows sends an update.
    let install = install_key(&app, &session, Some(&group)).await;
    let (device, token) = enroll(&app, &install, "web-01").await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["device_created"]);
    assert_eq!(
        bodies[0]["data"],
        v2(&app, &key, &format!("/v2/devices/{device}")).await
    );
    assert_eq!(bodies[0]["data"]["group_name"], "Paris HQ");
    assert_eq!(bodies[0]["data"]["online"], true);
    check_in(&app, &token, "web-01").await;
    check_in(&app, &token, "web-01").await;
    assert!(next_bodies(&app, &receiver, &mut seen).await.is_empty());
    check_in(&app, &token, "web-02").await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["device_updated"]);
    assert_eq!(bodies[0]["data"]["hostname"], "web-02");

    // /v2: a person's edit.
    let edited = app
        .patch(
            &format!("/v2/devices/{device}"),
            json!({"notes": "Front desk"}),
        )
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["device_updated"]);
    assert_eq!(bodies[0]["data"]["notes"], "Front desk");

    // The offline sweep: the device goes offline and its alert becomes active.
    let later = app.app.state.clock.now() + Duration::hours(1);
    sweep_at(&app.app.state, later).await.unwrap();
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["device_updated", "alert_active"]);
    assert_eq!(bodies[0]["data"]["online"], false);
    let alert = bodies[1]["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(bodies[1]["data"]["device_id"], device.as_str());
    assert_eq!(
        bodies[1]["data"],
        v2(&app, &key, &format!("/v2/alerts/{alert}")).await
    );

    // A check-in resolves it and brings the device back.
    check_in(&app, &token, "web-02").await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["alert_resolved", "device_updated"]);
    assert_eq!(bodies[0]["data"]["is_resolved"], true);
    assert_eq!(bodies[0]["data"]["device_id"], device.as_str());

    // A monitor raising an alert through the store, resolved through /v2.
    let organization_id = app.admin.organization.id;
    let raised = app
        .app
        .state
        .store
        .insert_alert(&NewAlert {
            id: AlertId::new(),
            organization_id,
            device_id: DeviceId::parse(&device).unwrap(),
            name: "Disk almost full".to_owned(),
            description: "/ is 95 % full".to_owned(),
            payload: None,
            severity: Severity::Warning,
            started_at: app.app.state.clock.now(),
        })
        .await
        .unwrap();
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["alert_active"]);
    assert_eq!(bodies[0]["data"]["name"], "Disk almost full");
    app.post(&format!("/v2/alerts/{}/resolve", raised.id), json!({}))
        .key(&key)
        .send(&app)
        .await;
    app.post(&format!("/v2/alerts/{}/resolve", raised.id), json!({}))
        .key(&key)
        .send(&app)
        .await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(
        types(&bodies),
        ["alert_resolved"],
        "resolving twice sends one event"
    );

    // /v2: deleting carries the objects as they were.
    let before = v2(&app, &key, &format!("/v2/devices/{device}")).await;
    app.delete(&format!("/v2/devices/{device}"))
        .key(&key)
        .send(&app)
        .await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["device_deleted"]);
    assert_eq!(bodies[0]["data"], before);
    let before = v2(&app, &key, &format!("/v2/groups/{group}")).await;
    app.delete(&format!("/v2/groups/{group}"))
        .key(&key)
        .send(&app)
        .await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["group_deleted"]);
    assert_eq!(bodies[0]["data"]["id"], before["id"]);
    assert_eq!(bodies[0]["data"]["name"], "Paris HQ");

    // Every body is Level's envelope, each event with its own id.
    let all = receiver.bodies();
    let mut ids: Vec<&str> = all
        .iter()
        .map(|b| b["event_id"].as_str().unwrap())
        .collect();
    for body in &all {
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 4, "{body}");
        assert!(body["occurred_at"].as_str().unwrap().ends_with('Z'));
    }
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count);
}

#[tokio::test]
async fn moving_devices_into_a_group_and_deleting_it_sends_their_updates() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let key = app.key("read_write").await;
    let organization_id = app.admin.organization.id;
    let device = app.device(organization_id, None, "db-01").await;
    let group = app
        .post("/v2/groups", json!({"name": "Lyon"}))
        .key(&key)
        .send(&app)
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    endpoint_for(&app, &receiver).await;
    let mut seen = 0;
    app.post(
        &format!("/v2/groups/{group}/devices"),
        json!({"device_ids": [device]}),
    )
    .key(&key)
    .send(&app)
    .await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["device_updated"]);
    assert_eq!(bodies[0]["data"]["group_id"], group.as_str());
    app.delete(&format!("/v2/groups/{group}"))
        .key(&key)
        .send(&app)
        .await;
    let bodies = next_bodies(&app, &receiver, &mut seen).await;
    assert_eq!(types(&bodies), ["group_deleted", "device_updated"]);
    assert_eq!(bodies[1]["data"]["group_id"], Value::Null);
}

#[tokio::test]
async fn a_subset_subscription_and_a_severity_filter_receive_only_their_events() {
    let app = hooks_app().await;
    let groups_only = Receiver::start().await;
    let critical_alerts = Receiver::start().await;
    let disabled = Receiver::start().await;
    let session = app.admin_session().await;
    create_endpoint(
        &app,
        &session,
        json!({"url": groups_only.url, "event_types": ["group_created", "group_deleted"]}),
    )
    .await;
    create_endpoint(
        &app,
        &session,
        json!({"url": critical_alerts.url, "event_types": ["alert_active"],
               "alert_severities": ["critical", "emergency"]}),
    )
    .await;
    create_endpoint(
        &app,
        &session,
        json!({"url": disabled.url, "enabled": false}),
    )
    .await;
    let key = app.key("read_write").await;
    let group = app
        .post("/v2/groups", json!({"name": "Nice"}))
        .key(&key)
        .send(&app)
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.patch(&format!("/v2/groups/{group}"), json!({"name": "Nice 2"}))
        .key(&key)
        .send(&app)
        .await;
    let device = app.device(app.admin.organization.id, None, "pos-01").await;
    for severity in [Severity::Warning, Severity::Critical] {
        app.app
            .state
            .store
            .insert_alert(&NewAlert {
                id: AlertId::new(),
                organization_id: app.admin.organization.id,
                device_id: DeviceId::parse(&device).unwrap(),
                name: format!("{severity:?}"),
                description: String::new(),
                payload: None,
                severity,
                started_at: app.app.state.clock.now(),
            })
            .await
            .unwrap();
    }
    deliver(&app).await;

    let group_types: Vec<Value> = groups_only
        .bodies()
        .iter()
        .map(|b| b["event_type"].clone())
        .collect();
    assert_eq!(group_types, [json!("group_created")]);
    let alerts = critical_alerts.bodies();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0]["data"]["severity"], "critical");
    assert!(disabled.received().is_empty());
}

#[tokio::test]
async fn a_change_that_rolls_back_sends_nothing() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    endpoint_for(&app, &receiver).await;
    let key = app.key("read_write").await;
    app.post("/v2/groups", json!({"name": "Twice"}))
        .key(&key)
        .send(&app)
        .await;
    // The same name again breaks the sibling rule inside the transaction.
    let refused = app
        .post("/v2/groups", json!({"name": "Twice"}))
        .key(&key)
        .send(&app)
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.text);
    deliver(&app).await;
    assert_eq!(receiver.bodies().len(), 1);
}

#[tokio::test]
async fn security_events_reach_their_subscribers_and_never_carry_a_secret() {
    let app = hooks_app().await;
    let siem = Receiver::start().await;
    let level_only = Receiver::start().await;
    let everything = Receiver::start().await;
    let session = app.admin_session().await;
    create_endpoint(
        &app,
        &session,
        json!({"url": siem.url, "event_types": ["api_key_created", "api_key_revealed", "api_key_deleted", "sign_in_failed"]}),
    )
    .await;
    create_endpoint(
        &app,
        &session,
        json!({"url": level_only.url, "event_types": super::LEVEL_EVENTS}),
    )
    .await;
    create_endpoint(&app, &session, json!({"url": everything.url})).await;

    let (id, key) = app.create_key(&session, "SIEM test", "read_only").await;
    let revealed = app
        .post(&format!("/api/v1/api-keys/{id}/reveal"), json!({}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(revealed.status, StatusCode::OK, "{}", revealed.text);
    let failed = app
        .post(
            "/api/v1/session",
            json!({"email": crate::helpers::ADMIN_EMAIL, "password": "not the password"}),
        )
        .send(&app)
        .await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    app.delete(&format!("/api/v1/api-keys/{id}"))
        .session(&session)
        .send(&app)
        .await;
    deliver(&app).await;

    assert_eq!(
        types(&siem.bodies()),
        [
            "api_key_created",
            "api_key_revealed",
            "sign_in_failed",
            "api_key_deleted"
        ]
    );
    let created = &siem.bodies()[0];
    assert_eq!(created["data"]["action"], "api_key.created");
    assert_eq!(created["data"]["target_id"], id.as_str());
    assert_eq!(
        created["data"]["actor"]["email"],
        crate::helpers::ADMIN_EMAIL
    );
    for request in siem.received().iter().chain(everything.received().iter()) {
        assert!(
            !request.body.contains(&key),
            "a key value in {}",
            request.body
        );
        assert!(!request.body.contains("not the password"));
    }
    assert!(level_only.received().is_empty());
    assert_eq!(
        everything.received().len(),
        4,
        "all events include plumb's own"
    );
}
