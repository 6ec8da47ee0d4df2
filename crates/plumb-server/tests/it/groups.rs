//! The `/v2/groups` resource end to end: create, show, list with `parent_id` and paging, update
//! with PATCH and PUT, the tree rules (sibling names, cycles), device counts, assigning and
//! removing devices, and delete handing a group's contents to its parent.

use axum::http::{Method, StatusCode};
use plumb_core::id::{DeviceId, GroupId};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, RequestBuilder, TestApp, TestResponse};

/// The fields of a group on every surface but show, in Level's spelling.
const GROUP_FIELDS: [&str; 6] = [
    "child_ids",
    "descendent_device_count",
    "device_count",
    "id",
    "name",
    "parent_id",
];

async fn create(app: &TestApp, key: &str, name: &str, parent_id: Option<&str>) -> String {
    let response = app
        .post("/v2/groups", json!({"name": name, "parent_id": parent_id}))
        .key(key)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body["id"].as_str().unwrap().to_owned()
}

/// `count` root groups named "Group 00", "Group 01", ...; their ids in creation order.
async fn create_many(app: &TestApp, key: &str, count: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(count);
    for n in 0..count {
        ids.push(create(app, key, &format!("Group {n:02}"), None).await);
    }
    ids
}

async fn show(app: &TestApp, key: &str, id: &str) -> Value {
    let response = app
        .get(&format!("/v2/groups/{id}"))
        .key(key)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

async fn list(app: &TestApp, key: &str, query: &str) -> TestResponse {
    app.get(&format!("/v2/groups{query}"))
        .key(key)
        .send(app)
        .await
}

async fn patch(app: &TestApp, key: &str, id: &str, body: Value) -> TestResponse {
    app.patch(&format!("/v2/groups/{id}"), body)
        .key(key)
        .send(app)
        .await
}

async fn assign(app: &TestApp, key: &str, id: &str, devices: &[&str]) -> TestResponse {
    app.post(
        &format!("/v2/groups/{id}/devices"),
        json!({"device_ids": devices}),
    )
    .key(key)
    .send(app)
    .await
}

async fn remove(app: &TestApp, key: &str, id: &str, devices: &[&str]) -> TestResponse {
    app.delete(&format!("/v2/groups/{id}/devices"))
        .json(json!({"device_ids": devices}))
        .key(key)
        .send(app)
        .await
}

/// A device of the administrator's organization, optionally in a group.
async fn device(app: &TestApp, group: Option<&str>, hostname: &str) -> String {
    let group = group.map(|id| GroupId::parse(id).unwrap());
    app.device(app.admin.organization.id, group, hostname).await
}

/// The ids of a page, in order.
fn ids(page: &TestResponse) -> Vec<String> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| group["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A group's `child_ids`, sorted (their order is not part of the contract).
fn children(group: &Value) -> Vec<String> {
    let mut ids: Vec<String> = group["child_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// `(device_count, descendent_device_count)`.
fn counts(group: &Value) -> (u64, u64) {
    (
        group["device_count"].as_u64().unwrap(),
        group["descendent_device_count"].as_u64().unwrap(),
    )
}

fn field_names(group: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = group
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    names
}

/// Asserts our error envelope with its stable code; returns the message.
fn refused(response: &TestResponse, status: StatusCode, code: &str) -> String {
    let message = response.error(status);
    assert_eq!(response.body["code"], code, "{}", response.text);
    message
}

#[tokio::test]
async fn creating_a_root_group_returns_201_its_location_and_exactly_the_level_fields() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app
        .post("/v2/groups", json!({"name": "Clients"}))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let id = response.body["id"].as_str().unwrap();
    assert!(GroupId::parse(id).is_some(), "{id}");
    assert_eq!(
        response.headers["location"],
        format!("/v2/groups/{id}").as_str()
    );
    assert_eq!(field_names(&response.body), GROUP_FIELDS);
    assert_eq!(
        response.body,
        json!({
            "id": id,
            "parent_id": null,
            "child_ids": [],
            "name": "Clients",
            "device_count": 0,
            "descendent_device_count": 0,
        })
    );
}

#[tokio::test]
async fn creating_a_child_group_names_its_parent_and_appears_in_the_parents_child_ids() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let parent = create(&app, &key, "Clients", None).await;

    let response = app
        .post(
            "/v2/groups",
            json!({"name": "Acme Corp", "parent_id": parent}),
        )
        .key(&key)
        .send(&app)
        .await;
    let shown_parent = show(&app, &key, &parent).await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let child = response.body["id"].as_str().unwrap();
    assert_eq!(
        response.headers["location"],
        format!("/v2/groups/{child}").as_str()
    );
    assert_eq!(field_names(&response.body), GROUP_FIELDS);
    assert_eq!(response.body["parent_id"], parent);
    assert_eq!(response.body["child_ids"], json!([]));
    assert_eq!(response.body["name"], "Acme Corp");
    assert_eq!(shown_parent["child_ids"], json!([child]));
}

#[tokio::test]
async fn a_null_parent_id_on_create_makes_a_root_group() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let response = app
        .post("/v2/groups", json!({"name": "Root", "parent_id": null}))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert_eq!(response.body["parent_id"], json!(null));
}

#[tokio::test]
async fn creating_under_an_unknown_or_malformed_parent_is_a_404_and_creates_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let unknown = GroupId::new().to_string();

    let missing = app
        .post(
            "/v2/groups",
            json!({"name": "Orphan", "parent_id": unknown}),
        )
        .key(&key)
        .send(&app)
        .await;
    let malformed = app
        .post(
            "/v2/groups",
            json!({"name": "Orphan", "parent_id": "not-an-id"}),
        )
        .key(&key)
        .send(&app)
        .await;
    let after = list(&app, &key, "").await;

    refused(&missing, StatusCode::NOT_FOUND, "not_found");
    refused(&malformed, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(after.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn a_group_is_shown_by_id_with_its_figures() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let parent = create(&app, &key, "Clients", None).await;
    let child = create(&app, &key, "Acme Corp", Some(&parent)).await;
    device(&app, Some(&child), "acme-dc01").await;

    let shown = show(&app, &key, &child).await;

    assert_eq!(shown["id"], child);
    assert_eq!(shown["parent_id"], parent);
    assert_eq!(shown["name"], "Acme Corp");
    assert_eq!(shown["child_ids"], json!([]));
    assert_eq!(counts(&shown), (1, 1));
}

#[tokio::test]
async fn the_list_is_in_creation_order_as_data_and_has_more_without_custom_fields() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let mut created = Vec::new();
    for name in ["Zulu", "Alpha", "Mike"] {
        created.push(create(&app, &key, name, None).await);
    }

    let page = list(&app, &key, "").await;

    assert_eq!(ids(&page), created);
    let mut ascending = created.clone();
    ascending.sort();
    assert_eq!(created, ascending, "ids sort in creation order");
    let names: Vec<&str> = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| group["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Zulu", "Alpha", "Mike"]);
    assert_eq!(page.body["has_more"], false);
    let mut keys: Vec<&String> = page.body.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["data", "has_more"]);
    for group in page.body["data"].as_array().unwrap() {
        assert_eq!(field_names(group), GROUP_FIELDS);
        assert!(group.get("custom_fields").is_none());
    }
}

