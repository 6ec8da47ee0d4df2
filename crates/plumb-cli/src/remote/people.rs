//! `plumb users …` (administrators: list, add, change role and Settings access, disable and
//! enable) and `plumb activity list` (Settings: the audit log, newest first).

use std::io::Write;

use clap::{Subcommand, ValueEnum};
use plumb_client::Method;
use serde_json::{Value, json};

use super::RemoteArgs;
use super::calls::{Api, say, show, text};
use super::credentials::{CredentialSource, connect};
use super::manage::{print_json, table};

/// A person's role.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Everything, including users.
    Admin,
    /// What their permissions grant.
    Technician,
}

impl RoleArg {
    fn wire(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Technician => "technician",
        }
    }
}

/// `plumb users`.
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List the people of the organization.
    List,
    /// Add a person. Without $PLUMB_NEW_USER_PASSWORD they get a link to set their password.
    Add {
        /// Their email.
        email: String,
        /// Their name.
        #[arg(long)]
        name: String,
        /// Their role.
        #[arg(long, value_enum, default_value = "technician")]
        role: RoleArg,
        /// Give a technician Settings access.
        #[arg(long)]
        settings: bool,
    },
    /// Change a person's role or Settings access.
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(true)))]
    Edit {
        /// The user's id.
        id: String,
        /// The new role.
        #[arg(long, value_enum, group = "change")]
        role: Option<RoleArg>,
        /// Settings access for a technician: `true` or `false`.
        #[arg(long, value_name = "BOOL", group = "change")]
        settings: Option<bool>,
    },
    /// Disable a person: their sessions end and they cannot sign in.
    Disable {
        /// The user's id.
        id: String,
    },
    /// Enable a disabled person again.
    Enable {
        /// The user's id.
        id: String,
    },
}

/// `plumb activity`.
#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// The newest entries of the audit log.
    List {
        /// How many (1 to 200).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// The `next_cursor` of the previous page, for older entries.
        #[arg(long)]
        cursor: Option<String>,
    },
}

/// One of the two.
#[derive(Debug)]
pub enum People {
    /// `plumb users`.
    Users(UsersCommand),
    /// `plumb activity`.
    Activity(ActivityCommand),
}

/// Runs `plumb users …` or `plumb activity …`.
pub(crate) async fn run(
    remote: RemoteArgs,
    command: People,
    source: &CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let connection = connect(source, remote.server.as_deref()).await?;
    let api = Api::new(&connection);
    let result = match command {
        People::Users(command) => users(&api, command, remote.json, out).await,
        People::Activity(command) => activity(&api, command, remote.json, out).await,
    };
    connection.finish().await;
    result
}

async fn users(
    api: &Api<'_>,
    command: UsersCommand,
    json_out: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let permissions = |settings: bool| {
        if settings {
            json!(["settings"])
        } else {
            json!([])
        }
    };
    let (id, body, verb) = match command {
        UsersCommand::List => {
            let list = api.get(&["users"], &[]).await?;
            let fields = ["id", "email", "name", "role", "permissions", "disabled"];
            let header = ["ID", "EMAIL", "NAME", "ROLE", "PERMISSIONS", "DISABLED"];
            return show(out, json_out, &list, &fields, &header, "No users.");
        }
        UsersCommand::Add {
            email,
            name,
            role,
            settings,
        } => {
            let password = std::env::var("PLUMB_NEW_USER_PASSWORD")
                .ok()
                .filter(|value| !value.is_empty());
            let body = json!({"email": email, "name": name, "role": role.wire(),
                "permissions": permissions(settings), "password": password});
            let user = api.write(Method::POST, &["users"], Some(&body)).await?;
            if json_out {
                return print_json(out, &user);
            }
            writeln!(
                out,
                "Added {} ({}).",
                text(&user["email"]),
                text(&user["id"])
            )?;
            if let Some(link) = user["set_password_url"].as_str() {
                writeln!(out, "Send them this link to set their password: {link}")?;
            }
            return Ok(());
        }
        UsersCommand::Edit { id, role, settings } => {
            let mut body = serde_json::Map::new();
            if let Some(role) = role {
                body.insert("role".into(), json!(role.wire()));
            }
            if let Some(settings) = settings {
                body.insert("permissions".into(), permissions(settings));
            }
            if body.is_empty() {
                anyhow::bail!("nothing to change: give --role or --settings");
            }
            (id, Value::Object(body), "Saved")
        }
        UsersCommand::Disable { id } => (id, json!({"disabled": true}), "Disabled"),
        UsersCommand::Enable { id } => (id, json!({"disabled": false}), "Enabled"),
    };
    let user = api
        .write(Method::PATCH, &["users", &id], Some(&body))
        .await?;
    let line = format!("{verb} {} ({}).", text(&user["email"]), text(&user["id"]));
    say(out, json_out, &user, &line)
}

async fn activity(
    api: &Api<'_>,
    command: ActivityCommand,
    json_out: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let ActivityCommand::List { limit, cursor } = command;
    let limit = limit.to_string();
    let mut query = vec![("limit", limit.as_str())];
    if let Some(cursor) = &cursor {
        query.push(("cursor", cursor.as_str()));
    }
    let page = api.get(&["activity"], &query).await?;
    if json_out {
        return print_json(out, &page);
    }
    let rows: Vec<Vec<String>> = page["data"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|entry| {
            vec![
                text(&entry["created_at"]),
                text(&entry["action"]),
                entry["actor"]["email"]
                    .as_str()
                    .map_or("--".to_owned(), |email| text(&json!(email))),
                text(&entry["target_id"]),
            ]
        })
        .collect();
    table(
        out,
        &["WHEN", "ACTION", "BY", "TARGET"],
        &rows,
        "No activity.",
    )?;
    if let Some(next) = page["next_cursor"].as_str() {
        writeln!(out, "More: --cursor {}", text(&json!(next)))?;
    }
    Ok(())
}
