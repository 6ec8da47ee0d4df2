//! API keys (Settings): list, show, create, edit, regenerate, reveal (Copy key) and delete under
//! `/api/v1/api-keys`. Only create and regenerate return the full value, and reveal on request.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::id::ApiKeyId;
use plumb_core::store::{ApiKeyChange, ApiKeyRecord, KeyRules};
use plumb_proto::v1::{
    ApiKey, ApiKeyWithSecret, CreateApiKey, List, RegenerateApiKey, RevealedApiKey, UpdateApiKey,
};
use serde::Deserialize;

use super::key_view;
use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, OptionalJson, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /api/v1/api-keys`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KeyQuery {
    /// A case-insensitive part of the description.
    search: Option<String>,
}

/// `GET /api/v1/api-keys`
#[utoipa::path(
    get,
    path = "/api/v1/api-keys",
    operation_id = "listApiKeys",
    tag = "API keys",
    params(KeyQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "Every key, newest first", body = List<ApiKey>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
    ),
)]
pub async fn list_api_keys(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppQuery(query): AppQuery<KeyQuery>,
) -> Result<axum::Json<List<ApiKey>>, ApiError> {
    let now = state.clock.now();
    let list = state
        .keys
        .list_with_traffic(user.user().organization.id, query.search.as_deref(), now)
        .await?;
    Ok(axum::Json(List {
        data: list
            .keys
            .iter()
            .map(|record| key_view(record, list.requests_of(record.id), now))
            .collect(),
    }))
}

/// The wire form of one key, with its requests of the last 24 hours.
pub(super) async fn view(state: &AppState, record: &ApiKeyRecord) -> Result<ApiKey, ApiError> {
    let now = state.clock.now();
    let traffic = state.keys.traffic(record.organization_id, now).await?;
    let requests = traffic.get(&record.id).copied().unwrap_or(0);
    Ok(key_view(record, requests, now))
}

/// `GET /api/v1/api-keys/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/api-keys/{id}",
    operation_id = "showApiKey",
    tag = "API keys",
    params(("id" = String, Path, description = "API key id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The key (never its value)", body = ApiKey),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<axum::Json<ApiKey>, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    let record = state.keys.get(user.user().organization.id, id).await?;
    Ok(axum::Json(view(&state, &record).await?))
}

/// `POST /api/v1/api-keys`
#[utoipa::path(
    post,
    path = "/api/v1/api-keys",
    operation_id = "createApiKey",
    tag = "API keys",
    request_body = CreateApiKey,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new key with its full value, shown this once", body = ApiKeyWithSecret, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppJson(request): AppJson<CreateApiKey>,
) -> Result<Response, ApiError> {
    let (record, plain) = state
        .keys
        .create(
            &user.actor(),
            (&request.description, request.access),
            KeyRules {
                expires_at: request.expires_at,
                disabled: request.disabled,
                allowed_ips: request.allowed_ips,
                rate_limit_per_minute: request.rate_limit_per_minute,
            },
            state.clock.now(),
        )
        .await?;
    let body = ApiKeyWithSecret {
        api_key: key_view(&record, 0, state.clock.now()),
        key: plain.expose().to_owned(),
    };
    let location = format!("/api/v1/api-keys/{}", record.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(body),
    )
        .into_response())
}

/// `PATCH /api/v1/api-keys/{id}` (PUT is accepted too)
#[utoipa::path(
    method(patch, put),
    path = "/api/v1/api-keys/{id}",
    operation_id = "updateApiKey",
    tag = "API keys",
    params(("id" = String, Path, description = "API key id")),
    request_body = UpdateApiKey,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The key", body = ApiKey),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateApiKey>,
) -> Result<axum::Json<ApiKey>, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    let change = ApiKeyChange {
        description: request.description,
        access: request.access,
        expires_at: request.expires_at,
        disabled: request.disabled,
        allowed_ips: request.allowed_ips,
        rate_limit_per_minute: request.rate_limit_per_minute,
    };
    let record = state
        .keys
        .update(&user.actor(), id, change, state.clock.now())
        .await?;
    Ok(axum::Json(view(&state, &record).await?))
}

/// `DELETE /api/v1/api-keys/{id}`
#[utoipa::path(
    delete,
    path = "/api/v1/api-keys/{id}",
    operation_id = "deleteApiKey",
    tag = "API keys",
    params(("id" = String, Path, description = "API key id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Deleted; the key stops working at once"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    state
        .keys
        .delete(&user.actor(), id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/api-keys/{id}/regenerate`
#[utoipa::path(
    post,
    path = "/api/v1/api-keys/{id}/regenerate",
    operation_id = "regenerateApiKey",
    tag = "API keys",
    params(("id" = String, Path, description = "API key id")),
    request_body(content = Option<RegenerateApiKey>, description = "Optional: the grace period of the old value"),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The key with its new value; the old one stops working at once, or when the grace period ends", body = ApiKeyWithSecret),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn regenerate_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    OptionalJson(request): OptionalJson<RegenerateApiKey>,
) -> Result<axum::Json<ApiKeyWithSecret>, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    let (record, plain) = state
        .keys
        .regenerate(&user.actor(), id, request.grace_seconds, state.clock.now())
        .await?;
    Ok(axum::Json(ApiKeyWithSecret {
        api_key: view(&state, &record).await?,
        key: plain.expose().to_owned(),
    }))
}

/// `POST /api/v1/api-keys/{id}/reveal` (Copy key)
#[utoipa::path(
    post,
    path = "/api/v1/api-keys/{id}/reveal",
    operation_id = "revealApiKey",
    tag = "API keys",
    params(("id" = String, Path, description = "API key id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The key's value (Copy key)", body = RevealedApiKey),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
    ),
)]
pub async fn reveal_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<axum::Json<RevealedApiKey>, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    let plain = state
        .keys
        .reveal(&user.actor(), id, state.clock.now())
        .await?;
    Ok(axum::Json(RevealedApiKey {
        key: plain.expose().to_owned(),
    }))
}
