//! Bad input on both surfaces: malformed or mistyped bodies are a 400, rule-breaking values a
//! 422, oversized bodies a 413, bad ids and unknown routes a 404, bad query values a 400; all
//! in our `{"error", "code"}` envelope, never a 500, and never with anything written.

use axum::http::StatusCode;
use plumb_core::id::GroupId;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, TestResponse};

mod lengths;
mod paths;
mod sign_in;
mod sizes;
mod v1_bodies;
mod v2_bodies;

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
