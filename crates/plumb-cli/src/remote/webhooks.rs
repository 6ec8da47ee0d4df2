//! `plumb webhooks list|create|edit|delete|deliveries|rerun|test`: outgoing event webhooks
//! through `/api/v1/webhooks` (not the automations' webhook triggers).
//!
//! With `--json` each command prints the server's response; otherwise a few lines. A secret is
//! printed only by `create --generate-secret` and `edit --generate-secret`, alone on stdout.

use std::io::Write;

use anyhow::bail;
use clap::{Args, Subcommand};
use serde::Serialize;

use plumb_proto::v1::{CreateEventWebhook, EventWebhook, List, UpdateEventWebhook};

use super::credentials::{Connection, CredentialSource, connect};
use super::{RemoteArgs, format, prompt};

/// Arguments of `plumb webhooks`.
#[derive(Debug, Args)]
pub struct WebhooksArgs {
    /// Where and how to talk to the server.
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: WebhooksCommand,
}

/// `plumb webhooks` subcommands.
#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// List event webhook endpoints.
    List,
    /// Add an endpoint that receives events.
    Create {
        /// Where to post events (https://…).
        #[arg(long, value_name = "URL")]
        url: String,
        /// What it is for.
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        /// Generate a signing secret and print it (once).
        #[arg(long)]
        generate_secret: bool,
        /// Only these events (repeat, or comma-separated); default: every event.
        #[arg(long = "event", value_name = "EVENT", value_delimiter = ',')]
        events: Vec<String>,
        /// Create it disabled.
        #[arg(long)]
        disabled: bool,
    },
    /// Change an endpoint.
    Edit {
        /// The endpoint's id.
        id: String,
        /// New URL.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// New description.
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        /// Generate a new signing secret and print it (once).
        #[arg(long)]
        generate_secret: bool,
        /// Only these events from now on (repeat, or comma-separated).
        #[arg(long = "event", value_name = "EVENT", value_delimiter = ',')]
        events: Vec<String>,
        /// Every event again, including future ones.
        #[arg(long, conflicts_with = "events")]
        all_events: bool,
        /// Enable it.
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        /// Disable it.
        #[arg(long)]
        disable: bool,
    },
    /// Delete an endpoint with its delivery log.
    Delete {
        /// The endpoint's id.
        id: String,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Show an endpoint's delivery log, newest first.
    Deliveries {
        /// The endpoint's id.
        id: String,
        /// How many attempts (1 to 200).
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Send a delivery's event again (same event_id).
    Rerun {
        /// The endpoint's id.
        id: String,
        /// The attempt's id, from `plumb webhooks deliveries`.
        delivery_id: String,
    },
    /// Send a test event to an endpoint.
    Test {
        /// The endpoint's id.
        id: String,
    },
}

/// Runs one `plumb webhooks` subcommand, signing out afterwards if it signed in.
pub(crate) async fn run(
    args: WebhooksArgs,
    source: &CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if let WebhooksCommand::Delete { yes: false, .. } = &args.command {
        prompt::require_terminal("delete a webhook")?;
    }
    let connection = connect(source, args.remote.server.as_deref()).await?;
    let result = run_command(&connection, args.command, args.remote.json, out).await;
    connection.finish().await;
    result
}

fn print_json(out: &mut dyn Write, value: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

async fn run_command(
    connection: &Connection,
    command: WebhooksCommand,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let client = &connection.client;
    let fail = |error| connection.error(error);
    match command {
        WebhooksCommand::List => {
            let endpoints = client.list_event_webhooks().await.map_err(fail)?;
            if json {
                print_json(out, &List { data: endpoints })?;
            } else if endpoints.is_empty() {
                writeln!(out, "No webhooks.")?;
            } else {
                for endpoint in &endpoints {
                    writeln!(out, "{}", line(endpoint))?;
                }
            }
        }
        WebhooksCommand::Create {
            url,
            description,
            generate_secret,
            events,
            disabled,
        } => {
            let request = CreateEventWebhook {
                url,
                description,
                generate_secret,
                event_types: (!events.is_empty()).then_some(events),
                enabled: Some(!disabled),
                ..CreateEventWebhook::default()
            };
            let created = client.create_event_webhook(&request).await.map_err(fail)?;
            saved(out, json, &created, "Created")?;
        }
        WebhooksCommand::Edit {
            id,
            url,
            description,
            generate_secret,
            events,
            all_events,
            enable,
            disable,
        } => {
            let event_types = if all_events {
                Some(None)
            } else {
                (!events.is_empty()).then_some(Some(events))
            };
            let request = UpdateEventWebhook {
                url,
                description,
                generate_secret,
                event_types,
                enabled: (enable || disable).then_some(enable),
                ..UpdateEventWebhook::default()
            };
            let updated = client
                .update_event_webhook(&id, &request)
                .await
                .map_err(fail)?;
            saved(out, json, &updated, "Updated")?;
        }
        WebhooksCommand::Delete { id, yes } => {
            if !yes && !prompt::confirm(&format!("Delete webhook {id} and its delivery log?"))? {
                bail!("not deleted");
            }
            client.delete_event_webhook(&id).await.map_err(fail)?;
            // 204 has no body: `--json` prints `{"ok": true}`, as every other delete does.
            if json {
                print_json(out, &serde_json::json!({"ok": true}))?;
            } else {
                writeln!(out, "Deleted webhook {id}.")?;
            }
        }
        WebhooksCommand::Deliveries { id, limit } => {
            let page = client
                .event_webhook_deliveries(&id, Some(limit), None)
                .await
                .map_err(fail)?;
            if json {
                print_json(out, &page)?;
            } else if page.data.is_empty() {
                writeln!(out, "No deliveries yet.")?;
            } else {
                for attempt in &page.data {
                    let status = attempt
                        .status
                        .map_or_else(|| "---".to_owned(), |status| status.to_string());
                    writeln!(
                        out,
                        "{}  {}  {:<15} {status}  {:>5} ms  {:<9}  {}  {}",
                        attempt.id,
                        format::time(attempt.attempted_at),
                        attempt.event_type,
                        attempt.duration_ms,
                        attempt.delivery_state,
                        attempt.event_id,
                        format::clean(&attempt.response, 60),
                    )?;
                }
            }
        }
        WebhooksCommand::Rerun { id, delivery_id } => {
            client
                .rerun_event_webhook_delivery(&id, &delivery_id)
                .await
                .map_err(fail)?;
            if json {
                print_json(out, &serde_json::json!({"ok": true}))?;
            } else {
                writeln!(
                    out,
                    "Queued: the event goes out again with the same event_id."
                )?;
            }
        }
        WebhooksCommand::Test { id } => {
            let queued = client.test_event_webhook(&id).await.map_err(fail)?;
            if json {
                print_json(out, &queued)?;
            } else {
                writeln!(out, "Queued test event {}.", queued.event_id)?;
            }
        }
    }
    Ok(())
}

/// Prints a saved endpoint: its generated secret alone on stdout, the rest on stderr.
fn saved(
    out: &mut dyn Write,
    json: bool,
    endpoint: &EventWebhook,
    verb: &str,
) -> anyhow::Result<()> {
    if json {
        return print_json(out, endpoint);
    }
    match &endpoint.secret {
        Some(secret) => {
            eprintln!(
                "{verb} {}. Its signing secret follows; keep it secret.",
                line(endpoint)
            );
            writeln!(out, "{secret}")?;
        }
        None => writeln!(out, "{verb} {}.", line(endpoint))?,
    }
    Ok(())
}

fn line(endpoint: &EventWebhook) -> String {
    let events = endpoint
        .event_types
        .as_ref()
        .map_or_else(|| "all events".to_owned(), |types| types.join(","));
    format!(
        "{}  {}  {}  {}{}",
        endpoint.id,
        format::clean(&endpoint.url, 80),
        events,
        if endpoint.enabled {
            "enabled"
        } else {
            "disabled"
        },
        if endpoint.has_secret { ", signed" } else { "" },
    )
}
