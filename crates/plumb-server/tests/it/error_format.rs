//! One error format everywhere: walks the whole route table with an oversized body, a
//! malformed body and a wrong method, signed in and with a read-write key, and checks that
//! every answer of 400 or more is our JSON envelope (`{"error": ..., "code": ...}`), made by a
//! handler or by a layer (body limit, router, extractors), and that none is a 5xx.

use axum::http::{Method, StatusCode};
use plumb_server::routes::table;
use serde_json::Value;

use crate::helpers::{RequestBuilder, TestApp, TestResponse};

/// Over every body limit of `/v2` and `/api/v1` (64 KiB), as the 70 KB of the report.
const OVERSIZED: usize = 70 * 1024;

/// Checks an answer's shape. A web page may answer with a page of its own (a person's 404),
/// every other answer of 400 or more is the envelope.
fn assert_envelope(response: &TestResponse, case: &str, page: bool) {
    assert!(
        !response.status.is_server_error(),
        "{case}: {} {}",
        response.status,
        response.text
    );
    if response.status.as_u16() < 400 {
        return;
    }
    let content_type = response
        .headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if page && content_type.starts_with("text/html") {
        return;
    }
    assert!(
        content_type.starts_with("application/json"),
        "{case}: {} with content type {content_type:?}: {}",
        response.status,
        response.text
    );
    assert!(
        response.body["error"].is_string(),
        "{case}: {}",
        response.text
    );
    assert!(
        response.body["code"].is_string(),
        "{case}: {}",
        response.text
    );
}

/// A method the path is not routed for.
fn wrong_method(path: &str, routes: &[(Method, String)]) -> Method {
    let served: Vec<&Method> = routes
        .iter()
        .filter(|(_, pattern)| pattern == path)
        .map(|(method, _)| method)
        .collect();
    // PUT is served wherever PATCH is (an update), so it is never the wrong one there.
    let aliased = |method: &Method| *method == Method::PUT && served.contains(&&Method::PATCH);
    [Method::PUT, Method::DELETE, Method::POST, Method::GET]
        .into_iter()
        .find(|method| !served.contains(&method) && !aliased(method))
        .unwrap_or(Method::OPTIONS)
}

#[tokio::test]
async fn every_route_answers_oversized_malformed_and_wrong_method_requests_in_our_format() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let key = app.key("read_write").await;
    let table = table();
    let routes: Vec<(Method, String)> = table
        .iter()
        .map(|route| (route.method.clone(), route.path.clone()))
        .collect();
    let oversized = format!(r#"{{"name": "{}"}}"#, "x".repeat(OVERSIZED));
    let mut checked = 0;

    for route in &table {
        let (method, pattern) = (&route.method, &route.path);
        let api = ["/api/", "/v2/", "/agent/"]
            .iter()
            .any(|prefix| pattern.starts_with(prefix));
        let page = !api && *method == Method::GET;
        let path = pattern
            .replace("{id}", "00000000-0000-7000-8000-000000000000")
            .replace("{token}", "plumbw_not_a_real_token")
            .replace("{file}", "missing.css");
        let signed =
            |request: RequestBuilder| request.session(&session).header("authorization", &key);
        let cases = [
            (
                "oversized",
                signed(RequestBuilder::new(method.clone(), &path))
                    .raw(oversized.clone())
                    .header("content-type", "application/json"),
            ),
            (
                "malformed",
                signed(RequestBuilder::new(method.clone(), &path))
                    .raw(r#"{"name": "#)
                    .header("content-type", "application/json"),
            ),
            (
                "wrong method",
                signed(RequestBuilder::new(wrong_method(pattern, &routes), &path)),
            ),
            (
                "unknown method",
                signed(RequestBuilder::new(
                    Method::from_bytes(b"BREW").unwrap(),
                    &path,
                )),
            ),
        ];
        for (what, request) in cases {
            let response = request.send(&app).await;
            assert_envelope(&response, &format!("{what} {method} {pattern}"), page);
            checked += 1;
        }
    }

    assert!(checked > 200, "only {checked} requests");
}

#[tokio::test]
async fn the_webhook_trigger_answers_an_oversized_body_with_413_in_our_format() {
    let app = TestApp::new().await;
    let body = format!(r#"{{"device_ids": ["{}"]}}"#, "x".repeat(OVERSIZED));

    let response = RequestBuilder::new(Method::POST, "/v2/automations/webhooks/plumbw_anything")
        .raw(body)
        .send(&app)
        .await;

    assert_eq!(
        response.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        response.text
    );
    assert_eq!(response.body["code"], "payload_too_large");
    assert_eq!(
        response.headers["content-type"].to_str().unwrap(),
        "application/json"
    );
    let _: Value = response.body;
}
