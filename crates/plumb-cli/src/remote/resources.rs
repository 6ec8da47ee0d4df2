//! `plumb devices|groups|tags|alerts …`, over the `/api/v1` routes the web UI calls; output as
//! in [`super::manage`] (tables, or the server's JSON with `--json`).

use std::io::Write;

use clap::Subcommand;
use plumb_client::Method;
use serde_json::{Value, json};

use super::RemoteArgs;
use super::calls::{Api, say, show, text};
use super::credentials::{Connection, CredentialSource, connect};
use super::format::clean;

/// `plumb devices`.
#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// List devices (the first 100 that match).
    List {
        /// Text in the hostname or nickname.
        #[arg(long)]
        search: Option<String>,
        /// Only devices directly in this group (`null`: in no group).
        #[arg(long, value_name = "ID")]
        group: Option<String>,
        /// Only devices carrying this tag.
        #[arg(long, value_name = "ID")]
        tag: Option<String>,
    },
    /// Move devices into a group, or out of any with `--group none`.
    Move {
        /// The group's id, or `none`.
        #[arg(long, value_name = "ID")]
        group: String,
        /// Device ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Change a device's nickname, notes or group (`""` clears a nickname or notes).
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(true)))]
    Edit {
        /// The device's id.
        id: String,
        /// The nickname people see next to the hostname.
        #[arg(long, group = "change")]
        nickname: Option<String>,
        /// Notes.
        #[arg(long, group = "change")]
        notes: Option<String>,
        /// The group's id, or `none`.
        #[arg(long, value_name = "ID", group = "change")]
        group: Option<String>,
    },
    /// Delete a device; its agent stops working at once.
    Delete {
        /// The device's id.
        id: String,
    },
}

/// `plumb groups`.
#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// List every group.
    List,
    /// Create a group.
    Create {
        /// Its name.
        name: String,
        /// The parent group.
        #[arg(long, value_name = "ID")]
        parent: Option<String>,
    },
    /// Rename a group.
    Rename {
        /// The group's id.
        id: String,
        /// The new name.
        name: String,
    },
    /// Delete a group: its devices and subgroups move up to its parent.
    Delete {
        /// The group's id.
        id: String,
    },
}

