//! Custom fields: `/v2/custom_fields` (list, create) and `/v2/custom_fields/{id}` (show, update
//! with PATCH or PUT, delete with every value). Their values live in [`values`]; the group
//! side of the cascade (`custom_fields` on a group) is `GroupRecord::custom_fields` and its
//! siblings in plumb-core, used by `/v2/groups`.

pub mod values;

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::custom_fields::reference;
use plumb_core::id::CustomFieldId;
use plumb_core::store::CustomFieldRecord;
use plumb_proto::v2::{CreateCustomField, CustomField, Page, Success, UpdateCustomField};

use super::paging::PageQuery;
use crate::auth::api_key::{ApiKeyActor, ApiKeyAuth};
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// `GET /v2/custom_fields`
#[utoipa::path(
    get,
    path = "/v2/custom_fields",
    operation_id = "listCustomFields",
    tag = "Custom Fields",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of custom fields", body = Page<CustomField>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_custom_fields(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<axum::Json<Page<CustomField>>, ApiError> {
    let request = query.to_request(CustomFieldId::parse)?;
    let page = state
        .custom_fields
        .list(key.organization_id, &request)
        .await?;
    Ok(axum::Json(Page {
        data: page.items.iter().map(custom_field_view).collect(),
        has_more: page.has_more,
    }))
}

/// `GET /v2/custom_fields/{id}`
#[utoipa::path(
    get,
    path = "/v2/custom_fields/{id}",
    operation_id = "showCustomField",
    tag = "Custom Fields",
    params(("id" = String, Path, description = "Custom field id")),
    responses(
        (status = 200, description = "The field", body = CustomField),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_custom_field(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
) -> Result<axum::Json<CustomField>, ApiError> {
    let id = path_id(&id, CustomFieldId::parse, "custom field")?;
    let field = state.custom_fields.get(key.organization_id, id).await?;
    Ok(axum::Json(custom_field_view(&field)))
}

/// `POST /v2/custom_fields`: 201 with the field; a taken name (or one whose `reference` another
/// field already has) is a 422.
#[utoipa::path(
    post,
    path = "/v2/custom_fields",
    operation_id = "createCustomField",
    tag = "Custom Fields",
    request_body = CreateCustomField,
    responses(
        (status = 201, description = "The new field", body = CustomField, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_custom_field(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    AppJson(request): AppJson<CreateCustomField>,
) -> Result<Response, ApiError> {
    let field = state
        .custom_fields
        .create(&actor, &request.name, request.admin_only, state.clock.now())
        .await?;
    let location = format!("/v2/custom_fields/{}", field.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(custom_field_view(&field)),
    )
        .into_response())
}

/// `PATCH /v2/custom_fields/{id}` (PUT is accepted too): `name` and/or `admin_only`.
#[utoipa::path(
    method(patch, put),
    path = "/v2/custom_fields/{id}",
    operation_id = "updateCustomField",
    tag = "Custom Fields",
    params(("id" = String, Path, description = "Custom field id")),
    request_body = UpdateCustomField,
    responses(
        (status = 200, description = "The field", body = CustomField),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_custom_field(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateCustomField>,
) -> Result<axum::Json<CustomField>, ApiError> {
    let id = path_id(&id, CustomFieldId::parse, "custom field")?;
    let field = state
        .custom_fields
        .update(
            &actor,
            id,
            request.name.as_deref(),
            request.admin_only,
            state.clock.now(),
        )
        .await?;
    Ok(axum::Json(custom_field_view(&field)))
}

/// `DELETE /v2/custom_fields/{id}`: the field and every value of it, at every level.
#[utoipa::path(
    delete,
    path = "/v2/custom_fields/{id}",
    operation_id = "deleteCustomField",
    tag = "Custom Fields",
    params(("id" = String, Path, description = "Custom field id")),
    responses(
        (status = 200, description = "Deleted, with every value of it", body = Success),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_custom_field(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
) -> Result<axum::Json<Success>, ApiError> {
    let id = path_id(&id, CustomFieldId::parse, "custom field")?;
    state
        .custom_fields
        .delete(&actor, id, state.clock.now())
        .await?;
    Ok(axum::Json(Success { success: true }))
}

/// A custom field as Level shows it.
pub fn custom_field_view(field: &CustomFieldRecord) -> CustomField {
    CustomField {
        id: field.id.to_string(),
        name: field.name.clone(),
        reference: reference(&field.name),
        admin_only: field.admin_only,
    }
}
