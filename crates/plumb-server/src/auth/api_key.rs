//! The `/v2` gate: every request presents an API key in `Authorization` (raw, or after
//! `Bearer `). A missing, malformed, unknown, deleted or regenerated-away key gets 401
//! `{"error": "Access denied"}`; a read-only key gets 403 on POST, PUT, PATCH and DELETE.
//! After the handler runs, the request's outcome is counted for the key (write-behind).

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use plumb_core::Access;
use plumb_core::verifier::{Outcome, Principal};

use crate::error::{ACCESS_DENIED, ApiError};
use crate::extract::ClientInfo;
use crate::state::AppState;

/// The verified key behind a `/v2` request, placed by [`require_api_key`].
#[derive(Debug, Clone, Copy)]
pub struct ApiKeyAuth(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for ApiKeyAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        // The gate runs before every /v2 handler; a handler reached without it is refused.
        parts
            .extensions
            .get::<Principal>()
            .copied()
            .map(Self)
            .ok_or(ApiError::Unauthenticated(ACCESS_DENIED))
    }
}

/// The presented key: the whole `Authorization` value, or what follows `Bearer `.
pub fn presented_key(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let key = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ if value.eq_ignore_ascii_case("bearer") => "",
        _ => value,
    };
    (!key.is_empty()).then_some(key)
}

/// Middleware guarding every `/v2` route.
#[tracing::instrument(name = "auth.api_key", skip_all)]
pub async fn require_api_key(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let verifier = state.keys.verifier();
    let verified = match presented_key(request.headers()) {
        None => Ok(None),
        Some(presented) => verifier.verify(presented).await,
    };
    let principal = match verified {
        Ok(Some(principal)) => principal,
        Ok(None) => return ApiError::Unauthenticated(ACCESS_DENIED).into_response(),
        Err(error) => return ApiError::from(error).into_response(),
    };
    let (parts, body) = request.into_parts();
    let client = ClientInfo::from_parts(&parts);
    request = Request::from_parts(parts, body);
    let response = if principal.access == Access::ReadOnly && is_write(request.method()) {
        ApiError::Forbidden(
            "This API key is read-only: it may view data but not create, update or delete it."
                .to_owned(),
        )
        .into_response()
    } else {
        request.extensions_mut().insert(principal);
        next.run(request).await
    };
    let outcome = if response.status().as_u16() < 400 {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    verifier.record_use(
        principal.key_id,
        state.clock.now(),
        (client.ip.as_deref(), client.user_agent.as_deref()),
        outcome,
    );
    response
}

fn is_write(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_raw_key_and_a_bearer_key_are_both_accepted() {
        assert_eq!(presented_key(&headers("plumb_abc")), Some("plumb_abc"));
        assert_eq!(
            presented_key(&headers("Bearer plumb_abc")),
            Some("plumb_abc")
        );
        assert_eq!(
            presented_key(&headers("bearer  plumb_abc ")),
            Some("plumb_abc")
        );
    }

    #[test]
    fn an_empty_authorization_header_presents_no_key() {
        assert_eq!(presented_key(&headers("")), None);
        assert_eq!(presented_key(&headers("Bearer ")), None);
        assert_eq!(presented_key(&HeaderMap::new()), None);
    }
}
