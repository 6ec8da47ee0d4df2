//! Every page under the strict Content-Security-Policy: the header and its companions on every
//! page, and no markup that the policy would block (inline script, style attributes, inline
//! event handlers).

use axum::http::StatusCode;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};

use crate::helpers::{Session, TestApp};
use crate::ui_support::{ADMIN_PAGES, page, plain_technician};

const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Every kind of page, with the session to ask for it with.
async fn every_page(app: &TestApp) -> Vec<(String, Option<Session>)> {
    let admin = app.admin_session().await;
    let technician = plain_technician(app).await;
    let link = app.app.setup_link.as_deref().unwrap();
    let setup_token = link.split("token=").nth(1).unwrap();
    let mut pages: Vec<(String, Option<Session>)> = vec![
        ("/login".to_owned(), None),
        (format!("/setup?token={setup_token}"), None),
        (format!("/set-password?token={}", "A".repeat(43)), None),
        ("/set-password?token=bad".to_owned(), None),
        ("/no/such/page".to_owned(), None),
        ("/settings/api-keys".to_owned(), Some(technician.clone())),
        ("/settings/users".to_owned(), Some(technician)),
    ];
    pages.extend(ADMIN_PAGES.map(|path| (path.to_owned(), Some(admin.clone()))));
    pages
}

#[tokio::test]
async fn every_page_sends_the_strict_policy_and_the_security_headers() {
    let app = TestApp::new().await;

    for (path, session) in every_page(&app).await {
        let response = page(&app, &path, session.as_ref()).await;

        assert!(
            response.status != StatusCode::SEE_OTHER,
            "{path} redirected"
        );
        let policy = response.headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert_eq!(policy, POLICY, "{path}");
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"));
        assert_eq!(response.headers[X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(
            response.headers[X_CONTENT_TYPE_OPTIONS], "nosniff",
            "{path}"
        );
        assert_eq!(response.headers[REFERRER_POLICY], "no-referrer", "{path}");
        assert_eq!(response.headers[CACHE_CONTROL], "no-store", "{path}");
    }
}

#[tokio::test]
async fn no_page_holds_inline_script_style_attributes_or_event_handlers() {
    let app = TestApp::new().await;

    for (path, session) in every_page(&app).await {
        let html = page(&app, &path, session.as_ref()).await.text;

        for script in html.split("<script").skip(1) {
            let (tag, rest) = script.split_once('>').unwrap();
            assert!(
                tag.contains(" src=\"/static/"),
                "{path}: inline script {tag}"
            );
            assert!(rest.starts_with("</script>"), "{path}: script with a body");
        }
        assert!(!html.contains("<style"), "{path}: <style> element");
        assert!(!html.contains(" style="), "{path}: style attribute");
        assert!(!html.contains("javascript:"), "{path}: javascript: URL");
        let lower = html.to_lowercase();
        for handler in [
            " onclick=",
            " onload=",
            " onerror=",
            " onsubmit=",
            " oninput=",
        ] {
            assert!(!lower.contains(handler), "{path}: inline handler {handler}");
        }
    }
}
