//! Creating, showing, listing, changing and deleting automations on `/api/v1`.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{create_automation, hello_step};
use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn an_automation_is_created_shown_listed_changed_and_deleted() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let group = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(org, None),
            "Servers",
            None,
            app.app.state.clock.now(),
        )
        .await
        .unwrap();

    let created = app
        .post(
            "/api/v1/automations",
            json!({"name": " Patch ", "description": "Weekly", "group_id": group.id.to_string(),
                   "steps": [hello_step(), {"name": "Py", "shell": "python3", "script": "print(1)", "timeout_seconds": 20}]}),
        )
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.headers["location"],
        format!("/api/v1/automations/{id}")
    );
    assert_eq!(created.body["name"], "Patch");
    assert_eq!(created.body["group_name"], "Servers");
    assert_eq!(created.body["steps"][0]["timeout_seconds"], 300);
    assert_eq!(created.body["steps"][1]["timeout_seconds"], 20);

    let shown = app
        .get(&format!("/api/v1/automations/{id}"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(shown.body, created.body);
    let listed = app
        .get("/api/v1/automations")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"], json!([created.body]));
    assert_eq!(listed.body["has_more"], false);

    let changed = app
        .patch(
            &format!("/api/v1/automations/{id}"),
            json!({"description": null, "group_id": null}),
        )
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.body["name"], "Patch");
    assert_eq!(changed.body["description"], json!(null));
    assert_eq!(changed.body["group_id"], json!(null));
    assert_eq!(changed.body["steps"], created.body["steps"]);

    let deleted = app
        .delete(&format!("/api/v1/automations/{id}"))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/automations/{id}"))
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);

    let activity = app
        .get("/api/v1/activity")
        .session(&session)
        .send(&app)
        .await;
    let actions: Vec<&str> = activity.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions[..3],
        [
            "automation.deleted",
            "automation.updated",
            "automation.created"
        ]
    );
    assert!(
        !activity.text.contains("print(1)"),
        "scripts stay out of the log"
    );
}

#[tokio::test]
async fn put_replaces_steps_and_keeps_absent_fields() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let id = create_automation(&app, &session, "Hello", None).await;
    let response = RequestBuilder::new(Method::PUT, &format!("/api/v1/automations/{id}"))
        .json(json!({"steps": [{"name": "Bash", "shell": "bash", "script": "echo b"}]}))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(response.body["name"], "Hello");
    assert_eq!(response.body["steps"].as_array().unwrap().len(), 1);
    assert_eq!(response.body["steps"][0]["shell"], "bash");
}

#[tokio::test]
async fn a_technician_without_settings_cannot_read_or_write_automations() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let id = create_automation(&app, &admin, "Hello", None).await;
    app.add_user("tech@acme.test", "technician", &[]).await;
    let tech = app
        .sign_in("tech@acme.test", crate::helpers::PASSWORD)
        .await;

    app.get("/api/v1/automations")
        .session(&tech)
        .send(&app)
        .await
        .error(StatusCode::FORBIDDEN);
    app.post(
        "/api/v1/automations",
        json!({"name": "X", "steps": [hello_step()]}),
    )
    .session(&tech)
    .send(&app)
    .await
    .error(StatusCode::FORBIDDEN);
    app.delete(&format!("/api/v1/automations/{id}"))
        .session(&tech)
        .send(&app)
        .await
        .error(StatusCode::FORBIDDEN);
    app.get(&format!("/api/v1/automations/{id}"))
        .session(&admin)
        .send(&app)
        .await;
}

#[tokio::test]
async fn another_organizations_automation_is_not_found() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let id = create_automation(&app, &admin, "Hello", None).await;
    app.other_org("boss@other.test").await;
    let other = app
        .sign_in("boss@other.test", crate::helpers::PASSWORD)
        .await;

    app.get(&format!("/api/v1/automations/{id}"))
        .session(&other)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    app.patch(
        &format!("/api/v1/automations/{id}"),
        json!({"name": "Mine"}),
    )
    .session(&other)
    .send(&app)
    .await
    .error(StatusCode::NOT_FOUND);
    app.delete(&format!("/api/v1/automations/{id}"))
        .session(&other)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    let listed = app
        .get("/api/v1/automations")
        .session(&other)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"], json!([]));
    let still = app
        .get(&format!("/api/v1/automations/{id}"))
        .session(&admin)
        .send(&app)
        .await;
    assert_eq!(still.body["name"], "Hello");
}

#[tokio::test]
async fn the_list_is_paged_in_creation_order() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(create_automation(&app, &session, &format!("A{n}"), None).await);
    }
    let first = app
        .get("/api/v1/automations?limit=2")
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(first.body["has_more"], true);
    assert_eq!(first.body["data"][1]["id"], ids[1].as_str());
    let rest = app
        .get(&format!(
            "/api/v1/automations?limit=2&starting_after={}",
            ids[1]
        ))
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(rest.body["has_more"], false);
    assert_eq!(rest.body["data"][0]["id"], ids[2].as_str());
    app.get("/api/v1/automations?limit=0")
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::BAD_REQUEST);
}
