//! `plumb devices list|edit|move|delete` through the real binary: the table people read, the
//! filters, and each `--json` shape pinned by a snapshot.

use serde_json::{Value, json};

use crate::real::{cli_snapshot, signed_in};

#[tokio::test]
async fn devices_are_listed_as_a_table_and_filtered_by_search_group_and_tag() {
    let plumb = signed_in().await;
    let empty = plumb.ok(&["devices", "list"]).await;
    let web = plumb.device("web-01").await;
    let db = plumb.device("db-01").await;
    let group = plumb.json(&["groups", "create", "Office"]).await;
    let group_id = group["id"].as_str().unwrap();
    let tag = plumb.json(&["tags", "create", "VIP"]).await;
    let tag_id = tag["id"].as_str().unwrap();
    plumb
        .ok(&["devices", "move", "--group", group_id, &web])
        .await;
    plumb.ok(&["tags", "add", tag_id, &db]).await;

    let table = plumb.ok(&["devices", "list"]).await;
    let all = plumb.json(&["devices", "list"]).await;
    let searched = plumb.json(&["devices", "list", "--search", "web"]).await;
    let in_group = plumb.json(&["devices", "list", "--group", group_id]).await;
    let tagged = plumb.json(&["devices", "list", "--tag", tag_id]).await;

    assert_eq!(empty, "No devices.\n");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("HOSTNAME") && lines[0].contains("TAGS"),
        "{table}"
    );
    let web_line = lines.iter().find(|line| line.contains("web-01")).unwrap();
    assert!(
        web_line.starts_with(&web) && web_line.contains("Office"),
        "{table}"
    );
    let db_line = lines.iter().find(|line| line.contains("db-01")).unwrap();
    assert!(db_line.contains("VIP"), "{table}");
    let hostnames = |page: &Value| -> Vec<String> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|device| device["hostname"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(hostnames(&all).len(), 2);
    assert_eq!(hostnames(&searched), ["web-01"]);
    assert_eq!(hostnames(&in_group), ["web-01"]);
    assert_eq!(hostnames(&tagged), ["db-01"]);
    cli_snapshot!(plumb, "devices_list", tagged);
}

#[tokio::test]
async fn a_device_is_edited_moved_and_deleted() {
    let plumb = signed_in().await;
    let id = plumb.device("web-01").await;
    let other = plumb.device("db-01").await;
    let group = plumb.json(&["groups", "create", "Office"]).await;
    let group_id = group["id"].as_str().unwrap();

    let edited = plumb
        .ok(&[
            "devices",
            "edit",
            &id,
            "--nickname",
            "Front desk",
            "--notes",
            "Desk 4",
        ])
        .await;
    let edited_json = plumb
        .json(&["devices", "edit", &id, "--group", group_id])
        .await;
    let after_edit = plumb.json(&["devices", "list", "--search", "web"]).await;
    let cleared = plumb
        .ok(&["devices", "edit", &id, "--nickname", "", "--group", "none"])
        .await;
    let after_clear = plumb.json(&["devices", "list", "--search", "web"]).await;
    let moved = plumb
        .ok(&["devices", "move", "--group", group_id, &id, &other])
        .await;
    let in_group = plumb.json(&["devices", "list", "--group", group_id]).await;
    let moved_out = plumb
        .json(&["devices", "move", "--group", "none", &other])
        .await;
    let unknown = plumb
        .fails(1, &["devices", "move", "--group", "nope", &id])
        .await;
    let deleted = plumb.ok(&["devices", "delete", &id]).await;
    let deleted_json = plumb.json(&["devices", "delete", &other]).await;
    let gone = plumb.fails(1, &["devices", "delete", &id]).await;

    assert_eq!(edited, format!("Saved device {id}.\n"));
    let device = &after_edit["data"][0];
    assert_eq!(device["nickname"], "Front desk");
    assert_eq!(device["group_name"], "Office");
    assert_eq!(cleared, format!("Saved device {id}.\n"));
    assert_eq!(after_clear["data"][0]["nickname"], Value::Null);
    assert_eq!(after_clear["data"][0]["group_id"], Value::Null);
    assert_eq!(moved, "Moved 2 devices.\n");
    assert_eq!(in_group["data"].as_array().unwrap().len(), 2);
    assert!(unknown.starts_with("error: "), "{unknown}");
    assert_eq!(deleted, format!("Deleted device {id}.\n"));
    assert_eq!(deleted_json, json!({"ok": true}));
    assert!(gone.contains("not found"), "{gone}");
    assert_eq!(plumb.ok(&["devices", "list"]).await, "No devices.\n");
    cli_snapshot!(plumb, "devices_edit", edited_json);
    cli_snapshot!(plumb, "devices_move", moved_out);
}
