//! The web UI's changes, made through `/api/v1` with a session (the Groups page, the device
//! page's Edit, the Devices list's bulk Move and Delete, the Alerts page's Resolve), raise the
//! same events as `/v2`, with the objects as `/v2` shows them.

use axum::http::StatusCode;
use plumb_core::id::{AlertId, DeviceId};
use plumb_core::store::NewAlert;
use plumb_proto::v2::Severity;
use serde_json::{Value, json};

use super::{Receiver, deliver, endpoint_for, hooks_app};
use crate::helpers::{Session, TestApp};

/// Delivers what is due and returns the event types and bodies that arrived since `seen`.
async fn arrived(
    app: &TestApp,
    receiver: &Receiver,
    seen: &mut usize,
) -> (Vec<String>, Vec<Value>) {
    deliver(app).await;
    let bodies = receiver.bodies()[*seen..].to_vec();
    *seen += bodies.len();
    let types = bodies
        .iter()
        .map(|body| body["event_type"].as_str().unwrap().to_owned())
        .collect();
    (types, bodies)
}

/// Sends a session request and checks its status; returns its body.
async fn send(
    app: &TestApp,
    session: &Session,
    method: &str,
    path: &str,
    body: Value,
    expected: StatusCode,
) -> Value {
    let request = match method {
        "POST" => app.post(path, body),
        "PATCH" => app.patch(path, body),
        "DELETE" => app.delete(path),
        other => panic!("no {other} here"),
    };
    let response = request.session(session).send(app).await;
    assert_eq!(
        response.status, expected,
        "{method} {path}: {}",
        response.text
    );
    response.body
}

async fn v2(app: &TestApp, key: &str, path: &str) -> Value {
    let response = app.get(path).key(key).send(app).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

#[tokio::test]
async fn groups_changed_in_the_web_ui_send_their_events() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    endpoint_for(&app, &receiver).await;
    let session = app.admin_session().await;
    let key = app.key("read_only").await;
    let mut seen = 0;

    let parent = send(
        &app,
        &session,
        "POST",
        "/api/v1/groups",
        json!({"name": "Europe"}),
        StatusCode::CREATED,
    )
    .await;
    let parent_id = parent["id"].as_str().unwrap().to_owned();
    let child = send(
        &app,
        &session,
        "POST",
        "/api/v1/groups",
        json!({"name": "Paris"}),
        StatusCode::CREATED,
    )
    .await;
    let child_id = child["id"].as_str().unwrap().to_owned();
    let (types, bodies) = arrived(&app, &receiver, &mut seen).await;
    assert_eq!(types, ["group_created", "group_created"]);
    assert_eq!(bodies[0]["data"], parent);
    assert_eq!(bodies[1]["data"], child);

    // Renamed and moved under the other one in the Edit dialog.
    let path = format!("/api/v1/groups/{child_id}");
    let edit = json!({"name": "Paris HQ", "parent_id": parent_id});
    let edited = send(&app, &session, "PATCH", &path, edit, StatusCode::OK).await;
    let (types, bodies) = arrived(&app, &receiver, &mut seen).await;
    assert_eq!(types, ["group_updated"]);
    assert_eq!(bodies[0]["data"], edited);
    assert_eq!(bodies[0]["data"]["parent_id"], parent_id.as_str());

    // Deleting the parent moves the child up: its own update follows the delete.
    let before = v2(&app, &key, &format!("/v2/groups/{parent_id}")).await;
    let path = format!("/api/v1/groups/{parent_id}");
    send(
        &app,
        &session,
        "DELETE",
        &path,
        Value::Null,
        StatusCode::NO_CONTENT,
    )
    .await;
    let (types, bodies) = arrived(&app, &receiver, &mut seen).await;
    assert_eq!(types, ["group_deleted", "group_updated"]);
    assert_eq!(bodies[0]["data"]["id"], before["id"]);
    assert_eq!(bodies[0]["data"]["name"], "Europe");
    assert_eq!(bodies[1]["data"]["id"], child_id.as_str());
    assert_eq!(bodies[1]["data"]["parent_id"], Value::Null);
}

