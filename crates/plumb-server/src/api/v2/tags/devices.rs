//! Tag membership: `POST` and `DELETE /v2/tags/{id}/devices`, all or nothing.

use axum::extract::State;
use plumb_core::StoreError;
use plumb_core::id::{DeviceId, OrganizationId, TagId};
use plumb_proto::v2::{DeviceIds, Success, Tag};

use super::tag_view;
use crate::api::v2::devices::not_found;
use crate::api::v2::params::{device_ids, devices_not_found};
use crate::auth::api_key::ApiKeyAuth;
use crate::error::ApiError;
use crate::extract::{AppJson, PathId, path_id};
use crate::state::AppState;

/// `POST /v2/tags/{id}/devices`: tags every listed device, or none (404 naming unknown
/// devices, 422 naming devices that already carry the tag). Answers with the tag.
#[utoipa::path(
    post,
    path = "/v2/tags/{id}/devices",
    operation_id = "tagDevices",
    tag = "Tags",
    params(("id" = String, Path, description = "Tag id")),
    request_body = DeviceIds,
    responses(
        (status = 200, description = "The tag", body = Tag),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn tag_devices(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
    AppJson(request): AppJson<DeviceIds>,
) -> Result<axum::Json<Tag>, ApiError> {
    let tag = path_id(&id, TagId::parse, "tag")?;
    let ids = device_ids(&request.device_ids)?;
    let name = checked(&state, key.organization_id, tag, &ids).await?;
    let updated = match state
        .store
        .tag_devices(key.organization_id, tag, &ids, state.clock.now())
        .await
    {
        Err(StoreError::Conflict { .. }) => {
            let already = carriers(&state, key.organization_id, &name, &ids, true).await?;
            return Err(membership_error("already carry", &already));
        }
        other => other.map_err(membership_race)?,
    };
    Ok(axum::Json(tag_view(&updated)))
}

/// `DELETE /v2/tags/{id}/devices`: untags every listed device, or none (404 naming unknown
/// devices, 422 naming devices that do not carry the tag).
#[utoipa::path(
    delete,
    path = "/v2/tags/{id}/devices",
    operation_id = "removeTagFromDevices",
    tag = "Tags",
    params(("id" = String, Path, description = "Tag id")),
    request_body = DeviceIds,
    responses(
        (status = 200, description = "Untagged", body = Success),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn untag_devices(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
    AppJson(request): AppJson<DeviceIds>,
) -> Result<axum::Json<Success>, ApiError> {
    let tag = path_id(&id, TagId::parse, "tag")?;
    let ids = device_ids(&request.device_ids)?;
    let name = checked(&state, key.organization_id, tag, &ids).await?;
    match state
        .store
        .untag_devices(key.organization_id, tag, &ids)
        .await
    {
        Err(StoreError::Conflict { .. }) => {
            let missing = carriers(&state, key.organization_id, &name, &ids, false).await?;
            return Err(membership_error("do not carry", &missing));
        }
        other => other.map_err(membership_race)?,
    };
    Ok(axum::Json(Success { success: true }))
}

/// Checks the tag and every device exist (404 naming the unknown devices); returns the tag's
/// name.
async fn checked(
    state: &AppState,
    organization_id: OrganizationId,
    tag: TagId,
    ids: &[DeviceId],
) -> Result<String, ApiError> {
    let tag = state
        .store
        .tag(organization_id, tag)
        .await
        .map_err(not_found("tag"))?;
    let found: Vec<DeviceId> = state
        .store
        .device_groups(organization_id, ids)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let unknown: Vec<_> = ids.iter().filter(|id| !found.contains(id)).collect();
    if !unknown.is_empty() {
        return Err(devices_not_found(&unknown));
    }
    Ok(tag.name)
}

/// The listed devices that carry the tag (`carrying`) or do not; only asked after the store
/// refused a change, to name them.
async fn carriers(
    state: &AppState,
    organization_id: OrganizationId,
    tag_name: &str,
    ids: &[DeviceId],
    carrying: bool,
) -> Result<Vec<DeviceId>, ApiError> {
    let mut matching = Vec::new();
    for id in ids {
        let device = state
            .store
            .device(organization_id, *id)
            .await
            .map_err(not_found("device"))?;
        if device.tags.iter().any(|tag| tag == tag_name) == carrying {
            matching.push(*id);
        }
    }
    Ok(matching)
}

fn membership_error(verb: &str, ids: &[DeviceId]) -> ApiError {
    let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let noun = if names.len() == 1 {
        "device"
    } else {
        "devices"
    };
    ApiError::Validation(format!("{noun} {verb} this tag: {}", names.join(", ")))
}

/// A tag or membership change that raced another request.
fn membership_race(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict { .. } => ApiError::Validation(
            "the tag's devices changed meanwhile; nothing was changed, try again".to_owned(),
        ),
        StoreError::NotFound => ApiError::NotFound("tag or device not found".to_owned()),
        other => other.into(),
    }
}
