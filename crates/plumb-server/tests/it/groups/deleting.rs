//! Deleting a group: its devices and child groups move up to its parent.

use axum::http::StatusCode;
use serde_json::json;

use super::{counts, create, device, ids, list, patch, refused, remove, show};
use crate::helpers::TestApp;

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
