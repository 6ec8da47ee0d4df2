//! Device counts, and assigning devices to a group and removing them from it.

use axum::http::StatusCode;
use plumb_core::id::{DeviceId, GroupId};
use serde_json::json;

use super::{
    GROUP_FIELDS, assign, children, counts, create, device, field_names, list, refused, remove,
    show,
};
use crate::helpers::{PASSWORD, TestApp};

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
