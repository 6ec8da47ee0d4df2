//! The safety net that keeps one error format everywhere: a 4xx or 5xx answered by something
//! other than a handler's `ApiError` (axum's extractors and router, the body limit, a layer)
//! comes out as plain text or with no body at all; this layer gives it the JSON envelope
//! `{"error": ..., "code": ...}`, or, for a person's browser on a web page, the problem page.
//!
//! Handlers never rely on it: `ApiError` already writes the envelope. Headers the rejection set
//! (`Allow`, `Retry-After`) are kept.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::ui::problem;

/// The longest rejection text carried over into the envelope.
const MESSAGE_MAX: usize = 300;

/// Middleware: rewrites error responses that do not already carry a JSON or HTML body.
pub async fn error_envelope(request: Request, next: Next) -> Response {
    let for_a_browser = is_page(request.uri().path()) && accepts_html(request.headers());
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || has_own_body(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, 4096).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    };
    let message = message(status, &text);
    let mut rewritten = if for_a_browser {
        problem::message(
            status,
            "Request not accepted",
            &problem::sentence(&message),
            None,
        )
    } else {
        ApiError::Rejected(status, message).into_response()
    };
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in rewritten.headers() {
        parts.headers.insert(name.clone(), value.clone());
    }
    *rewritten.headers_mut() = parts.headers;
    let (mut new_parts, new_body) = rewritten.into_parts();
    new_parts.status = status;
    Response::from_parts(new_parts, Body::new(new_body))
}

/// Whether the response already is JSON or a page.
fn has_own_body(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let value = value.to_ascii_lowercase();
            value.starts_with("application/json") || value.starts_with("text/html")
        })
}

/// The envelope's message: ours for the rejections people meet, else the rejection's own
/// first line (axum's texts name what was wrong, never a value), else the status's reason.
fn message(status: StatusCode, text: &str) -> String {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => return "request body is too large".to_owned(),
        StatusCode::REQUEST_TIMEOUT => return ApiError::RequestTimeout.to_string(),
        StatusCode::METHOD_NOT_ALLOWED => return ApiError::MethodNotAllowed.to_string(),
        _ => {}
    }
    let line = text.lines().next().unwrap_or_default().trim();
    if line.is_empty() {
        return status
            .canonical_reason()
            .unwrap_or("request not accepted")
            .to_lowercase();
    }
    let mut message: String = line.chars().take(MESSAGE_MAX).collect();
    if let Some(first) = message.get(..1) {
        message = first.to_lowercase() + &message[1..];
    }
    message
}

fn is_page(path: &str) -> bool {
    !["/api/", "/v2/", "/agent/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axum_rejections_keep_their_first_line_and_empty_ones_get_the_reason() {
        assert_eq!(
            message(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Failed to deserialize form body: missing field `token`"
            ),
            "failed to deserialize form body: missing field `token`"
        );
        assert_eq!(message(StatusCode::BAD_REQUEST, ""), "bad request");
        assert_eq!(
            message(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Failed to buffer the request body"
            ),
            "request body is too large"
        );
    }
}
