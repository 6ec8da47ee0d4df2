//! `plumb automations …` (list, show, create, update, delete, webhook triggers, Run now) and
//! `plumb runs …` (an automation's or a device's runs, one run with each step's output).
//! Settings access, like the web UI's Automations.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Subcommand;
use plumb_client::Method;
use serde_json::{Value, json};

use super::RemoteArgs;
use super::calls::{Api, say, show, text};
use super::credentials::{CredentialSource, connect};
use super::format::clean;
use super::manage::{print_json, table};

/// `plumb automations`.
#[derive(Debug, Subcommand)]
pub enum AutomationsCommand {
    /// List automations (the first 100).
    List,
    /// Show an automation with its steps.
    Show {
        /// The automation's id.
        id: String,
    },
    /// Create an automation: from a JSON file (`-` for stdin) shaped like the API's body, or
    /// with one step from --script.
    #[command(group(clap::ArgGroup::new("steps").required(true)))]
    Create {
        /// Its name (unless the file gives one).
        name: Option<String>,
        /// A JSON body: {"name", "description", "group_id", "steps": [{"name", "shell",
        /// "script", "timeout_seconds"}]}.
        #[arg(long, value_name = "PATH", group = "steps")]
        file: Option<PathBuf>,
        /// The one step's script.
        #[arg(long, group = "steps")]
        script: Option<String>,
        /// The step's shell: sh, bash, python3 or powershell.
        #[arg(long, default_value = "sh")]
        shell: String,
        /// The step's time limit in seconds.
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<u32>,
        /// What it is for.
        #[arg(long)]
        description: Option<String>,
        /// The group it runs on (with its subgroups); every device without.
        #[arg(long, value_name = "ID")]
        group: Option<String>,
    },
    /// Change an automation: fields from a JSON file (`-` for stdin), or single flags.
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(true)))]
    Update {
        /// The automation's id.
        id: String,
        /// A JSON body with the fields to change (`steps` replaces them all).
        #[arg(long, value_name = "PATH", group = "change")]
        file: Option<PathBuf>,
        /// The new name.
        #[arg(long, group = "change")]
        name: Option<String>,
        /// The new description (`""` clears it).
        #[arg(long, group = "change")]
        description: Option<String>,
        /// The group it runs on, or `none` for every device.
        #[arg(long, value_name = "ID", group = "change")]
        group: Option<String>,
    },
    /// Delete an automation and its triggers (its runs stay).
    Delete {
        /// The automation's id.
        id: String,
    },
    /// Start it now on the chosen devices (every device it runs on without --device).
    Run {
        /// The automation's id.
        id: String,
        /// A device to run on (repeat for more).
        #[arg(long = "device", value_name = "ID")]
        devices: Vec<String>,
    },
    /// List an automation's webhook triggers.
    Triggers {
        /// The automation's id.
        id: String,
    },
    /// Add a webhook trigger; prints its URL (and the Authorization value, shown once).
    AddTrigger {
        /// The automation's id.
        id: String,
        /// Calls must carry a generated Authorization value.
        #[arg(long)]
        require_authorization: bool,
    },
    /// Delete a webhook trigger: its URL stops working.
    DeleteTrigger {
        /// The automation's id.
        id: String,
        /// The trigger's id.
        trigger: String,
    },
}

/// `plumb runs`.
#[derive(Debug, Subcommand)]
pub enum RunsCommand {
    /// List runs, newest first, of an automation or of a device.
    List {
        /// The automation's runs.
        #[arg(
            long,
            value_name = "ID",
            required_unless_present = "device",
            conflicts_with = "device"
        )]
        automation: Option<String>,
        /// The device's runs.
        #[arg(long, value_name = "ID")]
        device: Option<String>,
        /// How many (1 to 100).
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// The `next_cursor` of the previous page, for older runs.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Show one run with each step's status and output.
    Show {
        /// The run's id.
        id: String,
    },
}

/// One of the two.
#[derive(Debug)]
pub enum Automation {
    /// `plumb automations`.
    Automations(AutomationsCommand),
    /// `plumb runs`.
    Runs(RunsCommand),
}

/// Runs `plumb automations …` or `plumb runs …`.
pub(crate) async fn run(
    remote: RemoteArgs,
    command: Automation,
    source: &CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let connection = connect(source, remote.server.as_deref()).await?;
    let api = Api::new(&connection);
    let result = match command {
        Automation::Automations(command) => automations(&api, command, remote.json, out).await,
        Automation::Runs(command) => runs(&api, command, remote.json, out).await,
    };
    connection.finish().await;
    result
}

