//! Remote commands: `plumb login`, `plumb logout` and `plumb keys …`, which talk to a running
//! plumb server's management API through `plumb-client`.
//!
//! A command gets its credentials from a [`CredentialSource`]: a fresh sign-in with
//! `PLUMB_EMAIL` and `PLUMB_PASSWORD` when both are set, otherwise the session that `plumb login`
//! saved in `<config dir>/plumb/credentials.json`. Nothing here prints a password, a session
//! cookie or a CSRF token; API key values are printed only by `create`, `regenerate` and
//! `reveal`, whose purpose that is.

pub mod automations;
mod calls;
mod credentials;
pub mod fields;
mod format;
mod key_rules;
mod keys;
mod login;
pub mod manage;
pub mod people;
mod prompt;
pub mod resources;
mod webhooks;

use std::io::Write;

use clap::{Args, Subcommand, ValueEnum};

use plumb_proto::v1::Access;

pub use credentials::CredentialSource;
pub use webhooks::{WebhooksArgs, WebhooksCommand};

/// Commands that run against a plumb server over HTTP.
#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// Sign in to a plumb server and save the session for the other remote commands.
    Login(LoginArgs),
    /// Sign out of the saved session and delete it.
    Logout,
    /// Manage the API keys of your organization on a plumb server.
    Keys(KeysArgs),
    /// Manage the outgoing event webhooks of your organization on a plumb server.
    Webhooks(WebhooksArgs),
    /// Install keys: list, create (with the install command to paste on a machine), revoke.
    InstallKeys(manage::ManageArgs),
    /// Devices: list, edit (nickname, notes, group), move to a group, delete.
    Devices(ResourceArgs<resources::DevicesCommand>),
    /// Groups: list, create, rename, delete.
    Groups(ResourceArgs<resources::GroupsCommand>),
    /// Tags: list, create, put on and take off devices, delete.
    Tags(ResourceArgs<resources::TagsCommand>),
    /// Custom fields: list, create, rename, delete; a device's values; set and clear values.
    CustomFields(ResourceArgs<fields::FieldsCommand>),
    /// Alerts: list, resolve.
    Alerts(ResourceArgs<resources::AlertsCommand>),
    /// Automations: list, show, create, update, delete, webhook triggers, run now.
    Automations(ResourceArgs<automations::AutomationsCommand>),
    /// Runs of automations: an automation's or a device's, one with each step's output.
    Runs(ResourceArgs<automations::RunsCommand>),
    /// Users (administrators): list, add, edit, disable, enable.
    Users(ResourceArgs<people::UsersCommand>),
    /// The activity log (Settings).
    Activity(ResourceArgs<people::ActivityCommand>),
}

/// Arguments of a resource command: the shared remote options and the subcommand.
#[derive(Debug, Args)]
pub struct ResourceArgs<C: Subcommand> {
    /// Where and how to talk to the server.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: C,
}

/// Arguments of `plumb login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The server's URL, such as `https://plumb.example.com`.
    #[arg(long, value_name = "URL")]
    pub server: String,
    /// The email to sign in with [default: $PLUMB_EMAIL, else prompted]. The password comes
    /// from $PLUMB_PASSWORD, else a prompt.
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
}

/// Arguments of `plumb keys`.
#[derive(Debug, Args)]
pub struct KeysArgs {
    /// Where and how to talk to the server.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: KeysCommand,
}

