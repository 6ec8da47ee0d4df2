//! Listing groups: creation order, the `data`/`has_more` envelope, and the `parent_id` filter.

use axum::http::StatusCode;
use serde_json::json;

use super::{GROUP_FIELDS, create, field_names, ids, list, refused};
use crate::helpers::TestApp;

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
