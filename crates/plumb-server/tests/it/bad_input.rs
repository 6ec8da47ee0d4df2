//! Bad input on both surfaces: malformed or mistyped bodies are a 400, rule-breaking values a
//! 422, oversized bodies a 413, bad ids and unknown routes a 404, bad query values a 400; all
//! in our `{"error", "code"}` envelope, never a 500, and never with anything written.

use axum::http::{Method, StatusCode};
use plumb_core::id::GroupId;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, RequestBuilder, Session, TestApp, TestResponse};

/// The body limit, in bytes.
const LIMIT: usize = 64 * 1024;

/// Bodies that are not one JSON object of the expected shape, whatever the route. Each is
/// `(what, bytes)`; the object cases assume no route has a field named `nmae`.
fn unparseable() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("malformed JSON", br#"{"name":"#.to_vec()),
        ("an empty body", Vec::new()),
        ("a blank body", b"  \n ".to_vec()),
        ("an array of an object", br#"[{"name": "x"}]"#.to_vec()),
        ("null", b"null".to_vec()),
        ("a bare string", br#""x""#.to_vec()),
        ("a bare number", b"5".to_vec()),
        ("two objects", br#"{"name": "x"} {"name": "y"}"#.to_vec()),
        ("trailing garbage", br#"{"name": "x"},"#.to_vec()),
        ("invalid UTF-8", b"{\"name\": \"\xff\xfe\"}".to_vec()),
        ("deep nesting", "[".repeat(10_000).into_bytes()),
        ("an unknown field", br#"{"nmae": "y"}"#.to_vec()),
    ]
}

/// Asserts a JSON error with our envelope, status and code.
fn assert_refused(response: &TestResponse, status: StatusCode, code: &str, case: &str) {
    assert_eq!(response.status, status, "{case}: {}", response.text);
    let content_type = response
        .headers
        .get("content-type")
        .map(|value| value.to_str().unwrap());
    assert_eq!(content_type, Some("application/json"), "{case}");
    assert!(
        response.body["error"].is_string(),
        "{case}: {}",
        response.text
    );
    assert_eq!(response.body["code"], code, "{case}: {}", response.text);
}

/// Everything a `/v2` request could have written for this key's organization: every group
/// with its figures.
async fn groups_snapshot(app: &TestApp, key: &str) -> Value {
    let response = app.get("/v2/groups?limit=100").key(key).send(app).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

/// Everything an `/api/v1` request could have written: users, keys and the activity log.
async fn settings_snapshot(app: &TestApp, session: &Session) -> Vec<Value> {
    let mut snapshot = Vec::new();
    for path in [
        "/api/v1/users",
        "/api/v1/api-keys",
        "/api/v1/activity?limit=100",
    ] {
        let response = app.get(path).session(session).send(app).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.text);
        snapshot.push(response.body);
    }
    snapshot
}

/// A `/v2` tree to aim at: a root group "Clients" holding one device.
async fn v2_fixture(app: &TestApp) -> (String, String, String) {
    let key = app.key("read_write").await;
    let created = app
        .post("/v2/groups", json!({"name": "Clients"}))
        .key(&key)
        .send(app)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let group = created.body["id"].as_str().unwrap().to_owned();
    let device = app
        .device(
            app.admin.organization.id,
            Some(GroupId::parse(&group).unwrap()),
            "pc-1",
        )
        .await;
    (key, group, device)
}

#[tokio::test]
async fn unparseable_group_bodies_are_a_400_on_every_v2_write_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, _) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let routes = [
        (Method::POST, "/v2/groups".to_owned()),
        (Method::PATCH, format!("/v2/groups/{group}")),
        (Method::PUT, format!("/v2/groups/{group}")),
        (Method::POST, format!("/v2/groups/{group}/devices")),
        (Method::DELETE, format!("/v2/groups/{group}/devices")),
    ];

    for (method, path) in &routes {
        for (what, body) in unparseable() {
            let response = RequestBuilder::new(method.clone(), path)
                .raw(body)
                .header("content-type", "application/json")
                .key(&key)
                .send(&app)
                .await;
            assert_refused(
                &response,
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!("{method} {path}, {what}"),
            );
        }
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn mistyped_unknown_or_missing_group_fields_are_a_400_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, device) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let create = "/v2/groups".to_owned();
    let update = format!("/v2/groups/{group}");
    let devices = format!("/v2/groups/{group}/devices");
    let cases: Vec<(&str, Method, &String, Value)> = vec![
        (
            "name is a number",
            Method::POST,
            &create,
            json!({"name": 5}),
        ),
        ("name is null", Method::POST, &create, json!({"name": null})),
        (
            "name is an object",
            Method::POST,
            &create,
            json!({"name": {"text": "x"}}),
        ),
        (
            "parent_id is a number",
            Method::POST,
            &create,
            json!({"name": "x", "parent_id": 5}),
        ),
        (
            "parent_id is an array",
            Method::POST,
            &create,
            json!({"name": "x", "parent_id": [group]}),
        ),
        (
            "a misspelt field",
            Method::POST,
            &create,
            json!({"name": "x", "nmae": "y"}),
        ),
        (
            "custom fields",
            Method::POST,
            &create,
            json!({"name": "x", "custom_fields": {}}),
        ),
        ("name is missing", Method::POST, &create, json!({})),
        (
            "only parent_id",
            Method::POST,
            &create,
            json!({"parent_id": group}),
        ),
        (
            "new name is a number",
            Method::PATCH,
            &update,
            json!({"name": 5}),
        ),
        (
            "new name is a boolean",
            Method::PUT,
            &update,
            json!({"name": true}),
        ),
        (
            "new parent is a number",
            Method::PATCH,
            &update,
            json!({"parent_id": 7}),
        ),
        (
            "a misspelt update",
            Method::PATCH,
            &update,
            json!({"name": "x", "nmae": "y"}),
        ),
        (
            "a misspelt PUT",
            Method::PUT,
            &update,
            json!({"parent": null}),
        ),
        (
            "device_ids is a string",
            Method::POST,
            &devices,
            json!({"device_ids": device}),
        ),
        (
            "device_ids holds a number",
            Method::POST,
            &devices,
            json!({"device_ids": [5]}),
        ),
        (
            "device_ids is null",
            Method::DELETE,
            &devices,
            json!({"device_ids": null}),
        ),
        ("device_ids is missing", Method::POST, &devices, json!({})),
        (
            "device_ids is missing on remove",
            Method::DELETE,
            &devices,
            json!({}),
        ),
        (
            "a misspelt device field",
            Method::POST,
            &devices,
            json!({"devices": [device]}),
        ),
        (
            "an extra device field",
            Method::DELETE,
            &devices,
            json!({"device_ids": [device], "all": true}),
        ),
    ];

    for (what, method, path, body) in cases {
        let response = RequestBuilder::new(method.clone(), path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::BAD_REQUEST,
            "bad_request",
            &format!("{method} {path}, {what}"),
        );
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn an_array_holding_the_fields_in_order_is_not_an_object_and_is_a_400() {
    let app = TestApp::new().await;
    let (key, group, device) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let cases = [
        (Method::POST, "/v2/groups".to_owned(), json!([])),
        (Method::PATCH, format!("/v2/groups/{group}"), json!([])),
        (Method::PUT, format!("/v2/groups/{group}"), json!([])),
        (Method::POST, "/v2/groups".to_owned(), json!(["Sneaky"])),
        (
            Method::POST,
            "/v2/groups".to_owned(),
            json!(["Sneaky", group]),
        ),
        (
            Method::PATCH,
            format!("/v2/groups/{group}"),
            json!(["Renamed"]),
        ),
        (
            Method::PUT,
            format!("/v2/groups/{group}"),
            json!([null, null]),
        ),
        (
            Method::POST,
            format!("/v2/groups/{group}/devices"),
            json!([[device]]),
        ),
        (
            Method::DELETE,
            format!("/v2/groups/{group}/devices"),
            json!([[device]]),
        ),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path} {body}");
        let response = RequestBuilder::new(method, &path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", &case);
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn over_long_or_blank_group_names_are_a_422_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, _) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let update = format!("/v2/groups/{group}");
    let cases = [
        (Method::POST, "/v2/groups", json!({"name": "x".repeat(201)})),
        (Method::POST, "/v2/groups", json!({"name": "ü".repeat(201)})),
        (
            Method::POST,
            "/v2/groups",
            json!({"name": "x".repeat(10_000)}),
        ),
        (Method::POST, "/v2/groups", json!({"name": ""})),
        (Method::POST, "/v2/groups", json!({"name": " \t "})),
        (
            Method::PATCH,
            update.as_str(),
            json!({"name": "x".repeat(201)}),
        ),
        (
            Method::PUT,
            update.as_str(),
            json!({"name": "x".repeat(201)}),
        ),
        (Method::PATCH, update.as_str(), json!({"name": ""})),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path} with {} bytes", body.to_string().len());
        let response = RequestBuilder::new(method, path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            &case,
        );
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn a_body_over_64_kib_is_a_413_on_v2_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (key, group, device) = v2_fixture(&app).await;
    let before = groups_snapshot(&app, &key).await;
    let huge = "x".repeat(LIMIT);
    let many_ids: Vec<String> = (0..2000).map(|_| device.clone()).collect();
    let cases = [
        (Method::POST, "/v2/groups".to_owned(), json!({"name": huge})),
        (
            Method::PATCH,
            format!("/v2/groups/{group}"),
            json!({"name": huge}),
        ),
        (
            Method::PUT,
            format!("/v2/groups/{group}"),
            json!({"name": huge}),
        ),
        (
            Method::POST,
            format!("/v2/groups/{group}/devices"),
            json!({"device_ids": many_ids}),
        ),
        (
            Method::DELETE,
            format!("/v2/groups/{group}/devices"),
            json!({"device_ids": many_ids}),
        ),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path}");
        let response = RequestBuilder::new(method, &path)
            .json(body)
            .key(&key)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &case,
        );
    }

    assert_eq!(groups_snapshot(&app, &key).await, before);
}

#[tokio::test]
async fn a_body_of_exactly_64_kib_is_read_and_one_byte_more_is_a_413() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let body = |size: usize| {
        let frame = br#"{"name": ""}"#.len();
        format!(r#"{{"name": "{}"}}"#, "x".repeat(size - frame)).into_bytes()
    };
    assert_eq!(body(LIMIT).len(), LIMIT);

    let at_the_limit = RequestBuilder::new(Method::POST, "/v2/groups")
        .raw(body(LIMIT))
        .key(&key)
        .send(&app)
        .await;
    let over_the_limit = RequestBuilder::new(Method::POST, "/v2/groups")
        .raw(body(LIMIT + 1))
        .key(&key)
        .send(&app)
        .await;

    assert_refused(
        &at_the_limit,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "at the limit",
    );
    assert_refused(
        &over_the_limit,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "over the limit",
    );
    assert_eq!(
        groups_snapshot(&app, &key).await,
        json!({"data": [], "has_more": false})
    );
}

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
        "/v2/devices".to_owned(),
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
async fn unparseable_or_mistyped_api_key_bodies_are_a_400_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;
    let edit = format!("/api/v1/api-keys/{id}");
    let edit = edit.as_str();
    let mut cases: Vec<(String, Method, &str, Vec<u8>)> = Vec::new();
    for (what, body) in unparseable() {
        cases.push((
            what.to_owned(),
            Method::POST,
            "/api/v1/api-keys",
            body.clone(),
        ));
        cases.push((what.to_owned(), Method::PATCH, edit, body.clone()));
        cases.push((what.to_owned(), Method::PUT, edit, body));
    }
    let typed: Vec<(&str, Method, &str, Value)> = vec![
        (
            "description is a number",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": 5, "access": "read_only"}),
        ),
        (
            "access is unknown",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x", "access": "admin"}),
        ),
        (
            "access is upper case",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x", "access": "READ_ONLY"}),
        ),
        (
            "access is missing",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x"}),
        ),
        (
            "description is missing",
            Method::POST,
            "/api/v1/api-keys",
            json!({"access": "read_only"}),
        ),
        ("nothing", Method::POST, "/api/v1/api-keys", json!({})),
        (
            "a misspelt field",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x", "access": "read_only", "acess": "read_write"}),
        ),
        (
            "a key value",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "x", "access": "read_only", "key": "plumb_x"}),
        ),
        (
            "new access is unknown",
            Method::PATCH,
            edit,
            json!({"access": "everything"}),
        ),
        (
            "new access is a boolean",
            Method::PATCH,
            edit,
            json!({"access": true}),
        ),
        (
            "new description is a list",
            Method::PUT,
            edit,
            json!({"description": ["x"]}),
        ),
        (
            "a misspelt edit",
            Method::PATCH,
            edit,
            json!({"acess": "read_write"}),
        ),
    ];
    for (what, method, path, body) in typed {
        cases.push((
            what.to_owned(),
            method,
            path,
            serde_json::to_vec(&body).unwrap(),
        ));
    }

    for (what, method, path, body) in cases {
        let response = RequestBuilder::new(method.clone(), path)
            .raw(body)
            .header("content-type", "application/json")
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::BAD_REQUEST,
            "bad_request",
            &format!("{method} {path}, {what}"),
        );
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}

