//! Digest check-ins (docs/agent-protocol.md, "Digests"): an agent whose inventory did not change
//! sends only its digests; the server records that the device is alive, or answers "send full"
//! when it does not hold that inventory. Agents that send no digest check in as before.

use axum::http::StatusCode;
use plumb_core::id::DeviceId;
use plumb_core::store::{CheckIn, DeviceRecord};
use plumb_proto::agent::{CheckinRequest, InventoryDigests};
use plumb_proto::inventory::Inventory;
use serde_json::{Value, json};

use super::enrolled;
use crate::fixtures::{package, windows_server};
use crate::helpers::{TestApp, TestResponse};

/// Sends a check-in body with `token`.
pub async fn send(app: &TestApp, token: &str, body: Value) -> TestResponse {
    app.post("/agent/v1/checkin", body)
        .header("authorization", &format!("Bearer {token}"))
        .send(app)
        .await
}

/// A full check-in with the inventory's digests, as `plumb-agent` sends it.
pub fn full(inventory: &Inventory) -> Value {
    serde_json::to_value(CheckinRequest::full(inventory.clone(), 60)).unwrap()
}

/// A digest check-in naming `inventory`.
pub fn digest(inventory: &Inventory) -> Value {
    serde_json::to_value(CheckinRequest::digest(&InventoryDigests::of(inventory), 60)).unwrap()
}

/// A device enrolled and checked in once in full with a Windows server's inventory.
async fn checked_in(app: &TestApp) -> (DeviceId, String, Inventory) {
    let (id, token) = enrolled(app, "srv-01").await;
    let inventory = windows_server("srv-01");
    let first = send(app, &token, full(&inventory)).await;
    assert_eq!(first.body, json!({"runs": []}), "{}", first.text);
    (DeviceId::parse(&id).unwrap(), token, inventory)
}

async fn device(app: &TestApp, id: DeviceId) -> DeviceRecord {
    let org = app.admin.organization.id;
    app.app.state.store.device(org, id).await.unwrap()
}

#[tokio::test]
async fn an_unchanged_inventory_checks_in_with_its_digests_alone_and_only_last_seen_moves() {
    let app = TestApp::new().await;
    let (id, token, inventory) = checked_in(&app).await;
    let before = device(&app, id).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let response = send(&app, &token, digest(&inventory)).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(response.body, json!({"runs": []}));
    let after = device(&app, id).await;
    assert!(after.last_seen_at > before.last_seen_at);
    assert!(after.online);
    assert_eq!(after.inventory, before.inventory);
    assert_eq!(after.inventory.as_deref(), Some(&inventory));
    assert_eq!(after.hostname, before.hostname);
}

#[tokio::test]
async fn a_digest_the_server_does_not_hold_is_answered_send_full_and_records_nothing() {
    let app = TestApp::new().await;
    let (id, token, inventory) = checked_in(&app).await;
    let before = device(&app, id).await;
    let mut changed = inventory.clone();
    changed.last_logged_in_user = Some("ACME\\grace".to_owned());

    let response = send(&app, &token, digest(&changed)).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(response.body, json!({"runs": [], "send_full": true}));
    let after = device(&app, id).await;
    assert_eq!(after.last_seen_at, before.last_seen_at);
    assert_eq!(after.inventory.as_deref(), Some(&inventory));
}

