//! Runs through the agent: handed out once at check-in (then running), reported once.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{check_in, enroll, install_key, report};
use crate::automations::{create_automation, trigger_url};
use crate::helpers::TestApp;

fn success() -> Value {
    json!({"status": "success", "steps": [{"name": "Say hello", "status": "success", "output": "hello\n"}]})
}

/// Two enrolled devices and an automation triggered for both; returns (tokens, run ids by
/// device order).
async fn two_devices_with_runs(app: &TestApp) -> (Vec<String>, Vec<String>) {
    let session = app.admin_session().await;
    let key = install_key(app, &session, None).await;
    let (first_id, first) = enroll(app, &key, "web-01").await;
    let (_, second) = enroll(app, &key, "web-02").await;
    let automation = create_automation(app, &session, "Hello", None).await;
    let url = trigger_url(app, &session, &automation, false).await.0;
    let triggered = app.post(&url, json!({})).send(app).await;
    assert_eq!(triggered.status, StatusCode::OK, "{}", triggered.text);
    let runs = triggered.body["runs"].as_array().unwrap().clone();
    assert_eq!(runs.len(), 2);
    let ids: Vec<String> = [first_id.as_str()]
        .iter()
        .map(|device| {
            runs.iter().find(|run| run["device_id"] == *device).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .chain(
            runs.iter()
                .filter(|run| run["device_id"] != first_id.as_str())
                .map(|run| run["id"].as_str().unwrap().to_owned()),
        )
        .collect();
    (vec![first, second], ids)
}

#[tokio::test]
async fn a_pending_run_is_handed_out_once_with_its_steps_and_then_reported() {
    let app = TestApp::new().await;
    let (tokens, runs) = two_devices_with_runs(&app).await;

    let first = check_in(&app, &tokens[0], "web-01").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.body["runs"].as_array().unwrap().len(), 1);
    let run = &first.body["runs"][0];
    assert_eq!(run["id"], runs[0].as_str());
    assert_eq!(run["automation_name"], "Hello");
    assert_eq!(run["steps"][0]["shell"], "sh");
    assert_eq!(run["steps"][0]["timeout_seconds"], 300);
    let again = check_in(&app, &tokens[0], "web-01").await;
    assert_eq!(again.body["runs"], json!([]));

    let reported = report(&app, &tokens[0], &runs[0], success()).await;
    assert_eq!(reported.status, StatusCode::OK, "{}", reported.text);
    assert_eq!(reported.body, json!({"success": true}));
    let twice = report(&app, &tokens[0], &runs[0], success()).await;
    twice.error(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_report_for_another_devices_run_is_404_and_changes_nothing() {
    let app = TestApp::new().await;
    let (tokens, runs) = two_devices_with_runs(&app).await;
    check_in(&app, &tokens[1], "web-02").await;

    let foreign = report(&app, &tokens[0], &runs[1], success()).await;
    foreign.error(StatusCode::NOT_FOUND);
    let malformed = report(&app, &tokens[0], "not-a-run", success()).await;
    malformed.error(StatusCode::NOT_FOUND);

    let own = report(&app, &tokens[1], &runs[1], success()).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
}

#[tokio::test]
async fn a_report_with_an_unfinished_status_is_422_and_a_bad_one_400() {
    let app = TestApp::new().await;
    let (tokens, runs) = two_devices_with_runs(&app).await;
    check_in(&app, &tokens[0], "web-01").await;

    for status in ["pending", "running"] {
        let response = report(
            &app,
            &tokens[0],
            &runs[0],
            json!({"status": status, "steps": []}),
        )
        .await;
        response.error(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let step_running =
        json!({"status": "error", "steps": [{"name": "a", "status": "running", "output": ""}]});
    report(&app, &tokens[0], &runs[0], step_running)
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY);
    report(
        &app,
        &tokens[0],
        &runs[0],
        json!({"status": "finished", "steps": []}),
    )
    .await
    .error(StatusCode::BAD_REQUEST);

    let ok = report(
        &app,
        &tokens[0],
        &runs[0],
        json!({"status": "error", "steps": []}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
}

#[tokio::test]
async fn a_run_reported_before_it_was_handed_out_is_not_handed_out_any_more() {
    let app = TestApp::new().await;
    let (tokens, runs) = two_devices_with_runs(&app).await;
    let canceled = report(
        &app,
        &tokens[0],
        &runs[0],
        json!({"status": "canceled", "steps": []}),
    )
    .await;
    assert_eq!(canceled.status, StatusCode::OK, "{}", canceled.text);

    let checked_in = check_in(&app, &tokens[0], "web-01").await;

    assert_eq!(checked_in.body["runs"], json!([]));
}
