//! `/v2/alerts` (list by device and status, show, resolve) and `/v2/updates` (list by device
//! and status, show), with their fields in Level's shapes.

use axum::http::StatusCode;
use plumb_core::id::{AlertId, DeviceId, UpdateId};
use plumb_proto::v2::Severity;
use serde_json::json;

use crate::fixtures::{package, windows_server};
use crate::helpers::{TestApp, TestResponse};

async fn get(app: &TestApp, key: &str, path: &str) -> TestResponse {
    app.get(path).key(key).send(app).await
}

fn names(page: &TestResponse) -> Vec<String> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

fn refused(response: &TestResponse, status: StatusCode, code: &str) {
    response.error(status);
    assert_eq!(response.body["code"], code, "{}", response.text);
}

#[tokio::test]
async fn alerts_show_levels_fields_and_filter_by_device_and_status() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let org = app.admin.organization.id;
    let server = app.device(org, None, "srv-01").await;
    let laptop = app.device(org, None, "laptop-1").await;
    let disk = app
        .alert(org, &server, "Disk almost full", Severity::Warning)
        .await;
    app.alert(org, &laptop, "Antivirus off", Severity::Critical)
        .await;
    let cpu = app
        .alert(org, &server, "CPU hot", Severity::Emergency)
        .await;
    let resolved = app
        .post(&format!("/v2/alerts/{cpu}/resolve"), json!({}))
        .key(&key)
        .send(&app)
        .await;

    let shown = get(&app, &key, &format!("/v2/alerts/{disk}")).await;
    let all = get(&app, &key, "/v2/alerts").await;
    let of_server = get(&app, &key, &format!("/v2/alerts?device_id={server}")).await;
    let active = get(&app, &key, "/v2/alerts?status=active").await;
    let done = get(
        &app,
        &key,
        &format!("/v2/alerts?status=resolved&device_id={server}"),
    )
    .await;
    let paged = get(
        &app,
        &key,
        &format!("/v2/alerts?limit=1&starting_after={disk}"),
    )
    .await;

    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    let started = shown.body["started_at"].as_str().unwrap().to_owned();
    assert_eq!(
        shown.body,
        json!({
            "id": disk, "device_id": server, "device_hostname": "srv-01",
            "name": "Disk almost full", "description": "Disk almost full on the device",
            "payload": "{\"disk\":\"C:\"}", "severity": "warning", "is_resolved": false,
            "started_at": started, "resolved_at": null
        })
    );
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
    assert_eq!(resolved.body["is_resolved"], true);
    assert_eq!(resolved.body["severity"], "emergency");
    assert!(resolved.body["resolved_at"].is_string());
    assert_eq!(
        names(&all),
        ["Disk almost full", "Antivirus off", "CPU hot"]
    );
    assert_eq!(names(&of_server), ["Disk almost full", "CPU hot"]);
    assert_eq!(names(&active), ["Disk almost full", "Antivirus off"]);
    assert_eq!(names(&done), ["CPU hot"]);
    assert_eq!(names(&paged), ["Antivirus off"]);
    assert_eq!(paged.body["has_more"], true);
}

#[tokio::test]
async fn resolving_twice_keeps_the_first_resolution_time() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let org = app.admin.organization.id;
    let server = app.device(org, None, "srv-01").await;
    let alert = app.alert(org, &server, "Disk", Severity::Information).await;
    let path = format!("/v2/alerts/{alert}/resolve");

    let first = app.post(&path, json!({})).key(&key).send(&app).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let second = app.post(&path, json!({})).key(&key).send(&app).await;

    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(second.body["resolved_at"], first.body["resolved_at"]);
    assert_eq!(
        get(&app, &key, "/v2/alerts?status=active").await.body["data"],
        json!([])
    );
}

#[tokio::test]
async fn bad_alert_queries_are_a_400_and_unknown_alerts_a_404() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let unknown = AlertId::new().to_string();

    for query in [
        "status=open",
        "status=",
        "device_id=nope",
        "limit=500",
        "ending_before=nope",
    ] {
        refused(
            &get(&app, &key, &format!("/v2/alerts?{query}")).await,
            StatusCode::BAD_REQUEST,
            "bad_request",
        );
    }
    for id in [unknown.as_str(), "nope"] {
        refused(
            &get(&app, &key, &format!("/v2/alerts/{id}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
        let resolve = app
            .post(&format!("/v2/alerts/{id}/resolve"), json!({}))
            .key(&key)
            .send(&app)
            .await;
        refused(&resolve, StatusCode::NOT_FOUND, "not_found");
    }
    let for_unknown_device = get(
        &app,
        &key,
        &format!("/v2/alerts?device_id={}", DeviceId::new()),
    )
    .await;
    assert_eq!(
        for_unknown_device.body,
        json!({"data": [], "has_more": false})
    );
}

#[tokio::test]
async fn updates_show_levels_fields_and_filter_by_device_and_status() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let org = app.admin.organization.id;
    let server = app.device(org, None, "srv-01").await;
    let laptop = app.device(org, None, "laptop-1").await;
    app.checkin(org, &server, &windows_server("srv-01")).await;
    let mut laptop_inventory = windows_server("laptop-1");
    laptop_inventory.updates = vec![package("openssl", "security", true)];
    app.checkin(org, &laptop, &laptop_inventory).await;

    let all = get(&app, &key, "/v2/updates").await;
    let of_server = get(&app, &key, &format!("/v2/updates?device_id={server}")).await;
    let available = get(&app, &key, "/v2/updates?status=available").await;
    let installed = get(&app, &key, "/v2/updates?status=installed").await;
    let first = &of_server.body["data"][0];
    let id = first["id"].as_str().unwrap();
    let shown = get(&app, &key, &format!("/v2/updates/{id}")).await;

    let mut listed = names(&all);
    listed.sort();
    assert_eq!(listed, ["Dell driver pack", "KB5031234", "openssl"]);
    let mut server_names = names(&of_server);
    server_names.sort();
    assert_eq!(server_names, ["Dell driver pack", "KB5031234"]);
    let mut available_names = names(&available);
    available_names.sort();
    assert_eq!(available_names, ["KB5031234", "openssl"]);
    assert_eq!(names(&installed), ["Dell driver pack"]);
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert_eq!(&shown.body, first);
    let security = available.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|update| update["name"] == "KB5031234")
        .unwrap()
        .clone();
    let security_id = security["id"].as_str().unwrap();
    assert_eq!(
        security,
        json!({
            "id": security_id, "device_id": server, "device_hostname": "srv-01",
            "name": "KB5031234", "category": "Security", "version": "1.0", "size": 1_048_576,
            "kb_ids": ["KB5031234"], "is_available": true, "error": null,
            "published_on": "2026-10-10T00:00:00.000Z", "installed_on": null
        })
    );
    let driver = &installed.body["data"][0];
    assert_eq!(driver["is_available"], false);
    assert_eq!(driver["installed_on"], "2026-10-12T00:00:00.000Z");
}

#[tokio::test]
async fn bad_update_queries_are_a_400_and_unknown_updates_a_404() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let unknown = UpdateId::new().to_string();

    for query in [
        "status=pending",
        "device_id=nope",
        "limit=0",
        "starting_after=x",
    ] {
        refused(
            &get(&app, &key, &format!("/v2/updates?{query}")).await,
            StatusCode::BAD_REQUEST,
            "bad_request",
        );
    }
    for id in [unknown.as_str(), "nope"] {
        refused(
            &get(&app, &key, &format!("/v2/updates/{id}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    assert_eq!(
        get(&app, &key, "/v2/updates").await.body,
        json!({"data": [], "has_more": false})
    );
}
