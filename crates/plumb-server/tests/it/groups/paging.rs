//! Paging the group list: `limit`, `starting_after` and `ending_before`, and their refusals.

use axum::http::StatusCode;
use plumb_core::id::GroupId;
use serde_json::json;

use super::{create, create_many, ids, list, refused};
use crate::helpers::TestApp;

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
