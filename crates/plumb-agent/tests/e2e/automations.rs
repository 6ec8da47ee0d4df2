//! Automations end to end: a webhook trigger starts a run, the agent executes its steps and
//! reports, and `/v2/automation-runs/{id}` shows the outcome with each step's output.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{Server, agent_async, enrolled_agent};

/// Creates an automation and a webhook trigger requiring authorization, triggers it for
/// `device_id`; returns the run id.
pub async fn trigger_run(server: &Server, device_id: &str, steps: Value) -> String {
    let automation = server
        .v1_post(
            "/api/v1/automations",
            json!({"name": "Say hello", "steps": steps}),
        )
        .await;
    assert_eq!(
        automation.status,
        StatusCode::CREATED,
        "{}",
        automation.body
    );
    let automation_id = automation.body["id"].as_str().unwrap();
    let webhook = server
        .v1_post(
            &format!("/api/v1/automations/{automation_id}/webhooks"),
            json!({"require_authorization": true}),
        )
        .await;
    assert_eq!(webhook.status, StatusCode::CREATED, "{}", webhook.body);
    let url = webhook.body["url"].as_str().unwrap();
    let authorization = webhook.body["authorization"].as_str().unwrap();

    let body = json!({"device_ids": [device_id]});
    let refused = server.trigger(url, None, body.clone()).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    let triggered = server.trigger(url, Some(authorization), body).await;
    assert_eq!(triggered.status, StatusCode::OK, "{}", triggered.body);
    let runs = triggered.body["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{}", triggered.body);
    assert_eq!(runs[0]["device_id"], device_id);
    runs[0]["id"].as_str().unwrap().to_owned()
}

/// `GET /v2/automation-runs/{id}?include_steps=true`.
pub async fn run_with_steps(server: &Server, run_id: &str) -> Value {
    let shown = server
        .v2_get(&format!("/v2/automation-runs/{run_id}?include_steps=true"))
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    shown.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_triggered_automation_runs_on_the_agent_and_reports_each_steps_output() {
    runs_and_reports(Server::start().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_triggered_automation_runs_on_the_agent_and_reports_each_steps_output_on_postgresql() {
    if let Some(server) = Server::start_postgres().await {
        runs_and_reports(server).await;
    }
}

async fn runs_and_reports(server: Server) {
    let (state, device_id) = enrolled_agent(&server).await;
    let steps = json!([
        {"name": "Greet", "shell": "sh", "script": "echo hello-from-step-1"},
        {"name": "Finish", "shell": "bash", "script": "echo done"},
    ]);
    let run_id = trigger_run(&server, &device_id, steps).await;
    assert_eq!(run_with_steps(&server, &run_id).await["status"], "pending");

    let first = agent_async(state.path(), None, &["run", "--once"]).await;
    let second = agent_async(state.path(), None, &["run", "--once"]).await;

    assert!(first.success, "{}", first.text);
    assert!(
        first
            .text
            .contains(&format!("run {run_id} (Say hello): success, 2 step(s)")),
        "{}",
        first.text
    );
    assert!(second.success, "{}", second.text);
    assert!(second.text.contains("0 run(s)"), "{}", second.text);
    let run = run_with_steps(&server, &run_id).await;
    assert_eq!(run["status"], "success", "{run}");
    assert_eq!(run["device_id"], device_id.as_str());
    assert!(run["ended_at"].is_string(), "{run}");
    let steps = run["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "{run}");
    assert_eq!(steps[0]["name"], "Greet");
    assert_eq!(steps[0]["status"], "success");
    assert!(
        steps[0]["output"]
            .as_str()
            .unwrap()
            .contains("hello-from-step-1"),
        "{run}"
    );
    assert_eq!(steps[1]["status"], "success");
    assert!(
        steps[1]["output"].as_str().unwrap().contains("done"),
        "{run}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_step_ends_the_run_in_error_and_the_next_step_never_runs() {
    let server = Server::start().await;
    let (state, device_id) = enrolled_agent(&server).await;
    let marker = state.path().join("second-step-ran");
    let steps = json!([
        {"name": "Fail", "shell": "sh", "script": "echo partial; exit 3"},
        {"name": "Never", "shell": "sh", "script": format!("touch '{}'", marker.display())},
    ]);
    let run_id = trigger_run(&server, &device_id, steps).await;

    let ran = agent_async(state.path(), None, &["run", "--once"]).await;

    assert!(
        ran.success,
        "a failed script is not a failed check-in: {}",
        ran.text
    );
    assert!(!marker.exists(), "the step after the failure ran");
    let run = run_with_steps(&server, &run_id).await;
    assert_eq!(run["status"], "error", "{run}");
    let steps = run["steps"].as_array().unwrap();
    assert_eq!(steps[0]["status"], "error", "{run}");
    let output = steps[0]["output"].as_str().unwrap();
    assert!(
        output.contains("partial") && output.contains("exit status 3"),
        "{run}"
    );
    // Not executed, so not reported: the server lists it as canceled once the run has ended.
    assert_eq!(steps.len(), 2, "{run}");
    assert_eq!(steps[1]["name"], "Never");
    assert_eq!(steps[1]["status"], "canceled", "{run}");
    assert!(steps[1]["output"].is_null(), "{run}");
}
