//! `GET /v2/activities`: the organization's changes, oldest first and paged by id, without
//! sign-ins, client addresses or secrets, and never another organization's.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, Session, TestApp, TestResponse};

async fn activities(app: &TestApp, key: &str, query: &str) -> TestResponse {
    app.get(&format!("/v2/activities{query}"))
        .key(key)
        .send(app)
        .await
}

fn entries(page: &TestResponse) -> &Vec<Value> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.body["data"].as_array().unwrap()
}

fn actions(page: &TestResponse) -> Vec<&str> {
    entries(page)
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect()
}

fn ids(page: &TestResponse) -> Vec<&str> {
    entries(page)
        .iter()
        .map(|entry| entry["id"].as_str().unwrap())
        .collect()
}

/// Creates `count` keys and returns the last one's value.
async fn create_keys(app: &TestApp, session: &Session, count: usize) -> String {
    let mut last = String::new();
    for number in 0..count {
        last = app
            .create_key(session, &format!("Integration {number}"), "read_only")
            .await
            .1;
    }
    last
}

#[tokio::test]
async fn the_log_lists_changes_oldest_first_without_sign_ins_addresses_or_keys() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let failed = app
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": "wrong password"}),
        )
        .send(&app)
        .await;
    let (id, key) = app.create_key(&session, "Sync", "read_only").await;
    let edited = app
        .patch(
            &format!("/api/v1/api-keys/{id}"),
            json!({"description": "Sync v2"}),
        )
        .session(&session)
        .send(&app)
        .await;

    let page = activities(&app, &key, "").await;

    assert_eq!(failed.status, StatusCode::UNAUTHORIZED, "{}", failed.text);
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(
        actions(&page),
        ["organization.created", "api_key.created", "api_key.updated"]
    );
    assert_eq!(page.body["has_more"], false);
    let updated = &entries(&page)[2];
    let created_at = updated["created_at"].as_str().unwrap();
    assert!(created_at.ends_with('Z'), "{created_at}");
    assert_eq!(
        *updated,
        json!({
            "id": updated["id"], "action": "api_key.updated",
            "user_id": app.admin.id.to_string(), "user_email": ADMIN_EMAIL, "api_key": null,
            "target_type": "api_key", "target_id": id,
            "details": {"before": {"description": "Sync"}, "after": {"description": "Sync v2"}},
            "created_at": created_at
        })
    );
    assert!(!page.text.contains(&key), "the key's value is listed");
    assert!(!page.text.contains("\"ip\""), "a client address is listed");
}

#[tokio::test]
async fn activities_page_by_id_both_ways_and_refuse_bad_parameters() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let key = create_keys(&app, &session, 4).await;
    let all = activities(&app, &key, "?limit=100").await;
    let all = ids(&all);
    assert_eq!(all.len(), 5, "the organization's creation and four keys");

    let first = activities(&app, &key, "?limit=2").await;
    let next = activities(&app, &key, &format!("?limit=2&starting_after={}", all[1])).await;
    let last = activities(&app, &key, &format!("?limit=2&starting_after={}", all[3])).await;
    let back = activities(&app, &key, &format!("?limit=2&ending_before={}", all[4])).await;
    let start = activities(&app, &key, &format!("?limit=2&ending_before={}", all[1])).await;

    assert_eq!(
        (ids(&first), &first.body["has_more"]),
        (all[..2].to_vec(), &json!(true))
    );
    assert_eq!(
        (ids(&next), &next.body["has_more"]),
        (all[2..4].to_vec(), &json!(true))
    );
    assert_eq!(
        (ids(&last), &last.body["has_more"]),
        (all[4..].to_vec(), &json!(false))
    );
    assert_eq!(
        (ids(&back), &back.body["has_more"]),
        (all[2..4].to_vec(), &json!(true))
    );
    assert_eq!(
        (ids(&start), &start.body["has_more"]),
        (all[..1].to_vec(), &json!(false))
    );
    for query in [
        "?limit=0",
        "?limit=101",
        "?starting_after=nope",
        "?ending_before=42",
    ] {
        let refused = activities(&app, &key, query).await;
        assert!(
            refused
                .error(StatusCode::BAD_REQUEST)
                .contains(if query.contains("limit") {
                    "limit"
                } else {
                    "valid id"
                }),
            "{query}: {}",
            refused.text
        );
    }
}

#[tokio::test]
async fn another_organizations_activity_is_never_listed() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let key = create_keys(&app, &session, 1).await;
    let (_, their_key) = app.other_org_key().await;
    let theirs = app.sign_in("boss@other.test", PASSWORD).await;
    create_keys(&app, &theirs, 2).await;

    let ours = activities(&app, &key, "").await;
    let their_page = activities(&app, &their_key, "").await;

    assert_eq!(actions(&ours), ["organization.created", "api_key.created"]);
    assert!(!ours.text.contains("boss@other.test"), "{}", ours.text);
    assert_eq!(
        actions(&their_page),
        [
            "organization.created",
            "api_key.created",
            "api_key.created",
            "api_key.created"
        ]
    );
    assert!(
        !their_page.text.contains(ADMIN_EMAIL),
        "{}",
        their_page.text
    );
}
