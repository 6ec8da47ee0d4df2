//! Sign-in and sign-out: `POST`, `GET` and `DELETE /api/v1/session`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use plumb_core::{crypto, token};
use plumb_proto::v1::{LoginRequest, SessionInfo};
use secrecy::{ExposeSecret, SecretString};

use super::user_view;
use crate::auth::session::{SignedIn, session_cookie_header};
use crate::error::ApiError;
use crate::extract::{AppJson, ClientInfo};
use crate::state::AppState;

/// `POST /api/v1/session`
#[utoipa::path(
    post,
    path = "/api/v1/session",
    operation_id = "signIn",
    tag = "Session",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SessionInfo, headers(("Set-Cookie" = String, description = "The session cookie (HttpOnly, SameSite=Strict)"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 429, response = crate::openapi::TooManyRequests),
    ),
)]
pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientInfo,
    AppJson(request): AppJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let password = SecretString::from(request.password);
    let signed_in = state
        .accounts
        .sign_in(&request.email, password, client.ip, state.clock.now())
        .await?;
    let body = SessionInfo {
        user: user_view(&signed_in.user),
        csrf_token: token::csrf_for(&signed_in.token),
    };
    let cookie = session_cookie_header(&state.web, Some(&signed_in.token))?;
    Ok(([(SET_COOKIE, cookie)], axum::Json(body)).into_response())
}

/// `GET /api/v1/session`
#[utoipa::path(
    get,
    path = "/api/v1/session",
    operation_id = "showSession",
    tag = "Session",
    security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in user and the CSRF token", body = SessionInfo),
        (status = 401, response = crate::openapi::Unauthenticated),
    ),
)]
pub async fn show_session(signed_in: SignedIn) -> axum::Json<SessionInfo> {
    axum::Json(SessionInfo {
        user: user_view(signed_in.user()),
        csrf_token: token::csrf_for(&signed_in.token),
    })
}

/// `DELETE /api/v1/session`
#[utoipa::path(
    delete,
    path = "/api/v1/session",
    operation_id = "signOut",
    tag = "Session",
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
    ),
)]
pub async fn sign_out(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, ApiError> {
    state
        .accounts
        .sign_out(&crypto::sha256(signed_in.token.expose_secret()))
        .await?;
    let cookie = session_cookie_header(&state.web, None)?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}