#[tokio::test]
async fn an_organization_without_groups_gets_an_empty_page() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let page = list(&app, &key, "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn parent_id_null_lists_only_the_root_groups() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let first = create(&app, &key, "Clients", None).await;
    let child = create(&app, &key, "Acme Corp", Some(&first)).await;
    create(&app, &key, "Servers", Some(&child)).await;
    let second = create(&app, &key, "Internal", None).await;

    let roots = list(&app, &key, "?parent_id=null").await;
    let all = list(&app, &key, "").await;

    assert_eq!(ids(&roots), [first, second]);
    assert_eq!(roots.body["has_more"], false);
    assert_eq!(ids(&all).len(), 4);
}

#[tokio::test]
async fn parent_id_lists_only_that_groups_direct_children() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let acme = create(&app, &key, "Acme Corp", Some(&clients)).await;
    create(&app, &key, "Acme Servers", Some(&acme)).await;
    let globex = create(&app, &key, "Globex", Some(&clients)).await;
    create(&app, &key, "Internal", None).await;

    let children = list(&app, &key, &format!("?parent_id={clients}")).await;
    let leaf = create(&app, &key, "Empty", Some(&globex)).await;
    let none = list(&app, &key, &format!("?parent_id={leaf}")).await;

    assert_eq!(ids(&children), [acme, globex]);
    assert_eq!(children.body["has_more"], false);
    assert_eq!(none.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn a_malformed_parent_id_filter_is_a_400() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    create(&app, &key, "Clients", None).await;
    for query in ["?parent_id=nope", "?parent_id=NULL%20", "?parent_id=123"] {
        let response = list(&app, &key, query).await;
        refused(&response, StatusCode::BAD_REQUEST, "bad_request");
    }
}

#[tokio::test]
async fn the_children_of_a_group_page_with_a_cursor_too() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let parent = create(&app, &key, "Clients", None).await;
    let mut children = Vec::new();
    for n in 0..5 {
        children.push(create(&app, &key, &format!("Client {n}"), Some(&parent)).await);
        create(&app, &key, &format!("Elsewhere {n}"), None).await;
    }

    let first = list(&app, &key, &format!("?parent_id={parent}&limit=2")).await;
    let second = list(
        &app,
        &key,
        &format!("?parent_id={parent}&limit=2&starting_after={}", children[1]),
    )
    .await;
    let back = list(
        &app,
        &key,
        &format!("?parent_id={parent}&limit=2&ending_before={}", children[4]),
    )
    .await;

    assert_eq!(ids(&first), children[0..2]);
    assert_eq!(first.body["has_more"], true);
    assert_eq!(ids(&second), children[2..4]);
    assert_eq!(second.body["has_more"], true);
    assert_eq!(ids(&back), children[2..4]);
    assert_eq!(back.body["has_more"], true);
}

