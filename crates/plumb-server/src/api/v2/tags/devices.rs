//! Tag membership: `POST` and `DELETE /v2/tags/{id}/devices`, all or nothing.

use axum::extract::State;
use plumb_core::id::TagId;
use plumb_proto::v2::{DeviceIds, Success, Tag};

use super::tag_view;
use crate::api::v2::params::device_ids;
use crate::auth::api_key::ApiKeyActor;
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
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
    AppJson(request): AppJson<DeviceIds>,
) -> Result<axum::Json<Tag>, ApiError> {
    let tag = path_id(&id, TagId::parse, "tag")?;
    let ids = device_ids(&request.device_ids)?;
    let updated = state
        .tags
        .tag_devices(&actor, tag, &ids, state.clock.now())
        .await?;
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
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
    AppJson(request): AppJson<DeviceIds>,
) -> Result<axum::Json<Success>, ApiError> {
    let tag = path_id(&id, TagId::parse, "tag")?;
    let ids = device_ids(&request.device_ids)?;
    state
        .tags
        .untag_devices(&actor, tag, &ids, state.clock.now())
        .await?;
    Ok(axum::Json(Success { success: true }))
}
