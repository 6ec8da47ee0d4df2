//! `plumb custom-fields list|create|rename|delete|values|set|unset` through the real binary: a
//! device's values with where each comes from (organization, group, device), and each `--json`
//! shape pinned by a snapshot.

use serde_json::json;

use crate::real::{cli_snapshot, signed_in};

#[tokio::test]
async fn a_devices_values_say_whether_they_come_from_the_organization_a_group_or_the_device() {
    let plumb = signed_in().await;
    let device = plumb.device("web-01").await;
    let group = plumb.json(&["groups", "create", "Lyon office"]).await;
    let group_id = group["id"].as_str().unwrap();
    plumb
        .ok(&["devices", "move", "--group", group_id, &device])
        .await;
    let field = plumb.json(&["custom-fields", "create", "Site"]).await;
    let id = field["id"].as_str().unwrap();

    let none = plumb
        .ok(&["custom-fields", "values", "--device", &device])
        .await;
    let set = plumb.ok(&["custom-fields", "set", id, "Europe"]).await;
    let from_organization = plumb
        .ok(&["custom-fields", "values", "--device", &device])
        .await;
    let set_json = plumb
        .json(&["custom-fields", "set", id, "Lyon", "--group", group_id])
        .await;
    let from_group = plumb
        .ok(&["custom-fields", "values", "--device", &device])
        .await;
    plumb
        .ok(&["custom-fields", "set", id, "Desk 4", "--device", &device])
        .await;
    let own = plumb
        .json(&["custom-fields", "values", "--device", &device])
        .await;
    let unset = plumb
        .ok(&["custom-fields", "unset", id, "--device", &device])
        .await;
    let inherited = plumb
        .json(&["custom-fields", "values", "--device", &device])
        .await;
    let unset_json = plumb
        .json(&["custom-fields", "unset", id, "--group", group_id])
        .await;
    let both = plumb
        .fails(
            2,
            &[
                "custom-fields",
                "set",
                id,
                "x",
                "--group",
                group_id,
                "--device",
                &device,
            ],
        )
        .await;
    let unknown = plumb
        .fails(1, &["custom-fields", "values", "--device", "nope"])
        .await;

    let row = |table: &str| table.lines().nth(1).unwrap_or_default().to_owned();
    assert!(
        none.contains("Site") || none == "No custom fields.\n",
        "{none}"
    );
    assert_eq!(set, format!("Set custom field {id}.\n"));
    assert!(
        from_organization.starts_with("FIELD"),
        "{from_organization}"
    );
    let line = row(&from_organization);
    assert!(
        line.contains("Europe") && line.ends_with("organization"),
        "{from_organization}"
    );
    assert_eq!(set_json, json!({"ok": true}));
    assert!(
        row(&from_group).ends_with("group Lyon office"),
        "{from_group}"
    );
    assert_eq!(own["data"][0]["value"], "Desk 4");
    assert_eq!(own["data"][0]["source"], "device");
    assert_eq!(unset, format!("Cleared custom field {id}.\n"));
    assert_eq!(inherited["data"][0]["value"], "Lyon");
    assert_eq!(inherited["data"][0]["source"], "group");
    assert_eq!(inherited["data"][0]["source_group_name"], "Lyon office");
    assert_eq!(unset_json, json!({"ok": true}));
    assert!(both.contains("cannot be used with"), "{both}");
    assert!(unknown.contains("not found"), "{unknown}");
    cli_snapshot!(plumb, "custom_fields_values", inherited);
}

#[tokio::test]
async fn custom_fields_are_created_listed_renamed_and_deleted() {
    let plumb = signed_in().await;

    let empty = plumb.ok(&["custom-fields", "list"]).await;
    let created = plumb.ok(&["custom-fields", "create", "Site"]).await;
    let secret = plumb
        .json(&["custom-fields", "create", "Alarm code", "--admin-only"])
        .await;
    let id = secret["id"].as_str().unwrap();
    let table = plumb.ok(&["custom-fields", "list"]).await;
    let renamed = plumb
        .ok(&["custom-fields", "rename", id, "Door code"])
        .await;
    let renamed_json = plumb
        .json(&["custom-fields", "rename", id, "Gate code"])
        .await;
    let listed = plumb.json(&["custom-fields", "list"]).await;
    let duplicate = plumb.fails(1, &["custom-fields", "create", "Site"]).await;
    let deleted = plumb.ok(&["custom-fields", "delete", id]).await;
    let left = plumb.json(&["custom-fields", "list"]).await;
    let site = left["data"][0]["id"].as_str().unwrap().to_owned();
    let deleted_json = plumb.json(&["custom-fields", "delete", &site]).await;

    assert_eq!(empty, "No custom fields.\n");
    assert!(
        created.starts_with("Created custom field Site ("),
        "{created}"
    );
    assert!(
        table.starts_with("ID") && table.contains("REFERENCE"),
        "{table}"
    );
    assert!(
        table.contains("cf_site") && table.contains("cf_alarm_code"),
        "{table}"
    );
    let alarm = table
        .lines()
        .find(|line| line.contains("Alarm code"))
        .unwrap();
    assert!(alarm.ends_with("true"), "{table}");
    assert_eq!(renamed, format!("Renamed custom field {id}.\n"));
    assert_eq!(renamed_json["name"], "Gate code");
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
    assert!(duplicate.starts_with("error: "), "{duplicate}");
    assert_eq!(deleted, format!("Deleted custom field {id}.\n"));
    assert_eq!(left["data"].as_array().unwrap().len(), 1);
    assert_eq!(deleted_json, json!({"ok": true}));
    assert_eq!(
        plumb.ok(&["custom-fields", "list"]).await,
        "No custom fields.\n"
    );
    cli_snapshot!(plumb, "custom_fields_create", secret);
    cli_snapshot!(plumb, "custom_fields_rename", renamed_json);
    cli_snapshot!(plumb, "custom_fields_list", left);
}
