//! `plumb automations list|show|create|update|delete|run|triggers|add-trigger|delete-trigger`
//! through the real binary: a body from a file or stdin, the lines and tables people read, and
//! each `--json` shape pinned by a snapshot.

use serde_json::json;

use crate::real::{cli_snapshot, signed_in};

const BODY: &str = r#"{"name": "Check", "steps": [
    {"name": "Hello", "shell": "sh", "script": "echo hello"},
    {"name": "Disk", "shell": "bash", "script": "df -h", "timeout_seconds": 30}
]}"#;

#[tokio::test]
async fn an_automation_is_created_from_a_file_stdin_or_a_script_shown_updated_and_deleted() {
    let plumb = signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("automation.json");
    std::fs::write(&file, BODY).unwrap();
    let group = plumb.json(&["groups", "create", "Servers"]).await;
    let group_id = group["id"].as_str().unwrap();

    let empty = plumb.ok(&["automations", "list"]).await;
    let created = plumb
        .json(&["automations", "create", "--file", file.to_str().unwrap()])
        .await;
    let id = created["id"].as_str().unwrap();
    let piped = plumb
        .run_with(
            &["automations", "create", "Piped", "--file", "-"],
            &[],
            BODY,
        )
        .await;
    let quick = plumb
        .ok(&[
            "automations",
            "create",
            "Quick",
            "--script",
            "uptime",
            "--shell",
            "bash",
            "--timeout",
            "60",
            "--description",
            "Load",
            "--group",
            group_id,
        ])
        .await;
    let shown = plumb.ok(&["automations", "show", id]).await;
    let shown_json = plumb.json(&["automations", "show", id]).await;
    let updated = plumb
        .ok(&[
            "automations",
            "update",
            id,
            "--description",
            "Daily",
            "--group",
            group_id,
        ])
        .await;
    let updated_json = plumb
        .json(&[
            "automations",
            "update",
            id,
            "--name",
            "Checks",
            "--group",
            "none",
        ])
        .await;
    let table = plumb.ok(&["automations", "list"]).await;
    let listed = plumb.json(&["automations", "list"]).await;
    let bad_file = plumb
        .fails(
            1,
            &[
                "automations",
                "create",
                "--file",
                dir.path().join("nope.json").to_str().unwrap(),
            ],
        )
        .await;
    let bad_shell = plumb
        .fails(
            1,
            &[
                "automations",
                "create",
                "Bad",
                "--script",
                "x",
                "--shell",
                "tcsh",
            ],
        )
        .await;
    let deleted = plumb.ok(&["automations", "delete", id]).await;
    let gone = plumb.fails(1, &["automations", "show", id]).await;

    assert_eq!(empty, "No automations.\n");
    assert_eq!(created["name"], "Check");
    assert_eq!(created["steps"].as_array().unwrap().len(), 2);
    assert_eq!(piped.code, Some(0), "{piped:?}");
    assert!(
        piped.stdout.starts_with("Created automation Piped ("),
        "{piped:?}"
    );
    assert!(quick.starts_with("Created automation Quick ("), "{quick}");
    assert!(
        shown.starts_with(&format!("Check ({id})\nRuns on: every device\n")),
        "{shown}"
    );
    assert!(shown.contains("\nStep 1: Hello (sh, "), "{shown}");
    assert!(
        shown.contains("Step 2: Disk (bash, 30 s)\ndf -h"),
        "{shown}"
    );
    assert_eq!(shown_json, created);
    assert_eq!(updated, format!("Saved automation {id}.\n"));
    assert_eq!(updated_json["name"], "Checks");
    assert_eq!(updated_json["description"], "Daily");
    assert_eq!(updated_json["group_id"], serde_json::Value::Null);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("RUNS ON"),
        "{table}"
    );
    let quick_line = lines.iter().find(|line| line.contains("Quick")).unwrap();
    assert!(quick_line.contains("Servers"), "{table}");
    assert_eq!(listed["data"].as_array().unwrap().len(), 3);
    assert!(bad_file.starts_with("error: cannot read "), "{bad_file}");
    assert!(bad_shell.starts_with("error: "), "{bad_shell}");
    assert_eq!(deleted, format!("Deleted automation {id}.\n"));
    assert!(gone.contains("not found"), "{gone}");
    cli_snapshot!(plumb, "automations_create", created);
    cli_snapshot!(plumb, "automations_update", updated_json);
    let quick_id = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|automation| automation["name"] == "Quick")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut one = listed;
    one["data"]
        .as_array_mut()
        .unwrap()
        .retain(|automation| automation["id"] == quick_id.as_str());
    cli_snapshot!(plumb, "automations_list", one);
    let deleted_json = plumb.json(&["automations", "delete", &quick_id]).await;
    assert_eq!(deleted_json, json!({"ok": true}));
}

#[tokio::test]
async fn webhook_triggers_are_added_with_or_without_authorization_listed_and_deleted() {
    let plumb = signed_in().await;
    let url = plumb.server.url.clone();
    let automation = plumb
        .json(&["automations", "create", "Hook", "--script", "uptime"])
        .await;
    let id = automation["id"].as_str().unwrap();

    let none = plumb.ok(&["automations", "triggers", id]).await;
    let open = plumb.ok(&["automations", "add-trigger", id]).await;
    let guarded = plumb
        .ok(&["automations", "add-trigger", id, "--require-authorization"])
        .await;
    let guarded_json = plumb
        .json(&["automations", "add-trigger", id, "--require-authorization"])
        .await;
    let trigger = guarded_json["id"].as_str().unwrap();
    let table = plumb.ok(&["automations", "triggers", id]).await;
    let listed = plumb.json(&["automations", "triggers", id]).await;
    let deleted = plumb
        .ok(&["automations", "delete-trigger", id, trigger])
        .await;
    let again = plumb
        .fails(1, &["automations", "delete-trigger", id, trigger])
        .await;
    let left = plumb.json(&["automations", "triggers", id]).await;
    let first = left["data"][0]["id"].as_str().unwrap().to_owned();
    let deleted_json = plumb
        .json(&["automations", "delete-trigger", id, &first])
        .await;

    assert_eq!(none, "No triggers.\n");
    let open_lines: Vec<&str> = open.lines().collect();
    assert_eq!(open_lines.len(), 2, "{open}");
    assert!(
        open_lines[0].starts_with("Created trigger ") && open_lines[0].ends_with(". POST to:"),
        "{open}"
    );
    assert!(open_lines[1].starts_with(&format!("{url}/")), "{open}");
    assert!(guarded.contains("\nAuthorization: "), "{guarded}");
    assert!(
        guarded_json["authorization"].as_str().is_some(),
        "{guarded_json}"
    );
    assert_eq!(guarded_json["requires_authorization_header"], true);
    assert!(
        table.starts_with("ID") && table.contains("AUTHORIZATION"),
        "{table}"
    );
    assert_eq!(table.lines().count(), 4, "{table}");
    assert!(
        !table.contains(guarded_json["authorization"].as_str().unwrap()),
        "{table}"
    );
    assert_eq!(listed["data"].as_array().unwrap().len(), 3);
    assert_eq!(deleted, format!("Deleted trigger {trigger}.\n"));
    assert!(again.contains("not found"), "{again}");
    assert_eq!(deleted_json, json!({"ok": true}));
    cli_snapshot!(plumb, "automations_add_trigger", guarded_json);
    let mut one = left;
    one["data"]
        .as_array_mut()
        .unwrap()
        .retain(|trigger| trigger["requires_authorization_header"] == false);
    cli_snapshot!(plumb, "automations_triggers", one);
}