/// `plumb tags`.
#[derive(Debug, Subcommand)]
pub enum TagsCommand {
    /// List every tag.
    List,
    /// Create a tag.
    Create {
        /// Its name.
        name: String,
    },
    /// Put a tag on devices (all or none).
    Add {
        /// The tag's id.
        tag: String,
        /// Device ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Take a tag off devices (all or none).
    Remove {
        /// The tag's id.
        tag: String,
        /// Device ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Delete a tag: it comes off every device.
    Delete {
        /// The tag's id.
        tag: String,
    },
}

/// `plumb alerts`.
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// List alerts (the first 100).
    List {
        /// `active` or `resolved`.
        #[arg(long, value_parser = ["active", "resolved"])]
        status: Option<String>,
    },
    /// Resolve an alert.
    Resolve {
        /// The alert's id.
        id: String,
    },
}

/// One of the resource commands.
#[derive(Debug)]
pub enum Resource {
    /// Devices.
    Devices(DevicesCommand),
    /// Groups.
    Groups(GroupsCommand),
    /// Tags.
    Tags(TagsCommand),
    /// Alerts.
    Alerts(AlertsCommand),
}

/// Runs one resource command, signing out afterwards if it signed in.
pub(crate) async fn run(
    remote: RemoteArgs,
    resource: Resource,
    source: &CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let connection = connect(source, remote.server.as_deref()).await?;
    let result = dispatch(&connection, resource, remote.json, out).await;
    connection.finish().await;
    result
}

async fn dispatch(
    connection: &Connection,
    resource: Resource,
    json_out: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let api = Api::new(connection);
    let get = |segments: Vec<String>, query: Vec<(&'static str, String)>| {
        let api = &api;
        async move {
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.get(&segments, &query).await
        }
    };
    let write = |method: Method, segments: Vec<String>, body: Option<Value>| {
        let api = &api;
        async move {
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            api.write(method, &segments, body.as_ref()).await
        }
    };
    let s = |text: &str| text.to_owned();
    match resource {
        Resource::Devices(DevicesCommand::List { search, group, tag }) => {
            let mut query = vec![("limit", s("100"))];
            query.extend(search.map(|v| ("search", v)));
            query.extend(group.map(|v| ("group_id", v)));
            query.extend(tag.map(|v| ("tag_id", v)));
            let page = get(vec![s("devices")], query).await?;
            let fields = [
                "id",
                "hostname",
                "group_name",
                "online",
                "last_seen_at",
                "tags",
            ];
            let header = ["ID", "HOSTNAME", "GROUP", "ONLINE", "LAST SEEN", "TAGS"];
            show(out, json_out, &page, &fields, &header, "No devices.")
        }
        Resource::Devices(DevicesCommand::Move { group, ids }) => {
            let group = (group != "none").then_some(group);
            let body = json!({"device_ids": ids, "group_id": group});
            let done = write(Method::POST, vec![s("devices"), s("group")], Some(body)).await?;
            say(
                out,
                json_out,
                &done,
                &format!("Moved {} devices.", ids.len()),
            )
        }
        Resource::Devices(DevicesCommand::Edit {
            id,
            nickname,
            notes,
            group,
        }) => {
            let mut body = serde_json::Map::new();
            let blank = |text: String| (!text.trim().is_empty()).then_some(text);
            if let Some(nickname) = nickname {
                body.insert("nickname".into(), json!(blank(nickname)));
            }
            if let Some(notes) = notes {
                body.insert("notes".into(), json!(blank(notes)));
            }
            if let Some(group) = group {
                body.insert("group_id".into(), json!((group != "none").then_some(group)));
            }
            if body.is_empty() {
                anyhow::bail!("nothing to change: give --nickname, --notes or --group");
            }
            let path = vec![s("devices"), id.clone()];
            let done = write(Method::PATCH, path, Some(Value::Object(body))).await?;
            say(
                out,
                json_out,
                &done,
                &format!("Saved device {}.", clean(&id, 80)),
            )
        }
        Resource::Devices(DevicesCommand::Delete { id }) => {
            let done = write(Method::DELETE, vec![s("devices"), id.clone()], None).await?;
            say(
                out,
                json_out,
                &done,
                &format!("Deleted device {}.", clean(&id, 80)),
            )
        }
        Resource::Groups(GroupsCommand::List) => {
            let list = get(vec![s("groups")], vec![]).await?;
            show(
                out,
                json_out,
                &list,
                &["id", "name", "parent_id"],
                &["ID", "NAME", "PARENT"],
                "No groups.",
            )
        }
        Resource::Groups(GroupsCommand::Create { name, parent }) => {
            let body = json!({"name": name, "parent_id": parent});
            let group = write(Method::POST, vec![s("groups")], Some(body)).await?;
            let line = format!(
                "Created group {} ({}).",
                text(&group["name"]),
                text(&group["id"])
            );
            say(out, json_out, &group, &line)
        }
        Resource::Groups(GroupsCommand::Rename { id, name }) => {
            let group = write(
                Method::PATCH,
                vec![s("groups"), id],
                Some(json!({"name": name})),
            )
            .await?;
            say(
                out,
                json_out,
                &group,
                &format!("Renamed group {}.", text(&group["id"])),
            )
        }
        Resource::Groups(GroupsCommand::Delete { id }) => {
            let done = write(Method::DELETE, vec![s("groups"), id.clone()], None).await?;
            say(
                out,
                json_out,
                &done,
                &format!("Deleted group {}.", clean(&id, 80)),
            )
        }
        Resource::Tags(TagsCommand::List) => {
            let list = get(vec![s("tags")], vec![]).await?;
            show(
                out,
                json_out,
                &list,
                &["id", "name", "device_count"],
                &["ID", "NAME", "DEVICES"],
                "No tags.",
            )
        }
        Resource::Tags(TagsCommand::Create { name }) => {
            let tag = write(Method::POST, vec![s("tags")], Some(json!({"name": name}))).await?;
            say(
                out,
                json_out,
                &tag,
                &format!("Created tag {} ({}).", text(&tag["name"]), text(&tag["id"])),
            )
        }
        Resource::Tags(TagsCommand::Add { tag, ids }) => {
            let body = json!({"device_ids": ids});
            let done = write(Method::POST, vec![s("tags"), tag, s("devices")], Some(body)).await?;
            say(
                out,
                json_out,
                &done,
                &format!("Tagged {} devices.", ids.len()),
            )
        }
        Resource::Tags(TagsCommand::Remove { tag, ids }) => {
            let body = json!({"device_ids": ids});
            let path = vec![s("tags"), tag, s("devices")];
            let done = write(Method::DELETE, path, Some(body)).await?;
            say(
                out,
                json_out,
                &done,
                &format!("Untagged {} devices.", ids.len()),
            )
        }
        Resource::Tags(TagsCommand::Delete { tag }) => {
            let done = write(Method::DELETE, vec![s("tags"), tag.clone()], None).await?;
            say(
                out,
                json_out,
                &done,
                &format!("Deleted tag {}.", clean(&tag, 80)),
            )
        }
        Resource::Alerts(AlertsCommand::List { status }) => {
            let mut query = vec![("limit", s("100"))];
            query.extend(status.map(|v| ("status", v)));
            let page = get(vec![s("alerts")], query).await?;
            let fields = [
                "id",
                "severity",
                "name",
                "device_hostname",
                "started_at",
                "is_resolved",
            ];
            let header = ["ID", "SEVERITY", "ALERT", "DEVICE", "STARTED", "RESOLVED"];
            show(out, json_out, &page, &fields, &header, "No alerts.")
        }
        Resource::Alerts(AlertsCommand::Resolve { id }) => {
            let path = vec![s("alerts"), id, s("resolve")];
            let alert = write(Method::POST, path, None).await?;
            say(
                out,
                json_out,
                &alert,
                &format!("Resolved alert {}.", text(&alert["id"])),
            )
        }
    }
}
