//! Bad ids in paths, unknown routes and bad query values: a JSON 404 or 400, nothing written.

use axum::http::{Method, StatusCode};
use plumb_core::id::GroupId;
use serde_json::json;

use super::{assert_refused, groups_snapshot, settings_snapshot, v2_fixture};
use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn bad_ids_in_v2_paths_are_a_json_404_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, device) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let simple = GroupId::parse(&group).unwrap().0.simple().to_string();
    let bad_ids = [
        "not-an-id".to_owned(),
        "..".to_owned(),
        "%2e%2e%2fetc".to_owned(),
        simple,
        format!("{group}x"),
        format!("{group}%00"),
        format!("%7B{group}%7D"),
        "%F0%9F%92%A9".to_owned(),
        "x".repeat(5_000),
    ];

    for id in &bad_ids {
        let path = format!("/v2/groups/{id}");
        let devices = format!("{path}/devices");
        let requests = [
            RequestBuilder::new(Method::GET, &path),
            RequestBuilder::new(Method::PATCH, &path).json(json!({"name": "Renamed"})),
            RequestBuilder::new(Method::PUT, &path).json(json!({"name": "Renamed"})),
            RequestBuilder::new(Method::DELETE, &path),
            RequestBuilder::new(Method::POST, &devices).json(json!({"device_ids": [device]})),
            RequestBuilder::new(Method::DELETE, &devices).json(json!({"device_ids": [device]})),
        ];
        for request in requests {
            let response = request.key(&key).send(&app).await;
            assert_refused(
                &response,
                StatusCode::NOT_FOUND,
                "not_found",
                &format!("id {id}"),
            );
        }
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn unknown_routes_are_a_json_404_on_both_surfaces() {
    let app = TestApp::new().await;
    let (key, group, _) = v2_fixture(&app).await;
    let admin = app.admin_session().await;
    // The key's own usage figures change with every snapshot, so the key list is left out.
    let people_and_log = || async {
        let users = app
            .get("/api/v1/users")
            .session(&admin)
            .send(&app)
            .await
            .body;
        let log = app
            .get("/api/v1/activity?limit=100")
            .session(&admin)
            .send(&app)
            .await
            .body;
        (users, log)
    };
    let before = (groups_snapshot(&app, &key).await, people_and_log().await);
    let paths = [
        "/v2/groups/../etc".to_owned(),
        "/v2/groups/../../etc/passwd".to_owned(),
        "/v2/nothing-here".to_owned(),
        "/v2/organizations".to_owned(),
        "/v2/groups/".to_owned(),
        format!("/v2/groups/{group}/nothing"),
        format!("/v2/groups/{group}/devices/extra"),
        "/v3/groups".to_owned(),
        "/api/v1/nothing-here".to_owned(),
        "/api/v2/groups".to_owned(),
        "/api/v1/api-keys/x/y/z".to_owned(),
    ];

    for path in &paths {
        for method in [Method::GET, Method::POST, Method::DELETE] {
            let response = RequestBuilder::new(method.clone(), path)
                .json(json!({"name": "x"}))
                .key(&key)
                .session(&admin)
                .send(&app)
                .await;
            assert_refused(
                &response,
                StatusCode::NOT_FOUND,
                "not_found",
                &format!("{method} {path}"),
            );
        }
    }

    let after = (groups_snapshot(&app, &key).await, people_and_log().await);
    assert_eq!(after, before);
}

#[tokio::test]
async fn bad_paging_and_filter_values_are_a_400() {
    let app = TestApp::new().await;
    let (key, group, _) = v2_fixture(&app).await;
    let queries = [
        "?limit=0".to_owned(),
        "?limit=101".to_owned(),
        "?limit=abc".to_owned(),
        "?limit=".to_owned(),
        "?limit=%FF".to_owned(),
        "?starting_after=nope".to_owned(),
        "?ending_before=nope".to_owned(),
        "?starting_after=".to_owned(),
        "?starting_after=%FF".to_owned(),
        format!("?starting_after={}", "9".repeat(5_000)),
        format!("?starting_after={group}&ending_before={group}"),
        "?parent_id=nope".to_owned(),
        format!("?parent_id={group}x"),
    ];

    for query in &queries {
        let response = app
            .get(&format!("/v2/groups{query}"))
            .key(&key)
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", query);
    }
    let unknown_parameter = app.get("/v2/groups?sort=name").key(&key).send(&app).await;
    assert_eq!(
        unknown_parameter.status,
        StatusCode::OK,
        "unknown query parameters are ignored"
    );
}

#[tokio::test]
async fn bad_ids_in_api_v1_paths_are_a_json_404_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;

    for id in ["not-an-id", "..", "%2e%2e", "%F0%9F%92%A9"] {
        let key = format!("/api/v1/api-keys/{id}");
        let requests = [
            RequestBuilder::new(Method::GET, &key),
            RequestBuilder::new(Method::PATCH, &key).json(json!({"access": "read_write"})),
            RequestBuilder::new(Method::PUT, &key).json(json!({"access": "read_write"})),
            RequestBuilder::new(Method::DELETE, &key),
            RequestBuilder::new(Method::POST, &format!("{key}/regenerate")).json(json!({})),
            RequestBuilder::new(Method::POST, &format!("{key}/reveal")).json(json!({})),
            RequestBuilder::new(Method::PATCH, &format!("/api/v1/users/{id}"))
                .json(json!({"disabled": true})),
        ];
        for request in requests {
            let response = request.session(&admin).send(&app).await;
            assert_refused(
                &response,
                StatusCode::NOT_FOUND,
                "not_found",
                &format!("id {id}"),
            );
        }
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}

#[tokio::test]
async fn a_path_id_that_is_not_utf8_is_a_json_404_on_both_surfaces() {
    let app = TestApp::new().await;
    let (key, _, device) = v2_fixture(&app).await;
    let admin = app.admin_session().await;
    let before = (
        groups_snapshot(&app, &key).await,
        settings_snapshot(&app, &admin).await,
    );
    let devices = json!({"device_ids": [device]});
    let requests = [
        (Method::GET, "/v2/groups/%FF", None),
        (Method::PATCH, "/v2/groups/%FF", Some(json!({"name": "x"}))),
        (Method::DELETE, "/v2/groups/%FF", None),
        (
            Method::POST,
            "/v2/groups/%C0%AF/devices",
            Some(devices.clone()),
        ),
        (Method::DELETE, "/v2/groups/%FF/devices", Some(devices)),
        (Method::GET, "/api/v1/api-keys/%FF", None),
        (
            Method::PATCH,
            "/api/v1/api-keys/%FF",
            Some(json!({"access": "read_write"})),
        ),
        (Method::DELETE, "/api/v1/api-keys/%FF", None),
        (Method::POST, "/api/v1/api-keys/%FF/reveal", Some(json!({}))),
        (
            Method::PATCH,
            "/api/v1/users/%FF",
            Some(json!({"disabled": true})),
        ),
    ];

    for (method, path, body) in requests {
        let case = format!("{method} {path}");
        let mut request = RequestBuilder::new(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        request = if path.starts_with("/v2") {
            request.key(&key)
        } else {
            request.session(&admin)
        };
        let response = request.send(&app).await;
        assert_refused(&response, StatusCode::NOT_FOUND, "not_found", &case);
    }

    // The key's usage figures move with every /v2 call, so compare everything else.
    let after = (
        groups_snapshot(&app, &key).await,
        settings_snapshot(&app, &admin).await,
    );
    assert_eq!(after.0, before.0);
    assert_eq!((&after.1[0], &after.1[2]), (&before.1[0], &before.1[2]));
}
