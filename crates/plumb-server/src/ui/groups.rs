//! Groups, for everyone signed in: `/groups`, the organization's group tree with New group,
//! Edit (rename, move under another parent) and Delete. `static/groups-page.js` loads
//! `GET /api/v1/groups` and writes through `POST`, `PATCH` and `DELETE /api/v1/groups`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Nav, PageMeta, Shell, render};
use crate::auth::session::SignedIn;

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    page: PageMeta,
    shell: Shell,
}

/// `GET /groups`
pub async fn groups_page(signed_in: SignedIn) -> Response {
    let page = GroupsPage {
        page: PageMeta {
            title: "Groups",
            script: Some("groups-page.js"),
        },
        shell: Shell::new(&signed_in, Nav::Groups),
    };
    render(StatusCode::OK, &page)
}
