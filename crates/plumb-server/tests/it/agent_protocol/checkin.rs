//! `POST /agent/v1/checkin`.

use axum::http::StatusCode;
use plumb_core::credential::{PlainToken, TokenKind};
use plumb_core::id::DeviceId;
use serde_json::json;

use super::{check_in, enrolled, inventory};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_check_in_records_the_inventory_and_answers_with_no_runs() {
    let app = TestApp::new().await;
    let (id, token) = enrolled(&app, "web-01").await;

    let response = check_in(&app, &token, "web-01-renamed").await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(response.body, json!({"runs": []}));
    let org = app.admin.organization.id;
    let device = app
        .app
        .state
        .store
        .device(org, DeviceId::parse(&id).unwrap())
        .await
        .unwrap();
    assert_eq!(device.hostname, "web-01-renamed");
    assert!(device.online);
}

#[tokio::test]
async fn a_raw_token_without_bearer_is_accepted_too() {
    let app = TestApp::new().await;
    let (_, token) = enrolled(&app, "web-01").await;
    let response = app
        .post(
            "/agent/v1/checkin",
            json!({"inventory": inventory("web-01"), "checkin_interval_seconds": 60}),
        )
        .header("authorization", &token)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
}

#[tokio::test]
async fn a_missing_malformed_unknown_or_foreign_kind_token_gets_401() {
    let app = TestApp::new().await;
    let (_, token) = enrolled(&app, "web-01").await;
    let unknown = PlainToken::generate(TokenKind::DeviceToken);
    let install_key = PlainToken::generate(TokenKind::InstallKey);
    let mut typo = token.clone();
    typo.replace_range(12..13, if &token[12..13] == "a" { "b" } else { "a" });

    for presented in [
        unknown.expose(),
        install_key.expose(),
        typo.as_str(),
        "Bearer",
    ] {
        let response = check_in(&app, presented, "web-01").await;
        assert_eq!(
            response.error(StatusCode::UNAUTHORIZED),
            "invalid device token"
        );
    }
    let without = app
        .post(
            "/agent/v1/checkin",
            json!({"inventory": inventory("web-01"), "checkin_interval_seconds": 60}),
        )
        .send(&app)
        .await;
    assert_eq!(
        without.error(StatusCode::UNAUTHORIZED),
        "invalid device token"
    );
}

#[tokio::test]
async fn a_deleted_devices_token_gets_401() {
    let app = TestApp::new().await;
    let (id, token) = enrolled(&app, "web-01").await;
    app.app
        .state
        .store
        .delete_device(
            app.admin.organization.id,
            DeviceId::parse(&id).unwrap(),
            time::OffsetDateTime::UNIX_EPOCH,
            None,
        )
        .await
        .unwrap();

    let response = check_in(&app, &token, "web-01").await;

    assert_eq!(
        response.error(StatusCode::UNAUTHORIZED),
        "invalid device token"
    );
}

#[tokio::test]
async fn an_interval_outside_ten_seconds_to_a_day_is_422_and_changes_nothing() {
    let app = TestApp::new().await;
    let (id, token) = enrolled(&app, "web-01").await;
    for interval in [0, 9, 86_401] {
        let response = app
            .post(
                "/agent/v1/checkin",
                json!({"inventory": inventory("other"), "checkin_interval_seconds": interval}),
            )
            .header("authorization", &format!("Bearer {token}"))
            .send(&app)
            .await;
        assert!(
            response
                .error(StatusCode::UNPROCESSABLE_ENTITY)
                .contains("checkin_interval_seconds"),
            "{interval}"
        );
    }
    for interval in [10, 86_400] {
        let response = app
            .post(
                "/agent/v1/checkin",
                json!({"inventory": inventory("web-01"), "checkin_interval_seconds": interval}),
            )
            .header("authorization", &format!("Bearer {token}"))
            .send(&app)
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{interval}: {}",
            response.text
        );
    }
    let device = app
        .app
        .state
        .store
        .device(app.admin.organization.id, DeviceId::parse(&id).unwrap())
        .await
        .unwrap();
    assert_eq!(device.hostname, "web-01");
}

#[tokio::test]
async fn an_update_reported_twice_is_422() {
    let app = TestApp::new().await;
    let (_, token) = enrolled(&app, "web-01").await;
    let mut body = inventory("web-01");
    let update = body["updates"][0].clone();
    body["updates"] = json!([update.clone(), update]);
    let response = app
        .post(
            "/agent/v1/checkin",
            json!({"inventory": body, "checkin_interval_seconds": 60}),
        )
        .header("authorization", &format!("Bearer {token}"))
        .send(&app)
        .await;
    assert!(
        response
            .error(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("openssl")
    );
}
