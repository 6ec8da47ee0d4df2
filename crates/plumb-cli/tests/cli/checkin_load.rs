//! `plumb dev checkin-load` against a real server on a loopback port: it enrolls the devices,
//! measures their check-ins and prints one JSON line; the server holds every device.

use clap::Parser;
use plumb_cli::{Cli, Command, dev};
use plumb_core::activity::Actor;
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{DeviceFilter, InventoryDetail};
use serde_json::Value;

use crate::server::server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkin_load_enrolls_the_devices_and_prints_one_json_line_of_figures() {
    let server = server().await;
    let actor = Actor {
        user: None,
        api_key: None,
        organization_id: server.organization_id,
        ip: None,
    };
    let now = server.state.clock.now();
    let (_, key) = server
        .state
        .install_keys
        .create(&actor, None, now)
        .await
        .unwrap();
    let cli = Cli::try_parse_from([
        "plumb",
        "dev",
        "checkin-load",
        "--server",
        &server.url,
        "--install-key",
        key.expose(),
        "--devices",
        "12",
        "--seconds",
        "2",
        "--changed-share",
        "0.3",
    ])
    .unwrap();
    let Command::Dev(dev::DevCommand::CheckinLoad(args)) = cli.command else {
        panic!("not checkin-load");
    };

    let mut out = Vec::new();
    dev::checkin_load(&args, &mut out).await.unwrap();

    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let figures: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(figures["errors"], 0, "{text}");
    assert_eq!(figures["devices"], 12, "{text}");
    assert!(
        figures["checkins_per_second"].as_f64().unwrap() > 0.0,
        "{text}"
    );
    let (p50, p99) = (
        figures["p50_ms"].as_f64().unwrap(),
        figures["p99_ms"].as_f64().unwrap(),
    );
    assert!(p50 > 0.0 && p99 >= p50, "{text}");
    let page = PageRequest {
        limit: 100,
        cursor: Cursor::First,
    };
    let devices = server
        .state
        .store
        .list_devices(
            server.organization_id,
            &DeviceFilter::default(),
            &page,
            InventoryDetail::Summary,
        )
        .await
        .unwrap();
    assert_eq!(devices.items.len(), 12);
    assert!(devices.items.iter().all(|device| device.online));
}

#[test]
fn checkin_load_refuses_a_changed_share_outside_zero_to_one() {
    let cli = Cli::try_parse_from([
        "plumb",
        "dev",
        "checkin-load",
        "--server",
        "http://127.0.0.1:9",
        "--install-key",
        "plumbi_x",
        "--devices",
        "1",
        "--seconds",
        "1",
        "--changed-share",
        "1.5",
    ])
    .unwrap();
    let Command::Dev(dev::DevCommand::CheckinLoad(args)) = cli.command else {
        panic!("not checkin-load");
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let error = runtime
        .block_on(dev::checkin_load(&args, &mut Vec::new()))
        .unwrap_err();
    assert!(error.to_string().contains("--changed-share"), "{error}");
}