#[tokio::test]
async fn twenty_five_groups_come_as_twenty_then_five_by_starting_after_the_last_id() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let created = create_many(&app, &key, 25).await;

    let first = list(&app, &key, "").await;
    let last_id = ids(&first).last().unwrap().clone();
    let second = list(&app, &key, &format!("?starting_after={last_id}")).await;

    assert_eq!(ids(&first), created[..20]);
    assert_eq!(first.body["has_more"], true);
    assert_eq!(ids(&second), created[20..]);
    assert_eq!(second.body["has_more"], false);
}

#[tokio::test]
async fn a_deep_page_by_ending_before_comes_back_in_ascending_order() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let created = create_many(&app, &key, 25).await;
    let second = list(&app, &key, &format!("?starting_after={}", created[19])).await;
    let first_of_second = ids(&second)[0].clone();

    let back = list(&app, &key, &format!("?ending_before={first_of_second}")).await;
    let short = list(
        &app,
        &key,
        &format!("?ending_before={first_of_second}&limit=5"),
    )
    .await;
    let before_the_first = list(&app, &key, &format!("?ending_before={}", created[0])).await;

    assert_eq!(ids(&back), created[..20]);
    assert_eq!(
        back.body["has_more"], false,
        "exactly twenty groups lie before it"
    );
    assert_eq!(ids(&short), created[15..20]);
    assert_eq!(short.body["has_more"], true);
    assert_eq!(
        before_the_first.body,
        json!({"data": [], "has_more": false})
    );
}

#[tokio::test]
async fn an_exact_multiple_of_the_limit_ends_with_has_more_false_then_an_empty_page() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let created = create_many(&app, &key, 10).await;

    let first = list(&app, &key, "?limit=5").await;
    let second = list(
        &app,
        &key,
        &format!("?limit=5&starting_after={}", created[4]),
    )
    .await;
    let third = list(
        &app,
        &key,
        &format!("?limit=5&starting_after={}", created[9]),
    )
    .await;

    assert_eq!(ids(&first), created[..5]);
    assert_eq!(first.body["has_more"], true);
    assert_eq!(ids(&second), created[5..]);
    assert_eq!(second.body["has_more"], false);
    assert_eq!(third.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn limits_outside_one_to_a_hundred_or_not_whole_numbers_are_a_400() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    create_many(&app, &key, 2).await;

    for limit in ["0", "101", "abc", "-1", "1.5", "", "99999999999999999999"] {
        let response = list(&app, &key, &format!("?limit={limit}")).await;
        let message = refused(&response, StatusCode::BAD_REQUEST, "bad_request");
        assert!(message.contains("limit"), "{limit}: {message}");
    }
    let one = list(&app, &key, "?limit=1").await;
    let hundred = list(&app, &key, "?limit=100").await;
    assert_eq!(ids(&one).len(), 1);
    assert_eq!(one.body["has_more"], true);
    assert_eq!(ids(&hundred).len(), 2);
}

#[tokio::test]
async fn both_cursors_at_once_are_a_400() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let created = create_many(&app, &key, 3).await;
    let query = format!(
        "?starting_after={}&ending_before={}",
        created[0], created[2]
    );
    let response = list(&app, &key, &query).await;
    refused(&response, StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn a_malformed_cursor_is_a_400() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let created = create_many(&app, &key, 2).await;
    let simple = GroupId::parse(&created[0]).unwrap().0.simple().to_string();

    for query in [
        "?starting_after=nope".to_owned(),
        "?ending_before=nope".to_owned(),
        "?starting_after=".to_owned(),
        format!("?starting_after={simple}"),
        format!("?ending_before={}x", created[0]),
    ] {
        let response = list(&app, &key, &query).await;
        refused(&response, StatusCode::BAD_REQUEST, "bad_request");
    }
}

#[tokio::test]
async fn a_well_formed_cursor_of_a_deleted_group_still_pages_by_position() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let created = create_many(&app, &key, 5).await;
    let deleted = app
        .delete(&format!("/v2/groups/{}", created[2]))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);

    let after = list(&app, &key, &format!("?starting_after={}", created[2])).await;
    let before = list(&app, &key, &format!("?ending_before={}", created[2])).await;
    let never_existed = list(&app, &key, &format!("?starting_after={}", GroupId::new())).await;

    assert_eq!(ids(&after), [created[3].clone(), created[4].clone()]);
    assert_eq!(after.body["has_more"], false);
    assert_eq!(ids(&before), [created[0].clone(), created[1].clone()]);
    assert_eq!(before.body["has_more"], false);
    assert_eq!(never_existed.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn patch_renames_a_group_and_keeps_its_parent_when_parent_id_is_absent() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let parent = create(&app, &key, "Clients", None).await;
    let child = create(&app, &key, "Acme", Some(&parent)).await;

    let renamed = patch(&app, &key, &child, json!({"name": "Acme Corp"})).await;
    let shown = show(&app, &key, &child).await;

    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(field_names(&renamed.body), GROUP_FIELDS);
    assert_eq!(renamed.body["name"], "Acme Corp");
    assert_eq!(renamed.body["parent_id"], parent);
    assert_eq!(shown["name"], "Acme Corp");
    assert_eq!(shown["parent_id"], parent);
}