async fn automations(
    api: &Api<'_>,
    command: AutomationsCommand,
    json_out: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        AutomationsCommand::List => {
            let page = api.get(&["automations"], &[("limit", "100")]).await?;
            let fields = ["id", "name", "group_name", "updated_at"];
            let header = ["ID", "NAME", "RUNS ON", "CHANGED"];
            show(out, json_out, &page, &fields, &header, "No automations.")
        }
        AutomationsCommand::Show { id } => {
            let automation = api.get(&["automations", &id], &[]).await?;
            if json_out {
                return print_json(out, &automation);
            }
            writeln!(
                out,
                "{} ({})",
                text(&automation["name"]),
                text(&automation["id"])
            )?;
            writeln!(
                out,
                "Runs on: {}",
                automation["group_name"]
                    .as_str()
                    .map_or("every device".to_owned(), |name| clean(name, 80))
            )?;
            for (index, step) in automation["steps"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                writeln!(
                    out,
                    "\nStep {}: {} ({}, {} s)",
                    index + 1,
                    text(&step["name"]),
                    text(&step["shell"]),
                    step["timeout_seconds"]
                )?;
                writeln!(
                    out,
                    "{}",
                    clean_block(step["script"].as_str().unwrap_or(""))
                )?;
            }
            Ok(())
        }
        AutomationsCommand::Create {
            name,
            file,
            script,
            shell,
            timeout,
            description,
            group,
        } => {
            let mut body = match (file, script) {
                (Some(path), _) => read_body(&path)?,
                (None, Some(script)) => {
                    let step_name = name.clone().unwrap_or_else(|| "Run the script".to_owned());
                    json!({"steps": [{"name": step_name, "shell": shell, "script": script, "timeout_seconds": timeout}]})
                }
                (None, None) => anyhow::bail!("give the steps with --script or --file"),
            };
            let object = body
                .as_object_mut()
                .ok_or_else(|| anyhow::anyhow!("the file must hold a JSON object"))?;
            if let Some(name) = name {
                object.insert("name".into(), json!(name));
            }
            if let Some(description) = description {
                object.insert("description".into(), json!(description));
            }
            if let Some(group) = group {
                object.insert("group_id".into(), json!(group));
            }
            let created = api
                .write(Method::POST, &["automations"], Some(&body))
                .await?;
            let line = format!(
                "Created automation {} ({}).",
                text(&created["name"]),
                text(&created["id"])
            );
            say(out, json_out, &created, &line)
        }
        AutomationsCommand::Update {
            id,
            file,
            name,
            description,
            group,
        } => {
            let mut body = match file {
                Some(path) => read_body(&path)?,
                None => json!({}),
            };
            let object = body
                .as_object_mut()
                .ok_or_else(|| anyhow::anyhow!("the file must hold a JSON object"))?;
            if let Some(name) = name {
                object.insert("name".into(), json!(name));
            }
            if let Some(description) = description {
                object.insert(
                    "description".into(),
                    json!((!description.is_empty()).then_some(description)),
                );
            }
            if let Some(group) = group {
                object.insert("group_id".into(), json!((group != "none").then_some(group)));
            }
            if object.is_empty() {
                anyhow::bail!("nothing to change: give --file, --name, --description or --group");
            }
            let saved = api
                .write(Method::PATCH, &["automations", &id], Some(&body))
                .await?;
            say(
                out,
                json_out,
                &saved,
                &format!("Saved automation {}.", text(&saved["id"])),
            )
        }
        AutomationsCommand::Delete { id } => {
            let done = api
                .write(Method::DELETE, &["automations", &id], None)
                .await?;
            say(
                out,
                json_out,
                &done,
                &format!("Deleted automation {}.", clean(&id, 80)),
            )
        }
        AutomationsCommand::Run { id, devices } => {
            let body = if devices.is_empty() {
                json!({})
            } else {
                json!({"device_ids": devices})
            };
            let started = api
                .write(Method::POST, &["automations", &id, "runs"], Some(&body))
                .await?;
            if json_out {
                return print_json(out, &started);
            }
            let runs = started["runs"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            writeln!(
                out,
                "Started {} runs; each device picks its run up at its next check-in.",
                runs.len()
            )?;
            for run in runs {
                writeln!(out, "{}  {}", text(&run["id"]), text(&run["device_id"]))?;
            }
            Ok(())
        }
        AutomationsCommand::Triggers { id } => {
            let list = api.get(&["automations", &id, "webhooks"], &[]).await?;
            let fields = ["id", "url", "requires_authorization_header", "created_at"];
            let header = ["ID", "URL", "AUTHORIZATION", "CREATED"];
            show(out, json_out, &list, &fields, &header, "No triggers.")
        }
        AutomationsCommand::AddTrigger {
            id,
            require_authorization,
        } => {
            let body = json!({"require_authorization": require_authorization});
            let created = api
                .write(Method::POST, &["automations", &id, "webhooks"], Some(&body))
                .await?;
            if json_out {
                return print_json(out, &created);
            }
            writeln!(out, "Created trigger {}. POST to:", text(&created["id"]))?;
            writeln!(out, "{}", created["url"].as_str().unwrap_or("--"))?;
            if let Some(authorization) = created["authorization"].as_str() {
                writeln!(
                    out,
                    "with the header (shown once, keep it secret):\nAuthorization: {authorization}"
                )?;
            }
            Ok(())
        }
        AutomationsCommand::DeleteTrigger { id, trigger } => {
            let done = api
                .write(
                    Method::DELETE,
                    &["automations", &id, "webhooks", &trigger],
                    None,
                )
                .await?;
            say(
                out,
                json_out,
                &done,
                &format!("Deleted trigger {}.", clean(&trigger, 80)),
            )
        }
    }
}

