//! Settings → API keys, `/settings/api-keys`: the page frame, dialogs and row template. The
//! list itself is loaded by `static/api-keys.js` from `GET /api/v1/api-keys` (which also serves
//! live search), so rows are rendered in one place only.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::accounts::may_use_settings;

use super::{Nav, PageMeta, Shell, problem, render};
use crate::auth::session::SignedIn;

#[derive(Template)]
#[template(path = "api_keys.html")]
struct ApiKeysPage {
    page: PageMeta,
    shell: Shell,
}

/// `GET /settings/api-keys`
pub async fn api_keys_page(signed_in: SignedIn) -> Response {
    if !may_use_settings(signed_in.user()) {
        return problem::needs_settings(&signed_in);
    }
    let page = ApiKeysPage {
        page: PageMeta {
            title: "API keys",
            script: Some("api-keys.js"),
        },
        shell: Shell::new(&signed_in, Nav::ApiKeys),
    };
    render(StatusCode::OK, &page)
}
