//! Custom fields: `/v2/custom_fields` (list, create) and `/v2/custom_fields/{id}` (show, update
//! with PATCH or PUT, delete with every value). Their values live in [`values`]; the group
//! side of the cascade (`custom_fields` on a group) in [`group`].

pub mod group;
pub mod values;

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::StoreError;
use plumb_core::id::{CustomFieldId, OrganizationId};
use plumb_core::store::CustomFieldRecord;
use plumb_core::validate;
use plumb_proto::v2::{CreateCustomField, CustomField, Page, Success, UpdateCustomField};

use super::devices::not_found;
use super::paging::PageQuery;
use crate::auth::api_key::ApiKeyAuth;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, PathId, path_id};
use crate::state::AppState;

/// Longest custom field name, in characters.
pub const NAME_MAX: usize = 100;

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
        .store
        .list_custom_fields(key.organization_id, &request)
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
    let field = state
        .store
        .custom_field(key.organization_id, id)
        .await
        .map_err(not_found("custom field"))?;
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
    ApiKeyAuth(key): ApiKeyAuth,
    AppJson(request): AppJson<CreateCustomField>,
) -> Result<Response, ApiError> {
    let name = validate::text("name", &request.name, NAME_MAX)?;
    let id = CustomFieldId::new();
    check_unique(&state, key.organization_id, id, &name).await?;
    let field = CustomFieldRecord {
        id,
        name,
        admin_only: request.admin_only,
    };
    let field = state
        .store
        .insert_custom_field(key.organization_id, &field, state.clock.now())
        .await
        .map_err(name_taken)?;
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
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateCustomField>,
) -> Result<axum::Json<CustomField>, ApiError> {
    let id = path_id(&id, CustomFieldId::parse, "custom field")?;
    let name = request
        .name
        .map(|name| validate::text("name", &name, NAME_MAX))
        .transpose()?;
    let current = state
        .store
        .custom_field(key.organization_id, id)
        .await
        .map_err(not_found("custom field"))?;
    if let Some(name) = &name {
        check_unique(&state, key.organization_id, id, name).await?;
    }
    if name.is_none() && request.admin_only.is_none() {
        return Ok(axum::Json(custom_field_view(&current)));
    }
    let field = state
        .store
        .update_custom_field(
            key.organization_id,
            id,
            name.as_deref(),
            request.admin_only,
            state.clock.now(),
        )
        .await
        .map_err(name_taken)?;
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
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
) -> Result<axum::Json<Success>, ApiError> {
    let id = path_id(&id, CustomFieldId::parse, "custom field")?;
    state
        .store
        .delete_custom_field(key.organization_id, id)
        .await
        .map_err(not_found("custom field"))?;
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

/// The script variable of a field: `cf_` and the name lower-cased, every run of characters
/// that are not letters or digits turned into one `_`, with no `_` at either end of the name
/// part ("ScreenConnect URL" → `cf_screenconnect_url`).
pub fn reference(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for character in name.chars().flat_map(char::to_lowercase) {
        if character.is_alphanumeric() {
            slug.push(character);
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let slug = slug.trim_end_matches('_');
    format!("cf_{slug}")
}

/// Refuses a name another field has (case-insensitively) or whose reference another field has.
async fn check_unique(
    state: &AppState,
    organization_id: OrganizationId,
    id: CustomFieldId,
    name: &str,
) -> Result<(), ApiError> {
    let wanted = reference(name);
    let fields = state.store.all_custom_fields(organization_id).await?;
    for other in fields.iter().filter(|field| field.id != id) {
        if other.name.to_lowercase() == name.to_lowercase() {
            return Err(ApiError::Validation(
                "a custom field with this name already exists".to_owned(),
            ));
        }
        if reference(&other.name) == wanted {
            return Err(ApiError::Validation(format!(
                "custom field \"{}\" already has the reference {wanted}; choose a more distinct name",
                other.name
            )));
        }
    }
    Ok(())
}

fn name_taken(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict { .. } => {
            ApiError::Validation("a custom field with this name already exists".to_owned())
        }
        other => not_found("custom field")(other),
    }
}

#[cfg(test)]
mod tests {
    use super::reference;

    #[test]
    fn references_are_lower_case_with_one_underscore_per_run_of_other_characters() {
        assert_eq!(reference("ScreenConnect URL"), "cf_screenconnect_url");
        assert_eq!(reference("  Site -- Code (2) "), "cf_site_code_2");
        assert_eq!(reference("__Owner__"), "cf_owner");
        assert_eq!(reference("Zürich Büro"), "cf_zürich_büro");
        assert_eq!(reference("🧑‍💻"), "cf_");
    }
}
