//! Settings → Webhooks: who may open it, and what the page offers before its script runs.

use axum::http::StatusCode;

use crate::helpers::TestApp;
use crate::ui_support::{html, plain_technician, settings_technician};

#[tokio::test]
async fn the_webhooks_page_is_for_people_with_settings_and_lists_levels_events() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let with_settings = settings_technician(&app).await;
    let without = plain_technician(&app).await;

    let body = html(&app, "/settings/webhooks", Some(&admin), StatusCode::OK).await;
    assert!(body.contains("<h1 id=\"webhooks-title\">Webhooks</h1>"));
    for event in ["alert_active", "device_updated", "group_deleted"] {
        assert!(body.contains(&format!("value=\"{event}\"")), "{event}");
    }
    assert!(body.contains("href=\"/settings/webhooks\" aria-current=\"page\""));
    assert!(body.contains("Send test event"));
    html(
        &app,
        "/settings/webhooks",
        Some(&with_settings),
        StatusCode::OK,
    )
    .await;
    let denied = html(
        &app,
        "/settings/webhooks",
        Some(&without),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert!(!denied.contains("endpoint-form"));
}