#[tokio::test]
async fn unparseable_or_mistyped_user_bodies_are_a_400_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let before = settings_snapshot(&app, &admin).await;
    let mut cases: Vec<(String, Vec<u8>)> = unparseable()
        .into_iter()
        .map(|(what, body)| (what.to_owned(), body))
        .collect();
    let typed = [
        (
            "email is a number",
            json!({"email": 5, "name": "X", "role": "technician"}),
        ),
        (
            "role is unknown",
            json!({"email": "x@acme.test", "name": "X", "role": "superuser"}),
        ),
        (
            "role is missing",
            json!({"email": "x@acme.test", "name": "X"}),
        ),
        (
            "name is missing",
            json!({"email": "x@acme.test", "role": "technician"}),
        ),
        (
            "permissions is a string",
            json!({
                "email": "x@acme.test", "name": "X", "role": "technician", "permissions": "settings"
            }),
        ),
        (
            "permissions holds an unknown flag",
            json!({
                "email": "x@acme.test", "name": "X", "role": "technician", "permissions": ["root"]
            }),
        ),
        (
            "password is a number",
            json!({
                "email": "x@acme.test", "name": "X", "role": "technician", "password": 1234567890
            }),
        ),
        (
            "a misspelt field",
            json!({
                "email": "x@acme.test", "name": "X", "role": "technician", "rolle": "admin"
            }),
        ),
        (
            "an organization",
            json!({"email": "x@acme.test", "name": "X", "role": "admin", "organization_id": "x"}),
        ),
    ];
    for (what, body) in typed {
        cases.push((what.to_owned(), serde_json::to_vec(&body).unwrap()));
    }

    for (what, body) in cases {
        let response = RequestBuilder::new(Method::POST, "/api/v1/users")
            .raw(body)
            .header("content-type", "application/json")
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", &what);
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}

