//! An API key's life through `/api/v1/api-keys`: create, list and search, show, edit with
//! PATCH and PUT, delete and regenerate, and the description rules.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn creating_a_key_returns_its_full_value_once_and_the_list_shows_it_masked() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let created = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "Inventory sync", "access": "read_only"}),
        )
        .session(&admin)
        .send(&app)
        .await;
    let list = app.get("/api/v1/api-keys").session(&admin).send(&app).await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let key = created.body["key"].as_str().unwrap();
    assert!(key.starts_with("plumb_") && key.len() == 44);
    assert_eq!(
        created.body["masked_key"],
        format!("plumb_****{}", &key[40..])
    );
    assert_eq!(created.body["description"], "Inventory sync");
    assert_eq!(created.body["access"], "read_only");
    assert_eq!(created.body["last_used_at"], json!(null));
    assert_eq!(created.body["created_by"]["email"], "admin@acme.test");
    assert!(
        created.headers["location"]
            .to_str()
            .unwrap()
            .ends_with(created.body["id"].as_str().unwrap())
    );
    let row = &list.body["data"][0];
    assert_eq!(row["masked_key"], created.body["masked_key"]);
    assert!(row.get("key").is_none());
    assert!(
        !list.text.contains(key),
        "the list must never hold the full value"
    );
}

#[tokio::test]
async fn the_list_is_newest_first_and_searchable_by_description_ignoring_case() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    for description in [
        "Inventory sync",
        "ConnectWise custom integration",
        "n8n workflow",
        "100% coverage",
    ] {
        app.create_key(&admin, description, "read_only").await;
    }

    let all = app.get("/api/v1/api-keys").session(&admin).send(&app).await;
    let search = app
        .get("/api/v1/api-keys?search=CONNECT")
        .session(&admin)
        .send(&app)
        .await;
    let percent = app
        .get("/api/v1/api-keys?search=%25")
        .session(&admin)
        .send(&app)
        .await;
    let none = app
        .get("/api/v1/api-keys?search=psa")
        .session(&admin)
        .send(&app)
        .await;

    let descriptions: Vec<&str> = all.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["description"].as_str().unwrap())
        .collect();
    assert_eq!(
        descriptions,
        [
            "100% coverage",
            "n8n workflow",
            "ConnectWise custom integration",
            "Inventory sync"
        ]
    );
    assert_eq!(search.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        search.body["data"][0]["description"],
        "ConnectWise custom integration"
    );
    assert_eq!(percent.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(none.body["data"], json!([]));
}

#[tokio::test]
async fn a_key_can_be_shown_by_id_without_its_value() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Dashboard", "read_write").await;

    let shown = app
        .get(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;

    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["id"], id);
    assert!(!shown.text.contains(&key));
}

#[tokio::test]
async fn editing_changes_description_and_access_and_applies_from_the_next_request() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Sync", "read_only").await;
    let refused = app
        .post("/v2/groups", json!({"name": "Clients"}))
        .key(&key)
        .send(&app)
        .await;

    let edited = app
        .patch(
            &format!("/api/v1/api-keys/{id}"),
            json!({"description": "PSA sync", "access": "read_write"}),
        )
        .session(&admin)
        .send(&app)
        .await;
    let allowed = app
        .post("/v2/groups", json!({"name": "Clients"}))
        .key(&key)
        .send(&app)
        .await;
    let back = app
        .patch(
            &format!("/api/v1/api-keys/{id}"),
            json!({"access": "read_only"}),
        )
        .session(&admin)
        .send(&app)
        .await;
    let refused_again = app
        .post("/v2/groups", json!({"name": "More"}))
        .key(&key)
        .send(&app)
        .await;

    refused.error(StatusCode::FORBIDDEN);
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["description"], "PSA sync");
    assert_eq!(edited.body["access"], "read_write");
    assert_eq!(
        edited.body["masked_key"],
        format!("plumb_****{}", &key[40..])
    );
    assert_eq!(allowed.status, StatusCode::CREATED);
    assert_eq!(back.body["access"], "read_only");
    refused_again.error(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn put_is_accepted_like_patch_for_edits() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Sync", "read_only").await;
    let response = crate::helpers::RequestBuilder::new(
        axum::http::Method::PUT,
        &format!("/api/v1/api-keys/{id}"),
    )
    .json(json!({"description": "Renamed"}))
    .session(&admin)
    .send(&app)
    .await;
    assert_eq!(response.body["description"], "Renamed");
}

#[tokio::test]
async fn deleting_a_key_refuses_it_from_the_very_next_request() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, key) = app.create_key(&admin, "Leaked", "read_write").await;
    assert_eq!(
        app.get("/v2/groups").key(&key).send(&app).await.status,
        StatusCode::OK
    );

    let deleted = app
        .delete(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;
    let after = app.get("/v2/groups").key(&key).send(&app).await;
    let shown = app
        .get(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;
    let again = app
        .delete(&format!("/api/v1/api-keys/{id}"))
        .session(&admin)
        .send(&app)
        .await;

    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(after.error(StatusCode::UNAUTHORIZED), "Access denied");
    shown.error(StatusCode::NOT_FOUND);
    again.error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn regenerating_replaces_the_value_and_keeps_id_description_and_access() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, old) = app.create_key(&admin, "Rotating", "read_write").await;

    let regenerated = app
        .post(&format!("/api/v1/api-keys/{id}/regenerate"), json!({}))
        .session(&admin)
        .send(&app)
        .await;
    let new = regenerated.body["key"].as_str().unwrap().to_owned();
    let with_old = app.get("/v2/groups").key(&old).send(&app).await;
    let with_new = app
        .post("/v2/groups", json!({"name": "Works"}))
        .key(&new)
        .send(&app)
        .await;

    assert_eq!(regenerated.status, StatusCode::OK, "{}", regenerated.text);
    assert_ne!(new, old);
    assert_eq!(regenerated.body["id"], id);
    assert_eq!(regenerated.body["description"], "Rotating");
    assert_eq!(regenerated.body["access"], "read_write");
    with_old.error(StatusCode::UNAUTHORIZED);
    assert_eq!(with_new.status, StatusCode::CREATED);
}

#[tokio::test]
async fn descriptions_must_hold_one_to_two_hundred_characters() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    for description in [String::new(), "   ".to_owned(), "x".repeat(201)] {
        let response = app
            .post(
                "/api/v1/api-keys",
                json!({"description": description, "access": "read_only"}),
            )
            .session(&admin)
            .send(&app)
            .await;
        response.error(StatusCode::UNPROCESSABLE_ENTITY);
    }
    app.create_key(&admin, &"é".repeat(200), "read_only").await;
    let list = app.get("/api/v1/api-keys").session(&admin).send(&app).await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1);
}
