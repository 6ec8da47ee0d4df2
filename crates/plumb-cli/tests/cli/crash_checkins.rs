//! Power-cut durability of grouped check-ins: devices check in with their digests (heartbeats
//! sharing commits) while `plumb serve` is killed with SIGKILL; after a restart every device's
//! `last_seen_at` is at least the moment its last acknowledged check-in was sent. Two runs on
//! SQLite, one on PostgreSQL (when the tests have one).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plumb_core::clock::{Clock, SystemClock};
use plumb_proto::agent::{CheckinRequest, InventoryDigests};
use plumb_proto::inventory::Inventory;
use plumb_store_tests::TestSchema;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::crash::{Session, call, init, serve, sign_in};

/// Devices checking in at once.
const DEVICES: usize = 8;
/// Acknowledged check-ins to wait for before the kill.
const BEFORE_THE_KILL: usize = 200;

#[test]
fn acknowledged_grouped_checkins_survive_sigkill_on_sqlite() {
    for run in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        crash_and_check(&dir, None, run);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_grouped_checkins_survive_sigkill_on_postgres() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = schema.url();
    tokio::task::spawn_blocking(move || crash_and_check(&dir, Some(&url), 0))
        .await
        .unwrap();
    schema.drop_schema().await;
}

fn crash_and_check(dir: &tempfile::TempDir, database_url: Option<&str>, run: usize) {
    let data = dir.path().to_str().unwrap().to_owned();
    let mut store_args = vec!["--data-dir".to_owned(), data];
    if let Some(url) = database_url {
        store_args.extend(["--database-url".to_owned(), url.to_owned()]);
    }
    init(&store_args);
    let (mut server, address) = serve(&store_args);
    let session = sign_in(&address);
    let install_key = post(&address, &session, "/api/v1/install-keys", &json!({}))["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let api_key = post(
        &address,
        &session,
        "/api/v1/api-keys",
        &json!({"description": "Reader", "access": "read_only"}),
    )["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let devices: Vec<(String, String, InventoryDigests)> = (0..DEVICES)
        .map(|n| enroll(&address, &install_key, &format!("crash-{run}-{n}")))
        .collect();

    // Act: every device checks in with its digests, back to back; the server dies under them.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let last_sent: Arc<Mutex<Vec<Option<OffsetDateTime>>>> =
        Arc::new(Mutex::new(vec![None; DEVICES]));
    let stop = Arc::new(AtomicBool::new(false));
    let agents: Vec<_> = devices
        .iter()
        .cloned()
        .enumerate()
        .map(|(n, (_, token, digests))| {
            let (address, acknowledged, last_sent, stop) = (
                address.clone(),
                acknowledged.clone(),
                last_sent.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                let body = serde_json::to_value(CheckinRequest::digest(&digests, 60)).unwrap();
                let bearer = format!("Bearer {token}");
                while !stop.load(Ordering::Acquire) {
                    let sent = SystemClock.now();
                    let headers = [("authorization", bearer.as_str())];
                    match call(&address, "POST", "/agent/v1/checkin", &headers, Some(&body)) {
                        Ok((200, answer)) => {
                            assert_eq!(answer, json!({"runs": []}), "not a plain heartbeat");
                            last_sent.lock().unwrap()[n] = Some(sent);
                            acknowledged.fetch_add(1, Ordering::AcqRel);
                        }
                        Ok((status, answer)) => panic!("a check-in was refused: {status} {answer}"),
                        Err(_) => break,
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.load(Ordering::Acquire) < BEFORE_THE_KILL {
        assert!(Instant::now() < deadline, "the agents made no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    stop.store(true, Ordering::Release);
    for agent in agents {
        agent.join().unwrap();
    }

    // Assert: after a restart each device was last seen no earlier than its last acknowledged
    // check-in was sent.
    let (mut server, address) = serve(&store_args);
    let last_sent = last_sent.lock().unwrap().clone();
    for ((id, _, _), sent) in devices.iter().zip(last_sent) {
        let Some(sent) = sent else { continue };
        let headers = [("authorization", api_key.as_str())];
        let (status, device) = call(
            &address,
            "GET",
            &format!("/v2/devices/{id}"),
            &headers,
            None,
        )
        .unwrap();
        assert_eq!(status, 200, "{device}");
        let seen =
            OffsetDateTime::parse(device["last_seen_at"].as_str().unwrap(), &Rfc3339).unwrap();
        let sent_ms = sent
            .replace_nanosecond(sent.millisecond() as u32 * 1_000_000)
            .unwrap();
        assert!(
            seen >= sent_ms,
            "run {run}: device {id} last seen {seen}, but a check-in sent at {sent} was acknowledged"
        );
    }
    std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    server.wait().unwrap();
}

fn post(address: &str, session: &Session, path: &str, body: &Value) -> Value {
    let (status, created) = call(address, "POST", path, &session.headers(), Some(body)).unwrap();
    assert_eq!(status, 201, "{path}: {created}");
    created
}

/// Enrolls a device and checks it in once in full; returns its id, token and digests.
fn enroll(address: &str, install_key: &str, hostname: &str) -> (String, String, InventoryDigests) {
    let inventory = Inventory {
        hostname: hostname.to_owned(),
        ..Inventory::default()
    };
    let body = json!({"install_key": install_key, "inventory": inventory});
    let (status, enrolled) = call(address, "POST", "/agent/v1/enroll", &[], Some(&body)).unwrap();
    assert_eq!(status, 201, "{enrolled}");
    let token = enrolled["device_token"].as_str().unwrap().to_owned();
    let full = serde_json::to_value(CheckinRequest::full(inventory.clone(), 60)).unwrap();
    let bearer = format!("Bearer {token}");
    let (status, answer) = call(
        address,
        "POST",
        "/agent/v1/checkin",
        &[("authorization", bearer.as_str())],
        Some(&full),
    )
    .unwrap();
    assert_eq!((status, answer), (200, json!({"runs": []})));
    (
        enrolled["device_id"].as_str().unwrap().to_owned(),
        token,
        InventoryDigests::of(&inventory),
    )
}