#[tokio::test]
async fn put_updates_a_group_like_patch() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let internal = create(&app, &key, "Internal", None).await;
    let child = create(&app, &key, "Acme", Some(&clients)).await;
    let put = |body: Value| {
        RequestBuilder::new(Method::PUT, &format!("/v2/groups/{child}"))
            .json(body)
            .key(&key)
    };

    let renamed = put(json!({"name": "Acme Corp"})).send(&app).await;
    let moved = put(json!({"parent_id": internal})).send(&app).await;
    let rooted = put(json!({"parent_id": null})).send(&app).await;

    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Acme Corp");
    assert_eq!(renamed.body["parent_id"], clients);
    assert_eq!(moved.body["name"], "Acme Corp");
    assert_eq!(moved.body["parent_id"], internal);
    assert_eq!(rooted.body["parent_id"], json!(null));
    assert_eq!(show(&app, &key, &child).await["parent_id"], json!(null));
}

#[tokio::test]
async fn moving_a_group_to_another_parent_updates_both_parents_child_ids() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let archive = create(&app, &key, "Archive", None).await;
    let acme = create(&app, &key, "Acme", Some(&clients)).await;
    let globex = create(&app, &key, "Globex", Some(&clients)).await;
    device(&app, Some(&acme), "acme-dc01").await;

    let moved = patch(&app, &key, &acme, json!({"parent_id": archive})).await;
    let old_parent = show(&app, &key, &clients).await;
    let new_parent = show(&app, &key, &archive).await;

    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.body["parent_id"], archive);
    assert_eq!(moved.body["name"], "Acme");
    assert_eq!(old_parent["child_ids"], json!([globex]));
    assert_eq!(counts(&old_parent), (0, 0));
    assert_eq!(new_parent["child_ids"], json!([acme]));
    assert_eq!(counts(&new_parent), (0, 1));
}

#[tokio::test]
async fn a_null_parent_id_makes_a_group_a_root_and_renaming_with_a_move_does_both() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let acme = create(&app, &key, "Acme", Some(&clients)).await;

    let rooted = patch(
        &app,
        &key,
        &acme,
        json!({"parent_id": null, "name": "Acme Corp"}),
    )
    .await;
    let roots = list(&app, &key, "?parent_id=null").await;
    let old_parent = show(&app, &key, &clients).await;

    assert_eq!(rooted.status, StatusCode::OK, "{}", rooted.text);
    assert_eq!(rooted.body["parent_id"], json!(null));
    assert_eq!(rooted.body["name"], "Acme Corp");
    assert_eq!(ids(&roots), [clients, acme]);
    assert_eq!(old_parent["child_ids"], json!([]));
}

#[tokio::test]
async fn an_empty_update_changes_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let acme = create(&app, &key, "Acme", Some(&clients)).await;
    let before = show(&app, &key, &acme).await;

    let response = patch(&app, &key, &acme, json!({})).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(response.body, before);
    assert_eq!(show(&app, &key, &acme).await, before);
}

#[tokio::test]
async fn renaming_to_a_siblings_name_is_a_422_and_nothing_changes() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let internal = create(&app, &key, "Internal", None).await;
    let acme = create(&app, &key, "Acme", Some(&clients)).await;
    let globex = create(&app, &key, "Globex", Some(&clients)).await;

    let child_clash = patch(&app, &key, &globex, json!({"name": "Acme"})).await;
    let padded_clash = patch(&app, &key, &globex, json!({"name": "  Acme  "})).await;
    let root_clash = patch(&app, &key, &internal, json!({"name": "Clients"})).await;
    let create_clash = app
        .post("/v2/groups", json!({"name": "Acme", "parent_id": clients}))
        .key(&key)
        .send(&app)
        .await;
    let root_create_clash = app
        .post("/v2/groups", json!({"name": "Internal"}))
        .key(&key)
        .send(&app)
        .await;

    for response in [
        &child_clash,
        &padded_clash,
        &root_clash,
        &create_clash,
        &root_create_clash,
    ] {
        refused(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    assert_eq!(show(&app, &key, &globex).await["name"], "Globex");
    assert_eq!(show(&app, &key, &internal).await["name"], "Internal");
    assert_eq!(show(&app, &key, &acme).await["name"], "Acme");
    assert_eq!(
        ids(&list(&app, &key, "").await),
        [clients, internal, acme, globex]
    );
}

#[tokio::test]
async fn the_same_name_is_allowed_under_different_parents_and_names_differing_in_case() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let archive = create(&app, &key, "Archive", None).await;

    let first = app
        .post(
            "/v2/groups",
            json!({"name": "Servers", "parent_id": clients}),
        )
        .key(&key)
        .send(&app)
        .await;
    let second = app
        .post(
            "/v2/groups",
            json!({"name": "Servers", "parent_id": archive}),
        )
        .key(&key)
        .send(&app)
        .await;
    let at_the_root = app
        .post("/v2/groups", json!({"name": "Servers"}))
        .key(&key)
        .send(&app)
        .await;
    let other_case = app
        .post("/v2/groups", json!({"name": "servers"}))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    assert_eq!(
        at_the_root.status,
        StatusCode::CREATED,
        "{}",
        at_the_root.text
    );
    assert_eq!(
        other_case.status,
        StatusCode::CREATED,
        "{}",
        other_case.text
    );
}

