//! The `plumb` command line against a real server on a loopback port: the remote key commands
//! through `plumb-client`, and the binary's own `init`, `org create`, `migrate` and `serve`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests panic on broken fixtures"
)]

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use clap::Parser;
use plumb_cli::remote::CredentialSource;
use plumb_cli::{Cli, Command};
use plumb_core::accounts::NewAccount;
use plumb_core::store::CreateMode;
use plumb_server::App;
use plumb_server::config::Config;
use secrecy::SecretString;
use tempfile::TempDir;
use tokio::net::TcpListener;

const EMAIL: &str = "admin@acme.test";
const PASSWORD: &str = "correct horse battery staple";

/// A server on 127.0.0.1 with one organization; stops when dropped.
struct Server {
    url: String,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: TempDir,
}

async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    let app = App::start(&config).await.unwrap();
    let account = NewAccount {
        organization_name: "Acme MSP".to_owned(),
        email: EMAIL.to_owned(),
        name: None,
        password: SecretString::from(PASSWORD),
    };
    let now = app.state.clock.now();
    app.state
        .accounts
        .create_organization(account, CreateMode::FirstOnly, None, now)
        .await
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(plumb_server::serve(listener, app, async {
        let _ = stopped.await;
    }));
    Server {
        url,
        _stop: stop,
        _dir: dir,
    }
}

/// Runs `plumb <args>` (a remote command) signed in with the test password; returns stdout.
async fn plumb(server: &Server, args: &[&str]) -> anyhow::Result<String> {
    let mut argv = vec!["plumb"];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--server", &server.url]);
    let Command::Remote(command) = Cli::try_parse_from(argv)?.command else {
        panic!("not a remote command: {args:?}");
    };
    let mut out = Vec::new();
    plumb_cli::remote::run_with(
        command,
        CredentialSource::password(EMAIL, PASSWORD),
        &mut out,
    )
    .await?;
    Ok(String::from_utf8(out)?)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

#[tokio::test]
async fn keys_can_be_created_listed_edited_revealed_regenerated_and_deleted_from_the_cli() {
    let server = server().await;

    let created = json(
        &plumb(
            &server,
            &[
                "keys",
                "create",
                "--description",
                "CLI sync",
                "--access",
                "read-only",
                "--json",
            ],
        )
        .await
        .unwrap(),
    );
    let id = created["id"].as_str().unwrap().to_owned();
    let key = created["key"].as_str().unwrap().to_owned();
    let table = plumb(&server, &["keys", "list"]).await.unwrap();
    let listed = json(
        &plumb(&server, &["keys", "list", "--search", "cli", "--json"])
            .await
            .unwrap(),
    );
    let edited = json(
        &plumb(
            &server,
            &["keys", "edit", &id, "--access", "read-write", "--json"],
        )
        .await
        .unwrap(),
    );
    let revealed = plumb(&server, &["keys", "reveal", &id]).await.unwrap();
    let regenerated = plumb(&server, &["keys", "regenerate", &id, "--yes"])
        .await
        .unwrap();
    plumb(&server, &["keys", "delete", &id, "--yes"])
        .await
        .unwrap();
    let after = json(&plumb(&server, &["keys", "list", "--json"]).await.unwrap());

    assert!(key.starts_with("plumb_"));
    assert!(
        table.contains("CLI sync") && table.contains("read-only") && table.contains("--"),
        "{table}"
    );
    assert!(
        !table.contains(&key),
        "the table must not show the full key"
    );
    assert_eq!(listed["data"][0]["id"], id);
    assert_eq!(edited["access"], "read_write");
    assert_eq!(revealed.trim(), key);
    assert!(regenerated.trim().starts_with("plumb_") && regenerated.trim() != key);
    assert_eq!(after["data"], serde_json::json!([]));
}

#[tokio::test]
async fn a_wrong_password_fails_with_the_servers_message() {
    let server = server().await;
    let Command::Remote(command) =
        Cli::try_parse_from(["plumb", "keys", "list", "--server", &server.url])
            .unwrap()
            .command
    else {
        unreachable!()
    };
    let error = plumb_cli::remote::run_with(
        command,
        CredentialSource::password(EMAIL, "wrong password!"),
        &mut Vec::new(),
    )
    .await
    .expect_err("a wrong password must fail");
    assert!(
        error.to_string().contains("invalid email or password"),
        "{error:#}"
    );
}

#[tokio::test]
async fn login_saves_a_private_session_that_later_commands_use() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plumb").join("credentials.json");
    let login =
        Cli::try_parse_from(["plumb", "login", "--server", &server.url, "--email", EMAIL]).unwrap();
    let Command::Remote(login) = login.command else {
        unreachable!()
    };
    let source = CredentialSource {
        file: Some(file.clone()),
        email: None,
        password: Some(PASSWORD.to_owned()),
    };

    plumb_cli::remote::run_with(login, source, &mut Vec::new())
        .await
        .unwrap();
    let Command::Remote(list) = Cli::try_parse_from(["plumb", "keys", "list", "--json"])
        .unwrap()
        .command
    else {
        unreachable!()
    };
    let mut out = Vec::new();
    plumb_cli::remote::run_with(list, CredentialSource::saved(&file), &mut out)
        .await
        .unwrap();

    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(!saved.contains(PASSWORD));
    assert_eq!(
        json(&String::from_utf8(out).unwrap())["data"],
        serde_json::json!([])
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

fn plumb_binary(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args(args)
        .env_remove("PLUMB_DATA_DIR")
        .env_remove("PLUMB_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn init_creates_the_first_organization_once_and_org_create_adds_more() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();

    let first = plumb_binary(
        &[
            "init",
            "--org-name",
            "Acme MSP",
            "--email",
            EMAIL,
            "--password-stdin",
            "--data-dir",
            data,
        ],
        &format!("{PASSWORD}\n"),
    );
    let second = plumb_binary(
        &[
            "init",
            "--org-name",
            "Again",
            "--email",
            "b@acme.test",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        &format!("{PASSWORD}\n"),
    );
    let other = plumb_binary(
        &[
            "org",
            "create",
            "--name",
            "Other MSP",
            "--owner-email",
            "o@other.test",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        PASSWORD,
    );
    let short = plumb_binary(
        &[
            "org",
            "create",
            "--name",
            "Weak",
            "--owner-email",
            "w@weak.test",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        "short",
    );
    let migrate = plumb_binary(&["migrate", "--data-dir", data], "");

    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("created organization Acme MSP"));
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("already set up"));
    assert!(
        other.status.success(),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    assert!(migrate.status.success());
    assert!(dir.path().join("plumb.db").exists());
}

#[test]
fn serve_prints_a_setup_link_answers_health_checks_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args([
            "serve",
            "--listen",
            &listen,
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());

    let mut link = String::new();
    while !link.contains("/setup?token=") {
        link.clear();
        assert!(
            stdout.read_line(&mut link).unwrap() > 0,
            "serve exited before printing the setup link"
        );
    }
    let health = get(&listen, "/healthz");
    let kill = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = wait_with_timeout(&mut child, Duration::from_secs(10));

    assert!(
        link.trim()
            .starts_with(&format!("http://{listen}/setup?token=")),
        "{link}"
    );
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(kill.success());
    assert!(status.success(), "serve did not exit cleanly: {status}");
    assert!(dir.path().join("plumb.db").exists());
    assert!(dir.path().join("master.key").exists());
}

fn get(address: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn wait_with_timeout(
    child: &mut std::process::Child,
    timeout: Duration,
) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("serve did not stop within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