#[tokio::test]
async fn devices_edited_moved_and_deleted_in_the_web_ui_send_their_events() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    let session = app.admin_session().await;
    let key = app.key("read_only").await;
    let organization_id = app.admin.organization.id;
    let lyon = json!({"name": "Lyon"});
    let group = send(
        &app,
        &session,
        "POST",
        "/api/v1/groups",
        lyon,
        StatusCode::CREATED,
    )
    .await;
    let group = group["id"].as_str().unwrap().to_owned();
    let first = app.device(organization_id, None, "pos-01").await;
    let second = app.device(organization_id, None, "pos-02").await;
    endpoint_for(&app, &receiver).await;
    let mut seen = 0;

    // The device page's Edit.
    let path = format!("/api/v1/devices/{first}");
    let edit = json!({"nickname": "Till 1", "notes": "By the door"});
    send(&app, &session, "PATCH", &path, edit, StatusCode::NO_CONTENT).await;
    let (types, bodies) = arrived(&app, &receiver, &mut seen).await;
    assert_eq!(types, ["device_updated"]);
    assert_eq!(
        bodies[0]["data"],
        v2(&app, &key, &format!("/v2/devices/{first}")).await
    );
    assert_eq!(bodies[0]["data"]["notes"], "By the door");

    // The list's bulk Move, into a group and back out of any.
    let into = json!({"device_ids": [first, second], "group_id": group});
    send(
        &app,
        &session,
        "POST",
        "/api/v1/devices/group",
        into,
        StatusCode::NO_CONTENT,
    )
    .await;
    let (types, bodies) = arrived(&app, &receiver, &mut seen).await;
    assert_eq!(types, ["device_updated", "device_updated"]);
    let mut moved: Vec<&str> = bodies
        .iter()
        .map(|b| b["data"]["id"].as_str().unwrap())
        .collect();
    moved.sort_unstable();
    let mut expected = [first.as_str(), second.as_str()];
    expected.sort_unstable();
    assert_eq!(moved, expected);
    assert!(
        bodies
            .iter()
            .all(|b| b["data"]["group_id"] == group.as_str())
    );
    let out = json!({"device_ids": [second], "group_id": null});
    send(
        &app,
        &session,
        "POST",
        "/api/v1/devices/group",
        out,
        StatusCode::NO_CONTENT,
    )
    .await;
    let (types, bodies) = arrived(&app, &receiver, &mut seen).await;
    assert_eq!(types, ["device_updated"]);
    assert_eq!(bodies[0]["data"]["id"], second.as_str());
    assert_eq!(bodies[0]["data"]["group_id"], Value::Null);

    // Tagging (bulk Tag) sends nothing, as documented.
    let tag = send(
        &app,
        &session,
        "POST",
        "/api/v1/tags",
        json!({"name": "VIP"}),
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/v1/tags/{}/devices", tag["id"].as_str().unwrap());
    let tagged = app
        .post(&path, json!({"device_ids": [first]}))
        .session(&session)
        .send(&app)
        .await;
    assert!(tagged.status.is_success(), "{}", tagged.text);
    assert!(arrived(&app, &receiver, &mut seen).await.0.is_empty());

    // The list's bulk Delete (one request per device): each carries the device as it was.
    let mut before = Vec::new();
    for device in [&first, &second] {
        before.push(v2(&app, &key, &format!("/v2/devices/{device}")).await);
        let path = format!("/api/v1/devices/{device}");
        send(
            &app,
            &session,
            "DELETE",
            &path,
            Value::Null,
            StatusCode::NO_CONTENT,
        )
        .await;
    }
    let (types, bodies) = arrived(&app, &receiver, &mut seen).await;
    assert_eq!(types, ["device_deleted", "device_deleted"]);
    assert_eq!(bodies[0]["data"], before[0]);
    assert_eq!(bodies[1]["data"], before[1]);
}

#[tokio::test]
async fn an_alert_resolved_in_the_web_ui_sends_alert_resolved_once() {
    let app = hooks_app().await;
    let receiver = Receiver::start().await;
    endpoint_for(&app, &receiver).await;
    let session = app.admin_session().await;
    let organization_id = app.admin.organization.id;
    let device = app.device(organization_id, None, "nas-01").await;
    let alert = app
        .app
        .state
        .store
        .insert_alert(&NewAlert {
            id: AlertId::new(),
            organization_id,
            device_id: DeviceId::parse(&device).unwrap(),
            name: "RAID degraded".to_owned(),
            description: "disk 2 missing".to_owned(),
            payload: None,
            severity: Severity::Critical,
            started_at: app.app.state.clock.now(),
        })
        .await
        .unwrap();
    let mut seen = 0;
    assert_eq!(
        arrived(&app, &receiver, &mut seen).await.0,
        ["alert_active"]
    );

    let path = format!("/api/v1/alerts/{}/resolve", alert.id);
    let resolved = send(&app, &session, "POST", &path, json!({}), StatusCode::OK).await;
    send(&app, &session, "POST", &path, json!({}), StatusCode::OK).await;
    let (types, bodies) = arrived(&app, &receiver, &mut seen).await;
    assert_eq!(types, ["alert_resolved"], "resolving twice sends one event");
    assert_eq!(bodies[0]["data"], resolved);
    assert_eq!(bodies[0]["data"]["device_id"], device.as_str());
    assert_eq!(bodies[0]["data"]["is_resolved"], true);
}
