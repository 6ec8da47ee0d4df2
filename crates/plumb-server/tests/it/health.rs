use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn healthz_answers_ok_without_credentials() {
    let app = TestApp::new().await;
    let response = app.get("/healthz").send(&app).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_ready_when_the_database_answers() {
    let app = TestApp::new().await;
    let response = app.get("/readyz").send(&app).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body["status"], "ready");
}

#[tokio::test]
async fn readyz_answers_503_and_requests_get_a_generic_500_when_the_database_is_gone() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    // Break the store: a v2 miss now has to ask a closed database.
    app.app.close_database().await;

    let ready = app.get("/readyz").send(&app).await;
    let unknown_key = plumb_core::api_key::PlainApiKey::generate();
    let failed = app
        .get("/v2/groups")
        .key(unknown_key.expose())
        .send(&app)
        .await;
    let cached = app.get("/v2/groups").key(&key).send(&app).await;

    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        failed.error(StatusCode::INTERNAL_SERVER_ERROR),
        "internal error"
    );
    assert_eq!(failed.body["code"], "internal");
    assert!(
        !failed.text.to_lowercase().contains("pool"),
        "cause leaked: {}",
        failed.text
    );
    assert_eq!(
        cached.error(StatusCode::INTERNAL_SERVER_ERROR),
        "internal error"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let response = app.get("/healthz").send(&app).await;
    assert_eq!(response.headers["x-content-type-options"], "nosniff");
    assert_eq!(response.headers["x-frame-options"], "DENY");
    assert_eq!(response.headers["cache-control"], "no-store");
    let csp = response.headers["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
}

#[tokio::test]
async fn unknown_routes_get_a_json_404() {
    let app = TestApp::new().await;
    let response = app.get("/v2/nothing-here").send(&app).await;
    response.error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_method_a_route_does_not_take_gets_a_json_405() {
    let app = TestApp::new().await;
    let response = crate::helpers::RequestBuilder::new(axum::http::Method::PATCH, "/healthz")
        .send(&app)
        .await;
    response.error(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.body["code"], "method_not_allowed");
}
