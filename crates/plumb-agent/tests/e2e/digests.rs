//! The running agent sends its inventory in full once, then only its digests while the machine
//! does not change; the device stays seen.

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
