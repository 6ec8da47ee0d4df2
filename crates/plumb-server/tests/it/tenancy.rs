//! Tenant isolation, walked over the route table: for every API-key route with `{id}` in its
//! path, another organization's real object answers 404 exactly like a missing one, and the
//! object does not change. A route without a fixture here fails the test, so new routes are
//! covered as they are added. Ids passed in bodies and query strings are checked below it.

use axum::http::{Method, StatusCode};
use plumb_core::id::{AutomationId, DeviceId, GroupId, OrganizationId};
use plumb_proto::v2::Severity;
use plumb_server::routes::{Guard, table};
use serde_json::{Value, json};

use crate::fixtures::windows_server;
use crate::helpers::{PASSWORD, RequestBuilder, TestApp};

/// The other organization's objects, one of each kind.
struct Theirs {
    key: String,
    group: String,
    device: String,
    tag: String,
    field: String,
    alert: String,
    update: String,
    run: String,
}

impl Theirs {
    async fn create(app: &TestApp) -> Self {
        let (org, key) = app.other_org_key().await;
        let post = |path: &str, body: Value| app.post(path, body).key(&key).send(app);
        let group = post("/v2/groups", json!({"name": "Their group"}))
            .await
            .body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let device = app
            .device(org, Some(GroupId::parse(&group).unwrap()), "their-pc")
            .await;
        app.checkin(org, &device, &windows_server("their-pc")).await;
        let tag = post("/v2/tags", json!({"name": "Their tag"})).await.body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        post(
            &format!("/v2/tags/{tag}/devices"),
            json!({"device_ids": [device]}),
        )
        .await;
        let field = post("/v2/custom_fields", json!({"name": "Their field"}))
            .await
            .body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        app.patch(
            "/v2/custom_field_values",
            json!({"custom_field_id": field, "assigned_to_id": device, "value": "theirs"}),
        )
        .key(&key)
        .send(app)
        .await;
        let alert = app
            .alert(org, &device, "Their alert", Severity::Critical)
            .await;
        let updates = app
            .get(&format!("/v2/updates?device_id={device}"))
            .key(&key)
            .send(app)
            .await;
        let update = updates.body["data"][0]["id"].as_str().unwrap().to_owned();
        let run = automation_run(app, org, &device).await;
        Self {
            key,
            group,
            device,
            tag,
            field,
            alert,
            update,
            run,
        }
    }

    /// Everything the other organization can see of its objects, to prove nothing changed.
    async fn snapshot(&self, app: &TestApp) -> Vec<Value> {
        let mut seen = Vec::new();
        for path in [
            format!("/v2/groups/{}", self.group),
            format!("/v2/devices/{}?include_security=true", self.device),
            format!("/v2/tags/{}", self.tag),
            format!("/v2/custom_fields/{}", self.field),
            format!("/v2/custom_field_values?assigned_to_id={}", self.device),
            format!("/v2/alerts/{}", self.alert),
            format!("/v2/updates/{}", self.update),
            format!("/v2/automation-runs/{}?include_steps=true", self.run),
        ] {
            let response = app.get(&path).key(&self.key).send(app).await;
            assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.text);
            seen.push(response.body);
        }
        seen
    }

    /// The foreign id and a valid body for a route, or `None` when the route has no fixture.
    fn fixture(&self, method: &Method, path: &str, ours: &str) -> Option<(String, Value)> {
        let rename = json!({"name": "hijacked"});
        let devices = json!({"device_ids": [ours]});
        // Reads and plain deletes take no body; writes get a valid one, so that only the
        // foreign id can make them fail.
        let plain = *method == Method::GET || (*method == Method::DELETE && path.ends_with("{id}"));
        let pick = |id: &str, write: Value| {
            let body = if plain { json!({}) } else { write };
            Some((id.to_owned(), body))
        };
        match path {
            "/v2/groups/{id}" => pick(&self.group, rename),
            "/v2/groups/{id}/devices" => pick(&self.group, devices),
            "/v2/devices/{id}" => pick(&self.device, rename),
            "/v2/tags/{id}" => pick(&self.tag, rename),
            "/v2/tags/{id}/devices" => pick(&self.tag, devices),
            "/v2/custom_fields/{id}" => pick(&self.field, rename),
            "/v2/alerts/{id}" | "/v2/alerts/{id}/resolve" => pick(&self.alert, json!({})),
            "/v2/updates/{id}" => pick(&self.update, json!({})),
            "/v2/automation-runs/{id}" => pick(&self.run, json!({})),
            _ => None,
        }
    }
}

