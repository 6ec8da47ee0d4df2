//! The management API's writes for the web UI and the CLI: groups (create, rename, move, delete
//! with `/v2`'s rules), moving devices in bulk, editing and deleting a device, tags and the
//! device list's tag filter, alerts; any signed-in person may, and every write needs the CSRF
//! token.

use axum::http::StatusCode;
use plumb_proto::v2::Severity;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Session, TestApp};

async fn post(app: &TestApp, session: &Session, path: &str, body: Value) -> Value {
    let answer = app.post(path, body).session(session).send(app).await;
    assert!(
        answer.status.is_success(),
        "{path}: {} {}",
        answer.status,
        answer.text
    );
    answer.body
}

#[tokio::test]
async fn a_technician_creates_renames_moves_and_deletes_groups_with_the_v2_rules() {
    let app = TestApp::new().await;
    app.add_user("tess@acme.test", "technician", &[]).await;
    let tess = app.sign_in("tess@acme.test", PASSWORD).await;
    let clients = post(&app, &tess, "/api/v1/groups", json!({"name": "Clients"})).await;
    let acme = post(
        &app,
        &tess,
        "/api/v1/groups",
        json!({"name": "Acme", "parent_id": clients["id"]}),
    )
    .await;
    let clients_id = clients["id"].as_str().unwrap();
    let acme_id = acme["id"].as_str().unwrap();

    let renamed = app
        .patch(
            &format!("/api/v1/groups/{acme_id}"),
            json!({"name": "Acme Corp"}),
        )
        .session(&tess)
        .send(&app)
        .await;
    let cycle = app
        .patch(
            &format!("/api/v1/groups/{clients_id}"),
            json!({"parent_id": acme_id}),
        )
        .session(&tess)
        .send(&app)
        .await;
    let to_top = app
        .patch(
            &format!("/api/v1/groups/{acme_id}"),
            json!({"parent_id": null}),
        )
        .session(&tess)
        .send(&app)
        .await;
    let device = app.device(app.admin.organization.id, None, "ws-1").await;
    post(
        &app,
        &tess,
        "/api/v1/devices/group",
        json!({"device_ids": [device], "group_id": clients_id}),
    )
    .await;
    let deleted = app
        .delete(&format!("/api/v1/groups/{clients_id}"))
        .session(&tess)
        .send(&app)
        .await;

    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Acme Corp");
    assert_eq!(
        cycle.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        cycle.text
    );
    assert_eq!(to_top.body["parent_id"], Value::Null);
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let groups = app.get("/api/v1/groups").session(&tess).send(&app).await;
    assert_eq!(
        groups.body["data"],
        json!([{"id": acme_id, "name": "Acme Corp", "parent_id": null}])
    );
    let shown = app
        .get(&format!("/api/v1/devices/{device}"))
        .session(&tess)
        .send(&app)
        .await;
    assert_eq!(
        shown.body["group_id"],
        Value::Null,
        "the device moved up to the root"
    );
}

#[tokio::test]
async fn devices_move_in_bulk_all_or_nothing_and_out_of_any_group() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let group = post(&app, &session, "/api/v1/groups", json!({"name": "Office"})).await;
    let a = app.device(org, None, "ws-a").await;
    let b = app.device(org, None, "ws-b").await;
    let missing = plumb_core::id::DeviceId::new().to_string();

    let refused = app
        .post(
            "/api/v1/devices/group",
            json!({"device_ids": [a, missing], "group_id": group["id"]}),
        )
        .session(&session)
        .send(&app)
        .await;
    let untouched = app
        .get(&format!(
            "/api/v1/devices?group_id={}",
            group["id"].as_str().unwrap()
        ))
        .session(&session)
        .send(&app)
        .await;
    post(
        &app,
        &session,
        "/api/v1/devices/group",
        json!({"device_ids": [a, b], "group_id": group["id"]}),
    )
    .await;
    let grouped = app
        .get(&format!(
            "/api/v1/devices?group_id={}",
            group["id"].as_str().unwrap()
        ))
        .session(&session)
        .send(&app)
        .await;
    post(
        &app,
        &session,
        "/api/v1/devices/group",
        json!({"device_ids": [b], "group_id": null}),
    )
    .await;
    let ungrouped = app
        .get("/api/v1/devices?group_id=null")
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.text);
    assert_eq!(untouched.body["data"], json!([]));
    assert_eq!(grouped.body["data"].as_array().unwrap().len(), 2);
    assert_eq!(ungrouped.body["data"][0]["hostname"], "ws-b");
}