#[tokio::test]
async fn moving_a_group_next_to_a_sibling_of_the_same_name_is_a_422_and_it_stays() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let archive = create(&app, &key, "Archive", None).await;
    create(&app, &key, "Servers", Some(&clients)).await;
    let archived = create(&app, &key, "Servers", Some(&archive)).await;

    let response = patch(&app, &key, &archived, json!({"parent_id": clients})).await;

    refused(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(show(&app, &key, &archived).await["parent_id"], archive);
    assert_eq!(
        show(&app, &key, &clients).await["child_ids"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_group_cannot_move_under_itself_or_its_own_descendant() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let top = create(&app, &key, "Top", None).await;
    let middle = create(&app, &key, "Middle", Some(&top)).await;
    let bottom = create(&app, &key, "Bottom", Some(&middle)).await;

    let itself = patch(&app, &key, &top, json!({"parent_id": top})).await;
    let child = patch(&app, &key, &top, json!({"parent_id": middle})).await;
    let grandchild = patch(&app, &key, &top, json!({"parent_id": bottom})).await;
    let middle_under_bottom = patch(&app, &key, &middle, json!({"parent_id": bottom})).await;

    for response in [&itself, &child, &grandchild, &middle_under_bottom] {
        refused(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    assert_eq!(show(&app, &key, &top).await["parent_id"], json!(null));
    assert_eq!(show(&app, &key, &middle).await["parent_id"], top);
    assert_eq!(show(&app, &key, &bottom).await["parent_id"], middle);
    assert_eq!(show(&app, &key, &top).await["child_ids"], json!([middle]));
}

#[tokio::test]
async fn a_leaf_can_become_the_parent_of_its_former_ancestor_once_it_is_moved_out() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let top = create(&app, &key, "Top", None).await;
    let bottom = create(&app, &key, "Bottom", Some(&top)).await;

    let freed = patch(&app, &key, &bottom, json!({"parent_id": null})).await;
    let flipped = patch(&app, &key, &top, json!({"parent_id": bottom})).await;

    assert_eq!(freed.status, StatusCode::OK, "{}", freed.text);
    assert_eq!(flipped.status, StatusCode::OK, "{}", flipped.text);
    assert_eq!(show(&app, &key, &bottom).await["child_ids"], json!([top]));
    assert_eq!(show(&app, &key, &top).await["child_ids"], json!([]));
}

#[tokio::test]
async fn device_count_counts_direct_devices_and_descendent_device_count_the_whole_subtree() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let top = create(&app, &key, "Clients", None).await;
    let middle = create(&app, &key, "Acme", Some(&top)).await;
    let bottom = create(&app, &key, "Acme Servers", Some(&middle)).await;
    let sibling = create(&app, &key, "Globex", Some(&top)).await;
    let elsewhere = create(&app, &key, "Internal", None).await;
    device(&app, Some(&top), "top-1").await;
    for n in 0..2 {
        device(&app, Some(&middle), &format!("middle-{n}")).await;
    }
    for n in 0..3 {
        device(&app, Some(&bottom), &format!("bottom-{n}")).await;
    }
    device(&app, Some(&sibling), "globex-1").await;
    device(&app, Some(&elsewhere), "internal-1").await;
    device(&app, None, "ungrouped").await;

    let shown_top = show(&app, &key, &top).await;
    let shown_middle = show(&app, &key, &middle).await;
    let shown_bottom = show(&app, &key, &bottom).await;
    let page = list(&app, &key, "").await;

    assert_eq!(counts(&shown_top), (1, 7));
    assert_eq!(counts(&shown_middle), (2, 5));
    assert_eq!(counts(&shown_bottom), (3, 3));
    assert_eq!(counts(&show(&app, &key, &sibling).await), (1, 1));
    assert_eq!(counts(&show(&app, &key, &elsewhere).await), (1, 1));
    let mut expected_children = vec![middle.clone(), sibling.clone()];
    expected_children.sort();
    assert_eq!(children(&shown_top), expected_children);
    let listed: Vec<(u64, u64)> = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(counts)
        .collect();
    assert_eq!(listed, [(1, 7), (2, 5), (3, 3), (1, 1), (1, 1)]);
}

#[tokio::test]
async fn assigning_devices_returns_the_group_with_new_counts_and_takes_them_from_their_old_group() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let old = create(&app, &key, "Old", Some(&clients)).await;
    let new = create(&app, &key, "New", Some(&clients)).await;
    let moving = device(&app, Some(&old), "moving").await;
    let staying = device(&app, Some(&old), "staying").await;
    let ungrouped = device(&app, None, "ungrouped").await;

    let response = assign(&app, &key, &new, &[&moving, &ungrouped, &moving]).await;
    let old_after = show(&app, &key, &old).await;
    let parent_after = show(&app, &key, &clients).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(field_names(&response.body), GROUP_FIELDS);
    assert_eq!(response.body["id"], new);
    assert_eq!(response.body["parent_id"], clients);
    assert_eq!(counts(&response.body), (2, 2));
    assert_eq!(counts(&old_after), (1, 1));
    assert_eq!(counts(&parent_after), (0, 3));
    let back = remove(&app, &key, &old, &[&staying]).await;
    assert_eq!(
        back.status,
        StatusCode::OK,
        "the other device never left: {}",
        back.text
    );
}

#[tokio::test]
async fn assigning_a_device_already_in_the_group_keeps_it_there() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let group = create(&app, &key, "Clients", None).await;
    let member = device(&app, Some(&group), "member").await;

    let response = assign(&app, &key, &group, &[&member]).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(counts(&response.body), (1, 1));
}

