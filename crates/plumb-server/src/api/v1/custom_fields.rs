//! Custom fields under `/api/v1`: the fields (everyone signed in lists them; Settings creates,
//! renames and deletes), a value set or cleared at one level (organization, group or device;
//! everyone signed in), and a device's values with where each comes from. Fields marked
//! administrators-only are hidden, values and all, from technicians.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::custom_fields::{Assignee, reference, visible_to};
use plumb_core::id::{CustomFieldId, DeviceId};
use plumb_core::page::{Cursor, MAX_LIMIT, PageRequest};
use plumb_core::store::CustomFieldRecord;
use plumb_proto::v1::{
    CreateCustomField, CustomField, DeviceFieldValue, List, SetCustomFieldValue, UpdateCustomField,
    ValueSource,
};

use crate::auth::session::{SettingsUser, SignedIn};
use crate::error::ApiError;
use crate::extract::{AppJson, PathId, path_id};
use crate::state::AppState;

/// `GET /api/v1/custom-fields`: every field the person may see, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/custom-fields",
    operation_id = "listCustomFields",
    tag = "Custom fields",
    security(("session" = [])),
    responses(
        (status = 200, description = "The fields, oldest first", body = List<CustomField>),
        (status = 401, response = crate::openapi::Unauthenticated),
    ),
)]
pub async fn list_custom_fields(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<axum::Json<List<CustomField>>, ApiError> {
    let user = signed_in.user();
    let mut data = Vec::new();
    let mut cursor = Cursor::First;
    loop {
        let page = PageRequest {
            limit: MAX_LIMIT,
            cursor,
        };
        let found = state
            .custom_fields
            .list(user.organization.id, &page)
            .await?;
        data.extend(
            found
                .items
                .iter()
                .filter(|field| visible_to(field, user.role))
                .map(field_view),
        );
        match found.items.last() {
            Some(last) if found.has_more => cursor = Cursor::After(last.id),
            _ => break,
        }
    }
    Ok(axum::Json(List { data }))
}

/// `POST /api/v1/custom-fields`
#[utoipa::path(
    post,
    path = "/api/v1/custom-fields",
    operation_id = "createCustomField",
    tag = "Custom fields",
    request_body = CreateCustomField,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new field", body = CustomField, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_custom_field(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppJson(request): AppJson<CreateCustomField>,
) -> Result<Response, ApiError> {
    let field = state
        .custom_fields
        .create(
            &user.actor(),
            &request.name,
            request.admin_only,
            state.clock.now(),
        )
        .await?;
    let location = format!("/api/v1/custom-fields/{}", field.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(field_view(&field)),
    )
        .into_response())
}

/// `PATCH /api/v1/custom-fields/{id}`
#[utoipa::path(
    patch,
    path = "/api/v1/custom-fields/{id}",
    operation_id = "updateCustomField",
    tag = "Custom fields",
    params(("id" = String, Path, description = "Custom field id")),
    request_body = UpdateCustomField,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The field", body = CustomField),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_custom_field(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateCustomField>,
) -> Result<axum::Json<CustomField>, ApiError> {
    let id = visible_field(&state, &user, &id).await?.id;
    let field = state
        .custom_fields
        .update(
            &user.actor(),
            id,
            request.name.as_deref(),
            request.admin_only,
            state.clock.now(),
        )
        .await?;
    Ok(axum::Json(field_view(&field)))
}

/// `DELETE /api/v1/custom-fields/{id}`: the field and its values at every level.
#[utoipa::path(
    delete,
    path = "/api/v1/custom-fields/{id}",
    operation_id = "deleteCustomField",
    tag = "Custom fields",
    params(("id" = String, Path, description = "Custom field id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Deleted, with its values"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_custom_field(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let id = visible_field(&state, &user, &id).await?.id;
    state
        .custom_fields
        .delete(&user.actor(), id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/v1/custom-fields/{id}/value`: sets the value at one level, or clears it.
#[utoipa::path(
    put,
    path = "/api/v1/custom-fields/{id}/value",
    operation_id = "setCustomFieldValue",
    tag = "Custom fields",
    params(("id" = String, Path, description = "Custom field id")),
    request_body = SetCustomFieldValue,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Set (or cleared) at that level"),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn set_custom_field_value(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
    AppJson(request): AppJson<SetCustomFieldValue>,
) -> Result<StatusCode, ApiError> {
    let field = visible_field(&state, &signed_in, &id).await?;
    let actor = signed_in.actor();
    let field = field.id.to_string();
    let level = request.assigned_to_id.as_deref();
    match request.value {
        Some(value) => {
            state
                .custom_fields
                .set_value(&actor, &field, level, value, false, state.clock.now())
                .await?;
        }
        None => {
            state
                .custom_fields
                .delete_value(&actor, &field, level, false, state.clock.now())
                .await?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/devices/{id}/custom-fields`: the value of each field that applies to the
/// device, and whether it is the device's own, a group's or the organization's.
#[utoipa::path(
    get,
    path = "/api/v1/devices/{id}/custom-fields",
    operation_id = "listDeviceCustomFieldValues",
    tag = "Custom fields",
    params(("id" = String, Path, description = "Device id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Each field's value for the device, in field order", body = List<DeviceFieldValue>),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn device_custom_fields(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
) -> Result<axum::Json<List<DeviceFieldValue>>, ApiError> {
    let device = path_id(&id, DeviceId::parse, "device")?;
    let user = signed_in.user();
    let organization_id = user.organization.id;
    let text = device.to_string();
    let mut data = Vec::new();
    let mut cursor = Cursor::First;
    loop {
        let page = PageRequest {
            limit: MAX_LIMIT,
            cursor,
        };
        let found = state
            .custom_fields
            .values(organization_id, Some(&text), None, &page)
            .await?;
        for value in &found.items {
            if !visible_to(&value.field, user.role) {
                continue;
            }
            let (source, group) = match value.assignee {
                None => (None, None),
                Some(Assignee::Device(_)) => (Some(ValueSource::Device), None),
                Some(Assignee::Organization) => (Some(ValueSource::Organization), None),
                Some(Assignee::Group(group)) => (Some(ValueSource::Group), Some(group)),
            };
            let group_name = match group {
                Some(group) => Some(state.groups.get(organization_id, group).await?.name),
                None => None,
            };
            data.push(DeviceFieldValue {
                field: field_view(&value.field),
                value: value.value.clone(),
                source,
                source_group_id: group.map(|group| group.to_string()),
                source_group_name: group_name,
            });
        }
        match found.items.last() {
            Some(last) if found.has_more => cursor = Cursor::After(last.field.id),
            _ => break,
        }
    }
    Ok(axum::Json(List { data }))
}

/// The field `text` names, if the person may see it; anything else is not found.
async fn visible_field(
    state: &AppState,
    signed_in: &SignedIn,
    text: &str,
) -> Result<CustomFieldRecord, ApiError> {
    let id = path_id(text, CustomFieldId::parse, "custom field")?;
    let user = signed_in.user();
    let field = state.custom_fields.get(user.organization.id, id).await?;
    if !visible_to(&field, user.role) {
        return Err(ApiError::not_found("custom field"));
    }
    Ok(field)
}

fn field_view(field: &CustomFieldRecord) -> CustomField {
    CustomField {
        id: field.id.to_string(),
        name: field.name.clone(),
        reference: reference(&field.name),
        admin_only: field.admin_only,
    }
}
