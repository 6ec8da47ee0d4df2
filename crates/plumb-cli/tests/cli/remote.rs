//! The remote commands (`plumb keys …`, `plumb login`) through `plumb-client`, against a real
//! server started in-process on a loopback port.

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

use crate::{EMAIL, PASSWORD};

/// A server on 127.0.0.1 with one organization; stops when dropped.
pub(crate) struct Server {
    pub(crate) url: String,
    /// The server's state, to add what only agents add (devices, run reports).
    pub(crate) state: plumb_server::state::AppState,
    /// The organization.
    pub(crate) organization_id: plumb_core::id::OrganizationId,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: TempDir,
}

pub(crate) async fn server() -> Server {
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
    let created = app
        .state
        .accounts
        .create_organization(account, CreateMode::FirstOnly, None, now)
        .await
        .unwrap();
    let state = app.state.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(plumb_server::serve(listener, app, async {
        let _ = stopped.await;
    }));
    Server {
        url,
        state,
        organization_id: created.organization.id,
        _stop: stop,
        _dir: dir,
    }
}

/// Runs `plumb <args>` (a remote command) signed in with the test password; returns stdout.
pub(crate) async fn plumb(server: &Server, args: &[&str]) -> anyhow::Result<String> {
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

pub(crate) fn json(text: &str) -> serde_json::Value {
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
