//! Rate limits: a key's own requests per minute or the organization's default, in memory on
//! each node, with the `RateLimit-*` headers; and the brute-force guard on unknown keys.

use axum::http::StatusCode;
use plumb_core::api_key::PlainApiKey;
use plumb_core::key_limits::BAD_KEYS_PER_MINUTE;
use serde_json::json;
use time::Duration;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_key_over_its_rate_limit_gets_429_with_retry_after_until_the_next_minute() {
    let (app, clock) = TestApp::with_manual_clock(|_| {}).await;
    let admin = app.admin_session().await;
    let (_, key) = app
        .create_key_with(&admin, json!({ "rate_limit_per_minute": 3 }))
        .await;
    clock.advance(Duration::seconds(15));

    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = app.get("/v2/groups").key(&key).send(&app).await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.headers["ratelimit-limit"], "3");
        assert_eq!(response.headers["ratelimit-reset"], "45");
        remaining.push(
            response.headers["ratelimit-remaining"]
                .to_str()
                .unwrap()
                .to_owned(),
        );
    }
    let over = app.get("/v2/groups").key(&key).send(&app).await;
    clock.advance(Duration::seconds(45));
    let next_minute = app.get("/v2/groups").key(&key).send(&app).await;

    assert_eq!(remaining, ["2", "1", "0"]);
    let message = over.error(StatusCode::TOO_MANY_REQUESTS);
    assert!(message.contains("3 requests per minute"), "{message}");
    assert_eq!(over.headers["retry-after"], "45");
    assert_eq!(over.headers["ratelimit-remaining"], "0");
    assert_eq!(next_minute.status, StatusCode::OK);
    assert_eq!(next_minute.headers["ratelimit-remaining"], "2");
}

#[tokio::test]
async fn the_organization_default_limits_keys_without_their_own_limit_from_the_next_request() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (_, plain) = app.create_key(&admin, "Default", "read_only").await;
    let (_, own) = app
        .create_key_with(&admin, json!({ "rate_limit_per_minute": 100 }))
        .await;
    let unlimited = app.get("/v2/groups").key(&plain).send(&app).await;

    let set = app
        .patch(
            "/api/v1/api-key-settings",
            json!({ "rate_limit_per_minute": 2 }),
        )
        .session(&admin)
        .send(&app)
        .await;
    let statuses: Vec<StatusCode> = {
        let mut statuses = Vec::new();
        for _ in 0..3 {
            statuses.push(app.get("/v2/groups").key(&plain).send(&app).await.status);
        }
        statuses
    };
    let own_limit = app.get("/v2/groups").key(&own).send(&app).await;
    let settings = app
        .get("/api/v1/api-key-settings")
        .session(&admin)
        .send(&app)
        .await;

    assert!(!unlimited.headers.contains_key("ratelimit-limit"));
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    assert_eq!(own_limit.headers["ratelimit-limit"], "100");
    assert_eq!(settings.body["rate_limit_per_minute"], 2);
}

#[tokio::test]
async fn many_unknown_keys_from_one_address_are_throttled_while_known_keys_still_work() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let guesser = "203.0.113.66";
    let guess = || {
        let value = PlainApiKey::generate();
        app.get("/v2/groups")
            .key(value.expose())
            .peer_address(guesser)
    };

    for _ in 0..BAD_KEYS_PER_MINUTE {
        assert_eq!(guess().send(&app).await.status, StatusCode::UNAUTHORIZED);
    }
    let paused = guess().send(&app).await;
    let known_from_there = app
        .get("/v2/groups")
        .key(&key)
        .peer_address(guesser)
        .send(&app)
        .await;
    let elsewhere = app
        .get("/v2/groups")
        .key(PlainApiKey::generate().expose())
        .send(&app)
        .await;

    paused.error(StatusCode::TOO_MANY_REQUESTS);
    assert!(paused.headers.contains_key("retry-after"));
    assert_eq!(known_from_there.status, StatusCode::OK);
    assert_eq!(elsewhere.status, StatusCode::UNAUTHORIZED);
}
