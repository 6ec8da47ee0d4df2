//! `plumb install-keys list|create|revoke` through the real binary: the install command to paste
//! (alone on stdout), the masked list, and the `--json` shapes the README promises
//! (`{"id", "key", "install_command", ...}`).

use crate::real::{cli_snapshot, signed_in};

#[tokio::test]
async fn an_install_key_is_created_for_a_group_listed_masked_and_revoked() {
    let plumb = signed_in().await;
    let url = plumb.server.url.clone();
    let group = plumb.json(&["groups", "create", "Office"]).await;
    let group_id = group["id"].as_str().unwrap();

    let empty = plumb.ok(&["install-keys", "list"]).await;
    let created = plumb
        .json(&["install-keys", "create", "--group", group_id])
        .await;
    let key = created["key"].as_str().unwrap();
    let id = created["id"].as_str().unwrap();
    let plain = plumb.run(&["install-keys", "create"]).await;
    let table = plumb.ok(&["install-keys", "list"]).await;
    let listed = plumb.json(&["install-keys", "list"]).await;
    let revoked = plumb.ok(&["install-keys", "revoke", id]).await;
    let again = plumb.fails(1, &["install-keys", "revoke", id]).await;
    let remaining = plumb.json(&["install-keys", "list"]).await;
    let other = remaining["data"][0]["id"].as_str().unwrap().to_owned();
    let revoked_json = plumb.json(&["install-keys", "revoke", &other]).await;
    let unknown_group = plumb
        .fails(1, &["install-keys", "create", "--group", "nope"])
        .await;

    assert_eq!(empty, "No install keys.\n");
    assert!(key.starts_with("plumbi_"), "{key}");
    assert_eq!(created["group_id"], group_id);
    assert_eq!(
        created["install_command"],
        format!("curl -fsSL '{url}/downloads/install.sh' | sudo PLUMB_INSTALL_KEY={key} sh")
    );
    assert_eq!(plain.code, Some(0), "{plain:?}");
    assert!(
        plain.stdout.starts_with(&format!(
            "curl -fsSL '{url}/downloads/install.sh' | sudo PLUMB_INSTALL_KEY=plumbi_"
        )),
        "{plain:?}"
    );
    assert_eq!(plain.stdout.lines().count(), 1, "{plain:?}");
    assert!(plain.stderr.contains("keep it secret"), "{plain:?}");
    assert!(table.starts_with("ID"), "{table}");
    assert_eq!(table.lines().count(), 3, "{table}");
    assert!(
        table.contains("plumbi_****") && table.contains(group_id),
        "{table}"
    );
    assert!(!table.contains(key), "{table}");
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
    assert_eq!(revoked, format!("Revoked install key {id}.\n"));
    assert!(again.contains("not found"), "{again}");
    assert_eq!(remaining["data"].as_array().unwrap().len(), 1);
    assert_ne!(other, id);
    assert_eq!(revoked_json, serde_json::json!({"ok": true}));
    assert!(unknown_group.starts_with("error: "), "{unknown_group}");
    assert_eq!(
        plumb.ok(&["install-keys", "list"]).await,
        "No install keys.\n"
    );
    cli_snapshot!(plumb, "install_keys_create", created);
    cli_snapshot!(plumb, "install_keys_list", remaining);
    cli_snapshot!(plumb, "install_keys_revoke", revoked_json);
}
