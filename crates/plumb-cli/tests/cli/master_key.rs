//! `plumb master-key rotate`: stored key values and webhook trigger tokens are re-sealed under
//! the new master key, so Copy key and trigger URLs work with the new key file and no longer with
//! the old one; every key keeps verifying, and triggers stored as digests only are left alone.

use std::collections::BTreeMap;
use std::process::Command as Process;

use clap::Parser;
use plumb_cli::Cli;
use plumb_core::accounts::{NewAccount, user_ref};
use plumb_core::activity::Actor;
use plumb_core::automations::Draft;
use plumb_core::id::WebhookId;
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::CreateMode;
use plumb_core::{Access, DomainError};
use plumb_proto::agent::ScriptStep;
use plumb_server::App;
use plumb_server::config::{Config, KeysConfig};
use plumb_store_tests::TestSchema;
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
        .create(
            &actor,
            ("Backups", Access::ReadWrite),
            Default::default(),
            now,
        )
        .await
        .unwrap();
    let value = plain.expose().to_owned();
    app.shutdown().await;
    (record.id, value)
}

fn actor_of(user: &plumb_core::store::User) -> Actor {
    Actor {
        api_key: None,
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
    let now = app.state.clock.now();
    let verified = app.state.keys.verifier().verify(value, now).await.unwrap();
    assert!(
        verified.is_some(),
        "the key must verify whatever the master key"
    );
    let now = app.state.clock.now();
    let revealed = app.state.keys.reveal(&actor_of(&admin), id, now).await;
    app.shutdown().await;
    revealed.map(|plain| plain.expose().to_owned())
}

/// The arguments of `plumb master-key rotate` to `new_key` for the installation of `config`.
fn rotate_args(config: &Config, new_key: &std::path::Path) -> Vec<String> {
    let mut args: Vec<String> = ["master-key", "rotate", "--new-key-file"]
        .map(str::to_owned)
        .into();
    args.push(new_key.to_str().unwrap().to_owned());
    args.push("--data-dir".to_owned());
    args.push(config.data_dir.to_str().unwrap().to_owned());
    if let Some(url) = &config.database_url {
        args.extend(["--database-url".to_owned(), url.clone()]);
    }
    args
}

fn rotate(config: &Config, new_key: &std::path::Path) -> Cli {
    Cli::try_parse_from(std::iter::once("plumb".to_owned()).chain(rotate_args(config, new_key)))
        .unwrap()
}

/// Runs the `plumb` binary's rotation and returns what it printed.
fn rotate_with_the_binary(config: &Config, new_key: &std::path::Path) -> String {
    let output = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args(rotate_args(config, new_key))
        .env_remove("PLUMB_DATA_DIR")
        .env_remove("PLUMB_DATABASE_URL")
        .env_remove("PLUMB_MASTER_KEY_FILE")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    stdout
}

/// Adds an automation named `name` with a trigger on a node started with `config`; returns the
/// trigger's id and token.
async fn add_trigger(config: &Config, name: &str) -> (WebhookId, String) {
    let app = App::start(config).await.unwrap();
    let admin = app.state.store.user_by_email(EMAIL).await.unwrap().unwrap();
    let (actor, now) = (actor_of(&admin), app.state.clock.now());
    let step = ScriptStep {
        name: "check".to_owned(),
        shell: "sh".to_owned(),
        script: "true".to_owned(),
        timeout_seconds: 60,
    };
    let draft = Draft {
        name: name.to_owned(),
        description: None,
        group_id: None,
        steps: vec![step],
    };
    let automations = &app.state.automations;
    let automation = automations.create(&actor, draft, now).await.unwrap();
    let created = automations
        .create_webhook(&actor, automation.id, false, now)
        .await
        .unwrap();
    let token = created.token.expose().to_owned();
    app.shutdown().await;
    (created.record.id, token)
}

/// Every trigger with the token its URL shows on a node started with `config` (`None`: listed
/// without a URL).
async fn listed_tokens(config: &Config) -> BTreeMap<WebhookId, Option<String>> {
    let app = App::start(config).await.unwrap();
    let admin = app.state.store.user_by_email(EMAIL).await.unwrap().unwrap();
    let page = PageRequest {
        limit: 100,
        cursor: Cursor::First,
    };
    let automations = &app.state.automations;
    let listed = automations
        .list_webhooks(admin.organization.id, None, &page)
        .await
        .unwrap();
    let tokens = listed
        .items
        .iter()
        .map(|webhook| (webhook.id, automations.webhook_token(webhook)))
        .collect();
    app.shutdown().await;
    tokens
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

/// A key, a trigger with a sealed token and a hash-only trigger, rotated twice on `config`'s
/// installation.
async fn rotation_reseals_trigger_urls_and_skips_hash_only_triggers(config: Config) {
    // Arrange
    install_with_a_key(&config).await;
    let (sealed, token) = add_trigger(&config, "Patch").await;
    let hash_only_config = Config {
        keys: KeysConfig {
            recoverable: false,
            ..KeysConfig::default()
        },
        ..config.clone()
    };
    let (hash_only, _) = add_trigger(&hash_only_config, "Reboot").await;
    let new_key = config.data_dir.join("new.key");
    let new_config = Config {
        master_key_file: Some(new_key.clone()),
        ..config.clone()
    };

    // Act: the second run (the real binary) counts the key and the sealed trigger only.
    plumb_cli::run(rotate(&config, &new_key)).await.unwrap();
    let again = rotate_with_the_binary(&config, &new_key);

    // Assert
    let expected = BTreeMap::from([(sealed, Some(token)), (hash_only, None)]);
    assert_eq!(listed_tokens(&new_config).await, expected);
    let expected = BTreeMap::from([(sealed, None), (hash_only, None)]);
    assert_eq!(listed_tokens(&config).await, expected);
    assert!(
        again.contains(
            "re-sealed 0 key values and trigger URLs under the new master key (2 already were, \
             0 could not be opened"
        ),
        "{again}"
    );
}

#[tokio::test]
async fn rotating_reseals_trigger_urls_for_the_new_key_file_and_skips_hash_only_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };

    rotation_reseals_trigger_urls_and_skips_hash_only_triggers(config).await;
}

#[tokio::test]
async fn rotating_on_postgres_reseals_trigger_urls_and_skips_hash_only_triggers() {
    let Some(schema) = TestSchema::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(schema.url()),
        ..Config::default()
    };

    rotation_reseals_trigger_urls_and_skips_hash_only_triggers(config).await;
    schema.drop_schema().await;
}
