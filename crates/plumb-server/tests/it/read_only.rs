//! Read-only keys, walked over the route table: every API-key route that is not a GET answers
//! 403 to a read-only key, before its handler runs, and every GET still works.

use axum::http::{Method, StatusCode};
use plumb_server::routes::{Guard, table};
use serde_json::json;

use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn a_read_only_key_gets_403_on_every_api_key_route_that_writes() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let tag = app
        .post("/v2/tags", json!({"name": "Kept"}))
        .key(&app.key("read_write").await)
        .send(&app)
        .await;
    let tag = tag.body["id"].as_str().unwrap().to_owned();
    let mut checked = 0;

    for route in table() {
        if route.guard != Guard::ApiKey || route.method == Method::GET {
            continue;
        }
        let path = route.path.replace("{id}", &tag).replace("{token}", &tag);
        let response = RequestBuilder::new(route.method.clone(), &path)
            .json(json!({"name": "changed", "device_ids": []}))
            .key(&key)
            .send(&app)
            .await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{} {}: {}",
            route.method,
            route.path,
            response.text
        );
        assert_eq!(
            response.body["code"], "forbidden",
            "{} {}",
            route.method, route.path
        );
        checked += 1;
    }

    assert!(checked >= 20, "only {checked} write routes checked");
    let shown = app
        .get(&format!("/v2/tags/{tag}"))
        .key(&key)
        .send(&app)
        .await;
    assert_eq!(shown.body["name"], "Kept");
}

#[tokio::test]
async fn a_read_only_key_reads_every_list() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;

    for route in table() {
        if route.guard != Guard::ApiKey || route.method != Method::GET || route.path.contains('{') {
            continue;
        }
        let response = app.get(&route.path).key(&key).send(&app).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{}: {}",
            route.path,
            response.text
        );
    }
}
