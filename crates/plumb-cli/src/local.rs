//! Commands that work on the local data directory or database: `serve`, `init`, `org create`,
//! `migrate`.

use std::io::Read;

use anyhow::Context;
use clap::{Args, Subcommand};
use plumb_core::accounts::{Accounts, NewAccount};
use plumb_core::clock::{Clock, SystemClock};
use plumb_core::store::CreateMode;
use plumb_server::config::Config;
use plumb_server::startup::open_store;
use plumb_server::{App, telemetry};
use secrecy::SecretString;
use tokio::net::TcpListener;

use crate::StoreArgs;

/// `plumb init`
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Name of the organization.
    #[arg(long)]
    pub org_name: String,
    /// The administrator's email.
    #[arg(long)]
    pub email: String,
    /// The administrator's display name (defaults to the email).
    #[arg(long)]
    pub name: Option<String>,
    /// Read the administrator's password from standard input (required).
    #[arg(long, required = true)]
    pub password_stdin: bool,
    /// Data location.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `plumb org ...`
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create a further organization with its owner (an administrator).
    Create(OrgCreateArgs),
}

/// `plumb org create`
#[derive(Debug, Clone, Args)]
pub struct OrgCreateArgs {
    /// Name of the organization.
    #[arg(long)]
    pub name: String,
    /// The owner's email.
    #[arg(long)]
    pub owner_email: String,
    /// Read the owner's password from standard input (required).
    #[arg(long, required = true)]
    pub password_stdin: bool,
    /// Data location.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs the server until SIGINT or SIGTERM.
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    telemetry::init(config.log_format);
    let app = App::start(config).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("could not listen on {}", config.listen))?;
    tracing::info!(listen = %config.listen, "plumb is listening on http://{}", config.listen);
    if let Some(link) = &app.setup_link {
        // Deliberately printed, not logged: the one place the setup token is shown.
        println!(
            "\nplumb is not set up yet. Open this link to create the organization and its administrator:\n\n    {link}\n\nThe link works once. Or run `plumb init` instead.\n"
        );
    }
    plumb_server::serve(listener, app, shutdown_signal()).await
}

/// `plumb init`
pub async fn init(args: &InitArgs) -> anyhow::Result<()> {
    let password = read_password_stdin()?;
    let account = NewAccount {
        organization_name: args.org_name.clone(),
        email: args.email.clone(),
        name: args.name.clone(),
        password,
    };
    let user = create(&args.store.config(None)?, account, CreateMode::FirstOnly).await?;
    println!(
        "created organization {} ({}) with administrator {}",
        user.organization.name, user.organization.id, user.email
    );
    Ok(())
}

/// `plumb org create`
pub async fn create_org(args: &OrgCreateArgs) -> anyhow::Result<()> {
    let password = read_password_stdin()?;
    let account = NewAccount {
        organization_name: args.name.clone(),
        email: args.owner_email.clone(),
        name: None,
        password,
    };
    let user = create(&args.store.config(None)?, account, CreateMode::Additional).await?;
    println!(
        "created organization {} ({}) with owner {}",
        user.organization.name, user.organization.id, user.email
    );
    Ok(())
}

/// `plumb migrate`
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir).context("could not create the data directory")?;
    let database = open_store(&config.database_url()).await?;
    database.close().await;
    println!("migrations applied ({})", database.backend().name());
    Ok(())
}

async fn create(
    config: &Config,
    account: NewAccount,
    mode: CreateMode,
) -> anyhow::Result<plumb_core::store::User> {
    std::fs::create_dir_all(&config.data_dir).context("could not create the data directory")?;
    let database = open_store(&config.database_url()).await?;
    let accounts = Accounts::new(database.store());
    let result = accounts
        .create_organization(account, mode, None, SystemClock.now())
        .await;
    database.close().await;
    Ok(result?)
}

fn read_password_stdin() -> anyhow::Result<SecretString> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("could not read the password from standard input")?;
    let password = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(&text);
    Ok(SecretString::from(password.to_owned()))
}

async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
