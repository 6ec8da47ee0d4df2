//! Sign-in abuse: an attacker who knows an email can pause only their own address, never the
//! account's owner (the throttle model of SECURITY.md).

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, RequestBuilder, TestApp, TestResponse};

const ATTACKER: &str = "203.0.113.7";
const OWNER: &str = "198.51.100.20";

async fn sign_in(app: &TestApp, email: &str, password: &str, from: &str) -> TestResponse {
    RequestBuilder::new(Method::POST, "/api/v1/session")
        .json(json!({"email": email, "password": password}))
        .peer_address(from)
        .send(app)
        .await
}

#[tokio::test]
async fn five_wrong_passwords_pause_the_attacker_and_the_owner_still_signs_in_elsewhere() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        let response = sign_in(&app, ADMIN_EMAIL, "wrong password!", ATTACKER).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }

    let attacker = sign_in(&app, ADMIN_EMAIL, PASSWORD, ATTACKER).await;
    let owner = sign_in(&app, ADMIN_EMAIL, PASSWORD, OWNER).await;

    assert_eq!(attacker.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(attacker.body["code"], "rate_limited");
    let retry: u64 = attacker.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&retry), "{retry}");
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.text);
}

#[tokio::test]
async fn twenty_failures_from_one_address_pause_only_that_address() {
    let app = TestApp::new().await;
    for n in 0..20 {
        let email = format!("guess{n}@acme.test");
        let response = sign_in(&app, &email, "wrong password!", ATTACKER).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }

    let attacker = sign_in(&app, ADMIN_EMAIL, PASSWORD, ATTACKER).await;
    let owner = sign_in(&app, ADMIN_EMAIL, PASSWORD, OWNER).await;

    assert_eq!(attacker.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.text);
}

#[tokio::test]
async fn failures_from_many_addresses_never_lock_the_owner_out() {
    let app = TestApp::new().await;
    for n in 0..12 {
        let from = format!("192.0.2.{n}");
        let response = sign_in(&app, ADMIN_EMAIL, "wrong password!", &from).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }

    let owner = sign_in(&app, ADMIN_EMAIL, PASSWORD, OWNER).await;

    assert_eq!(owner.status, StatusCode::OK, "{}", owner.text);
}