async fn runs(
    api: &Api<'_>,
    command: RunsCommand,
    json_out: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        RunsCommand::List {
            automation,
            device,
            limit,
            cursor,
        } => {
            let limit = limit.to_string();
            let mut query = vec![("limit", limit.as_str())];
            if let Some(cursor) = &cursor {
                query.push(("cursor", cursor.as_str()));
            }
            let page = match (&automation, &device) {
                (Some(id), _) => api.get(&["automations", id, "runs"], &query).await?,
                (None, Some(id)) => api.get(&["devices", id, "runs"], &query).await?,
                (None, None) => anyhow::bail!("give --automation or --device"),
            };
            show(
                out,
                json_out,
                &page,
                &[
                    "id",
                    "automation_name",
                    "device_hostname",
                    "status",
                    "created_at",
                    "ended_at",
                ],
                &["ID", "AUTOMATION", "DEVICE", "STATUS", "STARTED", "ENDED"],
                "No runs.",
            )?;
            if !json_out && let Some(next) = page["next_cursor"].as_str() {
                writeln!(out, "More: --cursor {}", clean(next, 80))?;
            }
            Ok(())
        }
        RunsCommand::Show { id } => {
            let run = api.get(&["runs", &id], &[]).await?;
            if json_out {
                return print_json(out, &run);
            }
            writeln!(
                out,
                "{} on {}: {}",
                text(&run["automation_name"]),
                text(&run["device_hostname"]),
                text(&run["status"])
            )?;
            let steps = run["steps"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            let rows: Vec<Vec<String>> = steps
                .iter()
                .enumerate()
                .map(|(index, step)| {
                    vec![
                        (index + 1).to_string(),
                        text(&step["name"]),
                        text(&step["status"]),
                    ]
                })
                .collect();
            table(out, &["#", "STEP", "STATUS"], &rows, "No steps.")?;
            for (index, step) in steps.iter().enumerate() {
                if let Some(output) = step["output"].as_str() {
                    writeln!(
                        out,
                        "\n--- step {} output ---\n{}",
                        index + 1,
                        clean_block(output)
                    )?;
                }
            }
            Ok(())
        }
    }
}

/// A JSON object read from a file, or from stdin for `-`.
fn read_body(path: &PathBuf) -> anyhow::Result<Value> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        std::fs::read_to_string(path)
            .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", path.display()))?
    };
    serde_json::from_str(&text)
        .map_err(|error| anyhow::anyhow!("{} is not JSON: {error}", path.display()))
}

/// Several lines of text for a terminal: each line cleaned of control characters.
fn clean_block(text: &str) -> String {
    text.lines()
        .map(|line| clean(line, usize::MAX))
        .collect::<Vec<_>>()
        .join("\n")
}