#[tokio::test]
async fn assigning_with_one_unknown_device_is_a_404_naming_it_and_moves_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let old = create(&app, &key, "Old", None).await;
    let new = create(&app, &key, "New", None).await;
    let known = device(&app, Some(&old), "known").await;
    let unknown = DeviceId::new().to_string();

    let response = assign(&app, &key, &new, &[&known, &unknown]).await;
    let malformed = assign(&app, &key, &new, &[&known, "not-a-device"]).await;

    let message = refused(&response, StatusCode::NOT_FOUND, "not_found");
    assert!(message.contains(&unknown), "{message}");
    assert!(!message.contains(&known), "{message}");
    let message = refused(&malformed, StatusCode::NOT_FOUND, "not_found");
    assert!(message.contains("not-a-device"), "{message}");
    assert_eq!(counts(&show(&app, &key, &old).await), (1, 1));
    assert_eq!(counts(&show(&app, &key, &new).await), (0, 0));
}

#[tokio::test]
async fn assigning_another_organizations_device_is_a_404_and_moves_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let other = app.other_org("boss@other.test").await;
    let other_session = app.sign_in("boss@other.test", PASSWORD).await;
    let (_, other_key) = app.create_key(&other_session, "Other", "read_write").await;
    let theirs = create(&app, &other_key, "Theirs", None).await;
    let their_device = app
        .device(
            other.organization.id,
            Some(GroupId::parse(&theirs).unwrap()),
            "their-pc",
        )
        .await;
    let ours = create(&app, &key, "Ours", None).await;

    let response = assign(&app, &key, &ours, &[&their_device]).await;
    let into_theirs = assign(&app, &key, &theirs, &[&their_device]).await;

    let message = refused(&response, StatusCode::NOT_FOUND, "not_found");
    assert!(message.contains(&their_device), "{message}");
    refused(&into_theirs, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(counts(&show(&app, &key, &ours).await), (0, 0));
    assert_eq!(counts(&show(&app, &other_key, &theirs).await), (1, 1));
}

