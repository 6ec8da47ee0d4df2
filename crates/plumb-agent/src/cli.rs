//! The command line: `inventory`, `enroll`, `run`, `install` and `uninstall`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::secret::Secret;

/// Where the state file lives unless `--state-dir` or `$PLUMB_AGENT_STATE_DIR` says otherwise.
pub const DEFAULT_STATE_DIR: &str = "/var/lib/plumb-agent";
/// Where `install` writes the systemd unit unless `--unit-dir` says otherwise.
pub const DEFAULT_UNIT_DIR: &str = "/etc/systemd/system";
/// Seconds between check-ins by default.
pub const DEFAULT_INTERVAL: u32 = 60;
/// The shortest interval the server accepts.
pub const MIN_INTERVAL: u32 = 10;
/// The longest interval the server accepts (a day).
pub const MAX_INTERVAL: u32 = 86_400;

/// plumb-agent: reports this device's inventory to a plumb server and runs its automations.
#[derive(Debug, Parser)]
#[command(name = "plumb-agent", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect this machine's inventory and print it as JSON.
    Inventory,
    /// Enroll this machine with a plumb server, saving its device token in the state directory.
    Enroll(EnrollArgs),
    /// Check in every interval: report the inventory, run the automations the server sends.
    Run(RunArgs),
    /// Enroll (unless already enrolled) and install the agent as a systemd service.
    Install(InstallArgs),
    /// Stop and remove the systemd service; with --purge also the state file.
    Uninstall(UninstallArgs),
}

/// Where the systemd unit goes, shared by `install` and `uninstall`.
#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// The directory of the systemd unit.
    #[arg(
        long,
        env = "PLUMB_AGENT_UNIT_DIR",
        default_value = DEFAULT_UNIT_DIR,
        value_name = "DIR"
    )]
    pub unit_dir: PathBuf,
    /// Only write or remove the unit; do not call systemctl.
    #[arg(long, env = "PLUMB_AGENT_NO_START")]
    pub no_start: bool,
}

/// `plumb-agent install`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// The plumb server's URL (needed unless the machine is already enrolled).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// The install key (needed unless already enrolled); prefer $PLUMB_INSTALL_KEY.
    #[arg(
        long,
        env = "PLUMB_INSTALL_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub install_key: Option<Secret>,
    /// Where the agent keeps its state.
    #[command(flatten)]
    pub state: StateDir,
    /// The service's seconds between check-ins (10 to 86400).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = DEFAULT_INTERVAL,
        value_parser = clap::value_parser!(u32).range(i64::from(MIN_INTERVAL)..=i64::from(MAX_INTERVAL))
    )]
    pub interval: u32,
    /// The unit.
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// `plumb-agent uninstall`.
#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Where the agent keeps its state.
    #[command(flatten)]
    pub state: StateDir,
    /// Also delete the state file with the device token.
    #[arg(long)]
    pub purge: bool,
    /// The unit.
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// `plumb-agent enroll`.
#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// The plumb server's URL, e.g. https://plumb.example.com.
    #[arg(long, value_name = "URL")]
    pub server: String,
    /// The organization's install key (plumbi_...). Prefer $PLUMB_INSTALL_KEY: a command-line
    /// argument is visible to every user of the machine in `ps`.
    #[arg(
        long,
        env = "PLUMB_INSTALL_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub install_key: Secret,
    /// Where the agent keeps its state.
    #[command(flatten)]
    pub state: StateDir,
    /// Enroll again as a new device even though this machine is already enrolled.
    #[arg(long)]
    pub force: bool,
}

/// `plumb-agent run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Where the agent keeps its state.
    #[command(flatten)]
    pub state: StateDir,
    /// Seconds between check-ins (10 to 86400).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = DEFAULT_INTERVAL,
        value_parser = clap::value_parser!(u32).range(i64::from(MIN_INTERVAL)..=i64::from(MAX_INTERVAL))
    )]
    pub interval: u32,
    /// Check in once, run what the server sent, and exit (non-zero on any failure).
    #[arg(long)]
    pub once: bool,
}

/// The state directory option, shared by `enroll` and `run`.
#[derive(Debug, Args)]
pub struct StateDir {
    /// The directory holding agent.json.
    #[arg(
        long = "state-dir",
        env = "PLUMB_AGENT_STATE_DIR",
        default_value = DEFAULT_STATE_DIR,
        value_name = "DIR"
    )]
    pub path: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_args(extra: &[&str]) -> Result<RunArgs, clap::Error> {
        let mut argv = vec!["plumb-agent", "run", "--state-dir", "/tmp/x"];
        argv.extend_from_slice(extra);
        match Cli::try_parse_from(argv)?.command {
            Command::Run(args) => Ok(args),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn the_interval_defaults_to_a_minute() {
        let args = run_args(&[]).unwrap();
        assert_eq!(args.interval, 60);
        assert!(!args.once);
    }

    #[test]
    fn an_interval_from_ten_seconds_to_a_day_is_accepted() {
        assert_eq!(run_args(&["--interval", "10"]).unwrap().interval, 10);
        assert_eq!(run_args(&["--interval", "86400"]).unwrap().interval, 86_400);
    }

    #[test]
    fn an_interval_under_ten_seconds_or_over_a_day_is_refused() {
        for bad in ["9", "0", "86401", "-5", "soon"] {
            let error = run_args(&[&format!("--interval={bad}")]).unwrap_err();
            assert_eq!(
                error.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{bad}"
            );
        }
    }

    #[test]
    fn the_install_key_does_not_show_in_the_parsed_command_line() {
        let cli = Cli::try_parse_from([
            "plumb-agent",
            "enroll",
            "--server",
            "http://127.0.0.1:1",
            "--install-key",
            "plumbi_SECRETSECRETSECRETSECRETSECRETSE1a2b3c",
        ])
        .unwrap();
        let printed = format!("{cli:?}");
        assert!(printed.contains("plumbi_***"), "{printed}");
        assert!(!printed.contains("SECRET"), "{printed}");
    }
}
