//! What a digest check-in must not skip: the runs waiting for the device, coming back online
//! (with its offline alert resolved), and the statements it saves against a full check-in.

use plumb_core::id::DeviceId;
use plumb_core::page::{Cursor, PageRequest};
use plumb_proto::inventory::Inventory;
use plumb_server::offline::sweep_at;
use serde_json::json;
use time::Duration;

use super::digests::{digest, full, send};
use super::enrolled;
use crate::automations::create_automation;
use crate::fixtures::windows_server;
use crate::helpers::TestApp;

async fn checked_in(app: &TestApp) -> (String, String, Inventory) {
    let (id, token) = enrolled(app, "srv-01").await;
    let inventory = windows_server("srv-01");
    let first = send(app, &token, full(&inventory)).await;
    assert_eq!(first.body, json!({"runs": []}), "{}", first.text);
    (id, token, inventory)
}

#[tokio::test]
async fn a_run_started_for_a_device_is_handed_out_at_its_next_digest_check_in_once() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let (id, token, inventory) = checked_in(&app).await;
    let automation = create_automation(&app, &session, "Hello", None).await;
    let started = app
        .post(
            &format!("/api/v1/automations/{automation}/runs"),
            json!({"device_ids": [id]}),
        )
        .session(&session)
        .send(&app)
        .await;
    assert!(started.status.is_success(), "{}", started.text);

    let handed = send(&app, &token, digest(&inventory)).await;
    let after = send(&app, &token, digest(&inventory)).await;

    let runs = handed.body["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{}", handed.text);
    assert_eq!(runs[0]["automation_name"], "Hello");
    assert_eq!(runs[0]["steps"][0]["script"], "echo hello");
    assert_eq!(handed.body.get("send_full"), None);
    assert_eq!(after.body, json!({"runs": []}));
}

#[tokio::test]
async fn a_device_taken_offline_comes_back_on_a_digest_check_in_and_its_alert_resolves() {
    let app = TestApp::new().await;
    let (id, token, inventory) = checked_in(&app).await;
    let device = DeviceId::parse(&id).unwrap();
    let org = app.admin.organization.id;
    let state = &app.app.state;
    let late = sweep_at(state, state.clock.now() + Duration::minutes(10))
        .await
        .unwrap();
    assert_eq!(late.len(), 1);
    let key = app.key("read_only").await;
    let offline = app
        .get(&format!("/v2/devices/{id}"))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(offline.body["online"], false, "{}", offline.text);

    let back = send(&app, &token, digest(&inventory)).await;

    assert_eq!(back.body, json!({"runs": []}), "{}", back.text);
    let online = app
        .get(&format!("/v2/devices/{id}"))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(online.body["online"], true, "{}", online.text);
    let page = PageRequest {
        limit: 10,
        cursor: Cursor::First,
    };
    let alerts = state
        .store
        .list_alerts(org, Some(device), None, &page)
        .await
        .unwrap()
        .items;
    assert_eq!(alerts.len(), 1);
    assert!(
        alerts[0].resolved_at.is_some(),
        "the offline alert is still open"
    );
    // And it stays online past the sweep that would have caught the old check-in.
    let swept = sweep_at(state, state.clock.now() + Duration::minutes(2))
        .await
        .unwrap();
    assert!(swept.is_empty());
}

#[tokio::test]
async fn an_unchanged_check_in_sends_fewer_statements_than_a_full_one() {
    let app = TestApp::new().await;
    let (_, token, inventory) = checked_in(&app).await;
    let counted = |body| {
        app.post("/agent/v1/checkin", body)
            .header("authorization", &format!("Bearer {token}"))
            .send_counting(&app)
    };

    let (old_agent, old_statements) =
        counted(json!({"inventory": inventory, "checkin_interval_seconds": 60})).await;
    let mut changed_updates = inventory.clone();
    changed_updates.updates.pop();
    let (changed, changed_statements) = counted(full(&changed_updates)).await;
    let (unchanged, unchanged_statements) = counted(digest(&changed_updates)).await;

    assert_eq!(old_agent.body, json!({"runs": []}));
    assert_eq!(changed.body, json!({"runs": []}));
    assert_eq!(unchanged.body, json!({"runs": []}));
    // Full, same update list: token, lock, update, the device as /v2 shows it and its event
    // digest (`device_updated` decides), runs. Full, new update list: the same with the
    // updates' upsert and prune. Digest: token, update, runs.
    assert_eq!(
        (old_statements, changed_statements, unchanged_statements),
        (6, 8, 3)
    );
}
