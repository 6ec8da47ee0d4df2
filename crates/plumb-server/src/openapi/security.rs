//! The documents' security schemes, added by [`utoipa::Modify`]: `/v2`'s raw API key and the
//! webhook trigger's optional `Authorization` value; `/api/v1`'s session cookie and CSRF
//! header.

use utoipa::Modify;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{OpenApi, Ref};

/// `/v2`: `api_key` (Level's name) and `webhook_authorization`.
pub struct V2Security;

impl Modify for V2Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "The raw API key is the whole header value (`Bearer <key>` is accepted too). \
                 Read-only keys may only GET.",
            ))),
        );
        components.add_security_scheme(
            "webhook_authorization",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "The value shown once when a trigger that requires it was created; \
                 triggers without the requirement need nothing but their token.",
            ))),
        );
    }
}

/// `/v2`, once its operations are in: every operation behind the key (those inheriting the
/// document's security) may answer 429 for the key's rate limit.
pub struct KeyRateLimits;

impl Modify for KeyRateLimits {
    fn modify(&self, openapi: &mut OpenApi) {
        // Every operation behind the key (those inheriting the document's security) may be
        // refused for the key's address or rate limit.
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                if operation.security.is_some() {
                    continue;
                }
                operation
                    .responses
                    .responses
                    .entry("429".to_owned())
                    .or_insert_with(|| Ref::from_response_name("KeyRateLimited").into());
            }
        }
    }
}

/// `/api/v1`: `session` (the cookie) and `csrf` (the header every write carries).
pub struct V1Security;

impl Modify for V1Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "plumb_session",
                "The session cookie set by `POST /api/v1/session` (`__Host-plumb_session` \
                 when the public URL is https).",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's `csrf_token`, required on every POST, PUT, PATCH and DELETE.",
            ))),
        );
    }
}
