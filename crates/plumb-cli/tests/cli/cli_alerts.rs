//! `plumb alerts list|resolve` through the real binary: active and resolved alerts, the table
//! and each `--json` shape pinned by a snapshot. Alerts are raised by the server (here through
//! its store, as a check-in would).

use plumb_core::id::{AlertId, DeviceId};
use plumb_core::store::NewAlert;
use plumb_proto::v2::Severity;

use crate::real::{Plumb, cli_snapshot, signed_in};

async fn raise(plumb: &Plumb, device: &str, name: &str, severity: Severity) -> String {
    let server = &plumb.server;
    let alert = NewAlert {
        id: AlertId::new(),
        organization_id: server.organization_id,
        device_id: DeviceId::parse(device).unwrap(),
        name: name.to_owned(),
        description: format!("{name} on the device"),
        payload: None,
        severity,
        started_at: server.state.clock.now(),
    };
    server.state.store.insert_alert(&alert).await.unwrap();
    alert.id.to_string()
}

#[tokio::test]
async fn alerts_are_listed_by_status_and_resolved() {
    let plumb = signed_in().await;
    let empty = plumb.ok(&["alerts", "list"]).await;
    let device = plumb.device("web-01").await;
    let disk = raise(&plumb, &device, "Disk full", Severity::Critical).await;
    let cpu = raise(&plumb, &device, "CPU busy", Severity::Warning).await;

    let table = plumb.ok(&["alerts", "list"]).await;
    let active = plumb.json(&["alerts", "list", "--status", "active"]).await;
    let resolved_line = plumb.ok(&["alerts", "resolve", &disk]).await;
    let resolved = plumb.json(&["alerts", "resolve", &cpu]).await;
    let still_active = plumb.json(&["alerts", "list", "--status", "active"]).await;
    let done = plumb
        .json(&["alerts", "list", "--status", "resolved"])
        .await;
    let unknown = plumb.fails(1, &["alerts", "resolve", "nope"]).await;

    assert_eq!(empty, "No alerts.\n");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("SEVERITY"),
        "{table}"
    );
    let disk_line = lines
        .iter()
        .find(|line| line.contains("Disk full"))
        .unwrap();
    assert!(
        disk_line.starts_with(&disk)
            && disk_line.contains("critical")
            && disk_line.contains("web-01")
            && disk_line.ends_with("false"),
        "{table}"
    );
    assert_eq!(active["data"].as_array().unwrap().len(), 2);
    assert_eq!(resolved_line, format!("Resolved alert {disk}.\n"));
    assert_eq!(resolved["id"], cpu.as_str());
    assert_eq!(resolved["is_resolved"], true);
    assert_eq!(still_active["data"], serde_json::json!([]));
    assert_eq!(done["data"].as_array().unwrap().len(), 2);
    assert!(unknown.contains("not found"), "{unknown}");
    cli_snapshot!(plumb, "alerts_resolve", resolved);
    // One alert of the list, in the list's shape (`data`, `has_more`).
    let mut one = done;
    one["data"]
        .as_array_mut()
        .unwrap()
        .retain(|alert| alert["id"] == cpu.as_str());
    cli_snapshot!(plumb, "alerts_list", one);
}
