//! Settings → Activity, `/settings/activity`: the page frame; `static/activity.js` pages through
//! `GET /api/v1/activity` ("Load more") and filters what it loaded by kind and text.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::accounts::may_use_settings;

use super::{Nav, PageMeta, Shell, problem, render};
use crate::auth::session::SignedIn;

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    page: PageMeta,
    shell: Shell,
}

/// `GET /settings/activity`
pub async fn activity_page(signed_in: SignedIn) -> Response {
    if !may_use_settings(signed_in.user()) {
        return problem::needs_settings(&signed_in);
    }
    let page = ActivityPage {
        page: PageMeta {
            title: "Activity",
            script: Some("activity.js"),
        },
        shell: Shell::new(&signed_in, Nav::Activity),
    };
    render(StatusCode::OK, &page)
}
