//! `POST /agent/v1/enroll`.

use axum::http::StatusCode;
use plumb_core::id::DeviceId;
use serde_json::json;

use super::{install_key, inventory};
use crate::helpers::TestApp;

#[tokio::test]
async fn enrolling_creates_an_online_device_in_the_install_keys_group() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let group = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(org, None),
            "Servers",
            None,
            app.app.state.clock.now(),
        )
        .await
        .unwrap();
    let key = install_key(&app, &session, Some(&group.id.to_string())).await;

    let response = app
        .post(
            "/agent/v1/enroll",
            json!({"install_key": key, "inventory": inventory("web-01")}),
        )
        .send(&app)
        .await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert_eq!(response.body["checkin_interval_seconds"], 60);
    let token = response.body["device_token"].as_str().unwrap();
    assert!(token.starts_with("plumbd_") && token.len() == 45, "{token}");
    let id = DeviceId::parse(response.body["device_id"].as_str().unwrap()).unwrap();
    let device = app.app.state.store.device(org, id).await.unwrap();
    assert_eq!(device.hostname, "web-01");
    assert_eq!(device.serial_number.as_deref(), Some("SN-web-01"));
    assert_eq!(device.group_id, Some(group.id));
    assert!(device.online);
    assert!(device.last_seen_at.is_some());
    assert_eq!(device.public_ip_address.as_deref(), Some("127.0.0.1"));
    let inventory = device.inventory.unwrap();
    assert_eq!(inventory.hostname, "web-01");
    assert!(
        inventory
            .updates
            .iter()
            .any(|update| update.name == "openssl")
    );
}

#[tokio::test]
async fn a_malformed_unknown_or_revoked_install_key_gets_401_and_enrolls_nothing() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let key = install_key(&app, &session, None).await;
    let listed = app
        .get("/api/v1/install-keys")
        .session(&session)
        .send(&app)
        .await;
    let id = listed.body["data"][0]["id"].as_str().unwrap().to_owned();
    let revoke = app
        .delete(&format!("/api/v1/install-keys/{id}"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    let unknown =
        plumb_core::credential::PlainToken::generate(plumb_core::credential::TokenKind::InstallKey);
    let mut typo = key.clone();
    typo.replace_range(10..11, if &key[10..11] == "a" { "b" } else { "a" });

    for presented in [
        key.as_str(),
        unknown.expose(),
        typo.as_str(),
        "",
        "plumb_nope",
    ] {
        let response = app
            .post(
                "/agent/v1/enroll",
                json!({"install_key": presented, "inventory": inventory("web-01")}),
            )
            .send(&app)
            .await;
        assert_eq!(
            response.error(StatusCode::UNAUTHORIZED),
            "invalid install key"
        );
    }
    let missing = app
        .post(
            "/agent/v1/enroll",
            json!({"inventory": inventory("web-01")}),
        )
        .send(&app)
        .await;
    missing.error(StatusCode::UNAUTHORIZED);
    let devices = app
        .get("/api/v1/devices")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(devices.body["data"], json!([]), "{}", devices.text);
}

#[tokio::test]
async fn a_bad_enrollment_body_with_a_good_key_gets_a_4xx_and_enrolls_nothing() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let key = install_key(&app, &session, None).await;

    let wrong_type = app
        .post(
            "/agent/v1/enroll",
            json!({"install_key": key, "inventory": 7}),
        )
        .send(&app)
        .await;
    wrong_type.error(StatusCode::BAD_REQUEST);
    let unknown_field = app
        .post(
            "/agent/v1/enroll",
            json!({"install_key": key, "inventory": inventory("a"), "extra": 1}),
        )
        .send(&app)
        .await;
    unknown_field.error(StatusCode::BAD_REQUEST);
    let blank_hostname = app
        .post(
            "/agent/v1/enroll",
            json!({"install_key": key, "inventory": inventory("   ")}),
        )
        .send(&app)
        .await;
    assert!(
        blank_hostname
            .error(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("hostname")
    );
    let huge = app
        .post(
            "/agent/v1/enroll",
            json!({"install_key": key, "pad": "x".repeat(2 << 20)}),
        )
        .send(&app)
        .await;
    huge.error(StatusCode::PAYLOAD_TOO_LARGE);

    let devices = app
        .get("/api/v1/devices")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(devices.body["data"], json!([]), "{}", devices.text);
}

#[tokio::test]
async fn an_inventory_larger_than_the_api_limit_is_accepted_from_an_agent() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let key = install_key(&app, &session, None).await;
    let mut body = inventory("big-01");
    body["updates"] = (0..1500)
        .map(|n| {
            json!({"name": format!("package-{n:04}"), "version": "1.0.0-long-version-text",
            "category": null, "size": null, "kb_ids": [], "is_available": true, "error": null,
            "published_on": null, "installed_on": null})
        })
        .collect();
    assert!(body.to_string().len() > 64 * 1024);

    let response = app
        .post(
            "/agent/v1/enroll",
            json!({"install_key": key, "inventory": body}),
        )
        .send(&app)
        .await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
}
