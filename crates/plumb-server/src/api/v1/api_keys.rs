//! API keys (Settings): list, show, create, edit, regenerate, reveal (Copy key) and delete under
//! `/api/v1/api-keys`. Only create and regenerate return the full value, and reveal on request.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::id::ApiKeyId;
use plumb_core::store::ApiKeyChange;
use plumb_proto::v1::{ApiKey, ApiKeyWithSecret, CreateApiKey, List, RevealedApiKey, UpdateApiKey};
use serde::Deserialize;

use super::key_view;
use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /api/v1/api-keys`.
#[derive(Debug, Deserialize)]
pub struct KeyQuery {
    search: Option<String>,
}

/// `GET /api/v1/api-keys`
pub async fn list_api_keys(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppQuery(query): AppQuery<KeyQuery>,
) -> Result<axum::Json<List<ApiKey>>, ApiError> {
    let keys = state
        .keys
        .list(user.user().organization.id, query.search.as_deref())
        .await?;
    Ok(axum::Json(List {
        data: keys.iter().map(key_view).collect(),
    }))
}

/// `GET /api/v1/api-keys/{id}`
pub async fn show_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<axum::Json<ApiKey>, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    let record = state.keys.get(user.user().organization.id, id).await?;
    Ok(axum::Json(key_view(&record)))
}

/// `POST /api/v1/api-keys`
pub async fn create_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppJson(request): AppJson<CreateApiKey>,
) -> Result<Response, ApiError> {
    let (record, plain) = state
        .keys
        .create(
            &user.actor(),
            &request.description,
            request.access,
            state.clock.now(),
        )
        .await?;
    let body = ApiKeyWithSecret {
        api_key: key_view(&record),
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
    };
    let record = state
        .keys
        .update(&user.actor(), id, change, state.clock.now())
        .await?;
    Ok(axum::Json(key_view(&record)))
}

/// `DELETE /api/v1/api-keys/{id}`
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
pub async fn regenerate_api_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<axum::Json<ApiKeyWithSecret>, ApiError> {
    let id = path_id(&id, ApiKeyId::parse, "api key")?;
    let (record, plain) = state
        .keys
        .regenerate(&user.actor(), id, state.clock.now())
        .await?;
    Ok(axum::Json(ApiKeyWithSecret {
        api_key: key_view(&record),
        key: plain.expose().to_owned(),
    }))
}

/// `POST /api/v1/api-keys/{id}/reveal` (Copy key)
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
