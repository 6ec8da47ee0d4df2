//! The `/v2` gate: every request presents an API key in `Authorization` (raw, or after
//! `Bearer `). In order:
//!
//! 1. A missing, malformed, unknown, deleted, disabled or expired key (or a regenerated key's
//!    old value after its grace period) gets 401 `{"error": "Access denied"}`. An address that
//!    presented too many unknown keys gets 429 for unknown keys, without a lookup
//!    (`plumb_core::key_limits::BadKeyGuard`); keys this node knows are unaffected.
//! 2. A request from outside the key's allowed addresses gets 403 naming the address.
//! 3. A key over its requests per minute gets 429 with `Retry-After`; a limited key's every
//!    response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.
//! 4. A read-only key gets 403 on POST, PUT, PATCH and DELETE.
//!
//! Every check reads the key's cached record: a known key costs no statement. After the
//! handler (or a refusal of steps 1 to 4 for a known key) the request is counted for the key
//! and noted in its request log, both written behind.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use plumb_core::Access;
use plumb_core::activity::Actor;
use plumb_core::key_limits::RateDecision;
use plumb_core::key_rules::VerifiedKey;
use plumb_core::store::{KeyRef, KeyRequest};
use plumb_core::verifier::{CacheLookup, Outcome, Principal};

use crate::error::{ACCESS_DENIED, ApiError};
use crate::extract::ClientInfo;
use crate::state::AppState;

/// Longest path kept in the request log, in characters.
const PATH_MAX: usize = 512;

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

/// The key behind a `/v2` write as the activity log's actor: its masked value and
/// description, and the client address. Placed by [`require_api_key`] on writes only.
pub struct ApiKeyActor(pub Actor);

impl FromRequestParts<AppState> for ApiKeyActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let principal = parts.extensions.get::<Principal>().copied();
        let label = parts.extensions.get::<Arc<KeyRef>>().cloned();
        let (Some(principal), Some(label)) = (principal, label) else {
            return Err(ApiError::Unauthenticated(ACCESS_DENIED));
        };
        let ip = ClientInfo::from_parts(parts, &state.web.trusted_proxies).ip;
        let key = KeyRef::clone(&label);
        Ok(Self(Actor::key(principal.organization_id, key, ip)))
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
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let now = state.clock.now();
    let (parts, body) = request.into_parts();
    let client = ClientInfo::from_parts(&parts, &state.web.trusted_proxies);
    let key = match identify(&state, &parts.headers, &client).await {
        Ok(key) => key,
        Err(refusal) => return refusal,
    };
    let mut request = Request::from_parts(parts, body);
    let noted = Noted::of(&request);
    let principal = key.principal;
    let live = key.is_live(now);
    let admitted = client
        .address
        .map_or(key.allowed.is_open(), |address| key.allowed.admits(address));
    // Only requests that pass the checks before it count against the rate limit.
    let limit = if live && admitted {
        rate(&state, &key, now)
    } else {
        None
    };
    let response = if !live {
        // Disabled or expired: refused exactly as a deleted key is.
        ApiError::Unauthenticated(ACCESS_DENIED).into_response()
    } else if !admitted {
        let address = client.ip.as_deref().unwrap_or("an unknown address");
        ApiError::Forbidden(format!(
            "This API key may not be used from {address}: the address is not in the key's \
             allowed addresses."
        ))
        .into_response()
    } else if let Some(decision) = limit.filter(|decision| !decision.allowed) {
        ApiError::RateLimited {
            limit: decision.limit,
            retry_after: u64::from(decision.reset_seconds),
        }
        .into_response()
    } else if principal.access == Access::ReadOnly && is_write(request.method()) {
        ApiError::Forbidden(
            "This API key is read-only: it may view data but not create, update or delete it."
                .to_owned(),
        )
        .into_response()
    } else {
        if is_write(request.method()) {
            // Who the activity log names for the change (reads never need it).
            request.extensions_mut().insert(key.label.clone());
        }
        request.extensions_mut().insert(principal);
        next.run(request).await
    };
    finish(
        &state,
        (&key, client, noted),
        limit,
        response,
        (now, started),
    )
}

