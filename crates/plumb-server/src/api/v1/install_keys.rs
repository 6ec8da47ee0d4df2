//! Install keys (Settings): list, create and revoke under `/api/v1/install-keys`. Only the
//! create response holds a key's value.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use plumb_core::credential::{self, TokenKind};
use plumb_core::id::{GroupId, InstallKeyId};
use plumb_core::store::InstallKeyRecord;
use plumb_proto::v1::{CreateInstallKey, CreatedInstallKey, InstallKey, List};

use crate::api::v1::automation_webhooks::public_base;
use crate::auth::session::SettingsUser;
use crate::downloads::pages::install_command;
use crate::error::ApiError;
use crate::extract::{AppJson, PathId, path_id};
use crate::state::AppState;

/// `GET /api/v1/install-keys`: live keys, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/install-keys",
    operation_id = "listInstallKeys",
    tag = "Install keys",
    security(("session" = [])),
    responses(
        (status = 200, description = "Live keys, newest first", body = List<InstallKey>),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
    ),
)]
pub async fn list_install_keys(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
) -> Result<axum::Json<List<InstallKey>>, ApiError> {
    let keys = state.install_keys.list(user.user().organization.id).await?;
    Ok(axum::Json(List {
        data: keys.iter().map(install_key_view).collect(),
    }))
}

/// `POST /api/v1/install-keys`
#[utoipa::path(
    post,
    path = "/api/v1/install-keys",
    operation_id = "createInstallKey",
    tag = "Install keys",
    request_body = CreateInstallKey,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new key with its value, shown this once", body = CreatedInstallKey, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
    ),
)]
pub async fn create_install_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    headers: HeaderMap,
    AppJson(request): AppJson<CreateInstallKey>,
) -> Result<Response, ApiError> {
    let group_id = request
        .group_id
        .as_deref()
        .map(|id| path_id(id, GroupId::parse, "group"))
        .transpose()?;
    let (record, plain) = state
        .install_keys
        .create(&user.actor(), group_id, state.clock.now())
        .await?;
    let body = CreatedInstallKey {
        id: record.id.to_string(),
        key: plain.expose().to_owned(),
        install_command: install_command(&public_base(&state, &headers), plain.expose()),
        group_id: record.group_id.map(|group| group.to_string()),
        created_at: record.created_at,
    };
    let location = format!("/api/v1/install-keys/{}", record.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(body),
    )
        .into_response())
}

/// `DELETE /api/v1/install-keys/{id}`: revokes the key.
#[utoipa::path(
    delete,
    path = "/api/v1/install-keys/{id}",
    operation_id = "revokeInstallKey",
    tag = "Install keys",
    params(("id" = String, Path, description = "Install key id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn revoke_install_key(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, InstallKeyId::parse, "install key")?;
    state
        .install_keys
        .revoke(&user.actor(), id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn install_key_view(record: &InstallKeyRecord) -> InstallKey {
    InstallKey {
        id: record.id.to_string(),
        masked_key: credential::mask(TokenKind::InstallKey, &record.hint),
        group_id: record.group_id.map(|group| group.to_string()),
        created_at: record.created_at,
    }
}
