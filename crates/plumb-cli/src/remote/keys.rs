//! `plumb keys list|create|edit|delete|regenerate|reveal` (the other subcommands are in
//! `key_rules`).
//!
//! With `--json` each command prints the response body as JSON (re-encoded from the wire types,
//! so it has the server's shape); otherwise a table or a few lines. `create`, `regenerate` and
//! `reveal` print the full key value alone on stdout, with any notice on stderr, so that
//! `plumb keys reveal ID | clipboard` works.

use std::io::Write;

use anyhow::bail;
use serde::Serialize;

use plumb_proto::v1::{CreateApiKey, List, UpdateApiKey};

use super::credentials::{Connection, CredentialSource, connect, connect_anonymous};
use super::key_rules;
use super::{KeysArgs, KeysCommand, format, prompt};

/// Runs one `plumb keys` subcommand, signing out afterwards if it signed in.
pub(crate) async fn run(
    args: KeysArgs,
    source: &CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // Refuse a destructive command that cannot be confirmed before touching the network.
    match &args.command {
        KeysCommand::Delete { yes: false, .. } => prompt::require_terminal("delete an API key")?,
        KeysCommand::Regenerate { yes: false, .. } => {
            prompt::require_terminal("regenerate an API key")?;
        }
        _ => {}
    }
    let connection = if matches!(args.command, KeysCommand::RevokeValue) {
        connect_anonymous(source, args.remote.server.as_deref())?
    } else {
        connect(source, args.remote.server.as_deref()).await?
    };
    let output = Output {
        json: args.remote.json,
        out,
    };
    let result = run_command(&connection, args.command, output).await;
    connection.finish().await;
    result
}

/// Where and how to print.
pub(super) struct Output<'a> {
    pub(super) json: bool,
    pub(super) out: &'a mut dyn Write,
}

impl Output<'_> {
    pub(super) fn json(&mut self, value: &impl Serialize) -> anyhow::Result<()> {
        serde_json::to_writer_pretty(&mut *self.out, value)?;
        writeln!(self.out)?;
        Ok(())
    }
}

async fn run_command(
    connection: &Connection,
    command: KeysCommand,
    mut output: Output<'_>,
) -> anyhow::Result<()> {
    let client = &connection.client;
    match command {
        KeysCommand::List { search } => {
            let keys = client
                .list_api_keys(search.as_deref())
                .await
                .map_err(|error| connection.error(error))?;
            if output.json {
                output.json(&List { data: keys })?;
            } else if keys.is_empty() {
                writeln!(output.out, "No API keys.")?;
            } else {
                write!(output.out, "{}", format::key_table(&keys))?;
            }
        }
        KeysCommand::Create {
            description,
            access,
            expires_at,
            allowed_ips,
            rate_limit,
            disabled,
        } => {
            let request = CreateApiKey {
                description,
                access: access.into(),
                expires_at: expires_at.as_deref().map(key_rules::time).transpose()?,
                disabled,
                allowed_ips,
                rate_limit_per_minute: rate_limit,
            };
            let created = client
                .create_api_key(&request)
                .await
                .map_err(|error| connection.error(error))?;
            if output.json {
                output.json(&created)?;
            } else {
                let key = &created.api_key;
                eprintln!(
                    "Created API key {} ({}): {}. Its full value follows; keep it secret.",
                    key.id,
                    format::access_label(key.access),
                    format::clean(&key.description, usize::MAX)
                );
                writeln!(output.out, "{}", created.key)?;
            }
        }
        KeysCommand::Edit {
            id,
            description,
            access,
            expires_at,
            allowed_ips,
            any_ip,
            rate_limit,
        } => {
            let request = UpdateApiKey {
                description,
                access: access.map(Into::into),
                expires_at: expires_at.as_deref().map(key_rules::expiry).transpose()?,
                disabled: None,
                allowed_ips: (any_ip || !allowed_ips.is_empty()).then_some(allowed_ips),
                rate_limit_per_minute: rate_limit.as_deref().map(key_rules::rate).transpose()?,
            };
            let key = client
                .update_api_key(&id, &request)
                .await
                .map_err(|error| connection.error(error))?;
            if output.json {
                output.json(&key)?;
            } else {
                write!(output.out, "{}", format::key_details(&key))?;
            }
        }
        KeysCommand::Delete { id, yes } => {
            if !yes {
                confirm(connection, &id, "Delete", "Programs using it will get 401.").await?;
            }
            client
                .delete_api_key(&id)
                .await
                .map_err(|error| connection.error(error))?;
            // 204 has no body: `--json` prints `{"ok": true}`, as every other delete does.
            if output.json {
                output.json(&serde_json::json!({"ok": true}))?;
            } else {
                writeln!(
                    output.out,
                    "Deleted API key {}.",
                    format::clean(&id, usize::MAX)
                )?;
            }
        }
        KeysCommand::Regenerate { id, yes, grace } => {
            let grace_seconds = key_rules::grace(&grace)?;
            if !yes {
                let consequence = if grace_seconds == 0 {
                    "Its current value will stop working at once.".to_owned()
                } else {
                    format!("Its current value will keep working for {grace}.")
                };
                confirm(connection, &id, "Regenerate", &consequence).await?;
            }
            let regenerated = client
                .regenerate_api_key_with_grace(&id, grace_seconds)
                .await
                .map_err(|error| connection.error(error))?;
            if output.json {
                output.json(&regenerated)?;
            } else {
                eprintln!(
                    "Regenerated API key {}. Its new full value follows; keep it secret.",
                    regenerated.api_key.id
                );
                writeln!(output.out, "{}", regenerated.key)?;
            }
        }
        other @ (KeysCommand::Disable { .. }
        | KeysCommand::Enable { .. }
        | KeysCommand::EndGrace { .. }
        | KeysCommand::Requests { .. }
        | KeysCommand::Settings { .. }
        | KeysCommand::RevokeValue) => {
            key_rules::run_command(connection, other, output).await?;
        }
        KeysCommand::Reveal { id } => {
            let revealed = client
                .reveal_api_key(&id)
                .await
                .map_err(|error| connection.error(error))?;
            if output.json {
                output.json(&revealed)?;
            } else {
                writeln!(output.out, "{}", revealed.key)?;
            }
        }
    }
    Ok(())
}

/// Shows which key is meant (which also checks that it exists) and asks before going on.
async fn confirm(
    connection: &Connection,
    id: &str,
    verb: &str,
    consequence: &str,
) -> anyhow::Result<()> {
    let key = connection
        .client
        .api_key(id)
        .await
        .map_err(|error| connection.error(error))?;
    let question = format!(
        "{verb} API key {} \"{}\" ({}, {})? {consequence}",
        format::clean(&key.id, usize::MAX),
        format::clean(&key.description, usize::MAX),
        format::access_label(key.access),
        format::clean(&key.masked_key, usize::MAX),
    );
    if !prompt::confirm(&question)? {
        bail!(
            "cancelled: API key {} was left as it was",
            format::clean(id, usize::MAX)
        );
    }
    Ok(())
}
