//! `plumb custom-fields|automations|runs|users|activity`, `plumb devices edit` and
//! `plumb tags remove|delete` against a real server: the `--json` shapes scripts rely on (the
//! sorted field names of each answer, pinned here), the tables, and the errors.

use std::process::Command as Process;

use plumb_core::id::DeviceId;
use plumb_core::store::{NewDevice, StepResult};
use plumb_proto::v2::RunStatus;
use serde_json::Value;

use crate::remote::{Server, json, plumb, server};

/// The sorted field names of a JSON object: the shape a script relies on.
fn shape(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort_unstable();
    keys
}

async fn device(server: &Server, hostname: &str) -> String {
    let id = DeviceId::new();
    let device = NewDevice {
        id,
        organization_id: server.organization_id,
        group_id: None,
        hostname: hostname.to_owned(),
        serial_number: None,
        token_digest: None,
        inventory: None,
        created_at: server.state.clock.now(),
    };
    server.state.store.insert_device(&device).await.unwrap();
    id.to_string()
}

async fn ok(server: &Server, args: &[&str]) -> String {
    plumb(server, args)
        .await
        .unwrap_or_else(|error| panic!("plumb {args:?}: {error:#}"))
}

#[tokio::test]
async fn devices_edit_and_tags_remove_and_delete_change_what_the_lists_show() {
    let server = server().await;
    let id = device(&server, "web-01").await;
    let group = json(&ok(&server, &["groups", "create", "Office", "--json"]).await);
    let group_id = group["id"].as_str().unwrap();
    let tag = json(&ok(&server, &["tags", "create", "VIP", "--json"]).await);
    let tag_id = tag["id"].as_str().unwrap();

    let edited = ok(
        &server,
        &[
            "devices",
            "edit",
            &id,
            "--nickname",
            "Front desk",
            "--group",
            group_id,
        ],
    )
    .await;
    ok(&server, &["tags", "add", tag_id, &id]).await;
    let tagged = json(&ok(&server, &["devices", "list", "--json"]).await);
    let removed = ok(&server, &["tags", "remove", tag_id, &id]).await;
    let untagged = json(&ok(&server, &["devices", "list", "--json"]).await);
    let deleted = ok(&server, &["tags", "delete", tag_id]).await;
    let nothing = plumb(&server, &["devices", "edit", &id]).await.unwrap_err();

    assert_eq!(edited, format!("Saved device {id}.\n"));
    assert_eq!(tagged["data"][0]["nickname"], "Front desk");
    assert_eq!(tagged["data"][0]["group_name"], "Office");
    assert_eq!(tagged["data"][0]["tags"], serde_json::json!(["VIP"]));
    assert_eq!(removed, "Untagged 1 devices.\n");
    assert_eq!(untagged["data"][0]["tags"], serde_json::json!([]));
    assert_eq!(deleted, format!("Deleted tag {tag_id}.\n"));
    assert_eq!(ok(&server, &["tags", "list"]).await, "No tags.\n");
    assert!(
        nothing.to_string().contains("nothing to change"),
        "{nothing}"
    );
    ok(
        &server,
        &["devices", "edit", &id, "--nickname", "", "--group", "none"],
    )
    .await;
    let cleared = json(&ok(&server, &["devices", "list", "--json"]).await);
    assert_eq!(cleared["data"][0]["nickname"], Value::Null);
    assert_eq!(cleared["data"][0]["group_id"], Value::Null);
}

