//! Listing devices: every filter, paging, and the refusals of malformed parameters.

use axum::http::StatusCode;
use plumb_core::id::{DeviceId, GroupId, TagId};
use serde_json::json;

use super::{device, get, group, hostnames, refused};
use crate::helpers::TestApp;

#[tokio::test]
async fn group_id_lists_direct_members_and_the_literal_null_lists_ungrouped_devices() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let write = app.key("read_write").await;
    let clients = group(&app, &write, "Clients", None).await;
    let acme = group(&app, &write, "Acme", Some(&clients)).await;
    device(&app, Some(&clients), "clients-1").await;
    device(&app, Some(&acme), "acme-1").await;
    device(&app, None, "loose-1").await;
    device(&app, None, "loose-2").await;

    let direct = get(&app, &key, &format!("/v2/devices?group_id={clients}")).await;
    let ungrouped = get(&app, &key, "/v2/devices?group_id=null").await;
    let subtree = get(
        &app,
        &key,
        &format!("/v2/devices?ancestor_group_id={clients}"),
    )
    .await;
    let leaf = get(&app, &key, &format!("/v2/devices?ancestor_group_id={acme}")).await;
    let everything = get(&app, &key, "/v2/devices").await;

    assert_eq!(hostnames(&direct), ["clients-1"]);
    assert_eq!(hostnames(&ungrouped), ["loose-1", "loose-2"]);
    assert_eq!(hostnames(&subtree), ["clients-1", "acme-1"]);
    assert_eq!(hostnames(&leaf), ["acme-1"]);
    assert_eq!(
        hostnames(&everything),
        ["clients-1", "acme-1", "loose-1", "loose-2"]
    );
    assert_eq!(direct.body["data"][0]["group_id"], clients);
    assert_eq!(direct.body["data"][0]["group_name"], "Clients");
    assert_eq!(ungrouped.body["data"][0]["group_id"], json!(null));
    assert_eq!(ungrouped.body["data"][0]["group_name"], json!(null));
}

#[tokio::test]
async fn tag_id_hostname_and_serial_number_narrow_the_list_and_combine() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let org = app.admin.organization.id;
    let tagged = app.device_with_serial(org, None, "web-1", "SN-1").await;
    let twin = app.device_with_serial(org, None, "web-1", "SN-2").await;
    app.device_with_serial(org, None, "db-1", "SN-3").await;
    let tag = app
        .post("/v2/tags", json!({"name": "Production"}))
        .key(&key)
        .send(&app)
        .await;
    let tag = tag.body["id"].as_str().unwrap().to_owned();
    let tagging = app
        .post(
            &format!("/v2/tags/{tag}/devices"),
            json!({"device_ids": [tagged]}),
        )
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(tagging.status, StatusCode::OK, "{}", tagging.text);

    let by_tag = get(&app, &key, &format!("/v2/devices?tag_id={tag}")).await;
    let by_hostname = get(&app, &key, "/v2/devices?hostname=web-1").await;
    let by_serial = get(&app, &key, "/v2/devices?serial_number=SN-2").await;
    let both = get(&app, &key, "/v2/devices?hostname=web-1&serial_number=SN-3").await;
    let unknown_tag = get(&app, &key, &format!("/v2/devices?tag_id={}", TagId::new())).await;
    let partial = get(&app, &key, "/v2/devices?hostname=web").await;

    assert_eq!(by_tag.body["data"][0]["id"], tagged);
    assert_eq!(by_tag.body["data"][0]["tags"], json!(["Production"]));
    assert_eq!(hostnames(&by_tag).len(), 1);
    assert_eq!(hostnames(&by_hostname), ["web-1", "web-1"]);
    assert_eq!(by_serial.body["data"][0]["id"], twin);
    assert_eq!(by_serial.body["data"][0]["serial_number"], "SN-2");
    assert_eq!(hostnames(&both), Vec::<String>::new());
    assert_eq!(unknown_tag.body, json!({"data": [], "has_more": false}));
    assert_eq!(
        hostnames(&partial),
        Vec::<String>::new(),
        "hostname is exact"
    );
}

#[tokio::test]
async fn devices_page_by_id_forwards_backwards_and_past_a_deleted_cursor() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(device(&app, None, &format!("pc-{n}")).await);
    }

    let first = get(&app, &key, "/v2/devices?limit=3").await;
    let second = get(
        &app,
        &key,
        &format!("/v2/devices?limit=3&starting_after={}", ids[2]),
    )
    .await;
    let past_end = get(
        &app,
        &key,
        &format!("/v2/devices?limit=3&starting_after={}", ids[5]),
    )
    .await;
    let back = get(
        &app,
        &key,
        &format!("/v2/devices?limit=2&ending_before={}", ids[4]),
    )
    .await;
    let deleted = app
        .delete(&format!("/v2/devices/{}", ids[2]))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    let after_deleted = get(
        &app,
        &key,
        &format!("/v2/devices?limit=3&starting_after={}", ids[2]),
    )
    .await;
    let unknown = get(
        &app,
        &key,
        &format!("/v2/devices?starting_after={}", DeviceId::new()),
    )
    .await;

    assert_eq!(hostnames(&first), ["pc-0", "pc-1", "pc-2"]);
    assert_eq!(first.body["has_more"], true);
    assert_eq!(hostnames(&second), ["pc-3", "pc-4", "pc-5"]);
    assert_eq!(
        second.body["has_more"], false,
        "an exact multiple ends with has_more false"
    );
    assert_eq!(past_end.body, json!({"data": [], "has_more": false}));
    assert_eq!(hostnames(&back), ["pc-2", "pc-3"]);
    assert_eq!(back.body["has_more"], true);
    assert_eq!(hostnames(&after_deleted), ["pc-3", "pc-4", "pc-5"]);
    assert_eq!(unknown.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn an_organization_without_devices_lists_an_empty_page() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;

    let page = get(&app, &key, "/v2/devices").await;

    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn malformed_filters_limits_and_cursors_are_a_400_naming_the_parameter() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    device(&app, None, "pc-1").await;
    let group = GroupId::new();

    for (query, named) in [
        ("group_id=nope", "group_id"),
        ("ancestor_group_id=nope", "ancestor_group_id"),
        ("tag_id=nope", "tag_id"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("starting_after=nope", "starting_after"),
        ("ending_before=nope", "ending_before"),
        ("include_cpus=yes", "include_cpus"),
        ("include_security=2", "include_security"),
    ] {
        let response = get(&app, &key, &format!("/v2/devices?{query}")).await;
        let message = refused(&response, StatusCode::BAD_REQUEST, "bad_request");
        assert!(message.contains(named), "{query}: {message}");
    }
    let both = get(
        &app,
        &key,
        &format!("/v2/devices?starting_after={group}&ending_before={group}"),
    )
    .await;
    refused(&both, StatusCode::BAD_REQUEST, "bad_request");
}
