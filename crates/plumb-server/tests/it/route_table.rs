//! Walks the route table: every route that is not public must refuse a request without
//! credentials, whatever its method and path: 401 on the APIs, a redirect to the sign-in page
//! (which brings the person back) for web pages. And the router serves exactly what the OpenAPI
//! documents describe: every documented operation is routed, every other method of a documented
//! path is a 405.

use axum::http::header::LOCATION;
use axum::http::{Method, StatusCode};
use plumb_server::openapi::{v1_document, v2_document};
use plumb_server::routes::{Guard, table};
use utoipa::openapi::PathItem;

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
            // trigger token is 404 (as Level answers), a revocation without a key value is
            // 400 (it needs no other credential).
            let refusals = [
                StatusCode::UNAUTHORIZED,
                StatusCode::NOT_FOUND,
                StatusCode::BAD_REQUEST,
            ];
            assert!(
                refusals.contains(&response.status),
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
async fn the_public_routes_are_exactly_health_sign_in_assets_downloads_setup_password_and_openapi()
{
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
            "POST /login",
            "GET /static/{file}",
            "GET /downloads",
            "GET /downloads/",
            "GET /downloads/SHA256SUMS",
            "GET /downloads/install.sh",
            "GET /downloads/{file}",
            "GET /setup",
            "POST /setup",
            "GET /set-password",
            "POST /set-password",
            "GET /api/v1/openapi.json",
            "POST /api/v1/password",
            "POST /api/v1/session",
            "POST /api/v1/setup",
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
            assert_eq!(route.method, Method::GET, "{}", route.path);
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

#[tokio::test]
async fn every_documented_operation_is_routed_and_every_other_method_of_its_path_is_a_405() {
    let app = TestApp::new().await;
    let mut routed = 0;

    for document in [v2_document(), v1_document()] {
        for (pattern, item) in &document.paths.paths {
            let path = pattern
                .replace("{id}", &uuid_like())
                .replace("{webhook_id}", &uuid_like())
                .replace("{token}", "plumbw_unknown");
            for method in [
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ] {
                let response = RequestBuilder::new(method.clone(), &path)
                    .json(serde_json::json!({}))
                    .send(&app)
                    .await;
                let case = format!("{method} {pattern} answered {}", response.text);
                if documents(item, &method) {
                    assert_ne!(response.status, StatusCode::METHOD_NOT_ALLOWED, "{case}");
                    assert_ne!(response.body["error"], "no such route", "{case}");
                    routed += 1;
                } else {
                    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED, "{case}");
                }
            }
        }
    }

    assert!(routed >= 60, "only {routed} documented operations found");
}

/// Whether a path item documents an operation for the method.
fn documents(item: &PathItem, method: &Method) -> bool {
    let operation = [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::DELETE, &item.delete),
    ]
    .into_iter()
    .find(|(candidate, _)| candidate == method);
    operation.is_some_and(|(_, operation)| operation.is_some())
}

fn uuid_like() -> String {
    plumb_core::id::GroupId::new().to_string()
}
