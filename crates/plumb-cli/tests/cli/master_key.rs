//! `plumb master-key rotate`: stored key values are re-sealed under the new master key, so Copy
//! key works with the new key file and no longer with the old one; every key keeps verifying.

use clap::Parser;
use plumb_cli::Cli;
use plumb_core::accounts::{NewAccount, user_ref};
use plumb_core::activity::Actor;
use plumb_core::store::CreateMode;
use plumb_core::{Access, DomainError};
use plumb_server::App;
use plumb_server::config::Config;
use secrecy::SecretString;

use crate::{EMAIL, PASSWORD};

/// Starts, creates the organization and one key, stops; returns the key id and value.
async fn install_with_a_key(config: &Config) -> (plumb_core::id::ApiKeyId, String) {
    let app = App::start(config).await.unwrap();
    let account = NewAccount {
        organization_name: "Acme MSP".to_owned(),
        email: EMAIL.to_owned(),
        name: None,
        password: SecretString::from(PASSWORD),
    };
    let now = app.state.clock.now();
    let admin = app
        .state
        .accounts
        .create_organization(account, CreateMode::FirstOnly, None, now)
        .await
        .unwrap();
    let actor = actor_of(&admin);
    let (record, plain) = app
        .state
        .keys
        .create(&actor, "Backups", Access::ReadWrite, now)
        .await
        .unwrap();
    let value = plain.expose().to_owned();
    app.shutdown().await;
    (record.id, value)
}

fn actor_of(user: &plumb_core::store::User) -> Actor {
    Actor {
        user: Some(user_ref(user)),
        organization_id: user.organization.id,
        ip: None,
    }
}

/// Copy key for `id` on a node started with `config`; also checks the key still verifies.
async fn reveal(
    config: &Config,
    id: plumb_core::id::ApiKeyId,
    value: &str,
) -> Result<String, DomainError> {
    let app = App::start(config).await.unwrap();
    let admin = app.state.store.user_by_email(EMAIL).await.unwrap().unwrap();
    let verified = app.state.keys.verifier().verify(value).await.unwrap();
    assert!(
        verified.is_some(),
        "the key must verify whatever the master key"
    );
    let now = app.state.clock.now();
    let revealed = app.state.keys.reveal(&actor_of(&admin), id, now).await;
    app.shutdown().await;
    revealed.map(|plain| plain.expose().to_owned())
}

fn rotate(config: &Config, new_key: &std::path::Path) -> Cli {
    Cli::try_parse_from([
        "plumb",
        "master-key",
        "rotate",
        "--new-key-file",
        new_key.to_str().unwrap(),
        "--data-dir",
        config.data_dir.to_str().unwrap(),
    ])
    .unwrap()
}

#[tokio::test]
async fn rotating_the_master_key_reseals_every_key_for_the_new_key_file_only() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let old_config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    let (id, value) = install_with_a_key(&old_config).await;
    let new_key = dir.path().join("new.key");
    let new_config = Config {
        master_key_file: Some(new_key.clone()),
        ..old_config.clone()
    };

    // Act: the second run finds everything rotated already.
    plumb_cli::run(rotate(&old_config, &new_key)).await.unwrap();
    plumb_cli::run(rotate(&old_config, &new_key)).await.unwrap();

    // Assert
    assert_eq!(reveal(&new_config, id, &value).await.unwrap(), value);
    assert!(matches!(
        reveal(&old_config, id, &value).await,
        Err(DomainError::Conflict(_))
    ));
}

#[tokio::test]
async fn rotating_to_the_current_key_or_without_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    install_with_a_key(&config).await;

    let same = plumb_cli::run(rotate(&config, &config.master_key_file())).await;
    std::fs::rename(config.master_key_file(), dir.path().join("moved.key")).unwrap();
    let missing = plumb_cli::run(rotate(&config, &dir.path().join("new.key"))).await;

    assert!(format!("{:#}", same.unwrap_err()).contains("current master key"));
    assert!(format!("{:#}", missing.unwrap_err()).contains("master key file"));
}
