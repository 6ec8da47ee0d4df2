//! The `/api/v1` gate: a signed-in session from the `plumb_session` cookie, and on every
//! POST, PUT, PATCH and DELETE an `X-CSRF-Token` header equal to the session's token.
//!
//! Handlers then state what they need: [`SignedIn`] (anyone signed in), [`SettingsUser`]
//! (administrators and technicians with the `settings` flag), [`AdminUser`] (administrators).

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use plumb_core::Role;
use plumb_core::accounts::{SESSION_ABSOLUTE, may_use_settings, user_ref};
use plumb_core::activity::Actor;
use plumb_core::store::{Session, User};
use plumb_core::token;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::extract::ClientInfo;
use crate::state::{AppState, WebSettings};

/// The header that must carry the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in request: the session and the presented token (for the CSRF token and sign-out).
#[derive(Clone)]
pub struct SignedIn {
    /// The live session.
    pub session: Session,
    /// The cookie's value.
    pub token: SecretString,
    /// Caller's address and user agent.
    pub client: ClientInfo,
}

impl SignedIn {
    /// The signed-in user.
    pub fn user(&self) -> &User {
        &self.session.user
    }

    /// The audit context for this request.
    pub fn actor(&self) -> Actor {
        Actor {
            api_key: None,
            user: Some(user_ref(self.user())),
            organization_id: self.user().organization.id,
            ip: self.client.ip.clone(),
        }
    }
}

/// The `Set-Cookie` value that hands a new session's token to the browser (`HttpOnly`,
/// `SameSite=Strict`, `Secure` behind https), or that clears it when `token` is `None`.
pub fn session_cookie_header(
    web: &WebSettings,
    token: Option<&SecretString>,
) -> Result<HeaderValue, ApiError> {
    let (value, max_age) = match token {
        Some(token) => (token.expose_secret(), SESSION_ABSOLUTE.whole_seconds()),
        None => ("", 0),
    };
    let cookie = format!(
        "{}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{}",
        web.session_cookie(),
        if web.secure_cookies { "; Secure" } else { "" },
    );
    HeaderValue::from_str(&cookie).map_err(|error| ApiError::Internal(error.into()))
}

/// The value of the session cookie, if present.
pub fn session_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Middleware guarding every `/api/v1` route that needs a session.
#[tracing::instrument(name = "auth.session", skip_all)]
pub async fn require_session(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let signed_in = match signed_in(&state, &parts).await {
        Ok(Some(signed_in)) => signed_in,
        Ok(None) if session_cookie(&parts.headers, state.web.session_cookie()).is_some() => {
            return ApiError::Unauthenticated("your session has ended; sign in again")
                .into_response();
        }
        Ok(None) => return ApiError::Unauthenticated("sign in first").into_response(),
        Err(error) => return error.into_response(),
    };
    if is_write(&parts.method) && !csrf_matches(&parts.headers, &signed_in.token) {
        return ApiError::CsrfFailed.into_response();
    }
    parts.extensions.insert(signed_in);
    next.run(Request::from_parts(parts, body)).await
}

/// The live session a request's cookie names, if any. Shared by the `/api/v1` gate and the page
/// gate ([`crate::auth::page`]); checks no CSRF token (the caller decides whether it must).
pub async fn signed_in(state: &AppState, parts: &Parts) -> Result<Option<SignedIn>, ApiError> {
    let Some(cookie) = session_cookie(&parts.headers, state.web.session_cookie()) else {
        return Ok(None);
    };
    let Some(session) = state.accounts.session(cookie, state.clock.now()).await? else {
        return Ok(None);
    };
    Ok(Some(SignedIn {
        session,
        token: SecretString::from(cookie.to_owned()),
        client: ClientInfo::from_parts(parts, &state.web.trusted_proxies),
    }))
}

fn csrf_matches(headers: &HeaderMap, session: &SecretString) -> bool {
    let Some(presented) = headers
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    bool::from(
        presented
            .as_bytes()
            .ct_eq(token::csrf_for(session).as_bytes()),
    )
}

fn is_write(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<SignedIn>()
            .cloned()
            .ok_or(ApiError::Unauthenticated("sign in first"))
    }
}

/// A signed-in user who may use Settings (API keys, activity).
pub struct SettingsUser(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for SettingsUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        if !may_use_settings(signed_in.user()) {
            return Err(ApiError::Forbidden(
                "you need Settings access for this; ask an administrator to grant it".to_owned(),
            ));
        }
        Ok(Self(signed_in))
    }
}

/// A signed-in administrator.
pub struct AdminUser(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        if signed_in.user().role != Role::Admin {
            return Err(ApiError::Forbidden(
                "only administrators may manage users".to_owned(),
            ));
        }
        Ok(Self(signed_in))
    }
}
