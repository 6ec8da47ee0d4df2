//! The rules of automation fields: every breach is a 422 (or 404 for an unknown group) that
//! changes nothing.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{create_automation, hello_step};
use crate::helpers::{Session, TestApp};

async fn refused(app: &TestApp, session: &Session, body: Value, status: StatusCode) -> String {
    let response = app
        .post("/api/v1/automations", body)
        .session(session)
        .send(app)
        .await;
    response.error(status)
}

#[tokio::test]
async fn names_steps_shells_scripts_and_timeouts_are_checked() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let step = |shell: &str, script: &str, timeout: u32| json!({"name": "S", "shell": shell, "script": script, "timeout_seconds": timeout});
    let unprocessable = [
        json!({"name": "", "steps": [hello_step()]}),
        json!({"name": "n".repeat(201), "steps": [hello_step()]}),
        json!({"name": "No steps", "steps": []}),
        json!({"name": "Many", "steps": vec![hello_step(); 51]}),
        json!({"name": "Shell", "steps": [step("zsh", "echo", 1)]}),
        json!({"name": "Empty", "steps": [step("sh", " ", 1)]}),
        json!({"name": "Zero", "steps": [step("sh", "echo", 0)]}),
        json!({"name": "Long", "steps": [step("sh", "echo", 86_401)]}),
        json!({"name": "Unnamed", "steps": [{"name": "", "shell": "sh", "script": "echo"}]}),
    ];
    for body in unprocessable {
        refused(&app, &session, body, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    refused(
        &app,
        &session,
        json!({"name": "Typo", "step": []}),
        StatusCode::BAD_REQUEST,
    )
    .await;
    refused(
        &app,
        &session,
        json!({"name": "Neg", "steps": [step("sh", "e", 1)], "x": 1}),
        StatusCode::BAD_REQUEST,
    )
    .await;
    let over_limit = json!({"name": "Big", "steps": [step("sh", &"x".repeat(64 * 1024 + 1), 5)]});
    refused(&app, &session, over_limit, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert!(
        create_automation(&app, &session, &"n".repeat(200), None)
            .await
            .len()
            == 36
    );
    let listed = app
        .get("/api/v1/automations")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_taken_name_is_422_on_create_and_on_rename() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    create_automation(&app, &session, "Patch", None).await;
    let other = create_automation(&app, &session, "Reboot", None).await;

    let again = refused(
        &app,
        &session,
        json!({"name": "Patch", "steps": [hello_step()]}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(again.contains("already exists"), "{again}");
    let renamed = app
        .patch(
            &format!("/api/v1/automations/{other}"),
            json!({"name": "Patch"}),
        )
        .session(&session)
        .send(&app)
        .await;
    renamed.error(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_unknown_or_foreign_group_is_404() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let other = app.other_org("boss@other.test").await;
    let foreign = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(other.organization.id, None),
            "Theirs",
            None,
            app.app.state.clock.now(),
        )
        .await
        .unwrap();
    for group in [
        foreign.id.to_string(),
        plumb_core::id::GroupId::new().to_string(),
        "nope".to_owned(),
    ] {
        let message = refused(
            &app,
            &session,
            json!({"name": "G", "group_id": group, "steps": [hello_step()]}),
            StatusCode::NOT_FOUND,
        )
        .await;
        assert_eq!(message, "group not found");
    }
    let id = create_automation(&app, &session, "Mine", None).await;
    app.patch(
        &format!("/api/v1/automations/{id}"),
        json!({"group_id": foreign.id.to_string()}),
    )
    .session(&session)
    .send(&app)
    .await
    .error(StatusCode::NOT_FOUND);
}
