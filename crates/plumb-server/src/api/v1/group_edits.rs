//! Groups and devices changed from the web UI and the CLI, with a session: create, rename, move
//! and delete groups (the same rules as `/v2/groups`: a cycle or a sibling with the same name is
//! a 422, deleting moves the group's devices and subgroups up to its parent), move devices into a
//! group or out of any, and edit or delete one device. Any signed-in person may.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::devices::DeviceEdit;
use plumb_core::id::{DeviceId, GroupId};
use plumb_core::store::GroupChange;
use plumb_proto::v1::devices::{EditDevice, MoveDevices};
use plumb_proto::v2::{CreateGroup, Group, UpdateGroup};

use crate::api::v2::groups::group_view;
use crate::api::v2::params::device_ids;
use crate::auth::session::SignedIn;
use crate::error::ApiError;
use crate::extract::{AppJson, PathId, path_id};
use crate::state::AppState;

/// `POST /api/v1/groups`
#[utoipa::path(
    post,
    path = "/api/v1/groups",
    operation_id = "createGroup",
    tag = "Devices",
    request_body = CreateGroup,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new group", body = Group, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_group(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppJson(request): AppJson<CreateGroup>,
) -> Result<Response, ApiError> {
    let actor = signed_in.actor();
    let parent_id = request.parent_id.as_deref().map(parent_group).transpose()?;
    let group = state
        .groups
        .create(&actor, &request.name, parent_id, state.clock.now())
        .await?;
    let location = format!("/api/v1/groups/{}", group.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(group_view(&group)),
    )
        .into_response())
}

/// `PATCH /api/v1/groups/{id}`: `name` renames, `parent_id` moves (`null`: to the top).
#[utoipa::path(
    patch,
    path = "/api/v1/groups/{id}",
    operation_id = "updateGroup",
    tag = "Devices",
    params(("id" = String, Path, description = "Group id")),
    request_body = UpdateGroup,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The group", body = Group),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_group(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateGroup>,
) -> Result<axum::Json<Group>, ApiError> {
    let id = path_id(&id, GroupId::parse, "group")?;
    if request.custom_fields.is_some() {
        return Err(ApiError::BadRequest(
            "custom_fields are set on /v2/groups/{id}".to_owned(),
        ));
    }
    let parent_id = match request.parent_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(text)) => Some(Some(parent_group(&text)?)),
    };
    let change = GroupChange {
        name: request.name,
        parent_id,
    };
    let group = state
        .groups
        .update(&signed_in.actor(), id, change, state.clock.now())
        .await?;
    Ok(axum::Json(group_view(&group)))
}

/// `DELETE /api/v1/groups/{id}`: its devices and subgroups move up to its parent.
#[utoipa::path(
    delete,
    path = "/api/v1/groups/{id}",
    operation_id = "deleteGroup",
    tag = "Devices",
    params(("id" = String, Path, description = "Group id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn delete_group(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, GroupId::parse, "group")?;
    state
        .groups
        .delete(&signed_in.actor(), id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/devices/group`: all the devices or none (404 naming an unknown device).
#[utoipa::path(
    post,
    path = "/api/v1/devices/group",
    operation_id = "moveDevices",
    tag = "Devices",
    request_body = MoveDevices,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Moved"),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn move_devices(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppJson(request): AppJson<MoveDevices>,
) -> Result<StatusCode, ApiError> {
    let actor = signed_in.actor();
    let ids = device_ids(&request.device_ids)?;
    let now = state.clock.now();
    match request.group_id.as_deref() {
        Some(text) => {
            let group = path_id(text, GroupId::parse, "group")?;
            state
                .groups
                .assign_devices(&actor, group, &ids, now)
                .await?;
        }
        None => {
            state.groups.ungroup_devices(&actor, &ids, now).await?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `PATCH /api/v1/devices/{id}`: nickname, notes, group.
#[utoipa::path(
    patch,
    path = "/api/v1/devices/{id}",
    operation_id = "editDevice",
    tag = "Devices",
    params(("id" = String, Path, description = "Device id")),
    request_body = EditDevice,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn edit_device(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
    AppJson(request): AppJson<EditDevice>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, DeviceId::parse, "device")?;
    let edit = DeviceEdit {
        nickname: request.nickname,
        notes: request.notes,
        group_id: request.group_id,
    };
    state
        .devices
        .update(&signed_in.actor(), id, edit, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/devices/{id}`: the device and everything about it; its agent's token stops
/// working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/devices/{id}",
    operation_id = "deleteDevice",
    tag = "Devices",
    params(("id" = String, Path, description = "Device id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_device(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, DeviceId::parse, "device")?;
    state
        .devices
        .delete(&signed_in.actor(), id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn parent_group(text: &str) -> Result<GroupId, ApiError> {
    GroupId::parse(text).ok_or_else(|| ApiError::not_found("parent group"))
}
