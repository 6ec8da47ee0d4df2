//! Regenerate with a grace period: the old value keeps working until the period ends (or is
//! ended), shown on the key; without one, Regenerate stays immediate.

use axum::http::StatusCode;
use serde_json::json;
use time::Duration;

use crate::helpers::TestApp;

#[tokio::test]
async fn with_a_grace_period_the_old_value_works_until_it_ends() {
    let (app, clock) = TestApp::with_manual_clock(|_| {}).await;
    let admin = app.admin_session().await;
    let (id, old) = app.create_key(&admin, "Rotating", "read_write").await;

    let regenerated = app
        .post(
            &format!("/api/v1/api-keys/{id}/regenerate"),
            json!({ "grace_seconds": 3600 }),
        )
        .session(&admin)
        .send(&app)
        .await;
    let new = regenerated.body["key"].as_str().unwrap().to_owned();
    let old_during = app.get("/v2/groups").key(&old).send(&app).await;
    let new_during = app.get("/v2/groups").key(&new).send(&app).await;
    clock.advance(Duration::hours(1));
    let old_after = app.get("/v2/groups").key(&old).send(&app).await;
    let new_after = app.get("/v2/groups").key(&new).send(&app).await;
    let shown = app
        .get(&format!("/api/v1/api-keys/{id}"))
        .session(&app.admin_session().await)
        .send(&app)
        .await;

    assert_eq!(regenerated.status, StatusCode::OK, "{}", regenerated.text);
    assert!(regenerated.body["previous_valid_until"].is_string());
    assert_eq!(old_during.status, StatusCode::OK);
    assert_eq!(new_during.status, StatusCode::OK);
    assert_eq!(old_after.error(StatusCode::UNAUTHORIZED), "Access denied");
    assert_eq!(new_after.status, StatusCode::OK);
    assert_eq!(shown.body["previous_valid_until"], json!(null));
}

#[tokio::test]
async fn ending_the_grace_period_stops_the_old_value_at_once() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, old) = app.create_key(&admin, "Rotating", "read_write").await;
    let regenerated = app
        .post(
            &format!("/api/v1/api-keys/{id}/regenerate"),
            json!({ "grace_seconds": 86400 }),
        )
        .session(&admin)
        .send(&app)
        .await;
    let new = regenerated.body["key"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/v2/groups").key(&old).send(&app).await.status,
        StatusCode::OK
    );

    let ended = app
        .post(&format!("/api/v1/api-keys/{id}/end-grace"), json!({}))
        .session(&admin)
        .send(&app)
        .await;
    let old_after = app.get("/v2/groups").key(&old).send(&app).await;
    let new_after = app.get("/v2/groups").key(&new).send(&app).await;

    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);
    assert_eq!(ended.body["previous_valid_until"], json!(null));
    assert_eq!(old_after.error(StatusCode::UNAUTHORIZED), "Access denied");
    assert_eq!(new_after.status, StatusCode::OK);
}

#[tokio::test]
async fn without_a_body_or_grace_regenerate_stops_the_old_value_at_once() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, first) = app.create_key(&admin, "Rotating", "read_write").await;
    let path = format!("/api/v1/api-keys/{id}/regenerate");

    let without_body = app
        .post(&path, json!(null))
        .raw(Vec::new())
        .session(&admin)
        .send(&app)
        .await;
    let second = without_body.body["key"].as_str().unwrap().to_owned();
    let zero = app
        .post(&path, json!({ "grace_seconds": 0 }))
        .session(&admin)
        .send(&app)
        .await;

    assert_eq!(without_body.status, StatusCode::OK, "{}", without_body.text);
    assert_eq!(zero.status, StatusCode::OK, "{}", zero.text);
    assert_eq!(zero.body["previous_valid_until"], json!(null));
    for gone in [&first, &second] {
        let refused = app.get("/v2/groups").key(gone).send(&app).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_grace_period_over_seven_days_is_refused_and_the_value_stays() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Rotating", "read_write").await;

    let refused = app
        .post(
            &format!("/api/v1/api-keys/{id}/regenerate"),
            json!({ "grace_seconds": 604_801 }),
        )
        .session(&admin)
        .send(&app)
        .await;

    assert!(
        refused
            .error(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("grace_seconds")
    );
    assert_eq!(
        app.get("/v2/groups").key(&key).send(&app).await.status,
        StatusCode::OK
    );
}
