//! Walks the route table: every route that is not public must refuse a request without
//! credentials, whatever its method and path: 401 on the APIs, a redirect to the sign-in page
//! (which brings the person back) for web pages.

use axum::http::StatusCode;
use axum::http::header::LOCATION;
use plumb_server::routes::{Guard, table};

use crate::helpers::{RequestBuilder, TestApp};

#[tokio::test]
async fn every_non_public_route_refuses_a_request_without_credentials() {
    let app = TestApp::new().await;
    let mut checked = 0;

    for route in table() {
        if route.guard == Guard::Public {
            continue;
        }
        let path = route.path.replace("{id}", &uuid_like());
        if route.guard == Guard::Page {
            let response = RequestBuilder::new(route.method.clone(), &path)
                .send(&app)
                .await;
            assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", route.path);
            assert_eq!(
                response.headers[LOCATION],
                format!("/login?next={path}"),
                "{}",
                route.path
            );
            checked += 1;
            continue;
        }
        let response = RequestBuilder::new(route.method.clone(), &path)
            .json(serde_json::json!({}))
            .send(&app)
            .await;
        if route.guard == Guard::Token {
            // The credential travels in the request: no install key is 401, an unknown
            // trigger token is 404 (as Level answers).
            assert!(
                [StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND].contains(&response.status),
                "{} {} answered {}",
                route.method,
                route.path,
                response.status
            );
            checked += 1;
            continue;
        }
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "{} {} answered {}",
            route.method,
            route.path,
            response.status
        );
        if route.guard == Guard::ApiKey {
            assert_eq!(
                response.body["error"], "Access denied",
                "{} {}",
                route.method, route.path
            );
        }
        checked += 1;
    }

    assert!(checked >= 25, "only {checked} guarded routes found");
}

#[tokio::test]
async fn the_public_routes_are_exactly_health_sign_in_assets_setup_password_and_openapi() {
    let public: Vec<String> = table()
        .into_iter()
        .filter(|route| route.guard == Guard::Public)
        .map(|route| format!("{} {}", route.method, route.path))
        .collect();
    assert_eq!(
        public,
        [
            "GET /healthz",
            "GET /readyz",
            "GET /login",
            "GET /static/{file}",
            "GET /setup",
            "POST /setup",
            "GET /set-password",
            "POST /set-password",
            "GET /api/v1/openapi.json",
            "POST /api/v1/setup",
            "POST /api/v1/password",
            "POST /api/v1/session",
            "GET /v2/openapi.json",
        ]
    );
}

#[tokio::test]
async fn every_page_is_a_get_behind_the_page_guard_and_every_api_route_keeps_its_guard() {
    for route in table() {
        let api = ["/api/", "/v2/", "/agent/"]
            .iter()
            .any(|prefix| route.path.starts_with(prefix));
        if route.guard == Guard::Page {
            assert!(
                !api,
                "{} {} must answer 401, not redirect",
                route.method, route.path
            );
            assert_eq!(route.method, axum::http::Method::GET, "{}", route.path);
        }
    }
}

#[tokio::test]
async fn every_v2_route_is_guarded_by_an_api_key() {
    for route in table() {
        // The trigger's token is its credential; the OpenAPI document is public.
        if route.path.starts_with("/v2/")
            && route.path != "/v2/automations/webhooks/{token}"
            && route.path != "/v2/openapi.json"
        {
            assert_eq!(
                route.guard,
                Guard::ApiKey,
                "{} {}",
                route.method,
                route.path
            );
        }
    }
}

fn uuid_like() -> String {
    plumb_core::id::GroupId::new().to_string()
}
