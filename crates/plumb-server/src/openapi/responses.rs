//! The error responses the documents share, as `components/responses` entries: each is the
//! one error envelope (`plumb_proto::ErrorBody`) with the status's example body.

use utoipa::ToResponse;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// One shared error response: the envelope (`ErrorBody`, a component of each document) and an
/// example body.
fn error_response(description: &str, error: &str, code: &str) -> RefOr<Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .example(Some(serde_json::json!({ "error": error, "code": code })))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
        .build()
        .into()
}

/// Declares a unit type implementing [`ToResponse`] as a shared error response.
macro_rules! error_responses {
    ($($(#[$doc:meta])* $name:ident => ($description:expr, $error:expr, $code:expr);)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), error_response($description, $error, $code))
            }
        }
    )*};
}

error_responses! {
    /// 400: malformed JSON, wrong types, unknown fields, bad query values.
    BadRequest => (
        "The request could not be parsed (malformed JSON, wrong types, unknown or missing \
         fields, bad query values); nothing changed.",
        "limit must be a whole number from 1 to 100",
        "bad_request"
    );
    /// 401 on `/v2`: always exactly Level's body plus the code.
    AccessDenied => (
        "No valid API key: missing, malformed, unknown, deleted, disabled, expired, or \
         regenerated away (after the old value's grace period).",
        "Access denied",
        "unauthenticated"
    );
    /// 401 on `/api/v1`: no session, an expired one, or wrong credentials.
    Unauthenticated => (
        "No valid session (or, when signing in, a wrong email or password).",
        "authentication required",
        "unauthenticated"
    );
    /// 403 on `/v2`: a read-only key on a write, or an address the key does not allow.
    ReadOnlyKey => (
        "The API key is read-only and the request would change something, or the request \
         came from an address outside the key's allowed addresses (the message names it).",
        "this API key is read-only",
        "forbidden"
    );
    /// 403 on `/api/v1`: a missing permission, or a write without the CSRF token.
    Forbidden => (
        "The signed-in user lacks the permission (`forbidden`), or a write came without the \
         session's `X-CSRF-Token` (`csrf_failed`).",
        "you need the Settings permission",
        "forbidden"
    );
    /// 404: no such object in the caller's organization.
    NotFound => (
        "No such object in your organization (another organization's id, or a malformed id, \
         is not found either).",
        "not found",
        "not_found"
    );
    /// 409: the state does not allow it.
    Conflict => (
        "The request conflicts with the current state.",
        "this key cannot be shown again",
        "conflict"
    );
    /// 413: a body over the limit.
    PayloadTooLarge => (
        "The body is larger than 64 KiB.",
        "the request body exceeds 65536 bytes",
        "payload_too_large"
    );
    /// 422: the body parsed but breaks a rule.
    Invalid => (
        "The body parsed but breaks a rule (empty or over-long text, a taken name, a cycle); \
         nothing changed.",
        "name is already taken",
        "validation_failed"
    );
    /// 429 on `/v2`: the key's rate limit, or too many unknown keys from one address.
    KeyRateLimited => (
        "The key used up its requests per minute (see the `RateLimit-*` headers), or this \
         address presented too many unknown keys; retry after the `Retry-After` header's \
         seconds.",
        "this API key may make 600 requests per minute and has used them up; retry in 12 \
         seconds",
        "rate_limited"
    );
    /// 429: too many failed sign-ins.
    TooManyRequests => (
        "Too many failed sign-ins; retry after the `Retry-After` header's seconds.",
        "too many failed sign-ins; try again later",
        "rate_limited"
    );
}
