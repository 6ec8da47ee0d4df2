//! `plumb install-keys …` and the output helpers of every resource command, over the same
//! `/api/v1` routes the web UI calls. With `--json` each prints the server's JSON answer (a
//! write answered with 204 prints `{"ok": true}`); otherwise a table or a line for people.
//! Exit status: 0 on success, 1 on any error (the message says what the server answered), 2 for
//! a usage error (clap's).

use std::io::Write;

use clap::{Args, Subcommand};
use plumb_client::Method;
use serde_json::{Value, json};

use super::RemoteArgs;
use super::credentials::{Connection, CredentialSource, connect};
use super::format::clean;

/// `plumb install-keys`, `devices`, `groups`, `tags`, `alerts`.
#[derive(Debug, Args)]
pub struct ManageArgs {
    /// Where and how to talk to the server.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: ManageCommand,
}

/// The subcommands, by resource.
#[derive(Debug, Subcommand)]
pub enum ManageCommand {
    /// List live install keys (masked).
    List,
    /// Create an install key and print the install command (which holds it).
    Create {
        /// The group new devices join.
        #[arg(long, value_name = "ID")]
        group: Option<String>,
    },
    /// Revoke an install key: it enrolls no more machines.
    Revoke {
        /// The key's id.
        id: String,
    },
}

/// Runs `plumb install-keys …`.
pub(crate) async fn install_keys(
    args: ManageArgs,
    source: &CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let connection = connect(source, args.remote.server.as_deref()).await?;
    let json_out = args.remote.json;
    let result = run_install_keys(&connection, args.command, json_out, out).await;
    connection.finish().await;
    result
}

async fn run_install_keys(
    connection: &Connection,
    command: ManageCommand,
    json_out: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let client = &connection.client;
    match command {
        ManageCommand::List => {
            let list: Value = client
                .get_json(&["install-keys"], &[])
                .await
                .map_err(|error| connection.error(error))?;
            if json_out {
                print_json(out, &list)?;
            } else {
                let rows = rows(
                    &list["data"],
                    &["id", "masked_key", "group_id", "created_at"],
                );
                table(
                    out,
                    &["ID", "KEY", "GROUP", "CREATED"],
                    &rows,
                    "No install keys.",
                )?;
            }
        }
        ManageCommand::Create { group } => {
            let body = match group {
                Some(group) => json!({ "group_id": group }),
                None => json!({}),
            };
            let created = client
                .write_json(Method::POST, &["install-keys"], Some(&body))
                .await
                .map_err(|error| connection.error(error))?
                .unwrap_or(Value::Null);
            if json_out {
                print_json(out, &created)?;
            } else {
                eprintln!(
                    "Created install key {}. Paste this command as root on each Linux machine to add (it holds the key; keep it secret):",
                    clean(created["id"].as_str().unwrap_or(""), usize::MAX)
                );
                writeln!(out, "{}", created["install_command"].as_str().unwrap_or(""))?;
            }
        }
        ManageCommand::Revoke { id } => {
            client
                .write_json(Method::DELETE, &["install-keys", &id], None::<&()>)
                .await
                .map_err(|error| connection.error(error))?;
            if json_out {
                print_json(out, &json!({"ok": true}))?;
            } else {
                writeln!(out, "Revoked install key {}.", clean(&id, usize::MAX))?;
            }
        }
    }
    Ok(())
}

/// Pretty JSON and a newline.
pub(crate) fn print_json(out: &mut dyn Write, value: &Value) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// The named fields of each object of a JSON array, as cleaned text (`--` for null).
pub(crate) fn rows(list: &Value, fields: &[&str]) -> Vec<Vec<String>> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    fields
                        .iter()
                        .map(|field| match &item[*field] {
                            Value::Null => "--".to_owned(),
                            Value::String(text) => clean(text, 60),
                            Value::Array(values) => clean(
                                &values
                                    .iter()
                                    .map(|value| value.as_str().unwrap_or("").to_owned())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                                60,
                            ),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A plain table with a header, columns padded to their widest cell; `empty` when no rows.
pub(crate) fn table(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
    empty: &str,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        writeln!(out, "{empty}")?;
        return Ok(());
    }
    let mut widths: Vec<usize> = header.iter().map(|title| title.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}
