//! Custom fields on `/api/v1`: the fields, values set and cleared at each level, a device's
//! values with where each comes from, and who may do what.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Session, TestApp};

async fn field(app: &TestApp, session: &Session, name: &str, admin_only: bool) -> String {
    let created = app
        .post(
            "/api/v1/custom-fields",
            json!({"name": name, "admin_only": admin_only}),
        )
        .session(session)
        .send(app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    created.body["id"].as_str().unwrap().to_owned()
}

async fn set(app: &TestApp, session: &Session, field: &str, level: Value, value: Value) {
    let response = app
        .put(
            &format!("/api/v1/custom-fields/{field}/value"),
            json!({"assigned_to_id": level, "value": value}),
        )
        .session(session)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::NO_CONTENT, "{}", response.text);
}

/// (field name, value, source, source group name) of each field for the device.
async fn values(
    app: &TestApp,
    session: &Session,
    device: &str,
) -> Vec<(String, Value, Value, Value)> {
    let response = app
        .get(&format!("/api/v1/devices/{device}/custom-fields"))
        .session(session)
        .send(app)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| {
            (
                value["field"]["name"].as_str().unwrap().to_owned(),
                value["value"].clone(),
                value["source"].clone(),
                value["source_group_name"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_devices_values_say_whether_they_come_from_the_device_a_group_or_the_organization() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let now = app.app.state.clock.now();
    let clients = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(org, None),
            "Clients",
            None,
            now,
        )
        .await
        .unwrap();
    let acme = app
        .app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(org, None),
            "Acme",
            Some(clients.id),
            now,
        )
        .await
        .unwrap();
    let device = app.device(org, Some(acme.id), "web-01").await;
    let contract = field(&app, &session, "Contract", false).await;
    let site = field(&app, &session, "Site", false).await;
    let asset = field(&app, &session, "Asset tag", false).await;
    let unset = field(&app, &session, "Warranty", false).await;
    set(&app, &session, &contract, Value::Null, json!("Standard")).await;
    set(
        &app,
        &session,
        &site,
        json!(clients.id.to_string()),
        json!("Lyon"),
    )
    .await;
    set(&app, &session, &asset, Value::Null, json!("none")).await;
    set(&app, &session, &asset, json!(device), json!("A-1234")).await;

    assert_eq!(
        values(&app, &session, &device).await,
        vec![
            (
                "Contract".into(),
                json!("Standard"),
                json!("organization"),
                Value::Null
            ),
            (
                "Site".into(),
                json!("Lyon"),
                json!("group"),
                json!("Clients")
            ),
            (
                "Asset tag".into(),
                json!("A-1234"),
                json!("device"),
                Value::Null
            ),
            ("Warranty".into(), Value::Null, Value::Null, Value::Null),
        ]
    );

    set(&app, &session, &asset, json!(device), Value::Null).await;
    set(&app, &session, &unset, json!(device), json!("2027-01-01")).await;
    let after = values(&app, &session, &device).await;
    assert_eq!(
        after[2],
        (
            "Asset tag".into(),
            json!("none"),
            json!("organization"),
            Value::Null
        )
    );
    assert_eq!(after[3].2, json!("device"));
}

#[tokio::test]
async fn fields_are_managed_with_settings_access_and_admin_only_ones_stay_hidden_from_technicians()
{
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "web-01").await;
    let public = field(&app, &admin, "Site", false).await;
    let secret = field(&app, &admin, "Billing code", true).await;
    app.add_user("tech@acme.test", "technician", &[]).await;
    let tech = app.sign_in("tech@acme.test", PASSWORD).await;

    let listed = app
        .get("/api/v1/custom-fields")
        .session(&tech)
        .send(&app)
        .await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["data"][0]["reference"], "cf_site");
    let seen = values(&app, &tech, &device).await;
    assert_eq!(seen.len(), 1);
    set(&app, &tech, &public, json!(device), json!("Lyon")).await;
    app.put(
        &format!("/api/v1/custom-fields/{secret}/value"),
        json!({"assigned_to_id": device, "value": "x"}),
    )
    .session(&tech)
    .send(&app)
    .await
    .error(StatusCode::NOT_FOUND);
    app.post("/api/v1/custom-fields", json!({"name": "Mine"}))
        .session(&tech)
        .send(&app)
        .await
        .error(StatusCode::FORBIDDEN);
    app.delete(&format!("/api/v1/custom-fields/{public}"))
        .session(&tech)
        .send(&app)
        .await
        .error(StatusCode::FORBIDDEN);

    let renamed = app
        .patch(
            &format!("/api/v1/custom-fields/{public}"),
            json!({"name": "Office site"}),
        )
        .session(&admin)
        .send(&app)
        .await;
    assert_eq!(renamed.body["reference"], "cf_office_site");
    app.delete(&format!("/api/v1/custom-fields/{secret}"))
        .session(&admin)
        .send(&app)
        .await;
    let left = app
        .get("/api/v1/custom-fields")
        .session(&admin)
        .send(&app)
        .await;
    assert_eq!(left.body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_values_levels_and_fields_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "web-01").await;
    let site = field(&app, &session, "Site", false).await;
    let path = format!("/api/v1/custom-fields/{site}/value");

    let long = app
        .put(
            &path,
            json!({"assigned_to_id": device, "value": "x".repeat(10_001)}),
        )
        .session(&session)
        .send(&app)
        .await;
    assert_eq!(
        long.error(StatusCode::UNPROCESSABLE_ENTITY),
        "value must be at most 10000 characters"
    );
    app.put(&path, json!({"assigned_to_id": "nope", "value": "x"}))
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    app.put("/api/v1/custom-fields/nope/value", json!({"value": "x"}))
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    app.post("/api/v1/custom-fields", json!({"name": "site"}))
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/api/v1/devices/nope/custom-fields")
        .session(&session)
        .send(&app)
        .await
        .error(StatusCode::NOT_FOUND);
    assert_eq!(values(&app, &session, &device).await[0].1, Value::Null);
}