#[tokio::test]
async fn over_long_or_blank_text_on_api_v1_is_a_422_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;
    let edit = format!("/api/v1/api-keys/{id}");
    let edit = edit.as_str();
    let user = |email: String, name: String, password: Option<String>| {
        json!({
            "email": email, "name": name, "role": "technician", "password": password
        })
    };
    let cases: Vec<(&str, Method, &str, Value)> = vec![
        (
            "a long description",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "d".repeat(201), "access": "read_only"}),
        ),
        (
            "a blank description",
            Method::POST,
            "/api/v1/api-keys",
            json!({"description": "  ", "access": "read_only"}),
        ),
        (
            "a long new description",
            Method::PATCH,
            edit,
            json!({"description": "d".repeat(201)}),
        ),
        (
            "a long PUT description",
            Method::PUT,
            edit,
            json!({"description": "ß".repeat(201)}),
        ),
        (
            "a blank new description",
            Method::PATCH,
            edit,
            json!({"description": ""}),
        ),
        (
            "a long user name",
            Method::POST,
            "/api/v1/users",
            user("x@acme.test".to_owned(), "n".repeat(201), None),
        ),
        (
            "a blank user name",
            Method::POST,
            "/api/v1/users",
            user("x@acme.test".to_owned(), " ".to_owned(), None),
        ),
        (
            "a long email",
            Method::POST,
            "/api/v1/users",
            user(
                format!("{}@acme.test", "e".repeat(250)),
                "X".to_owned(),
                None,
            ),
        ),
        (
            "a long password",
            Method::POST,
            "/api/v1/users",
            user(
                "x@acme.test".to_owned(),
                "X".to_owned(),
                Some("p".repeat(1025)),
            ),
        ),
    ];

    for (what, method, path, body) in cases {
        let response = RequestBuilder::new(method, path)
            .json(body)
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            what,
        );
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
}