#[tokio::test]
async fn a_device_whose_stored_inventory_has_no_digests_is_asked_for_it_in_full_once() {
    // A database restored from before digests, or written by a tool that does not know them.
    let app = TestApp::new().await;
    let (id, token, inventory) = checked_in(&app).await;
    let org = app.admin.organization.id;
    let now = app.app.state.clock.now();
    let restored = CheckIn {
        device_id: id,
        hostname: inventory.hostname.clone(),
        serial_number: inventory.serial_number.clone(),
        inventory: serde_json::to_string(&inventory).unwrap(),
        public_ip_address: None,
        updates: vec![],
        seen_at: now,
        offline_after: now + time::Duration::minutes(3),
        digests: None,
    };
    app.app
        .state
        .store
        .record_checkin(org, &restored)
        .await
        .unwrap();

    let asked = send(&app, &token, digest(&inventory)).await;
    assert_eq!(asked.body, json!({"runs": [], "send_full": true}));
    let again = send(&app, &token, full(&inventory)).await;
    assert_eq!(again.body, json!({"runs": []}));
    let settled = send(&app, &token, digest(&inventory)).await;
    assert_eq!(settled.body, json!({"runs": []}));
    let updates = app
        .get(&format!("/v2/updates?device_id={id}"))
        .key(&app.key("read_only").await)
        .send(&app)
        .await;
    assert_eq!(updates.body["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_agent_that_sends_no_digest_checks_in_as_before_and_digests_work_after_it() {
    let app = TestApp::new().await;
    let (id, token) = enrolled(&app, "srv-01").await;
    let inventory = windows_server("srv-01");

    let old_agent = send(
        &app,
        &token,
        json!({"inventory": inventory, "checkin_interval_seconds": 60}),
    )
    .await;

    assert_eq!(old_agent.body, json!({"runs": []}), "{}", old_agent.text);
    let recorded = device(&app, DeviceId::parse(&id).unwrap()).await;
    assert_eq!(recorded.inventory.as_deref(), Some(&inventory));
    let upgraded = send(&app, &token, digest(&inventory)).await;
    assert_eq!(upgraded.body, json!({"runs": []}));
}

#[tokio::test]
async fn a_check_in_without_inventory_or_with_a_malformed_digest_is_refused_and_records_nothing() {
    let app = TestApp::new().await;
    let (id, token, inventory) = checked_in(&app).await;
    let before = device(&app, id).await;
    let digests = InventoryDigests::of(&inventory);
    let upper = digests.inventory_digest.to_uppercase();
    for body in [
        json!({"checkin_interval_seconds": 60}),
        json!({"inventory_digest": digests.inventory_digest, "checkin_interval_seconds": 60}),
        json!({"inventory_digest": upper, "updates_digest": digests.updates_digest,
               "checkin_interval_seconds": 60}),
        json!({"inventory_digest": "abc", "updates_digest": digests.updates_digest,
               "checkin_interval_seconds": 60}),
        json!({"inventory_digest": digests.inventory_digest,
               "updates_digest": digests.updates_digest, "checkin_interval_seconds": 1}),
    ] {
        let response = send(&app, &token, body.clone()).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(response.body["error"].is_string(), "{}", response.text);
    }
    assert_eq!(device(&app, id).await.last_seen_at, before.last_seen_at);
}

/// One change per entry: a name for the failure message, the change, and a text `/v2` shows
/// after it (in the device with every part included, or in its updates).
type Change = (&'static str, fn(&mut Inventory), &'static str);

const CHANGES: &[Change] = &[
    (
        "hostname",
        |i| i.hostname = "srv-01-renamed".into(),
        "srv-01-renamed",
    ),
    (
        "serial number",
        |i| i.serial_number = Some("SRV-9999".into()),
        "SRV-9999",
    ),
    (
        "operating system",
        |i| i.operating_system.minor_version = Some("20349".into()),
        "20349",
    ),
    (
        "memory size",
        |i| i.total_memory = Some(68_719_476_736),
        "68719476736",
    ),
    (
        "cpu",
        |i| i.cpus[0].model = Some("Intel Xeon Gold 6330".into()),
        "Xeon Gold 6330",
    ),
    (
        "memory module",
        |i| i.memory[0].part_number = Some("M393-NEW".into()),
        "M393-NEW",
    ),
    (
        "disk",
        |i| i.disks[0].model = Some("PERC H965".into()),
        "PERC H965",
    ),
    (
        "partition",
        |i| i.disk_partitions[0].free_space = Some(123_456_789),
        "123456789",
    ),
    (
        "network interface",
        |i| i.network_interfaces[0].gateway = Some("10.9.9.1".into()),
        "10.9.9.1",
    ),
    (
        "motherboard",
        |i| i.motherboard.as_mut().unwrap().bios_version = Some("2.0.1".into()),
        "2.0.1",
    ),
    (
        "logged-in user",
        |i| i.last_logged_in_user = Some("ACME\\grace".into()),
        "grace",
    ),
    (
        "private address",
        |i| i.private_ip_addresses.push("10.0.0.77".into()),
        "10.0.0.77",
    ),
    (
        "update version",
        |i| i.updates[0].version = Some("9.9.9".into()),
        "9.9.9",
    ),
    (
        "new update",
        |i| i.updates.push(package("curl 8.11", "Security", true)),
        "curl 8.11",
    ),
];

#[tokio::test]
async fn every_inventory_field_changed_alone_is_never_taken_as_unchanged_and_reaches_v2() {
    let app = TestApp::new().await;
    let (id, token, original) = checked_in(&app).await;
    let key = app.key("read_only").await;
    let device_path = format!(
        "/v2/devices/{id}?include_operating_system=true&include_cpus=true&include_memory=true\
         &include_disks=true&include_disk_partitions=true&include_network_interfaces=true\
         &include_motherboard=true"
    );
    let updates_path = format!("/v2/updates?device_id={id}&limit=100");
    for (name, change, shown) in CHANGES {
        let mut changed = original.clone();
        change(&mut changed);

        let refused = send(&app, &token, digest(&changed)).await;
        let recorded = send(&app, &token, full(&changed)).await;
        let settled = send(&app, &token, digest(&changed)).await;

        assert_eq!(refused.body["send_full"], true, "{name}: {}", refused.text);
        assert_eq!(recorded.body, json!({"runs": []}), "{name}");
        assert_eq!(settled.body, json!({"runs": []}), "{name}");
        let shown_device = app.get(&device_path).key(&key).send(&app).await;
        let shown_updates = app.get(&updates_path).key(&key).send(&app).await;
        assert!(
            shown_device.text.contains(shown) || shown_updates.text.contains(shown),
            "{name}: {shown} not in /v2: {} {}",
            shown_device.text,
            shown_updates.text
        );
        // Back to the original, which must be recorded again too.
        assert_eq!(
            send(&app, &token, digest(&original)).await.body["send_full"],
            true
        );
        send(&app, &token, full(&original)).await;
        let back = app.get(&device_path).key(&key).send(&app).await;
        let back_updates = app.get(&updates_path).key(&key).send(&app).await;
        assert!(
            !back.text.contains(shown) && !back_updates.text.contains(shown),
            "{name}: {shown} still in /v2 after the original came back"
        );
    }
}
