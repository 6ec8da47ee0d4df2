//! A device whose stored inventory does not decode is a damaged database: every view of it
//! (the `/v2` list and show, `/api/v1`'s list and show, the device page) answers a generic
//! 500, never a device with silent `null`s.

use axum::http::StatusCode;
use plumb_core::store::NewDevice;

use crate::helpers::TestApp;
use crate::ui_support::html;

#[tokio::test]
async fn a_device_whose_stored_inventory_does_not_decode_gets_a_generic_500_everywhere() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = NewDevice {
        inventory: Some(r#"{"cpu":4}"#.to_owned()),
        ..NewDevice::bare(org, None, "damaged-01", app.app.state.clock.now())
    };
    app.app.state.store.insert_device(&device).await.unwrap();
    let id = device.id;

    for path in ["/v2/devices".to_owned(), format!("/v2/devices/{id}")] {
        let response = app.get(&path).key(&key).send(&app).await;

        assert_eq!(
            response.error(StatusCode::INTERNAL_SERVER_ERROR),
            "internal error",
            "{path}"
        );
        assert_eq!(response.body["code"], "internal", "{path}");
    }
    for path in [
        "/api/v1/devices".to_owned(),
        format!("/api/v1/devices/{id}"),
    ] {
        let response = app.get(&path).session(&session).send(&app).await;

        assert_eq!(
            response.error(StatusCode::INTERNAL_SERVER_ERROR),
            "internal error",
            "{path}"
        );
    }
    let page = html(
        &app,
        &format!("/devices/{id}"),
        Some(&session),
        StatusCode::INTERNAL_SERVER_ERROR,
    )
    .await;
    assert!(!page.contains("cpu"), "cause leaked: {page}");
}
