//! `plumb install-keys|groups|devices|tags|alerts` against a real server, and
//! `plumb completions` from the binary: the `--json` shapes scripts rely on, and the tables.

use std::process::Command as Process;

use crate::remote::{json, plumb, server};

#[tokio::test]
async fn install_keys_create_prints_the_key_and_the_command_to_paste_as_json() {
    let server = server().await;
    let group = json(
        &plumb(&server, &["groups", "create", "Office", "--json"])
            .await
            .unwrap(),
    );
    let group_id = group["id"].as_str().unwrap();

    let created = json(
        &plumb(
            &server,
            &["install-keys", "create", "--group", group_id, "--json"],
        )
        .await
        .unwrap(),
    );

    let mut fields: Vec<&str> = created
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["created_at", "group_id", "id", "install_command", "key"]
    );
    let key = created["key"].as_str().unwrap();
    assert_eq!(
        created["install_command"],
        format!(
            "curl -fsSL '{}/downloads/install.sh' | sudo PLUMB_INSTALL_KEY={key} sh",
            server.url
        )
    );
    assert_eq!(created["group_id"], group_id);
    let listed = plumb(&server, &["install-keys", "list"]).await.unwrap();
    assert!(listed.starts_with("ID"), "{listed}");
    assert!(listed.contains("plumbi_****"), "{listed}");
    assert!(!listed.contains(key), "{listed}");
    let id = created["id"].as_str().unwrap();
    let revoked = plumb(&server, &["install-keys", "revoke", id])
        .await
        .unwrap();
    assert_eq!(revoked, format!("Revoked install key {id}.\n"));
    assert_eq!(
        plumb(&server, &["install-keys", "list"]).await.unwrap(),
        "No install keys.\n"
    );
}

#[tokio::test]
async fn groups_and_tags_are_managed_and_listed_from_the_cli() {
    let server = server().await;
    let created = json(
        &plumb(&server, &["groups", "create", "Clients", "--json"])
            .await
            .unwrap(),
    );
    let id = created["id"].as_str().unwrap();

    let renamed = plumb(&server, &["groups", "rename", id, "Customers"])
        .await
        .unwrap();
    let listed = json(&plumb(&server, &["groups", "list", "--json"]).await.unwrap());
    let tag = json(
        &plumb(&server, &["tags", "create", "VIP", "--json"])
            .await
            .unwrap(),
    );
    let tags = plumb(&server, &["tags", "list"]).await.unwrap();
    let devices = plumb(&server, &["devices", "list"]).await.unwrap();
    let alerts = json(
        &plumb(&server, &["alerts", "list", "--status", "active", "--json"])
            .await
            .unwrap(),
    );
    let deleted = plumb(&server, &["groups", "delete", id]).await.unwrap();
    let missing = plumb(&server, &["groups", "delete", id]).await.unwrap_err();

    assert_eq!(renamed, format!("Renamed group {id}.\n"));
    assert_eq!(
        listed,
        serde_json::json!({"data": [{"id": id, "name": "Customers", "parent_id": null}]})
    );
    assert_eq!(tag["name"], "VIP");
    assert!(tags.contains("VIP"), "{tags}");
    assert_eq!(devices, "No devices.\n");
    assert_eq!(alerts, serde_json::json!({"data": [], "has_more": false}));
    assert_eq!(deleted, format!("Deleted group {id}.\n"));
    assert!(missing.to_string().contains("not found"), "{missing}");
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let output = Process::new(env!("CARGO_BIN_EXE_plumb"))
            .args(["completions", shell])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(output.status.success(), "{shell}");
        for command in [
            "install-keys",
            "devices",
            "groups",
            "tags",
            "custom-fields",
            "alerts",
            "automations",
            "runs",
            "users",
            "activity",
        ] {
            assert!(text.contains(command), "{shell}: no {command}");
        }
    }
    let refused = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}
