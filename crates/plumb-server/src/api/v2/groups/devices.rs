//! Group membership: `POST` and `DELETE /v2/groups/{id}/devices`, all or nothing.

use axum::extract::State;
use plumb_core::id::{DeviceId, GroupId};
use plumb_proto::v2::{DeviceIds, Group, Success};

use super::group_view;
use crate::auth::api_key::ApiKeyActor;
use crate::error::ApiError;
use crate::extract::{AppJson, PathId, path_id};
use crate::state::AppState;

/// `POST /v2/groups/{id}/devices`
#[utoipa::path(
    post,
    path = "/v2/groups/{id}/devices",
    operation_id = "assignDevicesToGroup",
    tag = "Groups",
    params(("id" = String, Path, description = "Group id")),
    request_body = DeviceIds,
    responses(
        (status = 200, description = "The group, with the devices in it", body = Group),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn assign_devices(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
    AppJson(request): AppJson<DeviceIds>,
) -> Result<axum::Json<Group>, ApiError> {
    let id = path_id(&id, GroupId::parse, "group")?;
    let devices = device_ids(&request.device_ids)?;
    let group = state
        .groups
        .assign_devices(&actor, id, &devices, state.clock.now())
        .await?;
    Ok(axum::Json(group_view(&group)))
}

/// `DELETE /v2/groups/{id}/devices`
#[utoipa::path(
    delete,
    path = "/v2/groups/{id}/devices",
    operation_id = "removeGroupDevices",
    tag = "Groups",
    params(("id" = String, Path, description = "Group id")),
    request_body = DeviceIds,
    responses(
        (status = 200, description = "The devices are in no group now", body = Success),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn remove_devices(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
    AppJson(request): AppJson<DeviceIds>,
) -> Result<axum::Json<Success>, ApiError> {
    let id = path_id(&id, GroupId::parse, "group")?;
    let devices = device_ids(&request.device_ids)?;
    state
        .groups
        .remove_devices(&actor, id, &devices, state.clock.now())
        .await?;
    Ok(axum::Json(Success { success: true }))
}

fn device_ids(texts: &[String]) -> Result<Vec<DeviceId>, ApiError> {
    let mut ids = Vec::with_capacity(texts.len());
    for text in texts {
        let id =
            DeviceId::parse(text).ok_or_else(|| ApiError::not_found(&format!("device {text}")))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}