#[tokio::test]
async fn a_body_over_64_kib_is_a_413_on_api_v1_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;
    let huge = "x".repeat(LIMIT);
    let cases = [
        (
            Method::POST,
            "/api/v1/api-keys".to_owned(),
            json!({"description": huge, "access": "read_only"}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/api-keys/{id}"),
            json!({"description": huge}),
        ),
        (
            Method::POST,
            "/api/v1/users".to_owned(),
            json!({"email": "x@acme.test", "name": huge, "role": "admin"}),
        ),
        (
            Method::POST,
            "/api/v1/session".to_owned(),
            json!({"email": ADMIN_EMAIL, "password": huge}),
        ),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path}");
        let response = RequestBuilder::new(method, &path)
            .json(body)
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(
            &response,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &case,
        );
        assert!(response.headers.get("set-cookie").is_none(), "{case}");
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
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
async fn mistyped_sign_in_bodies_are_a_400_without_a_session_a_log_entry_or_a_throttle_strike() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let before = settings_snapshot(&app, &admin).await;
    let mut cases: Vec<(String, Vec<u8>)> = unparseable()
        .into_iter()
        .map(|(what, body)| (what.to_owned(), body))
        .collect();
    let typed = [
        (
            "email is a number",
            json!({"email": 5, "password": PASSWORD}),
        ),
        (
            "password is a number",
            json!({"email": ADMIN_EMAIL, "password": 1234567890}),
        ),
        (
            "password is a list",
            json!({"email": ADMIN_EMAIL, "password": [PASSWORD]}),
        ),
        (
            "email is null",
            json!({"email": null, "password": PASSWORD}),
        ),
        ("password is missing", json!({"email": ADMIN_EMAIL})),
        ("email is missing", json!({"password": PASSWORD})),
        ("nothing", json!({})),
        (
            "a misspelt field",
            json!({"email": ADMIN_EMAIL, "password": PASSWORD, "remember": true}),
        ),
    ];
    for (what, body) in typed {
        cases.push((what.to_owned(), serde_json::to_vec(&body).unwrap()));
    }

    for (what, body) in cases {
        let response = RequestBuilder::new(Method::POST, "/api/v1/session")
            .raw(body)
            .header("content-type", "application/json")
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", &what);
        assert!(response.headers.get("set-cookie").is_none(), "{what}");
    }

    assert_eq!(settings_snapshot(&app, &admin).await, before);
    app.sign_in(ADMIN_EMAIL, PASSWORD).await;
}

