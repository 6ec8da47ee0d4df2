//! `ApiError`: every way a request can fail, each variant one HTTP outcome, with the one
//! `IntoResponse` that writes `{"error": ..., "code": ...}`.
//!
//! 5xx bodies are generic; their cause is logged here, once, and never sent to the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use plumb_core::{DomainError, StoreError};
use plumb_proto::{ErrorBody, ErrorCode};

/// The body of every 401 on `/v2`, exactly as Level sends it.
pub const ACCESS_DENIED: &str = "Access denied";

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No or bad credentials; the message is the body's `error`.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// Missing or wrong `X-CSRF-Token`.
    #[error("missing or invalid X-CSRF-Token header")]
    CsrfFailed,
    /// No such thing (in the caller's organization).
    #[error("{0}")]
    NotFound(String),
    /// Unparseable input.
    #[error("{0}")]
    BadRequest(String),
    /// The route does not take this method.
    #[error("this route does not accept that method")]
    MethodNotAllowed,
    /// Parseable input that breaks a rule.
    #[error("{0}")]
    Validation(String),
    /// Conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// Body over the limit.
    #[error("request body is too large (limit {0} bytes)")]
    PayloadTooLarge(usize),
    /// Too many attempts.
    #[error("too many attempts; retry in {0} seconds")]
    Throttled(u64),
    /// An API key's requests per minute are used up.
    #[error(
        "this API key may make {limit} requests per minute and has used them up; retry in \
         {retry_after} seconds"
    )]
    RateLimited {
        /// The key's limit.
        limit: u32,
        /// Seconds until the window resets.
        retry_after: u64,
    },
    /// A cookie-authenticated write or a sign-in from a page of another site.
    #[error("cross-origin request refused: this must come from plumb's own pages")]
    CrossOrigin,
    /// A body that is not JSON where only JSON is accepted.
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// The body did not arrive in time.
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    /// A rejection made before any handler ran (a layer, the router, the connection), with
    /// its status and a message.
    #[error("{1}")]
    Rejected(StatusCode, String),
    /// Something broke; logged, never shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// The 404 of both APIs for a thing that does not exist in the caller's organization (or
    /// an id that is not one): `{what} not found`, as the domain's `NotFound` reads.
    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("{what} not found"))
    }

    /// The status and stable code of this error.
    pub fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            Self::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            Self::CsrfFailed => (StatusCode::FORBIDDEN, ErrorCode::CsrfFailed),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            Self::Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
            ),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed),
            Self::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge),
            Self::Throttled(_) | Self::RateLimited { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited)
            }
            Self::CrossOrigin => (StatusCode::FORBIDDEN, ErrorCode::CrossOrigin),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
            ),
            Self::RequestTimeout => (StatusCode::REQUEST_TIMEOUT, ErrorCode::RequestTimeout),
            Self::Rejected(status, _) => (*status, code_for(*status)),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

/// The code of a status when a layer, not a handler, chose it.
pub fn code_for(status: StatusCode) -> ErrorCode {
    match status {
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::REQUEST_TIMEOUT => ErrorCode::RequestTimeout,
        StatusCode::CONFLICT => ErrorCode::Conflict,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => ErrorCode::ValidationFailed,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => ErrorCode::Unavailable,
        status if status.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let Self::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "request failed: {cause:#}");
        }
        let body = ErrorBody {
            error: self.to_string(),
            code: Some(code),
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Self::Throttled(seconds)
        | Self::RateLimited {
            retry_after: seconds,
            ..
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Invalid(message) => Self::Validation(message),
            DomainError::NotFound(what) => Self::NotFound(format!("{what} not found")),
            DomainError::NotFoundNamed(message) => Self::NotFound(message),
            DomainError::Conflict(message) => Self::Conflict(message),
            DomainError::Forbidden(message) => Self::Forbidden(message),
            DomainError::BadCredentials => Self::Unauthenticated("invalid email or password"),
            DomainError::Throttled(seconds) => Self::Throttled(seconds),
            DomainError::Store(error) => error.into(),
            DomainError::Internal(message) => Self::Internal(anyhow::anyhow!(message)),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound("not found".to_owned()),
            StoreError::Conflict { constraint } => {
                Self::Conflict(format!("conflict on {constraint}"))
            }
            StoreError::Unavailable(source) => Self::Internal(anyhow::Error::from_boxed(source)),
        }
    }
}
