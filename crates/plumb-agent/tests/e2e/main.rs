//! End to end: the real `plumb-agent` binary enrolls with the real plumb server (in process, on
//! a loopback port), checks in, runs automations, and the public API shows what it reported.
//! Linux only: the expected values come from the machine's own files and commands.

#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests panic on broken fixtures"
)]

mod automations;
mod daemon;
mod harness;
mod install;
mod resend;

use reqwest::StatusCode;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::daemon::Daemon;
use crate::harness::{Server, agent_async, enrolled_agent, shell};

const INCLUDE_ALL: &str = "include_operating_system=true&include_cpus=true&include_disks=true\
                           &include_network_interfaces=true";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolled_agent_shows_this_machine_in_the_public_api() {
    shows_this_machine(Server::start().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolled_agent_shows_this_machine_in_the_public_api_on_postgresql() {
    if let Some(server) = Server::start_postgres().await {
        shows_this_machine(server).await;
    }
}

#[allow(
    clippy::disallowed_methods,
    reason = "the last check-in is compared with the real clock"
)]
async fn shows_this_machine(server: Server) {
    let (_state, device_id) = enrolled_agent(&server).await;

    let listed = server.v2_get(&format!("/v2/devices?{INCLUDE_ALL}")).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let devices = listed.body["data"].as_array().unwrap();
    let device = devices
        .iter()
        .find(|device| device["id"] == device_id.as_str())
        .unwrap_or_else(|| panic!("device {device_id} not in {}", listed.body));

    assert_eq!(device["hostname"], shell("hostname").as_str());
    assert_eq!(device["platform"], "Linux");
    let pretty = shell(". /etc/os-release && echo \"$PRETTY_NAME\"");
    assert_eq!(
        device["operating_system"]["full_operating_system"],
        pretty.as_str()
    );
    let cores = shell("lscpu -p=SOCKET,CORE | grep -v '^#' | sort -u | wc -l");
    assert_eq!(device["cpu_cores"], cores.parse::<u64>().unwrap());
    let mem_kib: u64 = shell("awk '/^MemTotal:/ {print $2}' /proc/meminfo")
        .parse()
        .unwrap();
    assert_eq!(device["total_memory"], mem_kib * 1024);
    assert!(!device["cpus"].as_array().unwrap().is_empty(), "{device}");
    assert_eq!(device["online"], true);
    assert_eq!(device["public_ip_address"], "127.0.0.1");
    let seen = OffsetDateTime::parse(device["last_seen_at"].as_str().unwrap(), &Rfc3339).unwrap();
    let age = OffsetDateTime::now_utc() - seen;
    assert!(age.abs() < time::Duration::seconds(60), "last seen {seen}");
    let interfaces = device["network_interfaces"].as_array().unwrap();
    assert!(
        interfaces
            .iter()
            .any(|interface| !interface["ip_addresses"].as_array().unwrap().is_empty()),
        "no interface with an address: {interfaces:?}"
    );
    reports_installed_updates(&server, &device_id).await;
}

/// dpkg's last upgrade shows as an installed update, unless a newer one is available.
async fn reports_installed_updates(server: &Server, device_id: &str) {
    let mut updates = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = server
            .v2_get(&format!(
                "/v2/updates?device_id={device_id}&limit=100{cursor}"
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        updates.extend(page.body["data"].as_array().unwrap().iter().cloned());
        if page.body["has_more"] != true {
            break;
        }
        let last = updates.last().unwrap()["id"].as_str().unwrap();
        cursor = format!("&starting_after={last}");
    }
    let last_upgraded = shell(
        "grep ' upgrade ' /var/log/dpkg.log 2>/dev/null | tail -n 1 | awk '{print $4}' | cut -d: -f1",
    );
    let installed: Vec<&serde_json::Value> = updates
        .iter()
        .filter(|update| update["is_available"] == false)
        .collect();
    if last_upgraded.is_empty() {
        assert!(installed.is_empty(), "{installed:?}");
        return;
    }
    let named = |name: &str| updates.iter().find(|update| update["name"] == name);
    let update =
        named(&last_upgraded).unwrap_or_else(|| panic!("{last_upgraded} is not among {updates:?}"));
    if update["is_available"] == false {
        assert!(update["installed_on"].is_string(), "{update}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_device_stops_its_agent_with_a_clear_message() {
    let server = Server::start().await;
    let (state, device_id) = enrolled_agent(&server).await;

    let deleted = server.v2_delete(&format!("/v2/devices/{device_id}")).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let run = agent_async(state.path(), None, &["run", "--once"]).await;

    assert!(!run.success, "{}", run.text);
    assert!(
        run.text.contains("the device token is no longer valid"),
        "{}",
        run.text
    );
    assert!(run.text.contains("enroll --force"), "{}", run.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_install_key_enrolls_nothing() {
    let server = Server::start().await;
    let (key_id, key) = server.install_key().await;
    let revoked = server
        .v1_delete(&format!("/api/v1/install-keys/{key_id}"))
        .await;
    assert!(revoked.status.is_success(), "{}", revoked.body);
    let dir = tempfile::tempdir().unwrap();

    let enroll = ["enroll", "--server", server.url.as_str()];
    let run = agent_async(dir.path(), Some(&key), &enroll).await;

    assert!(!run.success, "{}", run.text);
    assert!(run.text.contains("invalid install key"), "{}", run.text);
    assert!(!dir.path().join("agent.json").exists());
    let listed = server.v2_get("/v2/devices").await;
    assert_eq!(listed.body["data"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_agent_stops_cleanly_on_sigterm() {
    let server = Server::start().await;
    let (state, _) = enrolled_agent(&server).await;
    let mut daemon = Daemon::start(state.path());
    daemon.wait_for("checked in").await;

    let (status, lines) = daemon.terminate().await;

    assert!(status.success(), "{status}: {lines:#?}");
    assert_eq!(
        lines.last().map(String::as_str),
        Some("stop signal received; stopping"),
        "{lines:#?}"
    );
}