#[tokio::test]
async fn custom_fields_are_managed_and_a_devices_values_say_where_they_come_from() {
    let server = server().await;
    let id = device(&server, "web-01").await;
    let created = json(&ok(&server, &["custom-fields", "create", "Site", "--json"]).await);
    let field = created["id"].as_str().unwrap();

    ok(&server, &["custom-fields", "set", field, "Lyon"]).await;
    let inherited = ok(&server, &["custom-fields", "values", "--device", &id]).await;
    ok(
        &server,
        &["custom-fields", "set", field, "Paris", "--device", &id],
    )
    .await;
    let own = json(
        &ok(
            &server,
            &["custom-fields", "values", "--device", &id, "--json"],
        )
        .await,
    );
    let cleared = ok(&server, &["custom-fields", "unset", field, "--device", &id]).await;
    let renamed = ok(&server, &["custom-fields", "rename", field, "Office"]).await;
    let listed = json(&ok(&server, &["custom-fields", "list", "--json"]).await);
    let table = ok(&server, &["custom-fields", "list"]).await;
    let deleted = ok(&server, &["custom-fields", "delete", field]).await;

    assert_eq!(shape(&created), ["admin_only", "id", "name", "reference"]);
    assert!(inherited.starts_with("FIELD"), "{inherited}");
    assert!(
        inherited.contains("Lyon") && inherited.contains("organization"),
        "{inherited}"
    );
    assert_eq!(
        shape(&own["data"][0]),
        [
            "field",
            "source",
            "source_group_id",
            "source_group_name",
            "value"
        ]
    );
    assert_eq!(own["data"][0]["value"], "Paris");
    assert_eq!(own["data"][0]["source"], "device");
    assert_eq!(cleared, format!("Cleared custom field {field}.\n"));
    assert_eq!(renamed, format!("Renamed custom field {field}.\n"));
    assert_eq!(listed["data"][0]["name"], "Office");
    assert!(table.contains("cf_office"), "{table}");
    assert_eq!(deleted, format!("Deleted custom field {field}.\n"));
    assert_eq!(
        ok(&server, &["custom-fields", "list"]).await,
        "No custom fields.\n"
    );
}

#[tokio::test]
async fn an_automation_is_defined_run_and_its_steps_output_read_from_the_cli() {
    let server = server().await;
    let id = device(&server, "web-01").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("automation.json");
    std::fs::write(
        &file,
        r#"{"name": "Check", "steps": [
            {"name": "Hello", "shell": "sh", "script": "echo hello"},
            {"name": "Disk", "shell": "bash", "script": "df -h", "timeout_seconds": 30}
        ]}"#,
    )
    .unwrap();

    let created = json(
        &ok(
            &server,
            &[
                "automations",
                "create",
                "--file",
                file.to_str().unwrap(),
                "--json",
            ],
        )
        .await,
    );
    let automation = created["id"].as_str().unwrap();
    let quick = ok(
        &server,
        &["automations", "create", "Quick", "--script", "uptime"],
    )
    .await;
    let shown = ok(&server, &["automations", "show", automation]).await;
    let updated = ok(
        &server,
        &[
            "automations",
            "update",
            automation,
            "--description",
            "Daily",
        ],
    )
    .await;
    let listed = ok(&server, &["automations", "list"]).await;
    let trigger = json(
        &ok(
            &server,
            &[
                "automations",
                "add-trigger",
                automation,
                "--require-authorization",
                "--json",
            ],
        )
        .await,
    );
    let triggers = json(&ok(&server, &["automations", "triggers", automation, "--json"]).await);
    let started = json(
        &ok(
            &server,
            &["automations", "run", automation, "--device", &id, "--json"],
        )
        .await,
    );
    let run_id = started["runs"][0]["id"].as_str().unwrap().to_owned();
    let pending = json(&ok(&server, &["runs", "show", &run_id, "--json"]).await);
    let store = &server.state.store;
    let device_id = DeviceId::parse(&id).unwrap();
    let now = server.state.clock.now();
    let claimed = store
        .claim_runs(server.organization_id, device_id, now)
        .await
        .unwrap();
    let results = [
        StepResult {
            name: "Hello".into(),
            status: RunStatus::Success,
            output: "hello\n".into(),
        },
        StepResult {
            name: "Disk".into(),
            status: RunStatus::Success,
            output: "/dev/sda1 42%\n".into(),
        },
    ];
    store
        .finish_run(
            server.organization_id,
            device_id,
            claimed[0].id,
            RunStatus::Success,
            &results,
            now,
        )
        .await
        .unwrap();
    let finished = ok(&server, &["runs", "show", &run_id]).await;
    let by_automation = ok(&server, &["runs", "list", "--automation", automation]).await;
    let by_device = json(&ok(&server, &["runs", "list", "--device", &id, "--json"]).await);
    let trigger_id = trigger["id"].as_str().unwrap();
    let untriggered = ok(
        &server,
        &["automations", "delete-trigger", automation, trigger_id],
    )
    .await;
    let deleted = ok(&server, &["automations", "delete", automation]).await;
    let missing = plumb(&server, &["runs", "show", "nope"]).await.unwrap_err();

    assert_eq!(
        shape(&created),
        [
            "created_at",
            "description",
            "group_id",
            "group_name",
            "id",
            "name",
            "steps",
            "updated_at"
        ]
    );
    assert!(quick.starts_with("Created automation Quick ("), "{quick}");
    assert!(
        shown.contains("Step 2: Disk (bash, 30 s)\ndf -h"),
        "{shown}"
    );
    assert_eq!(updated, format!("Saved automation {automation}.\n"));
    assert!(
        listed.contains("Check") && listed.contains("Quick"),
        "{listed}"
    );
    assert_eq!(
        shape(&trigger),
        [
            "authorization",
            "automation_id",
            "created_at",
            "id",
            "requires_authorization_header",
            "url"
        ]
    );
    assert_eq!(triggers["data"].as_array().unwrap().len(), 1);
    assert_eq!(shape(&started), ["runs"]);
    assert_eq!(shape(&started["runs"][0]), ["device_id", "id"]);
    assert_eq!(
        shape(&pending),
        [
            "automation_id",
            "automation_name",
            "created_at",
            "device_hostname",
            "device_id",
            "ended_at",
            "id",
            "started_at",
            "status",
            "steps"
        ]
    );
    assert_eq!(
        shape(&pending["steps"][0]),
        ["name", "output", "shell", "status", "timeout_seconds"]
    );
    assert_eq!(pending["status"], "pending");
    assert!(
        finished.starts_with("Check on web-01: success\n"),
        "{finished}"
    );
    assert!(
        finished.contains("--- step 2 output ---\n/dev/sda1 42%"),
        "{finished}"
    );
    assert!(
        by_automation.contains("web-01") && by_automation.contains("success"),
        "{by_automation}"
    );
    assert_eq!(shape(&by_device), ["data", "next_cursor"]);
    assert_eq!(by_device["data"][0]["id"], run_id.as_str());
    assert_eq!(untriggered, format!("Deleted trigger {trigger_id}.\n"));
    assert_eq!(deleted, format!("Deleted automation {automation}.\n"));
    assert!(missing.to_string().contains("not found"), "{missing}");
}

