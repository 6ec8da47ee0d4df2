//! Tags and alerts from the web UI and the CLI, with a session: list and create tags, delete
//! one, tag and untag devices (all or nothing, as `/v2`); list alerts (active or resolved, of a
//! device) and resolve one. Any signed-in person may.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::id::{AlertId, DeviceId, TagId};
use plumb_core::page::{Cursor, MAX_LIMIT, PageRequest};
use plumb_core::store::AlertStatus;
use plumb_proto::v1::List;
use plumb_proto::v2::{Alert, DeviceIds, Page, Tag, TagName};
use serde::Deserialize;

use crate::api::v2::alerts::alert_view;
use crate::api::v2::paging::PageQuery;
use crate::api::v2::params::device_ids;
use crate::api::v2::tags::tag_view;
use crate::auth::session::SignedIn;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// `GET /api/v1/tags`: every tag, by id.
#[utoipa::path(
    get,
    path = "/api/v1/tags",
    operation_id = "listTags",
    tag = "Devices",
    security(("session" = [])),
    responses(
        (status = 200, description = "Every tag", body = List<Tag>),
        (status = 401, response = crate::openapi::Unauthenticated),
    ),
)]
pub async fn list_tags(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<axum::Json<List<Tag>>, ApiError> {
    let organization_id = signed_in.user().organization.id;
    let mut data = Vec::new();
    let mut cursor = Cursor::First;
    loop {
        let request = PageRequest::<TagId> {
            limit: MAX_LIMIT,
            cursor,
        };
        let page = state.tags.list(organization_id, &request).await?;
        let last = page.items.last().map(|tag| tag.id);
        data.extend(page.items.iter().map(tag_view));
        match last {
            Some(last) if page.has_more => cursor = Cursor::After(last),
            _ => return Ok(axum::Json(List { data })),
        }
    }
}

/// `POST /api/v1/tags`
#[utoipa::path(
    post,
    path = "/api/v1/tags",
    operation_id = "createTag",
    tag = "Devices",
    request_body = TagName,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new tag", body = Tag, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_tag(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppJson(request): AppJson<TagName>,
) -> Result<Response, ApiError> {
    let tag = state
        .tags
        .create(&signed_in.actor(), &request.name, state.clock.now())
        .await?;
    let location = format!("/api/v1/tags/{}", tag.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(tag_view(&tag)),
    )
        .into_response())
}

/// `DELETE /api/v1/tags/{id}`: the tag goes from every device.
#[utoipa::path(
    delete,
    path = "/api/v1/tags/{id}",
    operation_id = "deleteTag",
    tag = "Devices",
    params(("id" = String, Path, description = "Tag id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_tag(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, TagId::parse, "tag")?;
    state
        .tags
        .delete(&signed_in.actor(), id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/tags/{id}/devices`: tags every listed device, or none (422 naming a device
/// that already carries it).
#[utoipa::path(
    post,
    path = "/api/v1/tags/{id}/devices",
    operation_id = "tagDevices",
    tag = "Devices",
    params(("id" = String, Path, description = "Tag id")),
    request_body = DeviceIds,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The tag", body = Tag),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn tag_devices(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
    AppJson(request): AppJson<DeviceIds>,
) -> Result<axum::Json<Tag>, ApiError> {
    let tag = path_id(&id, TagId::parse, "tag")?;
    let ids = device_ids(&request.device_ids)?;
    let updated = state
        .tags
        .tag_devices(&signed_in.actor(), tag, &ids, state.clock.now())
        .await?;
    Ok(axum::Json(tag_view(&updated)))
}

/// `DELETE /api/v1/tags/{id}/devices`: untags every listed device, or none.
#[utoipa::path(
    delete,
    path = "/api/v1/tags/{id}/devices",
    operation_id = "untagDevices",
    tag = "Devices",
    params(("id" = String, Path, description = "Tag id")),
    request_body = DeviceIds,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Untagged"),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn untag_devices(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
    AppJson(request): AppJson<DeviceIds>,
) -> Result<StatusCode, ApiError> {
    let tag = path_id(&id, TagId::parse, "tag")?;
    let ids = device_ids(&request.device_ids)?;
    state
        .tags
        .untag_devices(&signed_in.actor(), tag, &ids, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Query of `GET /api/v1/alerts`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertQuery {
    /// Only this device's alerts.
    device_id: Option<String>,
    /// `active` or `resolved`; absent: both.
    #[param(value_type = Option<String>, pattern = "^(active|resolved)$")]
    status: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

/// `GET /api/v1/alerts`
#[utoipa::path(
    get,
    path = "/api/v1/alerts",
    operation_id = "listAlerts",
    tag = "Alerts",
    params(AlertQuery, PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "A page of alerts, in id order", body = Page<Alert>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
    ),
)]
pub async fn list_alerts(
    State(state): State<AppState>,
    signed_in: SignedIn,
    AppQuery(query): AppQuery<AlertQuery>,
) -> Result<axum::Json<Page<Alert>>, ApiError> {
    let device = match query.device_id.as_deref() {
        None | Some("") => None,
        Some(text) => Some(DeviceId::parse(text).ok_or_else(|| {
            ApiError::BadRequest("device_id is not a valid device id".to_owned())
        })?),
    };
    let status = match query.status.as_deref() {
        None | Some("") => None,
        Some("active") => Some(AlertStatus::Active),
        Some("resolved") => Some(AlertStatus::Resolved),
        Some(_) => {
            return Err(ApiError::BadRequest(
                "status must be active or resolved".to_owned(),
            ));
        }
    };
    let request = query.page.to_request(AlertId::parse)?;
    let page = state
        .alerts
        .list(signed_in.user().organization.id, device, status, &request)
        .await?;
    Ok(axum::Json(Page {
        data: page.items.iter().map(alert_view).collect(),
        has_more: page.has_more,
    }))
}

/// `POST /api/v1/alerts/{id}/resolve`
#[utoipa::path(
    post,
    path = "/api/v1/alerts/{id}/resolve",
    operation_id = "resolveAlert",
    tag = "Alerts",
    params(("id" = String, Path, description = "Alert id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The resolved alert", body = Alert),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn resolve_alert(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
) -> Result<axum::Json<Alert>, ApiError> {
    let id = path_id(&id, AlertId::parse, "alert")?;
    let alert = state
        .alerts
        .resolve(&signed_in.actor(), id, state.clock.now())
        .await?;
    Ok(axum::Json(alert_view(&alert)))
}
