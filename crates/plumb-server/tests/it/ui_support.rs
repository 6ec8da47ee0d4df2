//! Helpers shared by the `ui_*` tests: sessions for each kind of person and page fetching.

use axum::http::StatusCode;

use crate::helpers::{PASSWORD, Session, TestApp, TestResponse};

/// The pages a signed-in administrator can open (all of them answer 200).
pub const ADMIN_PAGES: [&str; 9] = [
    "/devices",
    "/groups",
    "/alerts",
    "/automations",
    "/settings/api-keys",
    "/settings/install-keys",
    "/settings/users",
    "/settings/activity",
    "/settings/webhooks",
];

/// A technician without Settings access, signed in.
pub async fn plain_technician(app: &TestApp) -> Session {
    app.add_user("tom@acme.test", "technician", &[]).await;
    app.sign_in("tom@acme.test", PASSWORD).await
}

/// A technician with Settings access, signed in.
pub async fn settings_technician(app: &TestApp) -> Session {
    app.add_user("sam@acme.test", "technician", &["settings"])
        .await;
    app.sign_in("sam@acme.test", PASSWORD).await
}

/// `GET path` as a browser would ask for it, signed in when `session` is given.
pub async fn page(app: &TestApp, path: &str, session: Option<&Session>) -> TestResponse {
    let request = app.get(path).header("accept", "text/html");
    match session {
        Some(session) => request.header("cookie", &session.cookie),
        None => request,
    }
    .send(app)
    .await
}

/// The same, asserting the status and that the answer is an HTML page.
pub async fn html(
    app: &TestApp,
    path: &str,
    session: Option<&Session>,
    status: StatusCode,
) -> String {
    let response = page(app, path, session).await;
    assert_eq!(response.status, status, "{path}: {}", response.text);
    let content_type = response.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("text/html"),
        "{path}: {content_type}"
    );
    response.text
}

/// Every `/static/...` URL an HTML page references.
pub fn asset_urls(html: &str) -> Vec<String> {
    html.split("\"/static/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|file| format!("/static/{file}"))
        .collect()
}
