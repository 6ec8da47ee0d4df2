//! Custom field values: `GET`, `PATCH` and `DELETE /v2/custom_field_values`. A value is set for
//! the organization (`assigned_to_id` null), a group, or a device; a device sees the nearest one
//! (device, its group, that group's ancestors, the organization).

use axum::extract::State;
use plumb_core::StoreError;
use plumb_core::custom_fields::{Assignee, StoredValue, effective_for_device};
use plumb_core::id::{CustomFieldId, DeviceId, GroupId, OrganizationId};
use plumb_core::store::CustomFieldRecord;
use plumb_proto::v2::{
    CustomFieldValue, DeleteCustomFieldValue, Page, SetCustomFieldValue, Success,
};
use serde::Deserialize;

use crate::api::v2::devices::not_found;
use crate::api::v2::paging::PageQuery;
use crate::api::v2::params::{filter_id, page_in_memory};
use crate::auth::api_key::ApiKeyAuth;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery};
use crate::state::AppState;

/// Longest value, in characters.
pub const VALUE_MAX: usize = 10_000;

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
    let mut fields = state.store.all_custom_fields(organization_id).await?;
    if let Some(field) = field {
        fields.retain(|known| known.id == field);
        if fields.is_empty() {
            return Err(ApiError::NotFound("custom field not found".to_owned()));
        }
    }
    let assignee = assignee(&state, organization_id, query.assigned_to_id.as_deref()).await?;
    let values = match assignee {
        Assignee::Device(device) => {
            device_values(&state, organization_id, device, &fields, field).await?
        }
        level => state
            .store
            .custom_field_values(organization_id, &[level], field)
            .await?
            .into_iter()
            .map(|stored| (stored.field_id, Some(stored.assignee), stored.value))
            .collect::<Vec<_>>(),
    };
    let (items, has_more) = page_in_memory(values, &request, |(field_id, _, _)| *field_id);
    Ok(axum::Json(Page {
        data: items
            .into_iter()
            .filter_map(|(field_id, assignee, value)| {
                let field = fields.iter().find(|field| field.id == field_id)?;
                Some(value_view(field, assignee, value))
            })
            .collect(),
        has_more,
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
    ApiKeyAuth(key): ApiKeyAuth,
    AppJson(request): AppJson<SetCustomFieldValue>,
) -> Result<axum::Json<CustomFieldValue>, ApiError> {
    let organization_id = key.organization_id;
    let value = checked_value(request.value)?;
    let field = field(&state, organization_id, &request.custom_field_id).await?;
    let assignee = assignee(&state, organization_id, request.assigned_to_id.as_deref()).await?;
    let stored = StoredValue {
        field_id: field.id,
        assignee,
        value: Some(value),
    };
    state
        .store
        .set_custom_field_value(organization_id, &stored, request.force, state.clock.now())
        .await
        .map_err(not_found("custom field or assignee"))?;
    Ok(axum::Json(value_view(&field, Some(assignee), stored.value)))
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
    ApiKeyAuth(key): ApiKeyAuth,
    AppJson(request): AppJson<DeleteCustomFieldValue>,
) -> Result<axum::Json<Success>, ApiError> {
    let organization_id = key.organization_id;
    let field = field(&state, organization_id, &request.custom_field_id).await?;
    let assignee = assignee(&state, organization_id, request.assigned_to_id.as_deref()).await?;
    state
        .store
        .delete_custom_field_value(organization_id, field.id, assignee, request.force)
        .await
        .map_err(not_found("custom field or assignee"))?;
    Ok(axum::Json(Success { success: true }))
}

/// Checks a value's length (at most [`VALUE_MAX`] characters); kept as written.
pub fn checked_value(value: String) -> Result<String, ApiError> {
    if value.chars().count() > VALUE_MAX {
        return Err(ApiError::Validation(format!(
            "value must be at most {VALUE_MAX} characters"
        )));
    }
    Ok(value)
}

/// A value as Level shows it.
fn value_view(
    field: &CustomFieldRecord,
    assignee: Option<Assignee>,
    value: Option<String>,
) -> CustomFieldValue {
    CustomFieldValue {
        custom_field_id: field.id.to_string(),
        custom_field_name: field.name.clone(),
        assigned_to_id: match assignee {
            None | Some(Assignee::Organization) => None,
            Some(Assignee::Group(id)) => Some(id.to_string()),
            Some(Assignee::Device(id)) => Some(id.to_string()),
        },
        value,
    }
}

/// The effective value of each of `fields` for a device.
async fn device_values(
    state: &AppState,
    organization_id: OrganizationId,
    device: DeviceId,
    fields: &[CustomFieldRecord],
    field: Option<CustomFieldId>,
) -> Result<Vec<(CustomFieldId, Option<Assignee>, Option<String>)>, ApiError> {
    let record = state
        .store
        .device(organization_id, device)
        .await
        .map_err(not_found("device"))?;
    let mut chain = Vec::new();
    if let Some(group) = record.group_id {
        chain.push(group);
        chain.extend(state.store.group_ancestors(organization_id, group).await?);
    }
    let mut levels = vec![Assignee::Device(device)];
    levels.extend(chain.iter().map(|group| Assignee::Group(*group)));
    levels.push(Assignee::Organization);
    let stored = state
        .store
        .custom_field_values(organization_id, &levels, field)
        .await?;
    let ids: Vec<CustomFieldId> = fields.iter().map(|field| field.id).collect();
    Ok(effective_for_device(&ids, device, &chain, &stored)
        .into_iter()
        .map(|effective| (effective.field_id, effective.assignee, effective.value))
        .collect())
}

/// The field named by a body's `custom_field_id`; a malformed or unknown id is a 404.
async fn field(
    state: &AppState,
    organization_id: OrganizationId,
    text: &str,
) -> Result<CustomFieldRecord, ApiError> {
    let id = CustomFieldId::parse(text)
        .ok_or_else(|| ApiError::NotFound("custom field not found".to_owned()))?;
    state
        .store
        .custom_field(organization_id, id)
        .await
        .map_err(not_found("custom field"))
}

/// Where `assigned_to_id` points: absent, `null` or empty is the organization; otherwise a
/// device or a group of the organization (404 for anything else).
async fn assignee(
    state: &AppState,
    organization_id: OrganizationId,
    text: Option<&str>,
) -> Result<Assignee, ApiError> {
    let text = match text {
        None | Some("" | "null") => return Ok(Assignee::Organization),
        Some(text) => text,
    };
    let missing = || ApiError::NotFound(format!("no device or group {text}"));
    let device = DeviceId::parse(text).ok_or_else(missing)?;
    match state.store.device(organization_id, device).await {
        Ok(_) => return Ok(Assignee::Device(device)),
        Err(StoreError::NotFound) => {}
        Err(other) => return Err(other.into()),
    }
    let group = GroupId(device.0);
    match state.store.group(organization_id, group).await {
        Ok(_) => Ok(Assignee::Group(group)),
        Err(StoreError::NotFound) => Err(missing()),
        Err(other) => Err(other.into()),
    }
}
