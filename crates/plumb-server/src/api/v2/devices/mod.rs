//! Devices: `/v2/devices` (list with filters, `include_*` flags and paging) and
//! `/v2/devices/{id}` (show, update with PATCH or PUT, delete). Devices arrive through the
//! agent; the API renames, annotates, moves and deletes them.

mod view;

pub use view::{IncludeQuery, Includes, device_view};

use axum::extract::State;
use plumb_core::devices::DeviceEdit;
use plumb_core::id::{DeviceId, GroupId, TagId};
use plumb_core::store::DeviceFilter;
use plumb_proto::v2::{Device, Page, Success, UpdateDevice};
use serde::Deserialize;

use super::paging::PageQuery;
use super::params::filter_id;
use crate::auth::api_key::{ApiKeyActor, ApiKeyAuth};
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /v2/devices`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeviceListQuery {
    /// Devices directly in this group; `null` for devices in no group.
    group_id: Option<String>,
    /// Devices anywhere under this group.
    ancestor_group_id: Option<String>,
    /// Devices carrying this tag.
    tag_id: Option<String>,
    /// Exact hostname.
    hostname: Option<String>,
    /// Exact serial number.
    serial_number: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    includes: IncludeQuery,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

/// `GET /v2/devices`
#[utoipa::path(
    get,
    path = "/v2/devices",
    operation_id = "listDevices",
    tag = "Devices",
    params(DeviceListQuery, IncludeQuery, PageQuery),
    responses(
        (status = 200, description = "A page of devices", body = Page<Device>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_devices(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<DeviceListQuery>,
) -> Result<axum::Json<Page<Device>>, ApiError> {
    let includes = query.includes.parse()?;
    let group_id = match query.group_id.as_deref() {
        None => None,
        Some("null") => Some(None),
        Some(text) => Some(filter_id("group_id", Some(text), GroupId::parse)?),
    };
    let filter = DeviceFilter {
        group_id,
        ancestor_group_id: filter_id(
            "ancestor_group_id",
            query.ancestor_group_id.as_deref(),
            GroupId::parse,
        )?,
        tag_id: filter_id("tag_id", query.tag_id.as_deref(), TagId::parse)?,
        hostname: query.hostname,
        serial_number: query.serial_number,
        ..DeviceFilter::default()
    };
    let request = query.page.to_request(DeviceId::parse)?;
    let page = state
        .devices
        .list(key.organization_id, &filter, &request, includes.detail())
        .await?;
    Ok(axum::Json(Page {
        data: page
            .items
            .into_iter()
            .map(|device| device_view(device, includes))
            .collect(),
        has_more: page.has_more,
    }))
}

/// `GET /v2/devices/{id}`
#[utoipa::path(
    get,
    path = "/v2/devices/{id}",
    operation_id = "showDevice",
    tag = "Devices",
    params(("id" = String, Path, description = "Device id"), IncludeQuery),
    responses(
        (status = 200, description = "The device", body = Device),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_device(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
    AppQuery(query): AppQuery<IncludeQuery>,
) -> Result<axum::Json<Device>, ApiError> {
    let includes = query.parse()?;
    let id = path_id(&id, DeviceId::parse, "device")?;
    let device = state
        .devices
        .get(key.organization_id, id, includes.detail())
        .await?;
    Ok(axum::Json(device_view(device, includes)))
}

/// `PATCH /v2/devices/{id}` (PUT is accepted too): `name` sets the nickname, `notes`, and
/// `group_id` moves the device (`null`: out of any group).
#[utoipa::path(
    method(patch, put),
    path = "/v2/devices/{id}",
    operation_id = "updateDevice",
    tag = "Devices",
    params(("id" = String, Path, description = "Device id")),
    request_body = UpdateDevice,
    responses(
        (status = 200, description = "The device", body = Device),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_device(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateDevice>,
) -> Result<axum::Json<Device>, ApiError> {
    let id = path_id(&id, DeviceId::parse, "device")?;
    let edit = DeviceEdit {
        nickname: request.name,
        notes: request.notes,
        group_id: request.group_id,
    };
    let device = state
        .devices
        .update(&actor, id, edit, state.clock.now())
        .await?;
    Ok(axum::Json(device_view(device, Includes::default())))
}

/// `DELETE /v2/devices/{id}`: the device, its tags, values, alerts and updates go, and its
/// device token stops working at once.
#[utoipa::path(
    delete,
    path = "/v2/devices/{id}",
    operation_id = "deleteDevice",
    tag = "Devices",
    params(("id" = String, Path, description = "Device id")),
    responses(
        (status = 200, description = "Deleted", body = Success),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_device(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
) -> Result<axum::Json<Success>, ApiError> {
    let id = path_id(&id, DeviceId::parse, "device")?;
    state.devices.delete(&actor, id, state.clock.now()).await?;
    Ok(axum::Json(Success { success: true }))
}
