//! The "Install command" the web UI and `plumb install-keys create` show, pasted into a shell on
//! this machine: it fetches the installer and the agent from the server's `/downloads/`, checks
//! the SHA-256, enrolls and writes the systemd unit; `uninstall --purge` takes it all away.
//! `sudo` is a stand-in that keeps the environment, and every path points into a temporary
//! directory (`PLUMB_AGENT_BIN_DIR`, `PLUMB_AGENT_STATE_DIR`, `PLUMB_AGENT_UNIT_DIR`) with
//! `PLUMB_AGENT_NO_START`, so the real system is never touched.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{Server, agent_async};

/// The server, with this build's agent offered as `plumb-agent-linux-<arch>`.
async fn server_with_agent(downloads: &Path) -> Server {
    let name = format!("plumb-agent-linux-{}", std::env::consts::ARCH);
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_plumb-agent"), downloads.join(name)).unwrap();
    let dir = downloads.to_path_buf();
    Server::start_adjusted(|config| config.downloads_dir = Some(dir)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pasted_install_command_enrolls_this_machine_and_installs_the_service() {
    let root = tempfile::tempdir().unwrap();
    let downloads = root.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let server = server_with_agent(&downloads).await;
    let created = server.v1_post("/api/v1/install-keys", json!({})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let command = created.body["install_command"].as_str().unwrap().to_owned();
    let key = created.body["key"].as_str().unwrap().to_owned();
    assert!(command.starts_with("curl -fsSL '"), "{command}");
    assert!(
        command.contains(&format!("PLUMB_INSTALL_KEY={key} sh")),
        "{command}"
    );
    let fake_bin = root.path().join("fake-bin");
    std::fs::create_dir(&fake_bin).unwrap();
    let sudo = fake_bin.join("sudo");
    std::fs::write(&sudo, "#!/bin/sh\nexec env \"$@\"\n").unwrap();
    std::fs::set_permissions(&sudo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = root.path().join("bin");
    let state = root.path().join("state");
    let units = root.path().join("units");
    let path = format!("{}:{}", fake_bin.display(), std::env::var("PATH").unwrap());
    let (bin_dir, state_dir, unit_dir) = (bin.clone(), state.clone(), units.clone());

    let output = tokio::task::spawn_blocking(move || {
        Command::new("sh")
            .args(["-c", &command])
            .env("PATH", path)
            .env("PLUMB_AGENT_BIN_DIR", bin_dir)
            .env("PLUMB_AGENT_STATE_DIR", state_dir)
            .env("PLUMB_AGENT_UNIT_DIR", unit_dir)
            .env("PLUMB_AGENT_NO_START", "true")
            .output()
            .unwrap()
    })
    .await
    .unwrap();

    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    assert!(!text.contains(&key[7..]), "the install key leaked: {text}");
    let installed = std::fs::read(bin.join("plumb-agent")).unwrap();
    assert_eq!(
        installed,
        std::fs::read(env!("CARGO_BIN_EXE_plumb-agent")).unwrap()
    );
    let unit = std::fs::read_to_string(units.join("plumb-agent.service")).unwrap();
    let exec = format!(
        "ExecStart={} run --state-dir {} --interval 60\n",
        bin.join("plumb-agent").display(),
        state.display()
    );
    assert!(unit.contains(&exec), "{unit}");
    let devices = server.v2_get("/v2/devices").await;
    assert_eq!(
        devices.body["data"].as_array().unwrap().len(),
        1,
        "{}",
        devices.body
    );

    let removed = agent_async(
        &state,
        None,
        &[
            "uninstall",
            "--purge",
            "--no-start",
            "--unit-dir",
            units.to_str().unwrap(),
        ],
    )
    .await;

    assert!(removed.success, "{}", removed.text);
    assert!(!units.join("plumb-agent.service").exists());
    assert!(!state.join("agent.json").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installing_again_keeps_the_enrollment_and_rewrites_the_unit() {
    let server = Server::start().await;
    let (_, key) = server.install_key().await;
    let state = tempfile::tempdir().unwrap();
    let units = tempfile::tempdir().unwrap();
    let unit_dir = units.path().to_str().unwrap();
    let install = [
        "install",
        "--server",
        server.url.as_str(),
        "--no-start",
        "--unit-dir",
        unit_dir,
    ];

    let first = agent_async(state.path(), Some(&key), &install).await;
    let again = agent_async(
        state.path(),
        None,
        &["install", "--no-start", "--unit-dir", unit_dir],
    )
    .await;

    assert!(first.success, "{}", first.text);
    assert!(again.success, "{}", again.text);
    assert!(again.text.contains("already enrolled"), "{}", again.text);
    assert!(units.path().join("plumb-agent.service").exists());
    let devices = server.v2_get("/v2/devices").await;
    assert_eq!(devices.body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installing_an_unenrolled_machine_without_a_key_says_what_is_missing() {
    let state = tempfile::tempdir().unwrap();
    let units = tempfile::tempdir().unwrap();

    let run = agent_async(
        state.path(),
        None,
        &[
            "install",
            "--no-start",
            "--unit-dir",
            units.path().to_str().unwrap(),
        ],
    )
    .await;

    assert!(!run.success);
    assert!(run.text.contains("PLUMB_INSTALL_KEY"), "{}", run.text);
    assert!(!units.path().join("plumb-agent.service").exists());
}
