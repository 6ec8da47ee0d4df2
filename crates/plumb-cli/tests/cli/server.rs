//! A real server started in-process on a loopback port, with one organization, for the remote
//! commands (`real.rs` runs the binary against it).

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
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    // `plumb webhooks` tests deliver to a receiver on 127.0.0.1, promptly.
    config.webhooks.allow_private_targets = true;
    config.webhooks.poll_milliseconds = 100;
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

pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}
