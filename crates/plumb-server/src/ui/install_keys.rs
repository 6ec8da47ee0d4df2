//! Settings → Install keys, `/settings/install-keys`: the live install keys, masked, with the
//! group their devices join, and Revoke. `static/install-keys.js` loads the list from
//! `GET /api/v1/install-keys`; keys are created (and their command shown once) under
//! Devices → Add devices.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::accounts::may_use_settings;

use super::{Nav, PageMeta, Shell, problem, render};
use crate::auth::session::SignedIn;

#[derive(Template)]
#[template(path = "install_keys.html")]
struct InstallKeysPage {
    page: PageMeta,
    shell: Shell,
}

/// `GET /settings/install-keys`
pub async fn install_keys_page(signed_in: SignedIn) -> Response {
    if !may_use_settings(signed_in.user()) {
        return problem::needs_settings(&signed_in);
    }
    let page = InstallKeysPage {
        page: PageMeta {
            title: "Install keys",
            script: Some("install-keys.js"),
        },
        shell: Shell::new(&signed_in, Nav::InstallKeys),
    };
    render(StatusCode::OK, &page)
}