/// Finds the presented key: from the cache, else (unless the address is paused for guessing)
/// from the store. A refusal is the response to send.
async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    client: &ClientInfo,
) -> Result<Arc<VerifiedKey>, Response> {
    let denied = || ApiError::Unauthenticated(ACCESS_DENIED).into_response();
    let presented = presented_key(headers).ok_or_else(denied)?;
    let verifier = state.keys.verifier();
    let digest = match verifier.lookup_cached(presented) {
        CacheLookup::Malformed(_) => return Err(denied()),
        CacheLookup::Hit(key) => return Ok(key),
        CacheLookup::Miss(digest) => digest,
    };
    let now = state.clock.now();
    if let Some(wait) = state.bad_keys.retry_after(client.ip.as_deref(), now) {
        return Err(ApiError::Throttled(wait).into_response());
    }
    match verifier.load(digest).await {
        Ok(Some(key)) => Ok(key),
        Ok(None) => {
            state.bad_keys.fail(client.ip.as_deref(), now);
            Err(denied())
        }
        Err(error) => Err(ApiError::from(error).into_response()),
    }
}

/// Counts the request against the key's limit, if it has one.
fn rate(state: &AppState, key: &VerifiedKey, now: time::OffsetDateTime) -> Option<RateDecision> {
    key.rate_limit
        .map(|limit| state.rate_limits.check(key.principal.key_id, limit, now))
}

/// What the request log keeps of a request, taken before the handler consumes it. Every
/// request is noted, so the common methods are not copied.
struct Noted {
    method: Cow<'static, str>,
    route: String,
    path: String,
}

impl Noted {
    fn of(request: &Request) -> Self {
        let path = request.uri().path();
        let method = match *request.method() {
            Method::GET => Cow::Borrowed("GET"),
            Method::POST => Cow::Borrowed("POST"),
            Method::PUT => Cow::Borrowed("PUT"),
            Method::PATCH => Cow::Borrowed("PATCH"),
            Method::DELETE => Cow::Borrowed("DELETE"),
            ref other => Cow::Owned(other.as_str().to_owned()),
        };
        Self {
            method,
            route: request
                .extensions()
                .get::<MatchedPath>()
                .map_or_else(String::new, |route| route.as_str().to_owned()),
            // A path's characters are at most its bytes: only a long one needs cutting.
            path: if path.len() <= PATH_MAX {
                path.to_owned()
            } else {
                path.chars().take(PATH_MAX).collect()
            },
        }
    }
}

/// Adds the rate headers, counts the outcome and notes the request in the log.
fn finish(
    state: &AppState,
    (key, client, noted): (&VerifiedKey, ClientInfo, Noted),
    limit: Option<RateDecision>,
    mut response: Response,
    (now, started): (time::OffsetDateTime, Instant),
) -> Response {
    if let Some(limit) = limit {
        let headers = response.headers_mut();
        headers.insert("ratelimit-limit", HeaderValue::from(limit.limit));
        headers.insert("ratelimit-remaining", HeaderValue::from(limit.remaining));
        headers.insert("ratelimit-reset", HeaderValue::from(limit.reset_seconds));
    }
    let status = response.status().as_u16();
    let outcome = if status < 400 {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let principal = key.principal;
    state.keys.verifier().record_use(
        principal.key_id,
        now,
        (client.ip.as_deref(), client.user_agent.as_deref()),
        outcome,
    );
    state.request_log.record(KeyRequest {
        organization_id: principal.organization_id,
        api_key_id: principal.key_id,
        at: now,
        method: noted.method,
        route: noted.route,
        path: noted.path,
        status,
        duration_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        client_ip: client.ip,
        user_agent: client.user_agent,
    });
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
