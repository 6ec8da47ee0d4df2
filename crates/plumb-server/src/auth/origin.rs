//! Where writes may come from. Every POST, PUT, PATCH and DELETE outside `/v2` and
//! `/agent/v1` (so every cookie-authenticated write, every sign-in through `POST
//! /api/v1/session` or the `/login` form, and the `/setup` and `/set-password` forms) must come
//! from plumb's own origin; a page of another site gets 403 `cross_origin`. And a write to
//! `/api/v1` that carries a body must say it is JSON, which a cross-site form cannot do
//! without a CORS preflight that plumb never grants (415 `unsupported_media_type`).
//!
//! The origin check is the one browsers make possible (as Go's `CrossOriginProtection`):
//! `Sec-Fetch-Site` when the browser sends it (`same-origin` or `none` pass), else `Origin`,
//! which must be plumb's public URL or name the `Host` the request was sent to. A request with
//! neither header is not from a browser's cross-site page (every browser that sends no
//! `Sec-Fetch-Site` sends `Origin` on a cross-site POST) and passes: the CLI, scripts. `/v2`
//! and `/agent/v1` authenticate with keys and tokens a browser never sends by itself, so they
//! stay usable from anywhere, and so does `POST /api/v1/api-keys/revoke`, whose credential is
//! the key value in its JSON body (it still must be JSON). SECURITY.md describes the model.

use axum::body::HttpBody;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

/// Middleware in front of every route.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_safe(request.method()) || is_key_surface(request.uri().path()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    // Revoking a key by its value uses no cookie and may come from anywhere (a page where a
    // person notices a leaked key, a secret scanner); it stays JSON-only like all of /api/v1.
    let revocation = request.uri().path() == REVOCATION_PATH;
    if !revocation && !is_same_origin(headers, &state.web.public_url) {
        // Debug only: another site decides how often this happens.
        tracing::debug!(
            route = %request.uri().path(),
            "refused a {} from another site", request.method()
        );
        return ApiError::CrossOrigin.into_response();
    }
    let may_have_body = request.body().size_hint().exact() != Some(0) || has_body(headers);
    if request.uri().path().starts_with("/api/") && may_have_body && !is_json(headers) {
        return ApiError::UnsupportedMediaType.into_response();
    }
    next.run(request).await
}

/// Whether a request comes from plumb's own origin (or from no browser page at all).
pub fn is_same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = header_text(headers, "sec-fetch-site") {
        return site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none");
    }
    let Some(origin) = header_text(headers, header::ORIGIN.as_str()) else {
        return true;
    };
    let origin = origin.trim_end_matches('/');
    if origin.eq_ignore_ascii_case(&origin_of(public_url)) {
        return true;
    }
    let authority = origin.split_once("://").map(|(_, rest)| rest);
    match (authority, header_text(headers, header::HOST.as_str())) {
        (Some(authority), Some(host)) => authority.eq_ignore_ascii_case(host),
        _ => false,
    }
}

/// `scheme://host[:port]` of a URL, without a default port or a path.
fn origin_of(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let authority = match scheme {
        "http" => authority.strip_suffix(":80").unwrap_or(authority),
        "https" => authority.strip_suffix(":443").unwrap_or(authority),
        _ => authority,
    };
    format!("{scheme}://{authority}")
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// `/v2` and `/agent/v1`: credentials a browser never attaches by itself.
/// The public revocation endpoint: exempt from the origin check, not from the JSON check.
pub const REVOCATION_PATH: &str = "/api/v1/api-keys/revoke";

fn is_key_surface(path: &str) -> bool {
    path.starts_with("/v2/") || path.starts_with("/agent/")
}

fn has_body(headers: &HeaderMap) -> bool {
    let length = header_text(headers, header::CONTENT_LENGTH.as_str())
        .and_then(|length| length.trim().parse::<u64>().ok());
    length.is_some_and(|length| length > 0) || headers.contains_key(header::TRANSFER_ENCODING)
}

/// `application/json` or any `application/...+json`, with or without parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = header_text(headers, header::CONTENT_TYPE.as_str()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    const PUBLIC: &str = "http://127.0.0.1:8080";

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn the_browser_says_whether_a_request_is_same_origin() {
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            PUBLIC
        ));
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "none")]),
            PUBLIC
        ));
        for site in ["cross-site", "same-site"] {
            let mut pairs = headers(&[("origin", "http://127.0.0.1:8080")]);
            pairs.insert("sec-fetch-site", HeaderValue::from_static(site));
            assert!(!is_same_origin(&pairs, PUBLIC), "{site}");
        }
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_be_plumbs_own() {
        let own = headers(&[("origin", "http://127.0.0.1:8080"), ("host", "x")]);
        assert!(is_same_origin(&own, PUBLIC));
        let by_host = headers(&[("origin", "https://plumb.lan"), ("host", "plumb.lan")]);
        assert!(is_same_origin(&by_host, PUBLIC));
        let foreign = headers(&[("origin", "http://evil.test"), ("host", "127.0.0.1:8080")]);
        assert!(!is_same_origin(&foreign, PUBLIC));
        let opaque = headers(&[("origin", "null"), ("host", "127.0.0.1:8080")]);
        assert!(!is_same_origin(&opaque, PUBLIC));
        assert!(is_same_origin(
            &headers(&[("host", "127.0.0.1:8080")]),
            PUBLIC
        ));
    }

    #[test]
    fn public_origins_drop_default_ports_and_paths() {
        assert_eq!(
            origin_of("https://plumb.example.com:443/x"),
            "https://plumb.example.com"
        );
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    }

    #[test]
    fn json_content_types_are_recognised() {
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ] {
            let mut map = HeaderMap::new();
            map.insert(header::CONTENT_TYPE, HeaderValue::from_static(json));
            assert!(is_json(&map), "{json}");
        }
        for other in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ] {
            let mut map = HeaderMap::new();
            map.insert(header::CONTENT_TYPE, HeaderValue::from_static(other));
            assert!(!is_json(&map), "{other}");
        }
    }
}
