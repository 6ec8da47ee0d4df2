//! Run now and the Runs views: `POST /api/v1/automations/{id}/runs` on chosen devices, the
//! runs of an automation and of a device newest first with every step's status and output,
//! one run, and who may use them.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::create_automation;
use crate::agent_protocol::{check_in, enroll, install_key, report};
use crate::helpers::{PASSWORD, TestApp};

fn device_ids(body: &Value) -> Vec<String> {
    body["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["device_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn run_now_starts_the_automation_on_the_chosen_devices_only_and_is_in_the_activity_log() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let first = app.device(org, None, "web-01").await;
    app.device(org, None, "web-02").await;
    let automation = create_automation(&app, &session, "Hello", None).await;

    let started = app
        .post(
            &format!("/api/v1/automations/{automation}/runs"),
            json!({"device_ids": [first, "not-an-id"]}),
        )
        .session(&session)
        .send(&app)
        .await;

    assert_eq!(started.status, StatusCode::CREATED, "{}", started.text);
    assert_eq!(device_ids(&started.body), vec![first.clone()]);
    let log = app
        .get("/api/v1/activity?limit=5")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(log.body["data"][0]["action"], "automation.run_started");
    let every = app
        .post(&format!("/api/v1/automations/{automation}/runs"), json!({}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(every.status, StatusCode::CREATED, "{}", every.text);
    assert_eq!(device_ids(&every.body).len(), 2);
}

#[tokio::test]
async fn run_now_on_no_device_of_the_target_says_why_and_starts_nothing() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let now = app.app.state.clock.now();
    let servers = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(org, None),
            "Servers",
            None,
            now,
        )
        .await
        .unwrap();
    let outside = app.device(org, None, "laptop-01").await;
    let automation =
        create_automation(&app, &session, "Patch", Some(&servers.id.to_string())).await;
    let path = format!("/api/v1/automations/{automation}/runs");

    let outsider = app
        .post(&path, json!({"device_ids": [outside]}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(
        outsider.error(StatusCode::UNPROCESSABLE_ENTITY),
        "none of the chosen devices is in the group Servers or its subgroups, which this automation targets"
    );
    let empty = app
        .post(&path, json!({"device_ids": []}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(
        empty.error(StatusCode::UNPROCESSABLE_ENTITY),
        "device_ids must name at least one device"
    );
    let whole = app
        .post(&path, json!({}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(
        whole.error(StatusCode::UNPROCESSABLE_ENTITY),
        "the group Servers and its subgroups have no devices"
    );
    let runs = app
        .get(&format!("/api/v1/automations/{automation}/runs"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(runs.body["data"], json!([]));
    let log = app
        .get("/api/v1/activity?limit=50")
        .session(&session)
        .send(&app)
        .await;
    assert!(!log.text.contains("automation.run_started"), "{}", log.text);
}

#[tokio::test]
async fn the_runs_views_show_each_steps_status_and_output_as_the_agent_reports_it() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let key = install_key(&app, &session, None).await;
    let (device, token) = enroll(&app, &key, "web-01").await;
    let created = app
        .post(
            "/api/v1/automations",
            json!({"name": "Two steps", "steps": [
                {"name": "Say hello", "shell": "sh", "script": "echo hello"},
                {"name": "Disk", "shell": "bash", "script": "df -h", "timeout_seconds": 30}
            ]}),
        )
        .session(&session)
        .send(&app)
        .await;
    let automation = created.body["id"].as_str().unwrap().to_owned();
    let started = app
        .post(
            &format!("/api/v1/automations/{automation}/runs"),
            json!({"device_ids": [device]}),
        )
        .session(&session)
        .send(&app)
        .await;
    let run = started.body["runs"][0]["id"].as_str().unwrap().to_owned();
    let by_automation = format!("/api/v1/automations/{automation}/runs");
    let by_device = format!("/api/v1/devices/{device}/runs");

    let pending = app.get(&by_automation).session(&session).send(&app).await;
    assert_eq!(pending.status, StatusCode::OK, "{}", pending.text);
    assert_eq!(pending.body["data"][0]["status"], "pending");
    assert_eq!(
        pending.body["data"][0]["steps"],
        json!([
            {"name": "Say hello", "shell": "sh", "timeout_seconds": 300, "status": "pending", "output": null},
            {"name": "Disk", "shell": "bash", "timeout_seconds": 30, "status": "pending", "output": null},
        ])
    );
    check_in(&app, &token, "web-01").await;
    let running = app
        .get(&format!("/api/v1/runs/{run}"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(running.body["status"], "running");
    assert!(running.body["started_at"].is_string());

    let reported = report(
        &app,
        &token,
        &run,
        json!({"status": "error", "steps": [
            {"name": "Say hello", "status": "success", "output": "hello\n"},
            {"name": "Disk", "status": "error", "output": "df: not found\n"}
        ]}),
    )
    .await;
    assert!(reported.status.is_success(), "{}", reported.text);

    for path in [&by_automation, &by_device] {
        let done = app.get(path).session(&session).send(&app).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        let shown = &done.body["data"][0];
        assert_eq!(shown["id"], run.as_str());
        assert_eq!(shown["status"], "error");
        assert_eq!(shown["automation_name"], "Two steps");
        assert_eq!(shown["device_hostname"], "web-01");
        assert_eq!(shown["steps"][0]["output"], "hello\n");
        assert_eq!(shown["steps"][1]["status"], "error");
        assert_eq!(shown["steps"][1]["output"], "df: not found\n");
        assert!(shown["ended_at"].is_string());
        assert_eq!(done.body["next_cursor"], Value::Null);
    }
}

#[tokio::test]
async fn the_runs_views_page_newest_first_with_a_cursor() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "web-01").await;
    let automation = create_automation(&app, &session, "Hello", None).await;
    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = app
            .post(
                &format!("/api/v1/automations/{automation}/runs"),
                json!({"device_ids": [device]}),
            )
            .session(&session)
            .send(&app)
            .await;
        runs.push(started.body["runs"][0]["id"].as_str().unwrap().to_owned());
    }
    let ids = |body: &Value| -> Vec<String> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|run| run["id"].as_str().unwrap().to_owned())
            .collect()
    };

    let first = app
        .get(&format!("/api/v1/devices/{device}/runs?limit=2"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(ids(&first.body), vec![runs[2].clone(), runs[1].clone()]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get(&format!(
            "/api/v1/devices/{device}/runs?limit=2&cursor={cursor}"
        ))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(ids(&second.body), vec![runs[0].clone()]);
    assert_eq!(second.body["next_cursor"], Value::Null);

    for bad in ["limit=0", "limit=101", "limit=x", "cursor=nope"] {
        app.get(&format!("/api/v1/devices/{device}/runs?{bad}"))
            .session(&session)
            .send(&app)
            .await
            .error(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn runs_need_the_settings_permission_and_stay_inside_the_organization() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "web-01").await;
    let automation = create_automation(&app, &admin, "Hello", None).await;
    let started = app
        .post(&format!("/api/v1/automations/{automation}/runs"), json!({}))
        .session(&admin)
        .send(&app)
        .await;
    let run = started.body["runs"][0]["id"].as_str().unwrap().to_owned();
    app.add_user("tech@acme.test", "technician", &[]).await;
    let tech = app.sign_in("tech@acme.test", PASSWORD).await;
    let other = app.other_org("boss@other.test").await;
    let boss = app.sign_in(&other.email, PASSWORD).await;
    let reads = [
        format!("/api/v1/automations/{automation}/runs"),
        format!("/api/v1/devices/{device}/runs"),
        format!("/api/v1/runs/{run}"),
    ];

    for path in &reads {
        app.get(path)
            .session(&tech)
            .send(&app)
            .await
            .error(StatusCode::FORBIDDEN);
        app.get(path)
            .session(&boss)
            .send(&app)
            .await
            .error(StatusCode::NOT_FOUND);
    }
    app.post(&format!("/api/v1/automations/{automation}/runs"), json!({}))
        .session(&tech)
        .send(&app)
        .await
        .error(StatusCode::FORBIDDEN);
    app.post(&format!("/api/v1/automations/{automation}/runs"), json!({}))
        .session(&boss)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    let still = app
        .get(&format!("/api/v1/automations/{automation}/runs"))
        .session(&admin)
        .send(&app)
        .await;
    assert_eq!(still.body["data"].as_array().unwrap().len(), 1);
}
