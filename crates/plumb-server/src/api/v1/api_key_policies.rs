//! API keys beyond create/edit/delete: a key's request log, ending a grace period, the
//! organization's default rate limit, and the public revocation of a leaked value.

use axum::extract::State;
use plumb_core::id::ApiKeyId;
use plumb_core::request_log::{EntryId, PAGE_DEFAULT, PAGE_MAX};
use plumb_proto::v1::{
    ApiKey, ApiKeyRequest, ApiKeyRequestPage, ApiKeySettings, RevokeApiKey, RevokedApiKey,
};
use serde::Deserialize;

use super::api_keys::view;
use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, ClientInfo, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /api/v1/api-keys/{id}/requests`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestsQuery {
    /// Only these statuses: `2xx`, `3xx`, `4xx`, `5xx`, `failed` (400 and above), or one
    /// status such as `429`.
    status: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Requests per page, 1 to 200 (default 50).
    limit: Option<String>,
}

/// `GET /api/v1/api-keys/{id}/requests`
#[utoipa::path(
    get,
    path = "/api/v1/api-keys/{id}/requests",
    operation_id = "listApiKeyRequests",
    tag = "API keys",
    params(("id" = String, Path, description = "API key id"), RequestsQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The key's requests, newest first", body = ApiKeyRequestPage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn list_api_key_requests(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppQuery(query): AppQuery<RequestsQuery>,
) -> Result<axum::Json<ApiKeyRequestPage>, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    let statuses = query
        .status
        .as_deref()
        .map_or(Some((0, 999)), status_range)
        .ok_or_else(|| {
            ApiError::BadRequest(
                "status must be 2xx, 3xx, 4xx, 5xx, failed or a status such as 429".to_owned(),
            )
        })?;
    let limit = match query.limit.as_deref() {
        None => PAGE_DEFAULT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=PAGE_MAX).contains(limit))
            .ok_or_else(|| {
                ApiError::BadRequest(format!("limit must be a whole number from 1 to {PAGE_MAX}"))
            })?,
    };
    let before = query
        .cursor
        .as_deref()
        .map(|text| {
            EntryId::parse(text).ok_or_else(|| {
                ApiError::BadRequest("cursor is not a valid request cursor".to_owned())
            })
        })
        .transpose()?;
    let page = state
        .request_log
        .page(user.user().organization.id, id, statuses, before, limit)
        .await?;
    let next_cursor = page
        .has_more
        .then(|| page.entries.last().map(|entry| entry.id.to_string()))
        .flatten();
    let data = page
        .entries
        .into_iter()
        .map(
            |plumb_core::request_log::Entry { id, request: entry }| ApiKeyRequest {
                id: id.to_string(),
                at: entry.at,
                method: entry.method.into_owned(),
                route: entry.route,
                path: entry.path,
                status: entry.status,
                duration_ms: entry.duration_us as f64 / 1000.0,
                client_ip: entry.client_ip,
                user_agent: entry.user_agent,
            },
        )
        .collect();
    Ok(axum::Json(ApiKeyRequestPage { data, next_cursor }))
}

/// The statuses a `status` filter names.
fn status_range(text: &str) -> Option<(u16, u16)> {
    match text {
        "failed" => Some((400, 599)),
        class if class.len() == 3 && class.ends_with("xx") => {
            let hundreds = class[..1]
                .parse::<u16>()
                .ok()
                .filter(|d| (1..=5).contains(d))?;
            Some((hundreds * 100, hundreds * 100 + 99))
        }
        code => code
            .parse::<u16>()
            .ok()
            .filter(|code| (100..=599).contains(code))
            .map(|code| (code, code)),
    }
}

/// `POST /api/v1/api-keys/{id}/end-grace`
#[utoipa::path(
    post,
    path = "/api/v1/api-keys/{id}/end-grace",
    operation_id = "endApiKeyGrace",
    tag = "API keys",
    params(("id" = String, Path, description = "API key id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The key; the old value of its last Regenerate stops working", body = ApiKey),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn end_api_key_grace(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<axum::Json<ApiKey>, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    let record = state
        .keys
        .end_grace(&user.actor(), id, state.clock.now())
        .await?;
    Ok(axum::Json(view(&state, &record).await?))
}

/// `GET /api/v1/api-key-settings`
#[utoipa::path(
    get,
    path = "/api/v1/api-key-settings",
    operation_id = "showApiKeySettings",
    tag = "API keys",
    security(("session" = [])),
    responses(
        (status = 200, description = "The organization's settings for every key", body = ApiKeySettings),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
    ),
)]
pub async fn show_api_key_settings(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
) -> Result<axum::Json<ApiKeySettings>, ApiError> {
    let limit = state
        .keys
        .rate_limit_default(user.user().organization.id)
        .await?;
    Ok(axum::Json(ApiKeySettings {
        rate_limit_per_minute: limit,
    }))
}

/// `PATCH /api/v1/api-key-settings` (PUT is accepted too)
#[utoipa::path(
    method(patch, put),
    path = "/api/v1/api-key-settings",
    operation_id = "updateApiKeySettings",
    tag = "API keys",
    request_body = ApiKeySettings,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The settings; they apply from every key's next request", body = ApiKeySettings),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_api_key_settings(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppJson(request): AppJson<ApiKeySettings>,
) -> Result<axum::Json<ApiKeySettings>, ApiError> {
    let limit = state
        .keys
        .set_rate_limit_default(
            &user.actor(),
            request.rate_limit_per_minute,
            state.clock.now(),
        )
        .await?;
    Ok(axum::Json(ApiKeySettings {
        rate_limit_per_minute: limit,
    }))
}

/// `POST /api/v1/api-keys/revoke`: anyone holding a key's value may revoke it (RFC 7009's
/// spirit): no session, no CSRF token, allowed from any origin, and the same answer whether or
/// not the value was a live key.
#[utoipa::path(
    post,
    path = "/api/v1/api-keys/revoke",
    operation_id = "revokeApiKeyByValue",
    tag = "API keys",
    request_body = RevokeApiKey,
    responses(
        (status = 200, description = "The value no longer works (whether or not it ever did)", body = RevokedApiKey),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 429, description = "Too many unknown values from this address; retry later", body = plumb_proto::ErrorBody),
    ),
)]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    client: ClientInfo,
    AppJson(request): AppJson<RevokeApiKey>,
) -> Result<axum::Json<RevokedApiKey>, ApiError> {
    let now = state.clock.now();
    // Unknown values cost a lookup each: the same guard as /v2's unknown keys.
    if let Some(wait) = state.bad_keys.retry_after(client.ip.as_deref(), now) {
        return Err(ApiError::Throttled(wait));
    }
    let revoked = state
        .keys
        .revoke_value(request.key.trim(), client.ip.clone(), now)
        .await?;
    if !revoked {
        state.bad_keys.fail(client.ip.as_deref(), now);
    }
    Ok(axum::Json(RevokedApiKey { revoked: true }))
}
