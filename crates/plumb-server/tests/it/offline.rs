//! Offline detection: a device that misses three check-in intervals goes offline with one
//! critical `Device offline` alert, which resolves itself when the device checks in again.
//! The sweep is driven with explicit times (`plumb_server::offline::sweep_at`).

use plumb_core::id::DeviceId;
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{AlertRecord, CheckIn, OFFLINE_ALERT};
use plumb_proto::inventory::Inventory;
use plumb_proto::v2::Severity;
use plumb_server::offline::sweep_at;
use time::Duration;

use crate::agent_protocol::{check_in, enrolled};
use crate::helpers::TestApp;

async fn alerts(app: &TestApp, device: DeviceId) -> Vec<AlertRecord> {
    let page = PageRequest {
        limit: 100,
        cursor: Cursor::First,
    };
    app.app
        .state
        .store
        .list_alerts(app.admin.organization.id, Some(device), None, &page)
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn a_device_that_misses_three_intervals_goes_offline_once_and_comes_back_on_check_in() {
    let app = TestApp::new().await;
    let (id, token) = enrolled(&app, "web-01").await;
    let device = DeviceId::parse(&id).unwrap();
    let org = app.admin.organization.id;
    let enrolled_at = app.app.state.clock.now();
    let state = &app.app.state;

    let on_time = sweep_at(state, enrolled_at + Duration::seconds(170))
        .await
        .unwrap();
    assert!(on_time.is_empty());
    assert!(state.store.device(org, device).await.unwrap().online);

    let late = sweep_at(state, enrolled_at + Duration::seconds(181))
        .await
        .unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].device_id, device);
    assert!(!state.store.device(org, device).await.unwrap().online);
    let again = sweep_at(state, enrolled_at + Duration::seconds(400))
        .await
        .unwrap();
    assert!(again.is_empty(), "one alert per outage");
    let raised = alerts(&app, device).await;
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].name, OFFLINE_ALERT);
    assert_eq!(raised[0].severity, Severity::Critical);
    assert_eq!(raised[0].resolved_at, None);

    let back = check_in(&app, &token, "web-01").await;
    assert_eq!(back.status, axum::http::StatusCode::OK, "{}", back.text);
    assert!(state.store.device(org, device).await.unwrap().online);
    let resolved = alerts(&app, device).await;
    assert_eq!(resolved.len(), 1);
    assert!(resolved[0].resolved_at.is_some());
}

#[tokio::test]
async fn the_background_sweeper_takes_a_late_device_offline_and_stops_with_the_server() {
    let app = TestApp::with_config(|config| config.offline_sweep_seconds = 1).await;
    let org = app.admin.organization.id;
    let id = DeviceId::parse(&app.device(org, None, "late-01").await).unwrap();
    let now = app.app.state.clock.now();
    let checkin = CheckIn {
        device_id: id,
        hostname: "late-01".to_owned(),
        serial_number: None,
        inventory: serde_json::to_string(&Inventory {
            hostname: "late-01".to_owned(),
            ..Inventory::default()
        })
        .unwrap(),
        public_ip_address: None,
        updates: vec![],
        seen_at: now - Duration::minutes(10),
        offline_after: now - Duration::minutes(1),
        digests: None,
    };
    app.app
        .state
        .store
        .record_checkin(org, &checkin)
        .await
        .unwrap();
    assert!(app.app.state.store.device(org, id).await.unwrap().online);

    let mut online = true;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        online = app.app.state.store.device(org, id).await.unwrap().online;
        if !online {
            break;
        }
    }
    assert!(!online, "the sweeper did not run within four seconds");
    let TestApp { app, .. } = app;
    tokio::time::timeout(std::time::Duration::from_secs(5), app.shutdown())
        .await
        .expect("shutdown waits for the sweeper, which stops at once");
}

#[tokio::test]
async fn a_sweep_interval_of_zero_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = plumb_server::config::Config {
        data_dir: dir.path().to_path_buf(),
        offline_sweep_seconds: 0,
        ..plumb_server::config::Config::default()
    };
    let error = plumb_server::App::start(&config).await.err().unwrap();
    assert!(
        error.to_string().contains("offline_sweep_seconds"),
        "{error}"
    );
}
