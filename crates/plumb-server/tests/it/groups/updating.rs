//! Updating groups with PATCH and PUT: renames, moves, sibling-name clashes and cycles.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{GROUP_FIELDS, counts, create, device, field_names, ids, list, patch, refused, show};
use crate::helpers::{RequestBuilder, TestApp};

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
    let mut answered = before.clone();
    // Only show carries the group's custom field values.
    answered.as_object_mut().unwrap().remove("custom_fields");
    assert_eq!(response.body, answered);
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
