//! What an owner limits about a key: expiry, disabling and the allowed addresses, each checked
//! on the very next `/v2` request from the cached key (no statement on a cache hit).

use axum::http::StatusCode;
use plumb_core::clock::Clock;
use plumb_store::count_statements;
use serde_json::json;
use time::Duration;
use time::format_description::well_known::Rfc3339;

use crate::helpers::TestApp;

#[tokio::test]
async fn an_expired_key_gets_the_same_401_as_a_deleted_one() {
    let (app, clock) = TestApp::with_manual_clock(|_| {}).await;
    let admin = app.admin_session().await;
    let expires = (clock.now() + Duration::hours(1)).format(&Rfc3339).unwrap();
    let (id, key) = app
        .create_key_with(&admin, json!({ "expires_at": expires }))
        .await;
    let before = app.get("/v2/groups").key(&key).send(&app).await;

    clock.advance(Duration::hours(1));
    let after = app.get("/v2/groups").key(&key).send(&app).await;
    let shown = app
        .get(&format!("/api/v1/api-keys/{id}"))
        .session(&app.admin_session().await)
        .send(&app)
        .await;

    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(after.error(StatusCode::UNAUTHORIZED), "Access denied");
    let shown_expiry = shown.body["expires_at"].as_str().unwrap();
    let parsed = time::OffsetDateTime::parse(shown_expiry, &Rfc3339).unwrap();
    assert_eq!(parsed.format(&Rfc3339).unwrap(), expires);
}

#[tokio::test]
async fn an_expiry_in_the_past_or_a_bad_address_is_refused_with_422_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Kept", "read_only").await;
    let path = format!("/api/v1/api-keys/{id}");
    let bad_bodies = [
        json!({ "expires_at": "2001-01-01T00:00:00Z" }),
        json!({ "allowed_ips": ["10.1.2.3/8"] }),
        json!({ "allowed_ips": ["intranet"] }),
        json!({ "rate_limit_per_minute": 0 }),
    ];

    for body in bad_bodies {
        let refused = app
            .patch(&path, body.clone())
            .session(&admin)
            .send(&app)
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            refused.text
        );
    }
    let hint = app
        .patch(&path, json!({ "allowed_ips": ["10.1.2.3/8"] }))
        .session(&admin)
        .send(&app)
        .await;
    let key = app.get(&path).session(&admin).send(&app).await;

    assert!(hint.text.contains("10.0.0.0/8"), "{}", hint.text);
    assert_eq!(key.body["expires_at"], json!(null));
    assert_eq!(key.body["allowed_ips"], json!([]));
    assert_eq!(key.body["rate_limit_per_minute"], json!(null));
}

#[tokio::test]
async fn a_disabled_key_is_refused_at_once_and_works_again_when_enabled() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Switchable", "read_write").await;
    let path = format!("/api/v1/api-keys/{id}");
    let set = |disabled: bool| {
        app.patch(&path, json!({ "disabled": disabled }))
            .session(&admin)
    };

    let disabled = set(true).send(&app).await;
    let while_disabled = app.get("/v2/groups").key(&key).send(&app).await;
    let enabled = set(false).send(&app).await;
    let while_enabled = app.get("/v2/groups").key(&key).send(&app).await;
    let log = app.get("/api/v1/activity").session(&admin).send(&app).await;

    assert_eq!(disabled.body["disabled"], true, "{}", disabled.text);
    assert_eq!(
        while_disabled.error(StatusCode::UNAUTHORIZED),
        "Access denied"
    );
    assert_eq!(enabled.body["disabled"], false);
    assert_eq!(while_enabled.status, StatusCode::OK);
    let actions: Vec<&str> = log.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.starts_with(&["api_key.enabled", "api_key.disabled"]),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_request_from_outside_the_allowed_addresses_gets_403_naming_the_address() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let allowed = json!({ "allowed_ips": ["192.0.2.0/24", "2001:db8::/32", "198.51.100.7"] });
    let (_, key) = app.create_key_with(&admin, allowed).await;
    let from = |address: &str| app.get("/v2/groups").key(&key).peer_address(address);

    let inside_v4 = from("192.0.2.200").send(&app).await;
    let inside_v6 = from("2001:db8:5::1").send(&app).await;
    let single = from("198.51.100.7").send(&app).await;
    let outside = from("203.0.113.9").send(&app).await;

    assert_eq!(inside_v4.status, StatusCode::OK);
    assert_eq!(inside_v6.status, StatusCode::OK);
    assert_eq!(single.status, StatusCode::OK);
    let message = outside.error(StatusCode::FORBIDDEN);
    assert!(message.contains("203.0.113.9"), "{message}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_counts_and_from_anyone_else_it_is_ignored() {
    let app = TestApp::with_config(|config| {
        config.http.trusted_proxies = vec!["10.0.0.0/8".into()];
    })
    .await;
    let admin = app.admin_session().await;
    let allowed = json!({ "allowed_ips": ["192.0.2.7"] });
    let (_, key) = app.create_key_with(&admin, allowed).await;
    let forwarded = |peer: &str, header: &str| {
        app.get("/v2/groups")
            .key(&key)
            .peer_address(peer)
            .header("x-forwarded-for", header)
    };

    let through_proxy = forwarded("10.1.1.1", "192.0.2.7").send(&app).await;
    let through_two_proxies = forwarded("10.1.1.1", "192.0.2.7, 10.2.2.2")
        .send(&app)
        .await;
    let spoofed_behind_proxy = forwarded("10.1.1.1", "192.0.2.7, 203.0.113.9")
        .send(&app)
        .await;
    let spoofed_directly = forwarded("203.0.113.9", "192.0.2.7").send(&app).await;

    assert_eq!(
        through_proxy.status,
        StatusCode::OK,
        "{}",
        through_proxy.text
    );
    assert_eq!(through_two_proxies.status, StatusCode::OK);
    assert!(
        spoofed_behind_proxy
            .error(StatusCode::FORBIDDEN)
            .contains("203.0.113.9")
    );
    assert!(
        spoofed_directly
            .error(StatusCode::FORBIDDEN)
            .contains("203.0.113.9")
    );
}

#[tokio::test]
async fn a_known_key_with_every_rule_on_is_checked_without_any_statement() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let hundred: Vec<String> = (0..100).map(|n| format!("192.0.{n}.0/24")).collect();
    let mut allowed = hundred.clone();
    allowed.push("127.0.0.1".into());
    let settings = json!({
        "expires_at": "2999-01-01T00:00:00Z",
        "allowed_ips": allowed,
        "rate_limit_per_minute": 1000,
    });
    let (_, key) = app.create_key_with(&admin, settings).await;
    // A malformed id is answered 404 by the handler without the store, so every statement
    // counted would be the gate's or the request log's.
    let path = "/v2/groups/not-an-id";

    let (response, statements) = count_statements(app.get(path).key(&key).send(&app)).await;

    assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", response.text);
    assert_eq!(
        statements, 0,
        "the gate and the request log must not touch the database"
    );
    assert_eq!(response.headers["ratelimit-limit"], "1000");
}
