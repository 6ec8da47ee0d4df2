//! `plumb automations run` and `plumb runs list|show` through the real binary: Run now on chosen
//! devices or every device, an automation's and a device's runs newest first with paging, and
//! one run's steps with their output (reported here through the store, as the agent would).

use plumb_core::id::DeviceId;
use plumb_core::store::StepResult;
use plumb_proto::v2::RunStatus;

use crate::real::{Plumb, cli_snapshot, signed_in};

/// Claims the device's pending runs and reports the first one finished with each step's output.
async fn finish(plumb: &Plumb, device: &str, outputs: &[(&str, &str)]) {
    let server = &plumb.server;
    let store = &server.state.store;
    let device = DeviceId::parse(device).unwrap();
    let now = server.state.clock.now();
    let claimed = store
        .claim_runs(server.organization_id, device, now)
        .await
        .unwrap();
    let results: Vec<StepResult> = outputs
        .iter()
        .map(|(name, output)| StepResult {
            name: (*name).into(),
            status: RunStatus::Success,
            output: (*output).into(),
        })
        .collect();
    store
        .finish_run(
            server.organization_id,
            device,
            claimed[0].id,
            RunStatus::Success,
            &results,
            now,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn run_now_starts_runs_and_runs_show_reads_each_steps_output() {
    let plumb = signed_in().await;
    let web = plumb.device("web-01").await;
    let db = plumb.device("db-01").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("check.json");
    let body = r#"{"name": "Check", "steps": [
        {"name": "Hello", "shell": "sh", "script": "echo hello"},
        {"name": "Disk", "shell": "bash", "script": "df -h", "timeout_seconds": 30}]}"#;
    std::fs::write(&file, body).unwrap();
    let automation = plumb
        .json(&["automations", "create", "--file", file.to_str().unwrap()])
        .await;
    let id = automation["id"].as_str().unwrap();

    let started = plumb
        .json(&["automations", "run", id, "--device", &web])
        .await;
    let run = started["runs"][0]["id"].as_str().unwrap().to_owned();
    let pending = plumb.json(&["runs", "show", &run]).await;
    finish(
        &plumb,
        &web,
        &[("Hello", "hello\n"), ("Disk", "/dev/sda1 42%\n")],
    )
    .await;
    let finished = plumb.ok(&["runs", "show", &run]).await;
    let finished_json = plumb.json(&["runs", "show", &run]).await;
    let everywhere = plumb.ok(&["automations", "run", id]).await;
    let unknown_device = plumb
        .fails(1, &["automations", "run", id, "--device", "nope"])
        .await;
    let missing = plumb.fails(1, &["runs", "show", "nope"]).await;

    assert_eq!(started["runs"][0]["device_id"], web.as_str());
    assert_eq!(pending["status"], "pending");
    assert!(
        finished.starts_with("Check on web-01: success\n#"),
        "{finished}"
    );
    assert!(finished.contains("\n1  Hello  success\n"), "{finished}");
    assert!(
        finished.contains("\n--- step 1 output ---\nhello\n"),
        "{finished}"
    );
    assert!(
        finished.contains("\n--- step 2 output ---\n/dev/sda1 42%"),
        "{finished}"
    );
    assert_eq!(finished_json["steps"][1]["output"], "/dev/sda1 42%\n");
    let lines: Vec<&str> = everywhere.lines().collect();
    assert_eq!(
        lines[0],
        "Started 2 runs; each device picks its run up at its next check-in."
    );
    assert_eq!(lines.len(), 3, "{everywhere}");
    assert!(
        lines[1..].iter().any(|line| line.ends_with(&db))
            && lines[1..].iter().any(|line| line.ends_with(&web)),
        "{everywhere}"
    );
    assert!(unknown_device.starts_with("error: "), "{unknown_device}");
    assert!(missing.contains("not found"), "{missing}");
    cli_snapshot!(plumb, "automations_run", started);
    cli_snapshot!(plumb, "runs_show_pending", pending);
    cli_snapshot!(plumb, "runs_show", finished_json);
}

#[tokio::test]
async fn an_automations_and_a_devices_runs_are_listed_newest_first_a_page_at_a_time() {
    let plumb = signed_in().await;
    let web = plumb.device("web-01").await;
    let automation = plumb
        .json(&["automations", "create", "Uptime", "--script", "uptime"])
        .await;
    let id = automation["id"].as_str().unwrap();

    let none = plumb.ok(&["runs", "list", "--automation", id]).await;
    let first = plumb
        .json(&["automations", "run", id, "--device", &web])
        .await;
    finish(&plumb, &web, &[("Run the script", "up 3 days\n")]).await;
    let second = plumb
        .json(&["automations", "run", id, "--device", &web])
        .await;
    let table = plumb.ok(&["runs", "list", "--automation", id]).await;
    let by_device = plumb.json(&["runs", "list", "--device", &web]).await;
    let page = plumb
        .ok(&["runs", "list", "--device", &web, "--limit", "1"])
        .await;
    let page_json = plumb
        .json(&["runs", "list", "--automation", id, "--limit", "1"])
        .await;
    let cursor = page_json["next_cursor"].as_str().unwrap();
    let older = plumb
        .json(&[
            "runs",
            "list",
            "--automation",
            id,
            "--limit",
            "1",
            "--cursor",
            cursor,
        ])
        .await;
    let too_many = plumb
        .fails(1, &["runs", "list", "--device", &web, "--limit", "1000"])
        .await;

    let first = first["runs"][0]["id"].as_str().unwrap();
    let second = second["runs"][0]["id"].as_str().unwrap();
    assert_eq!(none, "No runs.\n");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("STATUS"),
        "{table}"
    );
    assert!(
        lines[1].starts_with(second) && lines[1].contains("pending"),
        "{table}"
    );
    assert!(
        lines[2].starts_with(first) && lines[2].contains("success"),
        "{table}"
    );
    assert!(
        lines[2].contains("Uptime") && lines[2].contains("web-01"),
        "{table}"
    );
    assert_eq!(by_device["data"][0]["id"], second);
    assert_eq!(by_device["next_cursor"], serde_json::Value::Null);
    assert_eq!(page.lines().count(), 3, "{page}");
    assert!(
        page.ends_with('\n') && page.lines().last().unwrap().starts_with("More: --cursor "),
        "{page}"
    );
    assert_eq!(page_json["data"][0]["id"], second);
    assert_eq!(older["data"][0]["id"], first);
    assert!(too_many.starts_with("error: "), "{too_many}");
    cli_snapshot!(plumb, "runs_list", older);
}