#[tokio::test]
async fn removing_devices_answers_success_and_leaves_them_ungrouped() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let clients = create(&app, &key, "Clients", None).await;
    let acme = create(&app, &key, "Acme", Some(&clients)).await;
    let leaving = device(&app, Some(&acme), "leaving").await;
    let staying = device(&app, Some(&acme), "staying").await;

    let response = remove(&app, &key, &acme, &[&leaving]).await;
    let acme_after = show(&app, &key, &acme).await;
    let clients_after = show(&app, &key, &clients).await;
    let again = remove(&app, &key, &acme, &[&leaving]).await;
    let from_parent = remove(&app, &key, &clients, &[&leaving]).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(response.body, json!({"success": true}));
    assert_eq!(counts(&acme_after), (1, 1));
    assert_eq!(counts(&clients_after), (0, 1));
    refused(
        &again,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    refused(
        &from_parent,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let rehomed = assign(&app, &key, &clients, &[&leaving, &staying]).await;
    assert_eq!(counts(&rehomed.body), (2, 2));
}

#[tokio::test]
async fn removing_a_device_that_is_not_in_the_group_is_a_422_and_nothing_changes() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let acme = create(&app, &key, "Acme", None).await;
    let globex = create(&app, &key, "Globex", None).await;
    let member = device(&app, Some(&acme), "member").await;
    let outsider = device(&app, Some(&globex), "outsider").await;
    let ungrouped = device(&app, None, "ungrouped").await;
    let unknown = DeviceId::new().to_string();

    let mixed = remove(&app, &key, &acme, &[&member, &outsider]).await;
    let loose = remove(&app, &key, &acme, &[&member, &ungrouped]).await;
    let missing = remove(&app, &key, &acme, &[&member, &unknown]).await;

    let message = refused(
        &mixed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(message.contains(&outsider), "{message}");
    let message = refused(
        &loose,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(message.contains(&ungrouped), "{message}");
    let message = refused(&missing, StatusCode::NOT_FOUND, "not_found");
    assert!(message.contains(&unknown), "{message}");
    assert_eq!(counts(&show(&app, &key, &acme).await), (1, 1));
    assert_eq!(counts(&show(&app, &key, &globex).await), (1, 1));
}

#[tokio::test]
async fn empty_device_ids_are_a_422_for_assign_and_remove() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let group = create(&app, &key, "Clients", None).await;
    device(&app, Some(&group), "member").await;

    let assigned = assign(&app, &key, &group, &[]).await;
    let removed = remove(&app, &key, &group, &[]).await;

    refused(
        &assigned,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    refused(
        &removed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(counts(&show(&app, &key, &group).await), (1, 1));
}

#[tokio::test]
async fn more_than_a_thousand_device_ids_are_a_422_and_move_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let old = create(&app, &key, "Old", None).await;
    let new = create(&app, &key, "New", None).await;
    let real = device(&app, Some(&old), "real").await;
    let mut many: Vec<String> = (0..1000).map(|_| DeviceId::new().to_string()).collect();
    many.push(real);
    let many: Vec<&str> = many.iter().map(String::as_str).collect();

    let response = assign(&app, &key, &new, &many).await;

    refused(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(counts(&show(&app, &key, &old).await), (1, 1));
    assert_eq!(counts(&show(&app, &key, &new).await), (0, 0));
}

#[tokio::test]
async fn deleting_a_group_answers_success_and_it_is_gone() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let keep = create(&app, &key, "Keep", None).await;
    let doomed = create(&app, &key, "Doomed", None).await;

    let deleted = app
        .delete(&format!("/v2/groups/{doomed}"))
        .key(&key)
        .send(&app)
        .await;
    let shown = app
        .get(&format!("/v2/groups/{doomed}"))
        .key(&key)
        .send(&app)
        .await;
    let again = app
        .delete(&format!("/v2/groups/{doomed}"))
        .key(&key)
        .send(&app)
        .await;
    let renamed = patch(&app, &key, &doomed, json!({"name": "Back"})).await;
    let page = list(&app, &key, "").await;

    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert_eq!(deleted.body, json!({"success": true}));
    refused(&shown, StatusCode::NOT_FOUND, "not_found");
    refused(&again, StatusCode::NOT_FOUND, "not_found");
    refused(&renamed, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(ids(&page), [keep]);
}

#[tokio::test]
async fn deleting_a_group_moves_its_devices_and_child_groups_to_its_parent() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let top = create(&app, &key, "Clients", None).await;
    let middle = create(&app, &key, "Acme", Some(&top)).await;
    let bottom = create(&app, &key, "Acme Servers", Some(&middle)).await;
    device(&app, Some(&top), "top").await;
    let moved_up = device(&app, Some(&middle), "middle-1").await;
    device(&app, Some(&middle), "middle-2").await;
    device(&app, Some(&bottom), "bottom").await;

    let deleted = app
        .delete(&format!("/v2/groups/{middle}"))
        .key(&key)
        .send(&app)
        .await;
    let top_after = show(&app, &key, &top).await;
    let bottom_after = show(&app, &key, &bottom).await;

    assert_eq!(deleted.body, json!({"success": true}));
    assert_eq!(bottom_after["parent_id"], top);
    assert_eq!(counts(&bottom_after), (1, 1));
    assert_eq!(top_after["child_ids"], json!([bottom]));
    assert_eq!(counts(&top_after), (3, 4));
    let removed = remove(&app, &key, &top, &[&moved_up]).await;
    assert_eq!(
        removed.status,
        StatusCode::OK,
        "the device now sits in the parent: {}",
        removed.text
    );
}

#[tokio::test]
async fn deleting_a_root_group_makes_its_children_roots_and_its_devices_ungrouped() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let root = create(&app, &key, "Clients", None).await;
    let child = create(&app, &key, "Acme", Some(&root)).await;
    let loose = device(&app, Some(&root), "loose").await;
    device(&app, Some(&child), "acme-1").await;

    let deleted = app
        .delete(&format!("/v2/groups/{root}"))
        .key(&key)
        .send(&app)
        .await;
    let roots = list(&app, &key, "?parent_id=null").await;
    let child_after = show(&app, &key, &child).await;

    assert_eq!(deleted.body, json!({"success": true}));
    assert_eq!(ids(&roots), [child.as_str()]);
    assert_eq!(child_after["parent_id"], json!(null));
    assert_eq!(counts(&child_after), (1, 1));
    let not_here = remove(&app, &key, &child, &[&loose]).await;
    refused(
        &not_here,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
}

#[tokio::test]
async fn a_child_named_like_its_deleted_parent_takes_the_parents_place() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let parent = create(&app, &key, "Acme", None).await;
    let child = create(&app, &key, "Acme", Some(&parent)).await;

    let deleted = app
        .delete(&format!("/v2/groups/{parent}"))
        .key(&key)
        .send(&app)
        .await;

    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    let shown = show(&app, &key, &child).await;
    assert_eq!(shown["parent_id"], json!(null));
    assert_eq!(shown["name"], "Acme");
}

#[tokio::test]
async fn a_delete_that_would_give_two_siblings_one_name_is_a_422_and_changes_nothing() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let doomed = create(&app, &key, "Clients", None).await;
    let servers = create(&app, &key, "Servers", None).await;
    let child = create(&app, &key, "Servers", Some(&doomed)).await;
    device(&app, Some(&doomed), "in-doomed").await;

    let deleted = app
        .delete(&format!("/v2/groups/{doomed}"))
        .key(&key)
        .send(&app)
        .await;

    refused(
        &deleted,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let still = show(&app, &key, &doomed).await;
    assert_eq!(still["child_ids"], json!([child]));
    assert_eq!(counts(&still), (1, 1));
    assert_eq!(show(&app, &key, &child).await["parent_id"], doomed);
    assert_eq!(ids(&list(&app, &key, "").await), [doomed, servers, child]);
}

#[tokio::test]
async fn utf8_and_emoji_names_round_trip() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let name = "Clients 🧑‍💻 Zürich";

    let created = app
        .post("/v2/groups", json!({"name": name}))
        .key(&key)
        .send(&app)
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let shown = show(&app, &key, &id).await;
    let listed = list(&app, &key, "").await;
    let renamed = patch(&app, &key, &id, json!({"name": "東京 オフィス ✅"})).await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["name"], name);
    assert_eq!(shown["name"], name);
    assert_eq!(listed.body["data"][0]["name"], name);
    assert_eq!(renamed.body["name"], "東京 オフィス ✅");
}