/// A run of an automation of the other organization on its device (created through its
/// administrator's `/api/v1` session, started through the store as a trigger starts it).
async fn automation_run(app: &TestApp, org: OrganizationId, device: &str) -> String {
    let session = app.sign_in("boss@other.test", PASSWORD).await;
    let step = json!({"name": "Hello", "shell": "sh", "script": "echo hi"});
    let created = app
        .post(
            "/api/v1/automations",
            json!({"name": "Their automation", "steps": [step]}),
        )
        .session(&session)
        .send(app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let automation = AutomationId::parse(created.body["id"].as_str().unwrap()).unwrap();
    let device = DeviceId::parse(device).unwrap();
    let runs = app
        .app
        .state
        .store
        .start_runs(
            org,
            automation,
            Some(&[device]),
            app.app.state.clock.now(),
            None,
        )
        .await
        .unwrap();
    runs[0].id.to_string()
}

#[tokio::test]
async fn another_organizations_object_is_a_404_on_every_id_route_and_stays_unchanged() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let ours = app.device(app.admin.organization.id, None, "our-pc").await;
    let theirs = Theirs::create(&app).await;
    let before = theirs.snapshot(&app).await;
    let mut missing = Vec::new();
    let mut checked = 0;

    for route in table() {
        if route.guard != Guard::ApiKey || !route.path.contains("{id}") {
            continue;
        }
        let Some((id, body)) = theirs.fixture(&route.method, &route.path, &ours) else {
            missing.push(format!("{} {}", route.method, route.path));
            continue;
        };
        let path = route.path.replace("{id}", &id);
        let response = RequestBuilder::new(route.method.clone(), &path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{} {}: {}",
            route.method,
            route.path,
            response.text
        );
        assert_eq!(
            response.body["code"], "not_found",
            "{} {}",
            route.method, route.path
        );
        assert_eq!(
            theirs.snapshot(&app).await,
            before,
            "{} {} changed it",
            route.method,
            route.path
        );
        checked += 1;
    }

    assert!(
        missing.is_empty(),
        "no tenancy fixture for these routes; add one in tests/it/tenancy.rs: {missing:?}"
    );
    assert!(checked >= 20, "only {checked} routes checked");
}

#[tokio::test]
async fn ids_of_another_organization_in_bodies_and_queries_are_not_found_or_match_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let ours = app.device(app.admin.organization.id, None, "our-pc").await;
    let our_tag = app
        .post("/v2/tags", json!({"name": "Ours"}))
        .key(&key)
        .send(&app)
        .await;
    let our_tag = our_tag.body["id"].as_str().unwrap().to_owned();
    let theirs = Theirs::create(&app).await;
    let before = theirs.snapshot(&app).await;

    let not_found = [
        app.patch(
            "/v2/custom_field_values",
            json!({"custom_field_id": theirs.field, "value": "x"}),
        ),
        app.delete("/v2/custom_field_values")
            .json(json!({"custom_field_id": theirs.field, "force": true})),
        app.get(&format!(
            "/v2/custom_field_values?assigned_to_id={}",
            theirs.device
        )),
        app.get(&format!(
            "/v2/custom_field_values?assigned_to_id={}",
            theirs.group
        )),
        app.get(&format!(
            "/v2/custom_field_values?custom_field_id={}",
            theirs.field
        )),
        app.post(
            &format!("/v2/tags/{our_tag}/devices"),
            json!({"device_ids": [theirs.device]}),
        ),
        app.patch(
            &format!("/v2/devices/{ours}"),
            json!({"group_id": theirs.group}),
        ),
    ];
    for request in not_found {
        let response = request.key(&key).send(&app).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", response.text);
    }
    let empty = [
        format!("/v2/devices?group_id={}", theirs.group),
        format!("/v2/devices?ancestor_group_id={}", theirs.group),
        format!("/v2/devices?tag_id={}", theirs.tag),
        "/v2/devices?hostname=their-pc".to_owned(),
        format!("/v2/tags?device_id={}", theirs.device),
        format!("/v2/alerts?device_id={}", theirs.device),
        format!("/v2/updates?device_id={}", theirs.device),
        "/v2/custom_fields".to_owned(),
    ];
    for path in empty {
        let response = app.get(&path).key(&key).send(&app).await;
        assert_eq!(
            response.body,
            json!({"data": [], "has_more": false}),
            "{path}"
        );
    }
    assert_eq!(theirs.snapshot(&app).await, before);
    let our_device = app
        .get(&format!("/v2/devices/{ours}"))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(our_device.body["group_id"], Value::Null);
}
