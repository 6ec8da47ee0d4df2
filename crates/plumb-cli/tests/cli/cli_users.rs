//! `plumb users list|add|edit|disable|enable` and `plumb activity list` through the real binary:
//! the set-password link for a new person, the tables, the log a page at a time, and each
//! `--json` shape pinned by a snapshot.

use crate::EMAIL;
use crate::real::{cli_snapshot, signed_in};

#[tokio::test]
async fn people_are_added_given_settings_access_disabled_and_enabled() {
    let plumb = signed_in().await;

    let added = plumb
        .ok(&["users", "add", "tim@acme.test", "--name", "Tim"])
        .await;
    let added_json = plumb
        .json(&[
            "users",
            "add",
            "ana@acme.test",
            "--name",
            "Ana",
            "--role",
            "admin",
        ])
        .await;
    let with_password = plumb
        .run_with(
            &[
                "users",
                "add",
                "bo@acme.test",
                "--name",
                "Bo",
                "--settings",
                "--json",
            ],
            &[("PLUMB_NEW_USER_PASSWORD", "a long enough password")],
            "",
        )
        .await;
    let tim = plumb.json(&["users", "list"]).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["email"] == "tim@acme.test")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let edited = plumb
        .ok(&["users", "edit", &tim, "--settings", "true"])
        .await;
    let edited_json = plumb
        .json(&["users", "edit", &tim, "--role", "technician"])
        .await;
    let disabled = plumb.json(&["users", "disable", &tim]).await;
    let table_disabled = plumb.ok(&["users", "list"]).await;
    let enabled = plumb.ok(&["users", "enable", &tim]).await;
    let table = plumb.ok(&["users", "list"]).await;
    let listed = plumb.json(&["users", "list"]).await;
    let duplicate = plumb
        .fails(1, &["users", "add", "tim@acme.test", "--name", "Tim again"])
        .await;
    let unknown = plumb.fails(1, &["users", "disable", "nope"]).await;

    let lines: Vec<&str> = added.lines().collect();
    assert_eq!(lines.len(), 2, "{added}");
    assert!(lines[0].starts_with("Added tim@acme.test ("), "{added}");
    assert!(
        lines[1].starts_with("Send them this link to set their password: ")
            && lines[1].contains("/set-password"),
        "{added}"
    );
    assert_eq!(added_json["role"], "admin");
    assert_eq!(with_password.code, Some(0), "{with_password:?}");
    let bo = crate::server::json(&with_password.stdout);
    assert_eq!(bo["set_password_url"], serde_json::Value::Null);
    assert_eq!(bo["permissions"], serde_json::json!(["settings"]));
    assert_eq!(edited, format!("Saved tim@acme.test ({tim}).\n"));
    assert_eq!(edited_json["permissions"], serde_json::json!(["settings"]));
    assert_eq!(disabled["disabled"], true);
    let tim_line = |table: &str| {
        table
            .lines()
            .find(|line| line.contains("tim@acme.test"))
            .unwrap()
            .to_owned()
    };
    assert!(
        tim_line(&table_disabled).ends_with("true"),
        "{table_disabled}"
    );
    assert_eq!(enabled, format!("Enabled tim@acme.test ({tim}).\n"));
    assert!(
        table.starts_with("ID") && table.contains("PERMISSIONS"),
        "{table}"
    );
    assert_eq!(table.lines().count(), 5, "{table}");
    let tim_row = tim_line(&table);
    assert!(
        tim_row.contains("Tim") && tim_row.contains("settings") && tim_row.ends_with("false"),
        "{table}"
    );
    assert!(table.contains(EMAIL), "{table}");
    assert_eq!(listed["data"].as_array().unwrap().len(), 4);
    assert!(duplicate.starts_with("error: "), "{duplicate}");
    assert!(unknown.contains("not found"), "{unknown}");
    cli_snapshot!(plumb, "users_add", added_json);
    cli_snapshot!(plumb, "users_edit", edited_json);
    cli_snapshot!(plumb, "users_disable", disabled);
    let mut one = listed;
    one["data"]
        .as_array_mut()
        .unwrap()
        .retain(|user| user["email"] == "tim@acme.test");
    cli_snapshot!(plumb, "users_list", one);
}

#[tokio::test]
async fn the_activity_log_lists_what_was_done_newest_first_a_page_at_a_time() {
    let plumb = signed_in().await;
    plumb.ok(&["install-keys", "create"]).await;
    plumb
        .ok(&["automations", "create", "Uptime", "--script", "uptime"])
        .await;

    let table = plumb.ok(&["activity", "list", "--limit", "2"]).await;
    let page = plumb.json(&["activity", "list", "--limit", "1"]).await;
    let cursor = page["next_cursor"].as_str().unwrap();
    let older = plumb
        .json(&["activity", "list", "--limit", "1", "--cursor", cursor])
        .await;
    let everything = plumb.json(&["activity", "list"]).await;
    let bad_cursor = plumb
        .fails(1, &["activity", "list", "--cursor", "nope"])
        .await;

    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(
        lines[0].starts_with("WHEN") && lines[0].contains("ACTION"),
        "{table}"
    );
    assert!(
        lines[1].contains("automation.created") && lines[1].contains(EMAIL),
        "{table}"
    );
    assert!(lines[2].contains("install_key.created"), "{table}");
    assert!(lines[3].starts_with("More: --cursor "), "{table}");
    assert_ne!(page["data"][0]["id"], older["data"][0]["id"]);
    let actions: Vec<&str> = everything["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert!(actions.len() >= 2, "{actions:?}");
    assert!(bad_cursor.starts_with("error: "), "{bad_cursor}");
    cli_snapshot!(plumb, "activity_list", page);
}