/// Options shared by the remote commands that call the API.
#[derive(Debug, Args)]
pub struct RemoteArgs {
    /// The server's URL [default: the one you signed in to with `plumb login`].
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,
    /// Print the server's JSON response instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

/// `plumb keys` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List API keys.
    List {
        /// Only keys whose description contains this text (any case).
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
    /// Create an API key and print its full value.
    Create {
        /// What the key is for (1 to 200 characters).
        #[arg(long, value_name = "TEXT")]
        description: String,
        /// What the key may do on /v2.
        #[arg(long, value_enum)]
        access: AccessArg,
        /// When the key stops working (ISO-8601, e.g. 2027-01-31T00:00:00Z) [default: never].
        #[arg(long, value_name = "TIME", value_parser = key_rules::check(key_rules::time))]
        expires_at: Option<String>,
        /// An address or CIDR range the key may be used from (repeat for several)
        /// [default: anywhere].
        #[arg(long = "allowed-ip", value_name = "ADDRESS")]
        allowed_ips: Vec<String>,
        /// Requests per minute [default: the organization's default].
        #[arg(long, value_name = "N")]
        rate_limit: Option<u32>,
        /// Create the key disabled.
        #[arg(long)]
        disabled: bool,
    },
    /// Change an API key's settings.
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(true)))]
    Edit {
        /// The key's id.
        id: String,
        /// New description.
        #[arg(long, value_name = "TEXT", group = "change")]
        description: Option<String>,
        /// New access level.
        #[arg(long, value_enum, group = "change")]
        access: Option<AccessArg>,
        /// New expiry: an ISO-8601 time, or `never`.
        #[arg(
            long,
            value_name = "TIME|never",
            group = "change",
            value_parser = key_rules::check(key_rules::expiry)
        )]
        expires_at: Option<String>,
        /// The new address list, all of it (repeat for several).
        #[arg(long = "allowed-ip", value_name = "ADDRESS", group = "change")]
        allowed_ips: Vec<String>,
        /// Let the key be used from anywhere again.
        #[arg(long, group = "change", conflicts_with = "allowed_ips")]
        any_ip: bool,
        /// New requests per minute, or `default` for the organization's default.
        #[arg(
            long,
            value_name = "N|default",
            group = "change",
            value_parser = key_rules::check(key_rules::rate)
        )]
        rate_limit: Option<String>,
    },
    /// Disable an API key: refused like a deleted one until enabled again.
    Disable {
        /// The key's id.
        id: String,
    },
    /// Enable a disabled API key again.
    Enable {
        /// The key's id.
        id: String,
    },
    /// End the grace period of a key's old value now.
    EndGrace {
        /// The key's id.
        id: String,
    },
    /// Show a key's recent requests, newest first.
    Requests {
        /// The key's id.
        id: String,
        /// Only these statuses: 2xx, 3xx, 4xx, 5xx, failed, or one status such as 429.
        #[arg(long, value_name = "FILTER")]
        status: Option<String>,
        /// How many (1 to 200).
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
    },
    /// Show or change the organization's default requests per minute of every key.
    Settings {
        /// New default: a number, or `none` for no limit.
        #[arg(long, value_name = "N|none", value_parser = key_rules::check(key_rules::default_rate))]
        rate_limit: Option<String>,
    },
    /// Revoke a leaked key by its value (read from stdin); needs no sign-in. The answer is the
    /// same whether or not the value was a live key.
    RevokeValue,
    /// Delete an API key; programs using it get 401 from then on.
    Delete {
        /// The key's id.
        id: String,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Give an API key a new value and print it; the old value stops working at once, or
    /// after the grace period.
    Regenerate {
        /// The key's id.
        id: String,
        /// How long the old value keeps working: none, 1h, 24h, 7d, or seconds.
        #[arg(
            long,
            value_name = "PERIOD",
            default_value = "none",
            value_parser = key_rules::check(key_rules::grace)
        )]
        grace: String,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Print an API key's full value (unless the server keeps only hashes).
    Reveal {
        /// The key's id.
        id: String,
    },
}

/// An access level as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessArg {
    /// View, create, update and delete.
    ReadWrite,
    /// View only.
    ReadOnly,
}

impl From<AccessArg> for Access {
    fn from(access: AccessArg) -> Self {
        match access {
            AccessArg::ReadWrite => Access::ReadWrite,
            AccessArg::ReadOnly => Access::ReadOnly,
        }
    }
}

/// Runs a remote command with credentials from the environment and the config directory
/// ([`CredentialSource::from_env`]), writing its output to `out`.
pub async fn run(command: RemoteCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    run_with(command, CredentialSource::from_env(), out).await
}

