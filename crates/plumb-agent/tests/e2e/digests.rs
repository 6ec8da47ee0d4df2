//! The running agent sends its inventory in full once, then only its digests while the machine
//! does not change; the device stays seen. A change on the machine (a new package update that
//! apt offers) goes out in full at the next check-in and reaches `/v2`.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::daemon::Daemon;
use crate::harness::{Server, enrolled_agent};

async fn last_seen(server: &Server, device_id: &str) -> OffsetDateTime {
    let device = server.v2_get(&format!("/v2/devices/{device_id}")).await;
    let seen = device.body["last_seen_at"].as_str().unwrap();
    OffsetDateTime::parse(seen, &Rfc3339).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_agent_sends_its_inventory_once_then_digests_while_it_does_not_change() {
    let server = Server::start().await;
    let (state, device_id) = enrolled_agent(&server).await;
    let mut daemon = Daemon::start(state.path());

    daemon
        .wait_for("checked in; 0 run(s) to execute (full inventory sent)")
        .await;
    let after_full = last_seen(&server, &device_id).await;
    // The next cycle, or one soon after if the machine's free disk space just crossed a step.
    daemon
        .wait_for("checked in; 0 run(s) to execute (inventory unchanged, digest sent)")
        .await;
    let after_digest = last_seen(&server, &device_id).await;
    let (status, lines) = daemon.terminate().await;

    assert!(
        after_digest > after_full,
        "{after_full} then {after_digest}"
    );
    let device = server.v2_get(&format!("/v2/devices/{device_id}")).await;
    assert_eq!(device.body["online"], true, "{}", device.body);
    assert!(status.success(), "{status}: {lines:#?}");
}

/// A stand-in `apt` first in the agent's `PATH`: `apt list --upgradable` prints the file
/// `upgradable` beside it (nothing while it is missing).
fn stand_in_apt() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let apt = dir.path().join("apt");
    let script =
        "#!/bin/sh\necho 'Listing...'\ncat \"$(dirname \"$0\")/upgradable\" 2>/dev/null\nexit 0\n";
    std::fs::write(&apt, script).unwrap();
    std::fs::set_permissions(&apt, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

async fn offered(server: &Server, device_id: &str, name: &str) -> Option<serde_json::Value> {
    let page = server
        .v2_get(&format!("/v2/updates?device_id={device_id}&limit=100"))
        .await;
    page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|update| update["name"] == name)
        .cloned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_package_update_appearing_on_the_machine_reaches_v2_at_the_next_check_in() {
    let server = Server::start().await;
    let (state, device_id) = enrolled_agent(&server).await;
    let apt = stand_in_apt();
    let mut daemon = Daemon::start_with_path(state.path(), Some(apt.path()));
    daemon
        .wait_for("checked in; 0 run(s) to execute (full inventory sent)")
        .await;
    daemon
        .wait_for("checked in; 0 run(s) to execute (inventory unchanged, digest sent)")
        .await;
    let before = offered(&server, &device_id, "plumb-e2e-tool").await;

    // apt now offers an update; the next cycle collects it.
    std::fs::write(
        apt.path().join("upgradable"),
        "plumb-e2e-tool/stable-security 2.0-1 amd64 [upgradable from: 1.0-1]\n",
    )
    .unwrap();
    daemon
        .wait_for("checked in; 0 run(s) to execute (full inventory sent)")
        .await;
    let after = offered(&server, &device_id, "plumb-e2e-tool").await;
    daemon
        .wait_for("checked in; 0 run(s) to execute (inventory unchanged, digest sent)")
        .await;
    let (status, lines) = daemon.terminate().await;

    assert_eq!(before, None);
    let update = after.expect("the new update is in /v2/updates after the next check-in");
    assert_eq!(update["is_available"], true, "{update}");
    assert!(status.success(), "{status}: {lines:#?}");
}
