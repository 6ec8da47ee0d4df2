//! The sign-in page, `/login?next=`. The form is posted by `static/login.js` to
//! `POST /api/v1/session`; on success the script goes to `next` (a path on this server only) or
//! to `/`, which leads on to the person's first page. Someone already signed in goes straight on.

use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{HOME, PageMeta, local_path, render, see_other};
use crate::auth::session::signed_in;
use crate::state::AppState;

/// `?next=` of the sign-in page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageMeta,
    next: String,
    setup_pending: bool,
}

/// `GET /login`
pub async fn login_page(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
    request: Request,
) -> Response {
    let next = local_path(query.next.as_deref()).unwrap_or(HOME).to_owned();
    let (parts, _) = request.into_parts();
    // A store failure here only costs the shortcut: the form still works.
    if let Ok(Some(_)) = signed_in(&state, &parts).await {
        return see_other(&next);
    }
    let page = LoginPage {
        page: PageMeta {
            title: "Sign in",
            script: Some("login.js"),
        },
        next,
        setup_pending: state.setup.is_open(),
    };
    render(StatusCode::OK, &page)
}
