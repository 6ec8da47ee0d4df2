//! An event webhook's delivery log (`GET /api/v1/webhooks/{id}/deliveries`, newest first),
//! re-running a delivery (`POST .../deliveries/{delivery_id}/rerun`, same `event_id`) and
//! sending a test event (`POST /api/v1/webhooks/{id}/test`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use plumb_core::id::{AttemptId, EndpointId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_proto::v1::{EventDelivery, EventDeliveryPage, QueuedEvent};
use serde::Deserialize;

use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::{AppQuery, PathId, path_id};
use crate::state::AppState;

/// Attempts per page by default, and at most.
const LIMIT_DEFAULT: u32 = 50;
const LIMIT_MAX: u32 = 200;

/// Query of `GET /api/v1/webhooks/{id}/deliveries`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Attempts per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200, default = 50)]
    limit: Option<String>,
    /// The previous page's `next_cursor`, for older attempts.
    cursor: Option<String>,
}

/// `GET /api/v1/webhooks/{id}/deliveries`
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}/deliveries",
    operation_id = "listEventWebhookDeliveries",
    tag = "Event webhooks",
    params(("id" = String, Path, description = "Webhook id"), DeliveryQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "Every attempt, newest first", body = EventDeliveryPage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn list_event_webhook_deliveries(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
    AppQuery(query): AppQuery<DeliveryQuery>,
) -> Result<axum::Json<EventDeliveryPage>, ApiError> {
    let id = path_id(&id, EndpointId::parse, "webhook")?;
    let limit = match query.limit.as_deref() {
        None => LIMIT_DEFAULT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=LIMIT_MAX).contains(limit))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "limit must be a whole number from 1 to {LIMIT_MAX}"
                ))
            })?,
    };
    let cursor = match query.cursor.as_deref() {
        None => Cursor::First,
        Some(text) => Cursor::After(AttemptId::parse(text).ok_or_else(|| {
            ApiError::BadRequest("cursor is not a valid delivery cursor".to_owned())
        })?),
    };
    let page = state
        .endpoints
        .attempts(&user.actor(), id, &PageRequest { limit, cursor })
        .await?;
    let next_cursor = page
        .has_more
        .then(|| page.items.last().map(|attempt| attempt.id.to_string()))
        .flatten();
    let data = page
        .items
        .into_iter()
        .map(|attempt| EventDelivery {
            id: attempt.id.to_string(),
            event_id: attempt.event_id.to_string(),
            event_type: attempt.event_type,
            attempted_at: attempt.attempted_at,
            status: attempt.status,
            ok: attempt.ok,
            duration_ms: attempt.duration_ms,
            response: attempt.response,
            request_body: attempt.request_body,
            delivery_state: attempt.delivery_state,
        })
        .collect();
    Ok(axum::Json(EventDeliveryPage { data, next_cursor }))
}

/// `POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/rerun`: one more attempt of that
/// delivery's event, with the same `event_id` and body, due at once.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/rerun",
    operation_id = "rerunEventWebhookDelivery",
    tag = "Event webhooks",
    params(("id" = String, Path, description = "Webhook id"), ("delivery_id" = String, Path, description = "An attempt's id from the delivery log")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 202, description = "Queued"),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
    ),
)]
pub async fn rerun_event_webhook_delivery(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    Path((id, delivery_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, EndpointId::parse, "webhook")?;
    let attempt = path_id(&delivery_id, AttemptId::parse, "delivery")?;
    state
        .endpoints
        .rerun(&user.actor(), id, attempt, state.clock.now())
        .await?;
    Ok(StatusCode::ACCEPTED)
}

/// `POST /api/v1/webhooks/{id}/test`: queues a `test` event for this endpoint only.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/test",
    operation_id = "testEventWebhook",
    tag = "Event webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 202, description = "Queued; it shows in the delivery log once attempted", body = QueuedEvent),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
    ),
)]
pub async fn test_event_webhook(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    PathId(id): PathId,
) -> Result<(StatusCode, axum::Json<QueuedEvent>), ApiError> {
    let id = path_id(&id, EndpointId::parse, "webhook")?;
    let event_id = state
        .endpoints
        .send_test(&user.actor(), id, state.clock.now())
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(QueuedEvent {
            event_id: event_id.to_string(),
        }),
    ))
}