/// Runs a remote command with the given credentials, writing its output to `out`.
///
/// Notices meant for a person (as opposed to the key value that `create` prints) go to stderr.
pub async fn run_with(
    command: RemoteCommand,
    credentials: CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let result = match command {
        RemoteCommand::Login(args) => login::login(args, &credentials, out).await,
        RemoteCommand::Logout => login::logout(&credentials, out).await,
        RemoteCommand::Keys(args) => keys::run(args, &credentials, out).await,
        RemoteCommand::Webhooks(args) => webhooks::run(args, &credentials, out).await,
        RemoteCommand::InstallKeys(args) => manage::install_keys(args, &credentials, out).await,
        RemoteCommand::Devices(args) => {
            let resource = resources::Resource::Devices(args.command);
            resources::run(args.remote, resource, &credentials, out).await
        }
        RemoteCommand::Groups(args) => {
            let resource = resources::Resource::Groups(args.command);
            resources::run(args.remote, resource, &credentials, out).await
        }
        RemoteCommand::Tags(args) => {
            let resource = resources::Resource::Tags(args.command);
            resources::run(args.remote, resource, &credentials, out).await
        }
        RemoteCommand::Alerts(args) => {
            let resource = resources::Resource::Alerts(args.command);
            resources::run(args.remote, resource, &credentials, out).await
        }
        RemoteCommand::CustomFields(args) => {
            fields::run(args.remote, args.command, &credentials, out).await
        }
        RemoteCommand::Automations(args) => {
            let command = automations::Automation::Automations(args.command);
            automations::run(args.remote, command, &credentials, out).await
        }
        RemoteCommand::Runs(args) => {
            let command = automations::Automation::Runs(args.command);
            automations::run(args.remote, command, &credentials, out).await
        }
        RemoteCommand::Users(args) => {
            let command = people::People::Users(args.command);
            people::run(args.remote, command, &credentials, out).await
        }
        RemoteCommand::Activity(args) => {
            let command = people::People::Activity(args.command);
            people::run(args.remote, command, &credentials, out).await
        }
    };
    match result {
        // `plumb keys list --json | head` closes the pipe early; that is not a failure.
        Err(error) if is_broken_pipe(&error) => Ok(()),
        result => result,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = match cause.downcast_ref::<std::io::Error>() {
            Some(error) => Some(error.kind()),
            None => cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind()),
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        command: RemoteCommand,
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn edit_needs_at_least_one_change() {
        let error = Cli::try_parse_from(["plumb", "keys", "edit", "k1"]).unwrap_err();
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        let parsed = Cli::try_parse_from(["plumb", "keys", "edit", "k1", "--access", "read-write"]);
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn create_requires_an_explicit_access_level() {
        assert!(Cli::try_parse_from(["plumb", "keys", "create", "--description", "ci"]).is_err());
        let cli = Cli::try_parse_from([
            "plumb",
            "keys",
            "create",
            "--description",
            "ci",
            "--access",
            "read-only",
            "--json",
        ])
        .unwrap();
        let RemoteCommand::Keys(KeysArgs { remote, command }) = cli.command else {
            panic!("parsed as another command");
        };
        assert!(remote.json);
        assert!(matches!(
            command,
            KeysCommand::Create {
                access: AccessArg::ReadOnly,
                ..
            }
        ));
    }

    #[tokio::test]
    async fn without_credentials_commands_say_how_to_sign_in() {
        let directory = tempfile::tempdir().unwrap();
        let credentials = CredentialSource::saved(directory.path().join("credentials.json"));
        let command = RemoteCommand::Keys(KeysArgs {
            remote: RemoteArgs {
                server: None,
                json: false,
            },
            command: KeysCommand::List { search: None },
        });

        let error = run_with(command, credentials, &mut Vec::new())
            .await
            .unwrap_err();

        assert_eq!(
            error.to_string(),
            "not signed in: run plumb login --server URL, or set PLUMB_EMAIL and PLUMB_PASSWORD"
        );
    }
}
