//! Behaviour across restarts: usage written at shutdown, keys surviving a lost master key.

use axum::http::StatusCode;
use plumb_server::config::Config;
use plumb_server::{App, router};
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, RequestBuilder, TestApp};

async fn restart(config: Config) -> (App, axum::Router) {
    let app = App::start(&config).await.unwrap();
    let router = router(app.state.clone());
    (app, router)
}

async fn sign_in(router: &axum::Router) -> crate::helpers::Session {
    let response = RequestBuilder::new(axum::http::Method::POST, "/api/v1/session")
        .json(json!({"email": ADMIN_EMAIL, "password": PASSWORD}))
        .send_to(router)
        .await;
    let cookie = response.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    crate::helpers::Session {
        cookie,
        csrf: response.body["csrf_token"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn usage_gathered_just_before_shutdown_is_written_at_shutdown() {
    let test = TestApp::new().await;
    let config = test.config();
    let (id, key) = test
        .create_key(&test.admin_session().await, "Last call", "read_only")
        .await;
    test.get("/v2/groups").key(&key).send(&test).await;

    let TestApp { app, dir, .. } = test;
    app.shutdown().await;
    let (_app, router) = restart(config).await;
    let session = sign_in(&router).await;
    let shown = RequestBuilder::new(axum::http::Method::GET, &format!("/api/v1/api-keys/{id}"))
        .session(&session)
        .send_to(&router)
        .await;

    assert!(shown.body["last_used_at"].is_string(), "{}", shown.text);
    assert_eq!(shown.body["usage"]["success_count"], 1);
    drop(dir);
}

#[tokio::test]
async fn every_request_acknowledged_before_a_clean_shutdown_is_in_the_request_log_after() {
    let test = TestApp::new().await;
    let config = test.config();
    let (id, key) = test
        .create_key(&test.admin_session().await, "Last calls", "read_only")
        .await;
    for _ in 0..250 {
        let answered = test.get("/v2/groups").key(&key).send(&test).await;
        assert_eq!(answered.status, StatusCode::OK);
    }

    let TestApp { app, dir, .. } = test;
    app.shutdown().await;
    let (_app, router) = restart(config).await;
    let session = sign_in(&router).await;
    let path = format!("/api/v1/api-keys/{id}/requests?limit=200");
    let first = RequestBuilder::new(axum::http::Method::GET, &path)
        .session(&session)
        .send_to(&router)
        .await;
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = RequestBuilder::new(axum::http::Method::GET, &format!("{path}&cursor={cursor}"))
        .session(&session)
        .send_to(&router)
        .await;

    let logged =
        first.body["data"].as_array().unwrap().len() + rest.body["data"].as_array().unwrap().len();
    assert_eq!(logged, 250, "{}", rest.text);
    drop(dir);
}

#[tokio::test]
async fn losing_the_master_key_keeps_every_key_working_and_only_copy_key_fails() {
    let test = TestApp::new().await;
    let config = test.config();
    let (id, key) = test
        .create_key(&test.admin_session().await, "Survivor", "read_write")
        .await;
    let TestApp { app, dir, .. } = test;
    app.shutdown().await;
    std::fs::remove_file(config.data_dir.join("master.key")).unwrap();

    let (_app, router) = restart(config).await;
    let session = sign_in(&router).await;
    let used = RequestBuilder::new(axum::http::Method::GET, "/v2/groups")
        .key(&key)
        .send_to(&router)
        .await;
    let revealed = RequestBuilder::new(
        axum::http::Method::POST,
        &format!("/api/v1/api-keys/{id}/reveal"),
    )
    .json(json!({}))
    .session(&session)
    .send_to(&router)
    .await;
    let regenerated = RequestBuilder::new(
        axum::http::Method::POST,
        &format!("/api/v1/api-keys/{id}/regenerate"),
    )
    .json(json!({}))
    .session(&session)
    .send_to(&router)
    .await;
    let revealed_again = RequestBuilder::new(
        axum::http::Method::POST,
        &format!("/api/v1/api-keys/{id}/reveal"),
    )
    .json(json!({}))
    .session(&session)
    .send_to(&router)
    .await;

    assert_eq!(used.status, StatusCode::OK);
    assert!(revealed.error(StatusCode::CONFLICT).contains("regenerate"));
    assert_eq!(revealed_again.body["key"], regenerated.body["key"]);
    drop(dir);
}
