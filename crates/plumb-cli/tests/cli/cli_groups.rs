//! `plumb groups list|create|rename|delete` and `plumb tags list|create|add|remove|delete`
//! through the real binary: the tables, the lines people read, the `/v2` rules (a deleted
//! group's subgroups move up) and each `--json` shape pinned by a snapshot.

use serde_json::{Value, json};

use crate::real::{cli_snapshot, signed_in};

#[tokio::test]
async fn a_group_tree_is_created_renamed_and_deleted_with_subgroups_moving_up() {
    let plumb = signed_in().await;

    let empty = plumb.ok(&["groups", "list"]).await;
    let created = plumb.ok(&["groups", "create", "Clients"]).await;
    let parent = plumb.json(&["groups", "list"]).await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let child = plumb
        .json(&["groups", "create", "Lyon", "--parent", &parent])
        .await;
    let child_id = child["id"].as_str().unwrap();
    let renamed = plumb.ok(&["groups", "rename", &parent, "Customers"]).await;
    let renamed_json = plumb.json(&["groups", "rename", child_id, "Paris"]).await;
    let table = plumb.ok(&["groups", "list"]).await;
    let listed = plumb.json(&["groups", "list"]).await;
    let unknown_parent = plumb
        .fails(1, &["groups", "create", "Orphan", "--parent", "nope"])
        .await;
    let deleted = plumb.ok(&["groups", "delete", &parent]).await;
    let after = plumb.json(&["groups", "list"]).await;
    let deleted_json = plumb.json(&["groups", "delete", child_id]).await;
    let missing = plumb.fails(1, &["groups", "delete", child_id]).await;

    assert_eq!(empty, "No groups.\n");
    assert_eq!(created, format!("Created group Clients ({parent}).\n"));
    assert_eq!(child["parent_id"], parent.as_str());
    assert_eq!(renamed, format!("Renamed group {parent}.\n"));
    assert_eq!(renamed_json["name"], "Paris");
    assert!(
        table.starts_with("ID") && table.contains("PARENT"),
        "{table}"
    );
    assert!(
        table.contains("Customers") && table.contains("Paris"),
        "{table}"
    );
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
    assert!(unknown_parent.starts_with("error: "), "{unknown_parent}");
    assert_eq!(deleted, format!("Deleted group {parent}.\n"));
    assert_eq!(
        after,
        json!({"data": [{"id": child_id, "name": "Paris", "parent_id": null}]})
    );
    assert_eq!(deleted_json, json!({"ok": true}));
    assert!(missing.contains("not found"), "{missing}");
    cli_snapshot!(plumb, "groups_create", child);
    cli_snapshot!(plumb, "groups_rename", renamed_json);
    cli_snapshot!(plumb, "groups_list", after);
    cli_snapshot!(plumb, "groups_delete", deleted_json);
}

#[tokio::test]
async fn a_tag_is_put_on_and_taken_off_devices_and_deleted() {
    let plumb = signed_in().await;
    let web = plumb.device("web-01").await;
    let db = plumb.device("db-01").await;

    let empty = plumb.ok(&["tags", "list"]).await;
    let created = plumb.ok(&["tags", "create", "VIP"]).await;
    let tag = plumb.json(&["tags", "create", "Linux"]).await;
    let tag_id = tag["id"].as_str().unwrap();
    let added = plumb.ok(&["tags", "add", tag_id, &web, &db]).await;
    let table = plumb.ok(&["tags", "list"]).await;
    let listed = plumb.json(&["tags", "list"]).await;
    let tagged = plumb.json(&["devices", "list", "--tag", tag_id]).await;
    let removed = plumb.ok(&["tags", "remove", tag_id, &web]).await;
    let removed_json = plumb.json(&["tags", "remove", tag_id, &db]).await;
    let added_json = plumb.json(&["tags", "add", tag_id, &db]).await;
    let unknown_device = plumb.fails(1, &["tags", "add", tag_id, "nope"]).await;
    let deleted = plumb.ok(&["tags", "delete", tag_id]).await;
    let devices = plumb.json(&["devices", "list"]).await;

    assert_eq!(empty, "No tags.\n");
    assert!(created.starts_with("Created tag VIP ("), "{created}");
    assert_eq!(added, "Tagged 2 devices.\n");
    assert!(
        table.starts_with("ID") && table.contains("DEVICES"),
        "{table}"
    );
    let linux = table.lines().find(|line| line.contains("Linux")).unwrap();
    assert!(linux.starts_with(tag_id) && linux.ends_with('2'), "{table}");
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
    assert_eq!(tagged["data"].as_array().unwrap().len(), 2);
    assert_eq!(removed, "Untagged 1 devices.\n");
    assert_eq!(removed_json, json!({"ok": true}));
    assert_eq!(added_json["device_count"], 1);
    assert!(unknown_device.starts_with("error: "), "{unknown_device}");
    assert_eq!(deleted, format!("Deleted tag {tag_id}.\n"));
    for device in devices["data"].as_array().unwrap() {
        assert_eq!(device["tags"], Value::Array(vec![]), "{device}");
    }
    let left = plumb.json(&["tags", "list"]).await;
    assert_eq!(left["data"].as_array().unwrap().len(), 1);
    assert_eq!(left["data"][0]["name"], "VIP");
    cli_snapshot!(plumb, "tags_create", tag);
    cli_snapshot!(plumb, "tags_add", added_json);
    cli_snapshot!(plumb, "tags_remove", removed_json);
    cli_snapshot!(plumb, "tags_list", left);
    let vip = left["data"][0]["id"].as_str().unwrap();
    let deleted_json = plumb.json(&["tags", "delete", vip]).await;
    assert_eq!(deleted_json, json!({"ok": true}));
}