#[tokio::test]
async fn users_are_added_edited_and_disabled_and_the_activity_log_shows_it() {
    let server = server().await;

    let added = json(
        &ok(
            &server,
            &["users", "add", "tim@acme.test", "--name", "Tim", "--json"],
        )
        .await,
    );
    let user = added["id"].as_str().unwrap();
    let edited = ok(&server, &["users", "edit", user, "--settings", "true"]).await;
    let disabled = json(&ok(&server, &["users", "disable", user, "--json"]).await);
    let enabled = ok(&server, &["users", "enable", user]).await;
    let listed = ok(&server, &["users", "list"]).await;
    let log = json(&ok(&server, &["activity", "list", "--limit", "2", "--json"]).await);
    let table = ok(&server, &["activity", "list", "--limit", "2"]).await;

    assert_eq!(added["role"], "technician");
    assert!(
        added["set_password_url"]
            .as_str()
            .unwrap()
            .contains("/set-password")
    );
    assert_eq!(edited, format!("Saved tim@acme.test ({user}).\n"));
    assert_eq!(disabled["disabled"], true);
    assert_eq!(
        shape(&disabled),
        [
            "created_at",
            "disabled",
            "email",
            "id",
            "name",
            "organization",
            "permissions",
            "role"
        ]
    );
    assert_eq!(enabled, format!("Enabled tim@acme.test ({user}).\n"));
    assert!(
        listed.contains("tim@acme.test") && listed.contains("settings"),
        "{listed}"
    );
    assert_eq!(shape(&log), ["data", "next_cursor"]);
    assert_eq!(
        shape(&log["data"][0]),
        [
            "action",
            "actor",
            "api_key",
            "created_at",
            "details",
            "id",
            "ip",
            "target_id",
            "target_type"
        ]
    );
    assert!(table.starts_with("WHEN"), "{table}");
    assert!(table.contains("More: --cursor "), "{table}");
}

#[test]
fn the_binary_exits_1_on_a_server_error_and_2_on_a_usage_error() {
    let usage = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args(["runs", "list"])
        .output()
        .unwrap();
    let unreachable = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args(["automations", "list", "--server", "http://127.0.0.1:9"])
        .env("PLUMB_EMAIL", "nobody@acme.test")
        .env("PLUMB_PASSWORD", "not a password at all")
        .output()
        .unwrap();

    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("--automation"));
    assert_eq!(unreachable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unreachable.stderr).starts_with("error: "));
}
