//! Statements counted, not hoped for: each hot `/v2` route sends a pinned number of statements
//! to the store. A change that adds a query to one of them fails here, long before a load run
//! would notice. The key check and a cached group are answered from memory.

use axum::http::StatusCode;
use plumb_core::id::{GroupId, OrganizationId};
use plumb_proto::v2::Severity;
use serde_json::{Value, json};

use crate::fixtures::windows_server;
use crate::helpers::TestApp;

/// An organization with a group, a tag, a custom field, an alert and `devices` devices (the
/// first one checked in with a full inventory and its updates, tagged and valued).
struct Fleet {
    app: TestApp,
    key: String,
    group: String,
    device: String,
    tag: String,
    field: String,
    alert: String,
    update: String,
}

impl Fleet {
    async fn new(devices: usize) -> Self {
        let app = TestApp::new().await;
        let key = app.key("read_write").await;
        let org: OrganizationId = app.admin.organization.id;
        let group = created(&app, &key, "/v2/groups", json!({"name": "Clients"})).await;
        let group_id = Some(GroupId::parse(&group).unwrap());
        let device = app.device(org, group_id, "srv-000").await;
        app.checkin(org, &device, &windows_server("srv-000")).await;
        for n in 1..devices {
            app.device(org, group_id, &format!("srv-{n:03}")).await;
        }
        let tag = created(&app, &key, "/v2/tags", json!({"name": "Servers"})).await;
        let tagged = app
            .post(
                &format!("/v2/tags/{tag}/devices"),
                json!({"device_ids": [device]}),
            )
            .key(&key)
            .send(&app)
            .await;
        assert!(tagged.status.is_success(), "{}", tagged.text);
        let field = created(&app, &key, "/v2/custom_fields", json!({"name": "Region"})).await;
        let valued = app
            .patch(
                "/v2/custom_field_values",
                json!({"custom_field_id": field, "assigned_to_id": group, "value": "EU"}),
            )
            .key(&key)
            .send(&app)
            .await;
        assert!(valued.status.is_success(), "{}", valued.text);
        let alert = app
            .alert(org, &device, "Disk almost full", Severity::Warning)
            .await;
        let updates = app.get("/v2/updates").key(&key).send(&app).await;
        let update = updates.body["data"][0]["id"].as_str().unwrap().to_owned();
        Fleet {
            app,
            key,
            group,
            device,
            tag,
            field,
            alert,
            update,
        }
    }

    /// The statements `GET path` sends once the caches are warm. On PostgreSQL a write's
    /// notification comes back to its own node a moment later (p99 3 ms, docs/performance.md)
    /// and clears the group cache once more, so the caches are warmed again after a pause.
    async fn warm_get(&self, path: &str) -> u64 {
        for _ in 0..2 {
            let warming = self.app.get(path).key(&self.key).send(&self.app).await;
            assert_eq!(warming.status, StatusCode::OK, "{path}: {}", warming.text);
            tokio::time::sleep(FEED_SETTLES).await;
        }
        let (response, statements) = self
            .app
            .get(path)
            .key(&self.key)
            .send_counting(&self.app)
            .await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.text);
        statements
    }
}

/// Long enough for the change feed to bring a write's notification back to its own node.
const FEED_SETTLES: std::time::Duration = std::time::Duration::from_millis(50);

async fn created(app: &TestApp, key: &str, path: &str, body: Value) -> String {
    let response = app.post(path, body).key(key).send(app).await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "{path}: {}",
        response.text
    );
    response.body["id"].as_str().unwrap().to_owned()
}

/// Counts each route and returns `(route, counted, pinned)` for those that differ.
async fn off_pin(fleet: &Fleet, pinned: &[(String, u64)]) -> Vec<(String, u64, u64)> {
    let mut off = Vec::new();
    for (path, expected) in pinned {
        let counted = fleet.warm_get(path).await;
        if counted != *expected {
            off.push((path.clone(), counted, *expected));
        }
    }
    off
}

#[tokio::test]
async fn a_cached_group_show_sends_no_statement_at_all_key_check_included() {
    let fleet = Fleet::new(3).await;

    let statements = fleet.warm_get(&format!("/v2/groups/{}", fleet.group)).await;

    assert_eq!(statements, 0);
}

#[tokio::test]
async fn a_request_refused_after_a_cached_key_check_sends_no_statement() {
    let fleet = Fleet::new(1).await;
    fleet.warm_get("/v2/tags").await;

    let (response, statements) = fleet
        .app
        .get("/v2/devices/not-a-device-id")
        .key(&fleet.key)
        .send_counting(&fleet.app)
        .await;

    response.error(StatusCode::NOT_FOUND);
    assert_eq!(statements, 0);
}

#[tokio::test]
async fn a_group_changed_is_read_once_and_then_shown_from_memory_again() {
    let fleet = Fleet::new(1).await;
    let path = format!("/v2/groups/{}", fleet.group);
    fleet.warm_get(&path).await;
    let renamed = fleet
        .app
        .patch(&path, json!({"name": "Customers"}))
        .key(&fleet.key)
        .send(&fleet.app)
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);

    let (first, first_statements) = fleet
        .app
        .get(&path)
        .key(&fleet.key)
        .send_counting(&fleet.app)
        .await;
    let settled_statements = fleet.warm_get(&path).await;

    assert_eq!(first.body["name"], "Customers");
    assert_eq!((first_statements, settled_statements), (1, 0));
}

#[tokio::test]
async fn every_show_route_sends_one_statement_whatever_it_includes() {
    let fleet = Fleet::new(3).await;
    let device = format!("/v2/devices/{}", fleet.device);
    let pinned = [
        (device.clone(), 1),
        (format!("{device}?{EVERY_INCLUDE}"), 1),
        (format!("/v2/tags/{}", fleet.tag), 1),
        (format!("/v2/custom_fields/{}", fleet.field), 1),
        (format!("/v2/alerts/{}", fleet.alert), 1),
        (format!("/v2/updates/{}", fleet.update), 1),
    ];

    assert_eq!(off_pin(&fleet, &pinned).await, []);
}

#[tokio::test]
async fn a_device_page_sends_one_statement_for_one_device_or_a_hundred() {
    let fleet = Fleet::new(120).await;
    let pinned = [
        ("/v2/devices?limit=1".to_owned(), 1),
        ("/v2/devices?limit=100".to_owned(), 1),
        (format!("/v2/devices?limit=1&{EVERY_INCLUDE}"), 1),
        (format!("/v2/devices?limit=100&{EVERY_INCLUDE}"), 1),
        (format!("/v2/devices?limit=100&group_id={}", fleet.group), 1),
    ];

    assert_eq!(off_pin(&fleet, &pinned).await, []);
}

#[tokio::test]
async fn every_list_route_sends_a_pinned_number_of_statements() {
    let fleet = Fleet::new(3).await;
    let pinned = [
        ("/v2/groups".to_owned(), 1),
        ("/v2/tags".to_owned(), 1),
        ("/v2/custom_fields".to_owned(), 1),
        ("/v2/alerts?limit=100".to_owned(), 1),
        ("/v2/updates?limit=100".to_owned(), 1),
        ("/v2/activities".to_owned(), 1),
        ("/v2/automations".to_owned(), 1),
        // The values that apply to the organization: resolve the target, then the page.
        ("/v2/custom_field_values".to_owned(), 2),
    ];

    assert_eq!(off_pin(&fleet, &pinned).await, []);
}

const EVERY_INCLUDE: &str =
    "include_operating_system=true&include_tags=true&include_custom_fields=true";
