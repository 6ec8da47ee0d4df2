//! Tags: `/v2/tags` (list, optionally of one device, and create), `/v2/tags/{id}` (show, rename
//! with PATCH or PUT, delete) and `/v2/tags/{id}/devices` (tag and untag devices).

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::id::{DeviceId, TagId};
use plumb_core::store::TagRecord;
use plumb_proto::v2::{Page, Success, Tag, TagName};
use serde::Deserialize;

pub mod devices;

pub use devices::{tag_devices, untag_devices};

use super::paging::PageQuery;
use super::params::filter_id;
use crate::auth::api_key::{ApiKeyActor, ApiKeyAuth};
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /v2/tags`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TagQuery {
    /// Only the tags this device carries.
    device_id: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

/// `GET /v2/tags`; with `device_id`, the tags that device carries (paged the same way).
#[utoipa::path(
    get,
    path = "/v2/tags",
    operation_id = "listTags",
    tag = "Tags",
    params(TagQuery, PageQuery),
    responses(
        (status = 200, description = "A page of tags", body = Page<Tag>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_tags(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<TagQuery>,
) -> Result<axum::Json<Page<Tag>>, ApiError> {
    let device = filter_id("device_id", query.device_id.as_deref(), DeviceId::parse)?;
    let request = query.page.to_request(TagId::parse)?;
    let page = match device {
        None => state.tags.list(key.organization_id, &request).await?,
        Some(device) => {
            state
                .tags
                .carried_by(key.organization_id, device, &request)
                .await?
        }
    };
    Ok(axum::Json(Page {
        data: page.items.iter().map(tag_view).collect(),
        has_more: page.has_more,
    }))
}

/// `GET /v2/tags/{id}`
#[utoipa::path(
    get,
    path = "/v2/tags/{id}",
    operation_id = "showTag",
    tag = "Tags",
    params(("id" = String, Path, description = "Tag id")),
    responses(
        (status = 200, description = "The tag", body = Tag),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_tag(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
) -> Result<axum::Json<Tag>, ApiError> {
    let id = path_id(&id, TagId::parse, "tag")?;
    let tag = state.tags.get(key.organization_id, id).await?;
    Ok(axum::Json(tag_view(&tag)))
}

/// `POST /v2/tags`: 201 with the tag; a taken name is a 422.
#[utoipa::path(
    post,
    path = "/v2/tags",
    operation_id = "createTag",
    tag = "Tags",
    request_body = TagName,
    responses(
        (status = 201, description = "The new tag", body = Tag, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_tag(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    AppJson(request): AppJson<TagName>,
) -> Result<Response, ApiError> {
    let tag = state
        .tags
        .create(&actor, &request.name, state.clock.now())
        .await?;
    let location = format!("/v2/tags/{}", tag.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(tag_view(&tag)),
    )
        .into_response())
}

/// `PATCH /v2/tags/{id}` (PUT is accepted too): renames; a taken name is a 422.
#[utoipa::path(
    method(patch, put),
    path = "/v2/tags/{id}",
    operation_id = "updateTag",
    tag = "Tags",
    params(("id" = String, Path, description = "Tag id")),
    request_body = TagName,
    responses(
        (status = 200, description = "The renamed tag", body = Tag),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_tag(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
    AppJson(request): AppJson<TagName>,
) -> Result<axum::Json<Tag>, ApiError> {
    let id = path_id(&id, TagId::parse, "tag")?;
    let tag = state
        .tags
        .rename(&actor, id, &request.name, state.clock.now())
        .await?;
    Ok(axum::Json(tag_view(&tag)))
}

/// `DELETE /v2/tags/{id}`: the tag comes off every device.
#[utoipa::path(
    delete,
    path = "/v2/tags/{id}",
    operation_id = "deleteTag",
    tag = "Tags",
    params(("id" = String, Path, description = "Tag id")),
    responses(
        (status = 200, description = "Deleted; it came off every device", body = Success),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_tag(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
) -> Result<axum::Json<Success>, ApiError> {
    let id = path_id(&id, TagId::parse, "tag")?;
    state.tags.delete(&actor, id, state.clock.now()).await?;
    Ok(axum::Json(Success { success: true }))
}

/// A tag as Level shows it.
pub fn tag_view(tag: &TagRecord) -> Tag {
    Tag {
        id: tag.id.to_string(),
        name: tag.name.clone(),
        device_count: tag.device_count,
    }
}
