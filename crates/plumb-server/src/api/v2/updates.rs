//! Updates (patches and packages a device reports): `/v2/updates` (list by device and status,
//! paged) and `/v2/updates/{id}` (show).

use axum::extract::State;
use plumb_core::id::{DeviceId, UpdateId};
use plumb_core::store::UpdateRecord;
use plumb_proto::v2::{Page, Update};
use serde::Deserialize;

use super::paging::PageQuery;
use super::params::filter_id;
use crate::auth::api_key::ApiKeyAuth;
use crate::error::ApiError;
use crate::extract::{AppQuery, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /v2/updates`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpdateQuery {
    /// Only this device's updates.
    device_id: Option<String>,
    /// `available` or `installed`; absent: both.
    #[param(value_type = Option<String>, pattern = "^(available|installed)$")]
    status: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

/// `GET /v2/updates`: `status` is `available` or `installed` (absent: both).
#[utoipa::path(
    get,
    path = "/v2/updates",
    operation_id = "listUpdates",
    tag = "Updates",
    params(UpdateQuery, PageQuery),
    responses(
        (status = 200, description = "A page of updates", body = Page<Update>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_updates(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<UpdateQuery>,
) -> Result<axum::Json<Page<Update>>, ApiError> {
    let device = filter_id("device_id", query.device_id.as_deref(), DeviceId::parse)?;
    let available = match query.status.as_deref() {
        None => None,
        Some("available") => Some(true),
        Some("installed") => Some(false),
        Some(_) => {
            return Err(ApiError::BadRequest(
                "status must be available or installed".to_owned(),
            ));
        }
    };
    let request = query.page.to_request(UpdateId::parse)?;
    let page = state
        .updates
        .list(key.organization_id, device, available, &request)
        .await?;
    Ok(axum::Json(Page {
        data: page.items.iter().map(update_view).collect(),
        has_more: page.has_more,
    }))
}

/// `GET /v2/updates/{id}`
#[utoipa::path(
    get,
    path = "/v2/updates/{id}",
    operation_id = "showUpdate",
    tag = "Updates",
    params(("id" = String, Path, description = "Update id")),
    responses(
        (status = 200, description = "The update", body = Update),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_update(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
) -> Result<axum::Json<Update>, ApiError> {
    let id = path_id(&id, UpdateId::parse, "update")?;
    let update = state.updates.get(key.organization_id, id).await?;
    Ok(axum::Json(update_view(&update)))
}

/// An update as Level shows it.
pub fn update_view(record: &UpdateRecord) -> Update {
    let update = &record.update;
    Update {
        id: record.id.to_string(),
        device_id: record.device_id.to_string(),
        device_hostname: Some(record.device_hostname.clone()),
        name: Some(update.name.clone()),
        category: update.category.clone(),
        version: update.version.clone(),
        size: update.size,
        kb_ids: update.kb_ids.clone(),
        is_available: Some(update.is_available),
        error: update.error.clone(),
        published_on: update.published_on,
        installed_on: update.installed_on,
    }
}
