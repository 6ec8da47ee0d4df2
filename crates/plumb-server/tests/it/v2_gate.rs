use axum::http::{Method, StatusCode};
use plumb_core::api_key::PlainApiKey;
use serde_json::json;

use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn a_missing_malformed_or_unknown_key_gets_401_access_denied() {
    let app = TestApp::new().await;
    let real = app.key("read_write").await;
    let mut bad_checksum = real.clone();
    bad_checksum.replace_range(43..44, if real.ends_with('A') { "B" } else { "A" });
    let unknown = PlainApiKey::generate();
    let cases: Vec<(&str, Option<String>)> = vec![
        ("missing", None),
        ("empty", Some(String::new())),
        ("junk", Some("let me in".to_owned())),
        ("bad checksum", Some(bad_checksum)),
        ("unknown", Some(unknown.expose().to_owned())),
        (
            "bearer unknown",
            Some(format!("Bearer {}", unknown.expose())),
        ),
    ];

    for (case, header) in cases {
        let mut request = app.get("/v2/groups");
        if let Some(header) = header {
            request = request.header("authorization", &header);
        }
        let response = request.send(&app).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{case}");
        assert_eq!(response.body["error"], "Access denied", "{case}");
    }
}

#[tokio::test]
async fn the_raw_key_and_a_bearer_key_are_both_accepted() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let raw = app.get("/v2/groups").key(&key).send(&app).await;
    let bearer = app
        .get("/v2/groups")
        .header("authorization", &format!("Bearer {key}"))
        .send(&app)
        .await;
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(bearer.status, StatusCode::OK);
    assert_eq!(raw.body, json!({"data": [], "has_more": false}));
}

#[tokio::test]
async fn a_read_only_key_gets_403_on_every_write_method_and_nothing_changes() {
    let app = TestApp::new().await;
    let writer = app.key("read_write").await;
    let reader = app.key("read_only").await;
    let group = app
        .post("/v2/groups", json!({"name": "Clients"}))
        .key(&writer)
        .send(&app)
        .await;
    let id = group.body["id"].as_str().unwrap().to_owned();
    let path = format!("/v2/groups/{id}");
    let writes = [
        RequestBuilder::new(Method::POST, "/v2/groups").json(json!({"name": "New"})),
        RequestBuilder::new(Method::PATCH, &path).json(json!({"name": "Renamed"})),
        RequestBuilder::new(Method::PUT, &path).json(json!({"name": "Renamed"})),
        RequestBuilder::new(Method::DELETE, &path),
        RequestBuilder::new(Method::POST, &format!("{path}/devices"))
            .json(json!({"device_ids": []})),
        RequestBuilder::new(Method::DELETE, &format!("{path}/devices"))
            .json(json!({"device_ids": []})),
    ];

    for request in writes {
        let response = request.key(&reader).send(&app).await;
        let message = response.error(StatusCode::FORBIDDEN);
        assert!(message.contains("read-only"), "{message}");
    }
    let list = app.get("/v2/groups").key(&reader).send(&app).await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["data"][0]["name"], "Clients");
}

#[tokio::test]
async fn a_session_cookie_does_not_open_the_public_api() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let response = app.get("/v2/groups").session(&session).send(&app).await;
    assert_eq!(response.error(StatusCode::UNAUTHORIZED), "Access denied");
}

#[tokio::test]
async fn keys_only_see_their_own_organizations_groups() {
    let app = TestApp::new().await;
    app.other_org("boss@other.test").await;
    let other = app
        .sign_in("boss@other.test", crate::helpers::PASSWORD)
        .await;
    let (_, other_key) = app.create_key(&other, "Other", "read_write").await;
    let key = app.key("read_write").await;
    let theirs = app
        .post("/v2/groups", json!({"name": "Theirs"}))
        .key(&other_key)
        .send(&app)
        .await;
    let id = theirs.body["id"].as_str().unwrap();

    let list = app.get("/v2/groups").key(&key).send(&app).await;
    let show = app
        .get(&format!("/v2/groups/{id}"))
        .key(&key)
        .send(&app)
        .await;
    let rename = app
        .patch(&format!("/v2/groups/{id}"), json!({"name": "Mine now"}))
        .key(&key)
        .send(&app)
        .await;
    let child = app
        .post("/v2/groups", json!({"name": "Sneaky", "parent_id": id}))
        .key(&key)
        .send(&app)
        .await;
    let delete = app
        .delete(&format!("/v2/groups/{id}"))
        .key(&key)
        .send(&app)
        .await;
    let still = app
        .get(&format!("/v2/groups/{id}"))
        .key(&other_key)
        .send(&app)
        .await;

    assert_eq!(list.body["data"], json!([]));
    show.error(StatusCode::NOT_FOUND);
    rename.error(StatusCode::NOT_FOUND);
    child.error(StatusCode::NOT_FOUND);
    delete.error(StatusCode::NOT_FOUND);
    assert_eq!(still.body["name"], "Theirs");
    assert_eq!(still.body["child_ids"], json!([]));
}
