//! The sign-in page, `/login?next=`. With script, `static/login.js` posts the form to
//! `POST /api/v1/session`; without, the browser posts it to `POST /login`, which sets the same
//! session cookie and answers `303` to `next` (a path on this server only) or to `/`, which
//! leads on to the person's first page, or shows the form again with the reason. Someone
//! already signed in goes straight on. Both sign-ins are refused from other sites
//! (`crate::auth::origin`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::response::Response;
use secrecy::SecretString;
use serde::Deserialize;

use super::problem::{self, sentence};
use super::{HOME, PageMeta, local_path, render, see_other};
use crate::auth::session::{session_cookie_header, signed_in};
use crate::error::ApiError;
use crate::extract::ClientInfo;
use crate::state::AppState;

/// `?next=` of the sign-in page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// The sign-in form's fields, as a browser without script posts them.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageMeta,
    next: String,
    setup_pending: bool,
    email: String,
    error: Option<String>,
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
        email: String::new(),
        error: None,
    };
    render(StatusCode::OK, &page)
}

/// `POST /login`
pub async fn submit_login(
    State(state): State<AppState>,
    client: ClientInfo,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = local_path(form.next.as_deref()).unwrap_or(HOME).to_owned();
    let password = SecretString::from(form.password);
    let signed_in = state
        .accounts
        .sign_in(&form.email, password, client.ip, state.clock.now())
        .await;
    let error = match signed_in.map_err(ApiError::from) {
        Ok(signed_in) => match session_cookie_header(&state.web, Some(&signed_in.token)) {
            Ok(cookie) => {
                let mut response = see_other(&next);
                response.headers_mut().insert(SET_COOKIE, cookie);
                return response;
            }
            Err(error) => error,
        },
        Err(error) => error,
    };
    let (status, _) = error.status_and_code();
    if status.is_server_error() {
        return problem::server_error(error);
    }
    let retry_after = match &error {
        ApiError::Throttled(seconds) => Some(*seconds),
        _ => None,
    };
    let message = match error {
        ApiError::Throttled(seconds) => format!(
            "Too many failed attempts. Wait {} minute(s), then try again.",
            seconds.div_ceil(60)
        ),
        ApiError::Unauthenticated(_) => {
            "That email and password don't match an account. Check them and try again.".to_owned()
        }
        other => sentence(&other.to_string()),
    };
    let page = LoginPage {
        page: PageMeta {
            title: "Sign in",
            script: Some("login.js"),
        },
        next,
        setup_pending: state.setup.is_open(),
        email: form.email,
        error: Some(message),
    };
    let mut response = render(status, &page);
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(RETRY_AFTER, seconds.into());
    }
    response
}
