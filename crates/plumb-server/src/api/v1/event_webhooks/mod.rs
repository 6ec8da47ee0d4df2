//! Outgoing event webhooks (Settings → Webhooks): `/api/v1/webhooks` lists and creates
//! endpoints, `/api/v1/webhooks/{id}` shows, changes (`PATCH`, or `PUT` with the same body) and
//! deletes one; the delivery log, re-runs and test events are in `deliveries`. Administrators
//! and technicians with the Settings permission only. A secret is never shown, except one
//! plumb generated, in the response that generated it.

mod deliveries;

pub use deliveries::*;

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use plumb_core::events::endpoints::{EndpointInput, SavedEndpoint};
use plumb_core::id::EndpointId;
use plumb_core::store::EndpointRecord;
use plumb_proto::v1::{CreateEventWebhook, EventWebhook, List, UpdateEventWebhook};

use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::{AppJson, PathId, path_id};
use crate::state::AppState;

/// `GET /api/v1/webhooks`
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    operation_id = "listEventWebhooks",
    tag = "Event webhooks",
    security(("session" = [])),
    responses(
        (status = 200, description = "The endpoints, oldest first", body = List<EventWebhook>),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
    ),
)]
pub async fn list_event_webhooks(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
) -> Result<axum::Json<List<EventWebhook>>, ApiError> {
    let endpoints = state.endpoints.list(&user.actor()).await?;
    Ok(axum::Json(List {
        data: endpoints
            .into_iter()
            .map(|record| view(record, None))
            .collect(),
    }))
}

/// `POST /api/v1/webhooks`
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    operation_id = "createEventWebhook",
    tag = "Event webhooks",
    request_body = CreateEventWebhook,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new endpoint (with its secret if plumb generated one, shown this once)", body = EventWebhook, headers(("Location" = String, description = "The new object's URL"))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn create_event_webhook(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppJson(request): AppJson<CreateEventWebhook>,
) -> Result<Response, ApiError> {
    let input = EndpointInput {
        url: Some(request.url),
        description: request.description,
        secret: request.secret.map(Some),
        generate_secret: request.generate_secret,
        event_types: Some(request.event_types),
        severities: Some(request.alert_severities),
        enabled: request.enabled,
    };
    let saved = state
        .endpoints
        .create(&user.actor(), input, state.clock.now())
        .await?;
    let location = format!("/api/v1/webhooks/{}", saved.record.id);
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        axum::Json(saved_view(saved)),
    )
        .into_response())
}

/// `GET /api/v1/webhooks/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}",
    operation_id = "showEventWebhook",
    tag = "Event webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The endpoint", body = EventWebhook),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_event_webhook(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<axum::Json<EventWebhook>, ApiError> {
    let id = path_id(&id, EndpointId::parse, "webhook")?;
    let record = state.endpoints.get(&user.actor(), id).await?;
    Ok(axum::Json(view(record, None)))
}

/// `PATCH /api/v1/webhooks/{id}`
#[utoipa::path(
    patch,
    path = "/api/v1/webhooks/{id}",
    operation_id = "updateEventWebhook",
    tag = "Event webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    request_body = UpdateEventWebhook,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The endpoint as it now is", body = EventWebhook),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn update_event_webhook(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppJson(request): AppJson<UpdateEventWebhook>,
) -> Result<axum::Json<EventWebhook>, ApiError> {
    let id = path_id(&id, EndpointId::parse, "webhook")?;
    let input = EndpointInput {
        url: request.url,
        description: request.description,
        secret: request.secret,
        generate_secret: request.generate_secret,
        event_types: request.event_types,
        severities: request.alert_severities,
        enabled: request.enabled,
    };
    let saved = state
        .endpoints
        .update(&user.actor(), id, input, state.clock.now())
        .await?;
    Ok(axum::Json(saved_view(saved)))
}

/// `PUT /api/v1/webhooks/{id}`: the same as `PATCH`, for clients that send `PUT`.
#[utoipa::path(
    put,
    path = "/api/v1/webhooks/{id}",
    operation_id = "replaceEventWebhook",
    tag = "Event webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    request_body = UpdateEventWebhook,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The endpoint as it now is", body = EventWebhook),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 422, response = crate::openapi::Invalid),
    ),
)]
pub async fn replace_event_webhook(
    state: State<AppState>,
    user: SettingsUser,
    id: PathId,
    request: AppJson<UpdateEventWebhook>,
) -> Result<axum::Json<EventWebhook>, ApiError> {
    update_event_webhook(state, user, id, request).await
}

/// `DELETE /api/v1/webhooks/{id}`: its pending deliveries and its log go with it.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    operation_id = "deleteEventWebhook",
    tag = "Event webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn delete_event_webhook(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, EndpointId::parse, "webhook")?;
    state
        .endpoints
        .delete(&user.actor(), id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn saved_view(saved: SavedEndpoint) -> EventWebhook {
    view(saved.record, saved.generated_secret)
}

fn view(record: EndpointRecord, secret: Option<String>) -> EventWebhook {
    EventWebhook {
        id: record.id.to_string(),
        url: record.url,
        description: record.description,
        has_secret: !record.sealed_secret.is_empty(),
        event_types: record.event_types,
        alert_severities: record.severities,
        enabled: record.enabled,
        created_at: record.created_at,
        updated_at: record.updated_at,
        secret,
    }
}
