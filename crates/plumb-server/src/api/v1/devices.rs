//! Devices for the web UI: `GET /api/v1/devices` (search, group and online filters, keyset
//! paging like `/v2`) and `GET /api/v1/devices/{id}` (one device with its whole inventory).
//! Any signed-in person of the organization may read them; nothing here changes a device.

use axum::extract::State;
use plumb_core::devices::{self, SEARCH_MAX};
use plumb_core::id::{DeviceId, GroupId, TagId};
use plumb_core::store::{DeviceFilter, DeviceRecord, InventoryDetail, UpdateRecord};
use plumb_proto::v1::devices::{AvailableUpdate, DeviceDetail, DevicePage, DeviceSummary};
use serde::Deserialize;

use crate::api::v2::paging::PageQuery;
use crate::auth::session::SignedIn;
use crate::error::ApiError;
use crate::extract::{AppQuery, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /api/v1/devices`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeviceQuery {
    /// Text to look for in the hostname and nickname (at most 255 characters).
    search: Option<String>,
    /// Devices directly in this group; `null` for devices in no group.
    group_id: Option<String>,
    /// `true` or `false`.
    #[param(value_type = Option<bool>)]
    online: Option<String>,
    /// Devices carrying this tag.
    tag_id: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

/// `GET /api/v1/devices`
#[utoipa::path(
    get,
    path = "/api/v1/devices",
    operation_id = "listDevices",
    tag = "Devices",
    params(DeviceQuery, PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "A page of devices, in id order", body = DevicePage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
    ),
)]
pub async fn list_devices(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppQuery(query): AppQuery<DeviceQuery>,
) -> Result<axum::Json<DevicePage>, ApiError> {
    let filter = device_filter(&query)?;
    let request = query.page.to_request(DeviceId::parse)?;
    let organization_id = signed_in.user().organization.id;
    let page = state
        .devices
        .list(organization_id, &filter, &request, InventoryDetail::Summary)
        .await?;
    Ok(axum::Json(DevicePage {
        data: page.items.into_iter().map(summary_view).collect(),
        has_more: page.has_more,
    }))
}

/// `GET /api/v1/devices/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/devices/{id}",
    operation_id = "showDevice",
    tag = "Devices",
    params(("id" = String, Path, description = "Device id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The device with its inventory", body = DeviceDetail),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_device(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
) -> Result<axum::Json<DeviceDetail>, ApiError> {
    let id = path_id(&id, DeviceId::parse, "device")?;
    let organization_id = signed_in.user().organization.id;
    let detail = state.devices.detail(organization_id, id).await?;
    Ok(axum::Json(detail_view(detail)))
}

/// One device with its inventory and available updates, made from the records by value.
fn detail_view(detail: devices::DeviceDetail) -> DeviceDetail {
    let device = detail.device;
    DeviceDetail {
        id: device.id.to_string(),
        hostname: device.hostname,
        nickname: device.nickname,
        notes: device.notes,
        group_id: device.group_id.map(|group| group.to_string()),
        group_name: device.group_name,
        tags: device.tags,
        online: device.online,
        maintenance_mode: device.maintenance_mode,
        last_seen_at: device.last_seen_at,
        public_ip_address: device.public_ip_address,
        created_at: device.created_at,
        inventory: device.inventory.map(|inventory| *inventory),
        updates_available: detail
            .updates_available
            .into_iter()
            .map(update_view)
            .collect(),
    }
}

/// The filter a query asks for; a malformed value is a 400.
fn device_filter(query: &DeviceQuery) -> Result<DeviceFilter, ApiError> {
    let search = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty());
    if search.is_some_and(|text| text.chars().count() > SEARCH_MAX) {
        return Err(ApiError::BadRequest(format!(
            "search must have at most {SEARCH_MAX} characters"
        )));
    }
    let group_id = match query.group_id.as_deref().map(str::trim) {
        None | Some("") => None,
        // Level's spelling for "in no group", as on `/v2/devices`.
        Some("null") => Some(None),
        Some(text) => Some(Some(GroupId::parse(text).ok_or_else(|| {
            ApiError::BadRequest("group_id is not a valid group id".to_owned())
        })?)),
    };
    let online = match query.online.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            return Err(ApiError::BadRequest(
                "online must be true or false".to_owned(),
            ));
        }
    };
    let tag_id = match query.tag_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            TagId::parse(text)
                .ok_or_else(|| ApiError::BadRequest("tag_id is not a valid tag id".to_owned()))?,
        ),
    };
    Ok(DeviceFilter {
        group_id,
        online,
        tag_id,
        search: search.map(str::to_owned),
        ..DeviceFilter::default()
    })
}

/// A device as the list shows it, made from the record by value.
fn summary_view(record: DeviceRecord) -> DeviceSummary {
    let (os, platform) = match record.summary {
        Some(summary) => (summary.full_operating_system, summary.platform),
        None => (None, None),
    };
    DeviceSummary {
        id: record.id.to_string(),
        hostname: record.hostname,
        nickname: record.nickname,
        group_id: record.group_id.map(|group| group.to_string()),
        group_name: record.group_name,
        online: record.online,
        last_seen_at: record.last_seen_at,
        os,
        platform,
        public_ip_address: record.public_ip_address,
        tags: record.tags,
    }
}

fn update_view(record: UpdateRecord) -> AvailableUpdate {
    let update = record.update;
    AvailableUpdate {
        id: record.id.to_string(),
        name: update.name,
        category: update.category,
        version: update.version,
        size: update.size,
        kb_ids: update.kb_ids,
        published_on: update.published_on,
    }
}
