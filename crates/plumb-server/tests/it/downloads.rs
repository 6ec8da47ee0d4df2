//! `/downloads/`: the agent binaries with their SHA-256 (public, for devices without any
//! credential yet), `SHA256SUMS`, `install.sh` and the install command of a new install key.

use axum::http::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::TestApp;

const AGENT: &[u8] = b"\x7fELF pretend agent";

async fn app_with_agent() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plumb-agent-linux-aarch64"), AGENT).unwrap();
    std::fs::write(dir.path().join("README"), b"not an agent").unwrap();
    let path = dir.path().to_path_buf();
    let app = TestApp::with_config(|config| config.downloads_dir = Some(path)).await;
    (app, dir)
}

#[tokio::test]
async fn the_downloads_page_lists_each_agent_with_its_sha256_without_signing_in() {
    let (app, _dir) = app_with_agent().await;
    let digest = hex::encode(Sha256::digest(AGENT));

    let page = app
        .get("/downloads/")
        .header("accept", "text/html")
        .send(&app)
        .await;
    let sums = app.get("/downloads/SHA256SUMS").send(&app).await;
    let file = app
        .get("/downloads/plumb-agent-linux-aarch64")
        .send(&app)
        .await;
    let other = app.get("/downloads/README").send(&app).await;
    let up = app.get("/downloads/..%2Fplumb.db").send(&app).await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("plumb-agent-linux-aarch64"),
        "{}",
        page.text
    );
    assert!(page.text.contains(&digest), "{}", page.text);
    assert!(!page.text.contains("README"));
    assert_eq!(sums.text, format!("{digest}  plumb-agent-linux-aarch64\n"));
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.text.as_bytes(), AGENT);
    assert_eq!(file.headers["content-type"], "application/octet-stream");
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(up.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_installer_checks_the_sha256_of_each_architecture_it_offers() {
    let (app, _dir) = app_with_agent().await;
    let digest = hex::encode(Sha256::digest(AGENT));

    let script = app
        .get("/downloads/install.sh")
        .header("host", "plumb.lan:8080")
        .send(&app)
        .await;

    assert_eq!(script.status, StatusCode::OK);
    assert!(script.text.starts_with("#!/bin/sh\n"));
    assert!(
        script.text.contains("server='http://plumb.lan:8080'"),
        "{}",
        script.text
    );
    assert!(
        script
            .text
            .contains(&format!("Linux-aarch64) sha256='{digest}'")),
        "{}",
        script.text
    );
    assert!(script.text.contains("sha256sum -c"));
    assert!(script.text.contains("plumb-agent\" install --server"));
}

#[tokio::test]
async fn a_server_without_agents_says_how_to_provide_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let app = TestApp::with_config(|config| config.downloads_dir = Some(path)).await;

    let page = app.get("/downloads/").send(&app).await;

    if page.text.contains("plumb-agent-linux-") {
        // The test binary's directory holds a built plumb-agent, which is served as well.
        return;
    }
    assert!(
        page.text.contains("no agent binaries to offer yet"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("next to the <code>plumb</code> binary"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn a_new_install_key_comes_with_the_command_to_paste() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;

    let created = app
        .post("/api/v1/install-keys", json!({}))
        .header("host", "plumb.lan:8080")
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let key = created.body["key"].as_str().unwrap();
    assert_eq!(
        created.body["install_command"],
        format!(
            "curl -fsSL 'http://plumb.lan:8080/downloads/install.sh' | sudo PLUMB_INSTALL_KEY={key} sh"
        )
    );
}
