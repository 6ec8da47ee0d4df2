//! Alerts: `/v2/alerts` (list by device and status, paged), `/v2/alerts/{id}` (show) and
//! `/v2/alerts/{id}/resolve`.

use axum::extract::State;
use plumb_core::id::{AlertId, DeviceId};
use plumb_core::store::AlertStatus;
pub use plumb_core::views::alert_view;
use plumb_proto::v2::{Alert, Page};
use serde::Deserialize;

use super::paging::PageQuery;
use super::params::filter_id;
use crate::auth::api_key::{ApiKeyActor, ApiKeyAuth};
use crate::error::ApiError;
use crate::extract::{AppQuery, PathId, path_id};
use crate::state::AppState;

/// Query of `GET /v2/alerts`.
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

/// `GET /v2/alerts`: `status` is `active` or `resolved` (absent: both).
#[utoipa::path(
    get,
    path = "/v2/alerts",
    operation_id = "listAlerts",
    tag = "Alerts",
    params(AlertQuery, PageQuery),
    responses(
        (status = 200, description = "A page of alerts", body = Page<Alert>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_alerts(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<AlertQuery>,
) -> Result<axum::Json<Page<Alert>>, ApiError> {
    let device = filter_id("device_id", query.device_id.as_deref(), DeviceId::parse)?;
    let status = match query.status.as_deref() {
        None => None,
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
        .list(key.organization_id, device, status, &request)
        .await?;
    Ok(axum::Json(Page {
        data: page.items.iter().map(alert_view).collect(),
        has_more: page.has_more,
    }))
}

/// `GET /v2/alerts/{id}`
#[utoipa::path(
    get,
    path = "/v2/alerts/{id}",
    operation_id = "showAlert",
    tag = "Alerts",
    params(("id" = String, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The alert", body = Alert),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn show_alert(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    PathId(id): PathId,
) -> Result<axum::Json<Alert>, ApiError> {
    let id = path_id(&id, AlertId::parse, "alert")?;
    let alert = state.alerts.get(key.organization_id, id).await?;
    Ok(axum::Json(alert_view(&alert)))
}

/// `POST /v2/alerts/{id}/resolve`: answers with the alert; resolving a resolved alert keeps its
/// first resolution time.
#[utoipa::path(
    post,
    path = "/v2/alerts/{id}/resolve",
    operation_id = "resolveAlert",
    tag = "Alerts",
    params(("id" = String, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The resolved alert", body = Alert),
        (status = 401, response = crate::openapi::AccessDenied),
        (status = 403, response = crate::openapi::ReadOnlyKey),
        (status = 404, response = crate::openapi::NotFound),
    ),
)]
pub async fn resolve_alert(
    State(state): State<AppState>,
    ApiKeyActor(actor): ApiKeyActor,
    PathId(id): PathId,
) -> Result<axum::Json<Alert>, ApiError> {
    let id = path_id(&id, AlertId::parse, "alert")?;
    let alert = state.alerts.resolve(&actor, id, state.clock.now()).await?;
    Ok(axum::Json(alert_view(&alert)))
}
