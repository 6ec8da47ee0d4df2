//! `plumb custom-fields …`: the fields (list, create, rename, delete), a device's values with
//! where each comes from, and a value set or cleared for the organization, a group or a device.

use std::io::Write;

use clap::Subcommand;
use plumb_client::Method;
use serde_json::{Value, json};

use super::RemoteArgs;
use super::calls::{Api, say, show, text};
use super::credentials::{CredentialSource, connect};
use super::format::clean;
use super::manage::{print_json, table};

/// `plumb custom-fields`.
#[derive(Debug, Subcommand)]
pub enum FieldsCommand {
    /// List the custom fields.
    List,
    /// Create a custom field.
    Create {
        /// Its name.
        name: String,
        /// Show it to administrators only.
        #[arg(long)]
        admin_only: bool,
    },
    /// Rename a custom field.
    Rename {
        /// The field's id.
        id: String,
        /// The new name.
        name: String,
    },
    /// Delete a custom field and its values everywhere.
    Delete {
        /// The field's id.
        id: String,
    },
    /// Show a device's value of every field, and where each comes from.
    Values {
        /// The device's id.
        #[arg(long, value_name = "ID")]
        device: String,
    },
    /// Set a field's value for the organization, or with --group or --device for one of them.
    Set {
        /// The field's id.
        field: String,
        /// The value.
        value: String,
        /// Set it for this group (and the groups and devices under it).
        #[arg(long, value_name = "ID", conflicts_with = "device")]
        group: Option<String>,
        /// Set it for this device only.
        #[arg(long, value_name = "ID")]
        device: Option<String>,
    },
    /// Clear a field's value at one level, so the level above applies again.
    Unset {
        /// The field's id.
        field: String,
        /// Clear the group's value.
        #[arg(long, value_name = "ID", conflicts_with = "device")]
        group: Option<String>,
        /// Clear the device's own value.
        #[arg(long, value_name = "ID")]
        device: Option<String>,
    },
}

/// Runs `plumb custom-fields …`.
pub(crate) async fn run(
    remote: RemoteArgs,
    command: FieldsCommand,
    source: &CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let connection = connect(source, remote.server.as_deref()).await?;
    let result = dispatch(&Api::new(&connection), command, remote.json, out).await;
    connection.finish().await;
    result
}

async fn dispatch(
    api: &Api<'_>,
    command: FieldsCommand,
    json_out: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        FieldsCommand::List => {
            let list = api.get(&["custom-fields"], &[]).await?;
            let fields = ["id", "name", "reference", "admin_only"];
            let header = ["ID", "NAME", "REFERENCE", "ADMINS ONLY"];
            show(out, json_out, &list, &fields, &header, "No custom fields.")
        }
        FieldsCommand::Create { name, admin_only } => {
            let body = json!({"name": name, "admin_only": admin_only});
            let field = api
                .write(Method::POST, &["custom-fields"], Some(&body))
                .await?;
            let line = format!(
                "Created custom field {} ({}).",
                text(&field["name"]),
                text(&field["id"])
            );
            say(out, json_out, &field, &line)
        }
        FieldsCommand::Rename { id, name } => {
            let body = json!({"name": name});
            let field = api
                .write(Method::PATCH, &["custom-fields", &id], Some(&body))
                .await?;
            let line = format!("Renamed custom field {}.", text(&field["id"]));
            say(out, json_out, &field, &line)
        }
        FieldsCommand::Delete { id } => {
            let done = api
                .write(Method::DELETE, &["custom-fields", &id], None)
                .await?;
            let line = format!("Deleted custom field {}.", clean(&id, 80));
            say(out, json_out, &done, &line)
        }
        FieldsCommand::Values { device } => {
            let list = api.get(&["devices", &device, "custom-fields"], &[]).await?;
            if json_out {
                return print_json(out, &list);
            }
            let rows: Vec<Vec<String>> = list["data"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|value| {
                    vec![
                        text(&value["field"]["name"]),
                        value["value"]
                            .as_str()
                            .map_or("--".to_owned(), |v| clean(v, 60)),
                        origin(value),
                    ]
                })
                .collect();
            table(out, &["FIELD", "VALUE", "FROM"], &rows, "No custom fields.")
        }
        FieldsCommand::Set {
            field,
            value,
            group,
            device,
        } => {
            let level = group.or(device);
            let body = json!({"assigned_to_id": level, "value": value});
            let done = api
                .write(
                    Method::PUT,
                    &["custom-fields", &field, "value"],
                    Some(&body),
                )
                .await?;
            let line = format!("Set custom field {}.", clean(&field, 80));
            say(out, json_out, &done, &line)
        }
        FieldsCommand::Unset {
            field,
            group,
            device,
        } => {
            let level = group.or(device);
            let body = json!({"assigned_to_id": level, "value": null});
            let done = api
                .write(
                    Method::PUT,
                    &["custom-fields", &field, "value"],
                    Some(&body),
                )
                .await?;
            let line = format!("Cleared custom field {}.", clean(&field, 80));
            say(out, json_out, &done, &line)
        }
    }
}

/// Where a device's value comes from, for a person.
fn origin(value: &Value) -> String {
    match value["source"].as_str() {
        Some("device") => "device".to_owned(),
        Some("group") => format!("group {}", text(&value["source_group_name"])),
        Some("organization") => "organization".to_owned(),
        _ => "--".to_owned(),
    }
}
