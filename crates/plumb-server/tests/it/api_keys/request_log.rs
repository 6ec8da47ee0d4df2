//! The request log per key: every authenticated `/v2` request, written behind in batches,
//! listed newest first and filterable by status, counted over 24 hours in the key list, kept
//! through a clean shutdown and pruned after the retention.

use axum::http::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::TestApp;

fn statuses(page: &Value) -> Vec<u64> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["status"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn every_request_is_in_the_keys_log_newest_first_and_filterable_by_status() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Logged", "read_only").await;
    let missing = "/v2/groups/01900000-0000-7000-8000-000000000000";
    app.get("/v2/groups")
        .key(&key)
        .header("user-agent", "n8n/1.0")
        .send(&app)
        .await;
    app.get(missing).key(&key).send(&app).await;
    // Two writes of the log: a page spans both.
    app.flush_requests().await;
    app.post("/v2/groups", json!({ "name": "x" }))
        .key(&key)
        .send(&app)
        .await;
    app.flush_requests().await;
    let log = |query: &str| {
        app.get(&format!("/api/v1/api-keys/{id}/requests{query}"))
            .session(&admin)
    };

    let all = log("").send(&app).await;
    let failed = log("?status=4xx").send(&app).await;
    let not_found = log("?status=404").send(&app).await;
    let first_page = log("?limit=2").send(&app).await;
    let cursor = first_page.body["next_cursor"].as_str().unwrap().to_owned();
    let second_page = log(&format!("?limit=2&cursor={cursor}")).send(&app).await;
    let bad_filter = log("?status=often").send(&app).await;

    assert_eq!(statuses(&all.body), [403, 404, 200], "{}", all.text);
    let oldest = &all.body["data"][2];
    assert_eq!(oldest["method"], "GET");
    assert_eq!(oldest["route"], "/v2/groups");
    assert_eq!(oldest["path"], "/v2/groups");
    assert_eq!(oldest["client_ip"], "127.0.0.1");
    assert_eq!(oldest["user_agent"], "n8n/1.0");
    assert!(oldest["duration_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(all.body["data"][1]["route"], "/v2/groups/{id}");
    assert_eq!(all.body["data"][1]["path"], missing);
    assert_eq!(statuses(&failed.body), [403, 404]);
    assert_eq!(statuses(&not_found.body), [404]);
    assert_eq!(statuses(&first_page.body), [403, 404]);
    assert_eq!(statuses(&second_page.body), [200]);
    assert_eq!(second_page.body["next_cursor"], json!(null));
    bad_filter.error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn refused_requests_of_a_known_key_are_logged_too() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let settings = json!({ "allowed_ips": ["192.0.2.0/24"] });
    let (id, key) = app.create_key_with(&admin, settings).await;

    app.get("/v2/groups")
        .key(&key)
        .peer_address("203.0.113.9")
        .send(&app)
        .await;
    app.flush_requests().await;
    let log = app
        .get(&format!("/api/v1/api-keys/{id}/requests"))
        .session(&admin)
        .send(&app)
        .await;

    assert_eq!(statuses(&log.body), [403]);
    assert_eq!(log.body["data"][0]["client_ip"], "203.0.113.9");
}

#[tokio::test]
async fn the_key_list_counts_each_keys_requests_of_the_last_24_hours() {
    let (app, clock) = TestApp::with_manual_clock(|_| {}).await;
    let admin = app.admin_session().await;
    let (_, busy) = app.create_key(&admin, "Busy", "read_only").await;
    app.create_key(&admin, "Idle", "read_only").await;
    app.get("/v2/groups").key(&busy).send(&app).await;
    // The log is written every second: each write holds about a second of requests.
    app.flush_requests().await;
    clock.advance(Duration::hours(23));
    app.get("/v2/groups").key(&busy).send(&app).await;
    app.get("/v2/groups").key(&busy).send(&app).await;
    app.flush_requests().await;
    clock.advance(Duration::hours(2));

    let admin = app.admin_session().await;
    let list = app.get("/api/v1/api-keys").session(&admin).send(&app).await;

    let counts: Vec<(&str, u64)> = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| {
            let count = key["requests_last_24h"].as_u64().unwrap();
            (key["description"].as_str().unwrap(), count)
        })
        .collect();
    assert_eq!(counts, [("Idle", 0), ("Busy", 2)]);
}

#[tokio::test]
async fn requests_older_than_the_retention_are_pruned() {
    let (app, clock) = TestApp::with_manual_clock(|config| {
        config.keys.request_log_retention_days = 7;
    })
    .await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Pruned", "read_only").await;
    app.get("/v2/groups").key(&key).send(&app).await;
    app.flush_requests().await;
    clock.advance(Duration::days(6));
    app.get("/v2/groups/nope").key(&key).send(&app).await;
    app.flush_requests().await;
    clock.advance(Duration::days(2));

    let pruned = app
        .app
        .state
        .request_log
        .prune(clock_now(&app))
        .await
        .unwrap();
    let admin = app.admin_session().await;
    let log = app
        .get(&format!("/api/v1/api-keys/{id}/requests"))
        .session(&admin)
        .send(&app)
        .await;

    assert_eq!(pruned, 1);
    assert_eq!(statuses(&log.body), [404]);
}

fn clock_now(app: &TestApp) -> time::OffsetDateTime {
    app.app.state.clock.now()
}

#[tokio::test]
async fn another_organizations_key_has_no_log_to_show() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Ours", "read_only").await;
    app.other_org("boss@other.test").await;
    let other = app
        .sign_in("boss@other.test", crate::helpers::PASSWORD)
        .await;

    let theirs = app
        .get(&format!("/api/v1/api-keys/{id}/requests"))
        .session(&other)
        .send(&app)
        .await;

    theirs.error(StatusCode::NOT_FOUND);
}