#[tokio::test]
async fn a_device_is_edited_and_deleted_from_the_management_api() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let device = app.device(app.admin.organization.id, None, "ws-a").await;

    let edited = app
        .patch(
            &format!("/api/v1/devices/{device}"),
            json!({"nickname": "Reception", "notes": "Front desk"}),
        )
        .session(&session)
        .send(&app)
        .await;
    let shown = app
        .get(&format!("/api/v1/devices/{device}"))
        .session(&session)
        .send(&app)
        .await;
    let too_long = app
        .patch(
            &format!("/api/v1/devices/{device}"),
            json!({"nickname": "x".repeat(300)}),
        )
        .session(&session)
        .send(&app)
        .await;
    let deleted = app
        .delete(&format!("/api/v1/devices/{device}"))
        .session(&session)
        .send(&app)
        .await;
    let gone = app
        .get(&format!("/api/v1/devices/{device}"))
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(edited.status, StatusCode::NO_CONTENT, "{}", edited.text);
    assert_eq!(shown.body["nickname"], "Reception");
    assert_eq!(shown.body["notes"], "Front desk");
    assert!(too_long.status.is_client_error(), "{}", too_long.text);
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tags_are_created_put_on_devices_filter_the_list_and_come_off_again() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let a = app.device(org, None, "ws-a").await;
    let b = app.device(org, None, "ws-b").await;
    let tag = post(&app, &session, "/api/v1/tags", json!({"name": "VIP"})).await;
    let tag_id = tag["id"].as_str().unwrap();

    post(
        &app,
        &session,
        &format!("/api/v1/tags/{tag_id}/devices"),
        json!({"device_ids": [a, b]}),
    )
    .await;
    let again = app
        .post(
            &format!("/api/v1/tags/{tag_id}/devices"),
            json!({"device_ids": [a]}),
        )
        .session(&session)
        .send(&app)
        .await;
    let untagged = app
        .delete(&format!("/api/v1/tags/{tag_id}/devices"))
        .json(json!({"device_ids": [b]}))
        .session(&session)
        .send(&app)
        .await;
    let filtered = app
        .get(&format!("/api/v1/devices?tag_id={tag_id}"))
        .session(&session)
        .send(&app)
        .await;
    let bad = app
        .get("/api/v1/devices?tag_id=nope")
        .session(&session)
        .send(&app)
        .await;
    let tags = app.get("/api/v1/tags").session(&session).send(&app).await;
    let deleted = app
        .delete(&format!("/api/v1/tags/{tag_id}"))
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.text
    );
    assert_eq!(untagged.status, StatusCode::NO_CONTENT, "{}", untagged.text);
    let listed: Vec<_> = filtered.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["hostname"].clone())
        .collect();
    assert_eq!(listed, vec![json!("ws-a")]);
    assert_eq!(filtered.body["data"][0]["tags"], json!(["VIP"]));
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(tags.body["data"][0]["name"], "VIP");
    assert_eq!(tags.body["data"][0]["device_count"], 1);
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn alerts_are_listed_by_state_and_resolved() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "ws-a").await;
    let alert = app
        .alert(org, &device, "Disk almost full", Severity::Warning)
        .await;

    let active = app
        .get("/api/v1/alerts?status=active")
        .session(&session)
        .send(&app)
        .await;
    let resolved = app
        .post(&format!("/api/v1/alerts/{alert}/resolve"), json!({}))
        .session(&session)
        .send(&app)
        .await;
    let still_active = app
        .get("/api/v1/alerts?status=active")
        .session(&session)
        .send(&app)
        .await;
    let bad = app
        .get("/api/v1/alerts?status=open")
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(active.body["data"][0]["name"], "Disk almost full");
    assert_eq!(active.body["data"][0]["device_hostname"], "ws-a");
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
    assert_eq!(resolved.body["is_resolved"], true);
    assert_eq!(still_active.body["data"], json!([]));
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_write_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let without_csrf = app
        .post("/api/v1/groups", json!({"name": "Sneaky"}))
        .header("cookie", &session.cookie)
        .send(&app)
        .await;
    let groups = app.get("/api/v1/groups").session(&session).send(&app).await;

    assert_eq!(
        without_csrf.status,
        StatusCode::FORBIDDEN,
        "{}",
        without_csrf.text
    );
    assert_eq!(groups.body["data"], json!([]));
}
