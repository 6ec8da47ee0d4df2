//! Custom field values: `GET`, `PATCH` and `DELETE /v2/custom_field_values`. A value is set for
//! the organization (`assigned_to_id` null), a group, or a device; a device sees the nearest one
//! (device, its group, that group's ancestors, the organization).

use axum::extract::State;
use plumb_core::custom_fields::{Assignee, FieldValue};
use plumb_core::id::CustomFieldId;
use plumb_proto::v2::{
    CustomFieldValue, DeleteCustomFieldValue, Page, SetCustomFieldValue, Success,
};
use serde::Deserialize;

use crate::api::v2::paging::PageQuery;
use crate::api::v2::params::filter_id;
use crate::auth::api_key::{ApiKeyActor, ApiKeyAuth};
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Query of `GET /v2/custom_field_values`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValueQuery {
    /// A device id (its effective values) or a group id (the group's own values); absent or
    /// `null`: the organization's values.
    assigned_to_id: Option<String>,
    /// Only this field.
    custom_field_id: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    page: PageQuery,
}

/// `GET /v2/custom_field_values`. Without `assigned_to_id` (or with `null`): the values set for
/// the organization. With a device id: the effective value of every field for that device, and
/// where it is set. With a group id: the values set on that group itself. Paged by
/// `custom_field_id`, in field id order.
#[utoipa::path(
    get,
    path = "/v2/custom_field_values",
    operation_id = "listCustomFieldValues",
    tag = "Custom Field Values",
    params(ValueQuery, PageQuery),
    responses(
        (status = 200, description = "A page of values, in field id order", body = Page<CustomFieldValue>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn list_values(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<ValueQuery>,
) -> Result<axum::Json<Page<CustomFieldValue>>, ApiError> {
    let organization_id = key.organization_id;
    let field = filter_id(
        "custom_field_id",
        query.custom_field_id.as_deref(),
        CustomFieldId::parse,
    )?;
    let request = query.page.to_request(CustomFieldId::parse)?;
    let page = state
        .custom_fields
        .values(
            organization_id,
            query.assigned_to_id.as_deref(),
            field,
            &request,
        )
        .await?;
    Ok(axum::Json(Page {
        data: page.items.into_iter().map(value_view).collect(),
        has_more: page.has_more,
    }))
}

/// `PATCH /v2/custom_field_values`: sets a value at one level; with `force`, the values set
/// below that level for the field are removed so this one applies everywhere beneath.
#[utoipa::path(
    patch,
    path = "/v2/custom_field_values",
    operation_id = "updateCustomFieldValue",
    tag = "Custom Field Values",
    request_body = SetCustomFieldValue,
    responses(
        (status = 200, description = "The value as set", body = CustomFieldValue),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn set_value(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    AppJson(request): AppJson<SetCustomFieldValue>,
) -> Result<axum::Json<CustomFieldValue>, ApiError> {
    let value = state
        .custom_fields
        .set_value(
            &actor,
            &request.custom_field_id,
            request.assigned_to_id.as_deref(),
            request.value,
            request.force,
            state.clock.now(),
        )
        .await?;
    Ok(axum::Json(value_view(value)))
}

/// `DELETE /v2/custom_field_values` (JSON body): removes the value at one level (and below it
/// with `force`). Removing a value that is not set succeeds and changes nothing.
#[utoipa::path(
    delete,
    path = "/v2/custom_field_values",
    operation_id = "deleteCustomFieldValue",
    tag = "Custom Field Values",
    request_body = DeleteCustomFieldValue,
    responses(
        (status = 200, description = "Deleted (or was not set)", body = Success),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
    ),
)]
pub async fn delete_value(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    AppJson(request): AppJson<DeleteCustomFieldValue>,
) -> Result<axum::Json<Success>, ApiError> {
    state
        .custom_fields
        .delete_value(
            &actor,
            &request.custom_field_id,
            request.assigned_to_id.as_deref(),
            request.force,
            state.clock.now(),
        )
        .await?;
    Ok(axum::Json(Success { success: true }))
}

/// A value as Level shows it.
fn value_view(value: FieldValue) -> CustomFieldValue {
    CustomFieldValue {
        custom_field_id: value.field.id.to_string(),
        custom_field_name: value.field.name,
        assigned_to_id: match value.assignee {
            None | Some(Assignee::Organization) => None,
            Some(Assignee::Group(id)) => Some(id.to_string()),
            Some(Assignee::Device(id)) => Some(id.to_string()),
        },
        value: value.value,
    }
}