#[tokio::test]
async fn an_array_body_on_api_v1_is_a_400_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let (id, _) = app.create_key(&admin, "Existing", "read_only").await;
    let before = settings_snapshot(&app, &admin).await;
    let edit = format!("/api/v1/api-keys/{id}");
    let cases = [
        (Method::POST, "/api/v1/api-keys", json!([])),
        (
            Method::POST,
            "/api/v1/api-keys",
            json!(["Sneaky", "read_write"]),
        ),
        (Method::PATCH, edit.as_str(), json!([])),
        (Method::PUT, edit.as_str(), json!([])),
        (
            Method::PATCH,
            edit.as_str(),
            json!(["Renamed", "read_write"]),
        ),
        (Method::POST, "/api/v1/users", json!([])),
        (
            Method::POST,
            "/api/v1/users",
            json!(["sneaky@acme.test", "Sneaky", "admin"]),
        ),
        (Method::POST, "/api/v1/session", json!([])),
        (
            Method::POST,
            "/api/v1/session",
            json!([ADMIN_EMAIL, "wrong password!"]),
        ),
    ];

    for (method, path, body) in cases {
        let case = format!("{method} {path} {body}");
        let response = RequestBuilder::new(method, path)
            .json(body)
            .session(&admin)
            .send(&app)
            .await;
        assert_refused(&response, StatusCode::BAD_REQUEST, "bad_request", &case);
        assert!(response.headers.get("set-cookie").is_none(), "{case}");
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
