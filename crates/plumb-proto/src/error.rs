//! The error envelope used on every surface: `{"error": "...", "code": "..."}`.

use serde::{Deserialize, Serialize};

/// The body of every 4xx and 5xx response.
///
/// `error` is a human sentence (Level's clients read exactly this field; a 401 is always
/// `"Access denied"`); `code` is a stable snake_case identifier that never changes meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong, for a person.
    pub error: String,
    /// What went wrong, for a program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
}

/// Stable error codes, documented in `docs/api.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Missing or invalid credentials (401).
    Unauthenticated,
    /// Authenticated but not allowed (403).
    Forbidden,
    /// The CSRF token is missing or wrong (403).
    CsrfFailed,
    /// No such resource in this organization (404).
    NotFound,
    /// The request could not be parsed: bad JSON, wrong types, unknown fields (400).
    BadRequest,
    /// The request parsed but breaks a rule: length, duplicate, cycle (422).
    ValidationFailed,
    /// The route exists but does not accept this method (405).
    MethodNotAllowed,
    /// The request conflicts with the current state (409).
    Conflict,
    /// The body is larger than the server accepts (413).
    PayloadTooLarge,
    /// Too many attempts; see `Retry-After` (429).
    RateLimited,
    /// Something failed on the server; the details are in its log (500).
    Internal,
    /// The server cannot reach its database, or serves as many connections as it may (503).
    Unavailable,
    /// A write or sign-in from a page of another site (403): see SECURITY.md.
    CrossOrigin,
    /// The body is not JSON where only JSON is accepted (415).
    UnsupportedMediaType,
    /// The request body did not arrive within the body timeout (408).
    RequestTimeout,
}
