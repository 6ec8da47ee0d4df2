//! The `plumb` command line: server-side commands that work on the data directory or the
//! database (`serve`, `init`, `org create`, `migrate`, `db copy`, `master-key rotate`, `dev seed`) and
//! remote commands that go through the management API (`login`, `keys ...`, in [`remote`]).

pub mod db;
pub mod dev;
pub mod local;
pub mod master_key;
pub mod remote;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use plumb_server::config::{Config, Overrides};

/// plumb: a self-hosted RMM control plane with a Level-compatible API.
#[derive(Debug, Parser)]
#[command(name = "plumb", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (creates the data directory and database on first start).
    Serve(ServeArgs),
    /// Create the first organization and its administrator without a browser.
    Init(local::InitArgs),
    /// Manage organizations.
    #[command(subcommand)]
    Org(local::OrgCommand),
    /// Apply database migrations without serving.
    Migrate(StoreArgs),
    /// Work on whole databases.
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Manage the master key that seals stored key values and trigger URLs.
    #[command(subcommand)]
    MasterKey(master_key::MasterKeyCommand),
    /// Developer tools (demo data for benchmarks).
    #[command(subcommand)]
    Dev(dev::DevCommand),
    /// Print shell completions for bash, zsh or fish.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Commands that talk to a running server.
    #[command(flatten)]
    Remote(remote::RemoteCommand),
}

/// Where the data lives: the same flags and environment as `plumb serve`.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Configuration file (TOML); environment PLUMB_CONFIG.
    #[arg(long, env = "PLUMB_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data directory [default: ./plumb-data]; environment PLUMB_DATA_DIR.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Database URL [default: sqlite://<data-dir>/plumb.db]; environment PLUMB_DATABASE_URL.
    #[arg(long)]
    pub database_url: Option<String>,
}

/// `plumb serve`
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]; environment PLUMB_LISTEN.
    #[arg(long)]
    pub listen: Option<std::net::SocketAddr>,
    /// Data location.
    #[command(flatten)]
    pub store: StoreArgs,
}

impl StoreArgs {
    /// Loads the configuration with these flags (and `listen`) on top.
    pub fn config(&self, listen: Option<std::net::SocketAddr>) -> anyhow::Result<Config> {
        let overrides = Overrides {
            listen,
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
        };
        Ok(Config::load(self.config.as_deref(), &overrides)?)
    }
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => local::serve(&args.store.config(args.listen)?).await,
        Command::Init(args) => local::init(&args).await,
        Command::Org(local::OrgCommand::Create(args)) => local::create_org(&args).await,
        Command::Migrate(args) => local::migrate(&args.config(None)?).await,
        Command::Db(db::DbCommand::Copy(args)) => db::copy(&args).await,
        Command::MasterKey(master_key::MasterKeyCommand::Rotate(args)) => {
            master_key::rotate(&args).await
        }
        Command::Dev(dev::DevCommand::Seed(args)) => dev::seed(&args).await,
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "plumb", &mut std::io::stdout());
            Ok(())
        }
        Command::Remote(command) => remote::run(command, &mut std::io::stdout()).await,
    }
}
