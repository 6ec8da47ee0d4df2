//! Groups: `/v2/groups` (list with `parent_id` and paging, create), `/v2/groups/{id}` (show
//! with the group's own custom field values, update with PATCH or PUT, delete); membership
//! (`/v2/groups/{id}/devices`) is in `devices`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::id::GroupId;
use plumb_core::store::{GroupChange, ParentFilter};
pub use plumb_core::views::group_view;
use plumb_proto::v2::{CreateGroup, Group, Page, Success, UpdateGroup};
use serde::Deserialize;

pub mod devices;

use super::paging::PageQuery;
use crate::auth::api_key::{ApiKeyActor, ApiKeyAuth};
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /v2/groups`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// Only the children of this group; `null` (or empty) for the root groups.
    parent_id: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

/// `GET /v2/groups`
#[utoipa::path(
    get,
    path = "/v2/groups",
    operation_id = "listGroups",
    tag = "Groups",
    params(GroupQuery, PageQuery),
    responses(
        (status = 200, description = "A page of groups", body = Page<Group>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_groups(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<GroupQuery>,
) -> Result<axum::Json<Page<Group>>, ApiError> {
    let parent =
        match query.parent_id.as_deref() {
            None => ParentFilter::Any,
            Some("null") | Some("") => ParentFilter::Root,
            Some(id) => ParentFilter::ChildrenOf(GroupId::parse(id).ok_or_else(|| {
                ApiError::BadRequest("parent_id is not a valid group id".to_owned())
            })?),
        };
    let request = query.page.to_request(GroupId::parse)?;
    let page = state
        .groups
        .list(key.organization_id, parent, &request)
        .await?;
    Ok(axum::Json(Page {
        data: page.items.iter().map(group_view).collect(),
        has_more: page.has_more,
    }))
}

/// `GET /v2/groups/{id}`
#[utoipa::path(
    get,
    path = "/v2/groups/{id}",
    operation_id = "showGroup",
    tag = "Groups",
    params(("id" = String, Path, description = "Group id")),
    responses(
        (status = 200, description = "The group, with its own custom field values", body = Group),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_group(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
) -> Result<axum::Json<Group>, ApiError> {
    let id = path_id(&id, GroupId::parse, "group")?;
    // The record carries the group's own values, so a cached group is shown from memory.
    let record = state.groups.get(key.organization_id, id).await?;
    let mut group = group_view(&record);
    group.custom_fields = Some(record.custom_fields);
    Ok(axum::Json(group))
}

/// `POST /v2/groups`
#[utoipa::path(
    post,
    path = "/v2/groups",
    operation_id = "createGroup",
    tag = "Groups",
    request_body = CreateGroup,
    responses(
        (status = 201, description = "The new group", body = Group, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_group(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    AppJson(request): AppJson<CreateGroup>,
) -> Result<Response, ApiError> {
    let parent_id = request.parent_id.as_deref().map(parent_group).transpose()?;
    let group = state
        .groups
        .create(&actor, &request.name, parent_id, state.clock.now())
        .await?;
    let location = format!("/v2/groups/{}", group.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(group_view(&group)),
    )
        .into_response())
}

/// `PATCH /v2/groups/{id}` (PUT is accepted too): `name`, `parent_id`, and `custom_fields`
/// (field name → value, `null` deletes the group's value). Everything is checked before
/// anything changes.
#[utoipa::path(
    method(patch, put),
    path = "/v2/groups/{id}",
    operation_id = "updateGroup",
    tag = "Groups",
    params(("id" = String, Path, description = "Group id")),
    request_body = UpdateGroup,
    responses(
        (status = 200, description = "The group", body = Group),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_group(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateGroup>,
) -> Result<axum::Json<Group>, ApiError> {
    let id = path_id(&id, GroupId::parse, "group")?;
    let parent_id = match request.parent_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(text)) => Some(Some(parent_group(&text)?)),
    };
    let change = GroupChange {
        name: request.name,
        parent_id,
    };
    let planned = match request.custom_fields {
        Some(requested) => Some(
            state
                .custom_fields
                .plan_group_values(actor.organization_id, requested)
                .await?,
        ),
        None => None,
    };
    let now = state.clock.now();
    let group = state.groups.update(&actor, id, change, now).await?;
    if let Some(planned) = planned {
        state
            .custom_fields
            .apply_group_values(&actor, id, planned, now)
            .await?;
    }
    Ok(axum::Json(group_view(&group)))
}

/// `DELETE /v2/groups/{id}`
#[utoipa::path(
    delete,
    path = "/v2/groups/{id}",
    operation_id = "deleteGroup",
    tag = "Groups",
    params(("id" = String, Path, description = "Group id")),
    responses(
        (status = 200, description = "Deleted", body = Success),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn delete_group(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
) -> Result<axum::Json<Success>, ApiError> {
    let id = path_id(&id, GroupId::parse, "group")?;
    state.groups.delete(&actor, id, state.clock.now()).await?;
    Ok(axum::Json(Success { success: true }))
}

fn parent_group(text: &str) -> Result<GroupId, ApiError> {
    GroupId::parse(text).ok_or_else(|| ApiError::not_found("parent group"))
}
