//! `GET /api/v1/devices/{id}`: one device with its whole inventory.

use axum::http::StatusCode;
use serde_json::Value;

use super::{enrolled, inventory};
use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn a_device_is_shown_with_its_whole_inventory_and_available_updates() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let id = enrolled(
        &app,
        org,
        None,
        &inventory("ws-ada", "Debian GNU/Linux 12 (bookworm)"),
    )
    .await;

    let response = app
        .get(&format!("/api/v1/devices/{id}"))
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let device = &response.body;
    assert_eq!(device["id"], id.to_string());
    assert_eq!(device["hostname"], "ws-ada");
    assert_eq!(device["online"], true);
    assert_eq!(device["public_ip_address"], "203.0.113.7");
    let inventory = &device["inventory"];
    assert_eq!(
        inventory["operating_system"]["full_operating_system"],
        "Debian GNU/Linux 12 (bookworm)"
    );
    assert_eq!(
        inventory["cpus"][0]["model"],
        "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz"
    );
    assert_eq!(inventory["memory"][0]["memory_type"], "DDR4");
    assert_eq!(inventory["disks"][0]["model"], "Samsung SSD 980 PRO 1TB");
    assert_eq!(inventory["disk_partitions"][0]["mount_point"], "/");
    assert_eq!(
        inventory["network_interfaces"][0]["ip_addresses"][0],
        "192.168.1.20/24"
    );
    assert_eq!(inventory["motherboard"]["bios_version"], "1.21.0");
    assert_eq!(inventory["last_logged_in_user"], "alice");
    assert_eq!(inventory["last_reboot_time"], "2026-11-20T07:15:00.000Z");
    let updates = device["updates_available"].as_array().unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["name"], "openssl");
    assert_eq!(updates[0]["category"], "security");
}

#[tokio::test]
async fn a_device_that_never_reported_shows_a_null_inventory() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let id = app
        .device(app.admin.organization.id, None, "just-enrolled")
        .await;

    let response = app
        .get(&format!("/api/v1/devices/{id}"))
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(response.body["inventory"], Value::Null);
    assert_eq!(response.body["updates_available"], serde_json::json!([]));
    assert_eq!(response.body["last_seen_at"], Value::Null);
}

#[tokio::test]
async fn unknown_malformed_and_other_organizations_device_ids_are_not_found() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let other = app.other_org("boss@other.test").await;
    let theirs = enrolled(
        &app,
        other.organization.id,
        None,
        &inventory("theirs", "Debian 12"),
    )
    .await;
    let unknown = plumb_core::id::DeviceId::new();

    for id in [theirs.to_string(), unknown.to_string(), "nope".to_owned()] {
        let response = app
            .get(&format!("/api/v1/devices/{id}"))
            .session(&session)
            .send(&app)
            .await;

        response.error(StatusCode::NOT_FOUND);
        assert_eq!(response.body["code"], "not_found");
    }
    // The owner still sees it: the 404 above was about the asker, not the device.
    let owner = app.sign_in(&other.email, PASSWORD).await;
    let response = app
        .get(&format!("/api/v1/devices/{theirs}"))
        .session(&owner)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK);
}
