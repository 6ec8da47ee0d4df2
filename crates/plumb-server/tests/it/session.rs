use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp};

#[tokio::test]
async fn signing_in_returns_the_user_a_csrf_token_and_a_strict_http_only_cookie() {
    let app = TestApp::new().await;

    let response = app
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": PASSWORD}),
        )
        .send(&app)
        .await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let user = &response.body["user"];
    assert_eq!(user["email"], ADMIN_EMAIL);
    assert_eq!(user["role"], "admin");
    assert_eq!(user["permissions"], json!(["settings"]));
    assert_eq!(user["organization"]["name"], "Acme MSP");
    assert!(response.body["csrf_token"].as_str().unwrap().len() >= 40);
    let cookie = response.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("plumb_session="));
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/")
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
}

#[tokio::test]
async fn an_https_public_url_makes_the_cookie_secure_and_host_prefixed() {
    let app = TestApp::with_config(|config| {
        config.public_url = Some("https://plumb.example.com".to_owned())
    })
    .await;

    let response = app
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": PASSWORD}),
        )
        .send(&app)
        .await;

    let cookie = response.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-plumb_session="), "{cookie}");
    assert!(cookie.contains("; Secure"));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::new().await;

    let wrong = app
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": "not the password"}),
        )
        .send(&app)
        .await;
    let unknown = app
        .post(
            "/api/v1/session",
            json!({"email": "nobody@acme.test", "password": PASSWORD}),
        )
        .send(&app)
        .await;

    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.status, unknown.status);
}

#[tokio::test]
async fn repeated_failures_for_one_account_are_throttled_with_retry_after() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        let response = app
            .post(
                "/api/v1/session",
                json!({"email": ADMIN_EMAIL, "password": "wrong password"}),
            )
            .send(&app)
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }

    let throttled = app
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": PASSWORD}),
        )
        .send(&app)
        .await;

    throttled.error(StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = throttled.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after));
}

#[tokio::test]
async fn repeated_failures_from_one_address_are_throttled_across_accounts() {
    let app = TestApp::new().await;
    for n in 0..20 {
        let body = json!({"email": format!("guess{n}@acme.test"), "password": "wrong password"});
        app.post("/api/v1/session", body).send(&app).await;
    }

    let throttled = app
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": PASSWORD}),
        )
        .send(&app)
        .await;

    throttled.error(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_session_can_be_read_back_and_ended() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;

    let shown = app
        .get("/api/v1/session")
        .session(&session)
        .send(&app)
        .await;
    let ended = app
        .delete("/api/v1/session")
        .session(&session)
        .send(&app)
        .await;
    let after = app
        .get("/api/v1/session")
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["csrf_token"], session.csrf);
    assert_eq!(ended.status, StatusCode::NO_CONTENT);
    assert!(
        ended.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    after.error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_a_session_the_management_api_answers_401() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/session").send(&app).await;
    response.error(StatusCode::UNAUTHORIZED);
    let forged = app
        .get("/api/v1/api-keys")
        .header("cookie", "plumb_session=forged")
        .send(&app)
        .await;
    forged.error(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_mutating_request_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;

    let missing = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "Sync", "access": "read_only"}),
        )
        .header("cookie", &session.cookie)
        .send(&app)
        .await;
    let wrong = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "Sync", "access": "read_only"}),
        )
        .header("cookie", &session.cookie)
        .header("x-csrf-token", "wrong")
        .send(&app)
        .await;
    let list = app
        .get("/api/v1/api-keys")
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(
        missing.error(StatusCode::FORBIDDEN),
        "missing or invalid X-CSRF-Token header"
    );
    assert_eq!(missing.body["code"], "csrf_failed");
    wrong.error(StatusCode::FORBIDDEN);
    assert_eq!(list.body["data"], json!([]));
}

#[tokio::test]
async fn sign_ins_that_succeed_and_fail_are_in_the_activity_log() {
    let app = TestApp::new().await;
    app.post(
        "/api/v1/session",
        json!({"email": ADMIN_EMAIL, "password": "Tr0ub4dor&3-guess"}),
    )
    .send(&app)
    .await;
    let session = app.admin_session().await;

    let log = app
        .get("/api/v1/activity")
        .session(&session)
        .send(&app)
        .await;

    let actions: Vec<&str> = log.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        &actions[..2],
        ["session.signed_in", "session.sign_in_failed"]
    );
    let failed = &log.body["data"][1];
    assert_eq!(failed["ip"], "127.0.0.1");
    assert_eq!(failed["details"]["email"], ADMIN_EMAIL);
    assert!(!log.text.contains("Tr0ub4dor&3-guess"));
}