#[tokio::test]
async fn names_are_trimmed_and_must_hold_one_to_two_hundred_characters() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let existing = create(&app, &key, "Existing", None).await;

    let padded = app
        .post("/v2/groups", json!({"name": "  Padded  "}))
        .key(&key)
        .send(&app)
        .await;
    let longest = app
        .post("/v2/groups", json!({"name": "é".repeat(200)}))
        .key(&key)
        .send(&app)
        .await;
    let emoji = app
        .post("/v2/groups", json!({"name": "😀".repeat(200)}))
        .key(&key)
        .send(&app)
        .await;
    let mut refusals = Vec::new();
    for name in [
        String::new(),
        "   ".to_owned(),
        "x".repeat(201),
        "é".repeat(201),
        "a\u{7}b".to_owned(),
    ] {
        let created = app
            .post("/v2/groups", json!({"name": name}))
            .key(&key)
            .send(&app)
            .await;
        let renamed = patch(&app, &key, &existing, json!({"name": name})).await;
        refusals.push(created);
        refusals.push(renamed);
    }
    let page = list(&app, &key, "").await;

    assert_eq!(padded.status, StatusCode::CREATED, "{}", padded.text);
    assert_eq!(padded.body["name"], "Padded");
    assert_eq!(longest.status, StatusCode::CREATED, "{}", longest.text);
    assert_eq!(emoji.status, StatusCode::CREATED, "{}", emoji.text);
    for response in &refusals {
        refused(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    assert_eq!(ids(&page).len(), 4);
    assert_eq!(show(&app, &key, &existing).await["name"], "Existing");
}

#[tokio::test]
async fn an_unknown_group_id_is_a_404_on_every_group_route() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let member = device(&app, None, "member").await;
    let path = format!("/v2/groups/{}", GroupId::new());
    let devices = format!("{path}/devices");
    let requests = [
        RequestBuilder::new(Method::GET, &path),
        RequestBuilder::new(Method::PATCH, &path).json(json!({"name": "x"})),
        RequestBuilder::new(Method::PUT, &path).json(json!({"name": "x"})),
        RequestBuilder::new(Method::DELETE, &path),
        RequestBuilder::new(Method::POST, &devices).json(json!({"device_ids": [member]})),
        RequestBuilder::new(Method::DELETE, &devices).json(json!({"device_ids": [member]})),
    ];

    for request in requests {
        let response = request.key(&key).send(&app).await;
        refused(&response, StatusCode::NOT_FOUND, "not_found");
    }
    assert_eq!(
        list(&app, &key, "").await.body,
        json!({"data": [], "has_more": false})
    );
}
