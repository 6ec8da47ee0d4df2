//! The page gate: a web UI page that needs a session answers `303 See Other` to
//! `/login?next=<path>` when there is none, so the person lands back where they were going after
//! signing in. `/api/v1` and `/v2` keep their JSON 401s ([`super::session`], [`super::api_key`]).
//!
//! Pages are GET only, so no CSRF token is checked here; the scripts a page loads send the token
//! on their `/api/v1` writes.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::session::signed_in;
use crate::state::AppState;
use crate::ui::{encode_query_value, problem, see_other};

/// Middleware guarding every page that needs a session.
#[tracing::instrument(name = "auth.page", skip_all)]
pub async fn require_page_session(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    match signed_in(&state, &parts).await {
        Ok(Some(signed_in)) => {
            parts.extensions.insert(signed_in);
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(None) => {
            let wanted = parts.uri.path_and_query().map_or("/", |path| path.as_str());
            see_other(&login_url(wanted))
        }
        Err(error) => problem::server_error(error).into_response(),
    }
}

/// `/login?next=<wanted>`.
pub fn login_url(wanted: &str) -> String {
    format!("/login?next={}", encode_query_value(wanted))
}
