//! Writes and sign-ins from other sites: refused with 403 `cross_origin` before anything
//! happens; `/api/v1` bodies must be JSON (415); plumb's own pages, the CLI (no `Origin`) and
//! `/v2` from anywhere keep working. SECURITY.md describes the model.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, RequestBuilder, TestApp};

const EVIL: &str = "http://evil.test";
/// The default public URL's origin (`http://<listen>`).
const OWN: &str = "http://127.0.0.1:8080";

fn sign_in_body() -> String {
    json!({"email": ADMIN_EMAIL, "password": PASSWORD}).to_string()
}

#[tokio::test]
async fn a_cross_site_form_cannot_sign_anyone_in() {
    let app = TestApp::new().await;
    let cases = [
        ("text/plain", Some(("origin", EVIL))),
        ("application/json", Some(("origin", EVIL))),
        ("text/plain", Some(("sec-fetch-site", "cross-site"))),
        ("application/json", Some(("sec-fetch-site", "same-site"))),
        ("application/json", Some(("origin", "null"))),
    ];
    for (content_type, from) in cases {
        let mut request = RequestBuilder::new(Method::POST, "/api/v1/session")
            .raw(sign_in_body())
            .header("content-type", content_type)
            .header("host", "127.0.0.1:8080");
        if let Some((name, value)) = from {
            request = request.header(name, value);
        }
        let response = request.send(&app).await;
        let case = format!("{content_type} {from:?}");
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{case}: {}",
            response.text
        );
        assert_eq!(response.body["code"], "cross_origin", "{case}");
        assert!(response.headers.get("set-cookie").is_none(), "{case}");
    }
}

#[tokio::test]
async fn a_sign_in_body_that_is_not_json_is_refused_with_415() {
    let app = TestApp::new().await;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = RequestBuilder::new(Method::POST, "/api/v1/session").raw(sign_in_body());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send(&app).await;
        assert_eq!(
            response.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert_eq!(response.body["code"], "unsupported_media_type");
        assert!(response.headers.get("set-cookie").is_none());
    }
}

#[tokio::test]
async fn plumbs_own_pages_and_clients_without_an_origin_sign_in() {
    let app = TestApp::new().await;
    let cases = [
        vec![("origin", OWN)],
        vec![
            ("origin", "http://plumb.lan:8080"),
            ("host", "plumb.lan:8080"),
        ],
        vec![("sec-fetch-site", "same-origin"), ("origin", OWN)],
        vec![],
    ];
    for headers in cases {
        let mut request = RequestBuilder::new(Method::POST, "/api/v1/session")
            .raw(sign_in_body())
            .header("content-type", "application/json; charset=utf-8");
        for (name, value) in &headers {
            request = request.header(name, value);
        }
        let response = request.send(&app).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{headers:?}: {}",
            response.text
        );
    }
}

#[tokio::test]
async fn a_write_with_a_valid_csrf_token_from_another_site_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;

    let refused = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "Evil", "access": "read_write"}),
        )
        .session(&admin)
        .header("origin", EVIL)
        .send(&app)
        .await;
    let accepted = app
        .post(
            "/api/v1/api-keys",
            json!({"description": "Mine", "access": "read_only"}),
        )
        .session(&admin)
        .header("origin", OWN)
        .send(&app)
        .await;

    assert_eq!(
        refused.error(StatusCode::FORBIDDEN),
        "cross-origin request refused: this must come from plumb's own pages"
    );
    assert_eq!(refused.body["code"], "cross_origin");
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.text);
    let list = app.get("/api/v1/api-keys").session(&admin).send(&app).await;
    let descriptions: Vec<&str> = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions, ["Mine"]);
}

#[tokio::test]
async fn v2_stays_usable_from_any_origin() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;

    let response = app
        .post("/v2/groups", json!({"name": "From a browser elsewhere"}))
        .key(&key)
        .header("origin", EVIL)
        .header("sec-fetch-site", "cross-site")
        .send(&app)
        .await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
}

#[tokio::test]
async fn the_login_form_signs_in_without_script_from_plumbs_own_page_only() {
    let app = TestApp::new().await;
    let form = format!(
        "email={}&password={}&next=%2Fsettings%2Fapi-keys",
        ADMIN_EMAIL.replace('@', "%40"),
        PASSWORD.replace(' ', "+")
    );
    let post = |origin: &'static str, body: String| {
        RequestBuilder::new(Method::POST, "/login")
            .raw(body)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin)
            .header("host", "127.0.0.1:8080")
    };

    let foreign = post(EVIL, form.clone()).send(&app).await;
    let wrong = post(OWN, form.replace("staple", "stapler"))
        .send(&app)
        .await;
    let own = post(OWN, form).send(&app).await;

    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(foreign.body["code"], "cross_origin");
    assert!(foreign.headers.get("set-cookie").is_none());
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("match an account"), "{}", wrong.text);
    assert!(wrong.text.contains(ADMIN_EMAIL), "the email is kept");
    assert!(wrong.headers.get("set-cookie").is_none());
    assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.text);
    assert_eq!(own.headers["location"], "/settings/api-keys");
    let cookie = own.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("plumb_session=") && cookie.contains("HttpOnly"));
}

#[tokio::test]
async fn every_write_outside_v2_and_the_agent_protocol_is_refused_from_another_site() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let mut checked = 0;

    for route in plumb_server::routes::table() {
        let key_surface = route.path.starts_with("/v2/") || route.path.starts_with("/agent/");
        // Revoking a key by its value needs no cookie and is open to every site (tested in
        // api_keys::revocation).
        let revocation = route.path == "/api/v1/api-keys/revoke";
        if route.method == Method::GET || key_surface || revocation {
            continue;
        }
        let path = route
            .path
            .replace("{id}", "00000000-0000-7000-8000-000000000000");
        let response = RequestBuilder::new(route.method.clone(), &path)
            .json(json!({}))
            .session(&admin)
            .header("origin", EVIL)
            .send(&app)
            .await;
        let case = format!("{} {}", route.method, route.path);
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{case}: {}",
            response.text
        );
        assert_eq!(response.body["code"], "cross_origin", "{case}");
        checked += 1;
    }

    assert!(checked >= 20, "only {checked} writes");
}
