//! The `plumb-agent` binary without a server: its refusals and failures, and that the device
//! token and the install key never appear in what it prints.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests panic on broken fixtures"
)]

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use plumb_agent::secret::Secret;
use plumb_agent::state::{self, AgentState};

const TOKEN: &str = "plumbd_q8XkT3vRz1LmN6bWc9YfH2jP5sD7gA0e4Jx2Kd";
const INSTALL_KEY: &str = "plumbi_Zy8XkT3vRz1LmN6bWc9YfH2jP5sD7gA0e4Jx2K";

/// A loopback URL nothing listens on (the port was just freed).
fn closed_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

fn agent(args: &[&str], state_dir: &Path) -> (Output, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_plumb-agent"))
        .args(args)
        .env("PLUMB_AGENT_STATE_DIR", state_dir)
        .env("PLUMB_INSTALL_KEY", INSTALL_KEY)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!text.contains(&TOKEN[7..]), "the token leaked: {text}");
    assert!(!text.contains(&INSTALL_KEY[7..]), "the key leaked: {text}");
    (output, text)
}

fn enrolled(dir: &Path, server: &str) -> AgentState {
    let state = AgentState {
        server: server.to_owned(),
        device_id: "dev_01".to_owned(),
        device_token: Secret::new(TOKEN),
    };
    state::save(dir, &state).unwrap();
    state
}

#[test]
fn enrolling_an_enrolled_machine_is_refused_without_force_and_keeps_its_state() {
    let dir = tempfile::tempdir().unwrap();
    let before = enrolled(dir.path(), "http://127.0.0.1:9");
    let (output, text) = agent(&["enroll", "--server", &closed_server()], dir.path());
    assert!(!output.status.success());
    assert!(text.contains("already enrolled as device dev_01"), "{text}");
    assert!(text.contains("--force"), "{text}");
    assert_eq!(state::load(dir.path()).unwrap(), before);
}

#[test]
fn a_failed_forced_enrollment_keeps_the_previous_state() {
    let dir = tempfile::tempdir().unwrap();
    let before = enrolled(dir.path(), "http://127.0.0.1:9");
    let server = closed_server();
    let (output, text) = agent(&["enroll", "--server", &server, "--force"], dir.path());
    assert!(!output.status.success());
    assert!(text.contains("enrollment failed"), "{text}");
    assert!(text.contains(&server), "{text}");
    assert_eq!(state::load(dir.path()).unwrap(), before);
}

#[test]
fn enrolling_needs_an_http_server_url() {
    let dir = tempfile::tempdir().unwrap();
    let (output, text) = agent(&["enroll", "--server", "rmm.example.com"], dir.path());
    assert!(!output.status.success());
    assert!(text.contains("is not a URL"), "{text}");
    assert!(!state::path(dir.path()).exists());
}

#[test]
fn running_before_enrolling_fails_and_says_how_to_enroll() {
    let dir = tempfile::tempdir().unwrap();
    let (output, text) = agent(&["run", "--once"], dir.path());
    assert!(!output.status.success());
    assert!(text.contains("not enrolled"), "{text}");
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
}

#[test]
fn running_once_fails_when_the_server_cannot_be_reached() {
    let dir = tempfile::tempdir().unwrap();
    let server = closed_server();
    enrolled(dir.path(), &server);
    let (output, text) = agent(&["run", "--once"], dir.path());
    assert!(!output.status.success());
    assert!(text.contains("check-in failed"), "{text}");
    assert!(text.contains(&server), "{text}");
}

#[test]
fn an_interval_under_ten_seconds_is_refused_as_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (output, text) = agent(&["run", "--interval", "5"], dir.path());
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("--interval"), "{text}");
}
