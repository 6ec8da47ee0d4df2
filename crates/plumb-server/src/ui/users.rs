//! Settings → Users, `/settings/users` (administrators): the page frame and dialogs; the list
//! and every change go through `GET`, `POST` and `PATCH /api/v1/users` from `static/users.js`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::Role;

use super::{Nav, PageMeta, Shell, problem, render};
use crate::auth::session::SignedIn;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: PageMeta,
    shell: Shell,
    /// The signed-in administrator's id: their own row offers no actions (the API refuses
    /// self-demotion and self-disabling anyway).
    me: String,
}

/// `GET /settings/users`
pub async fn users_page(signed_in: SignedIn) -> Response {
    if signed_in.user().role != Role::Admin {
        return problem::needs_admin(&signed_in);
    }
    let page = UsersPage {
        page: PageMeta {
            title: "Users",
            script: Some("users.js"),
        },
        me: signed_in.user().id.to_string(),
        shell: Shell::new(&signed_in, Nav::Users),
    };
    render(StatusCode::OK, &page)
}
