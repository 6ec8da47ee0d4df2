//! The activity log: `GET /api/v1/activity?limit=&cursor=`, newest first.

use axum::extract::State;
use plumb_core::activity::{LOG_LIMIT_DEFAULT, LOG_LIMIT_MAX};
use plumb_core::id::ActivityId;
use plumb_proto::v1::{Activity, ActivityPage};
use serde::Deserialize;

use super::{acting_key_view, actor_view};
use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::AppQuery;
use crate::state::AppState;

/// Query of `GET /api/v1/activity`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Entries per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200, default = 50)]
    limit: Option<String>,
    /// The previous page's `next_cursor`, for older entries.
    cursor: Option<String>,
}

/// `GET /api/v1/activity`
#[utoipa::path(
    get,
    path = "/api/v1/activity",
    operation_id = "listActivity",
    tag = "Activity",
    params(ActivityQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "Entries, newest first", body = ActivityPage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthenticated),
        (status = 403, response = crate::openapi::Forbidden),
    ),
)]
pub async fn list_activity(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppQuery(query): AppQuery<ActivityQuery>,
) -> Result<axum::Json<ActivityPage>, ApiError> {
    let limit = match query.limit.as_deref() {
        None => LOG_LIMIT_DEFAULT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=LOG_LIMIT_MAX).contains(limit))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "limit must be a whole number from 1 to {LOG_LIMIT_MAX}"
                ))
            })?,
    };
    let before = query
        .cursor
        .as_deref()
        .map(|text| {
            ActivityId::parse(text).ok_or_else(|| {
                ApiError::BadRequest("cursor is not a valid activity cursor".to_owned())
            })
        })
        .transpose()?;
    let organization_id = user.user().organization.id;
    let page = state.activities.log(organization_id, before, limit).await?;
    let next_cursor = if page.has_more {
        page.entries.last().map(|entry| entry.id.to_string())
    } else {
        None
    };
    let data = page
        .entries
        .into_iter()
        .map(|entry| Activity {
            id: entry.id.to_string(),
            action: entry.action,
            actor: entry.actor.as_ref().map(actor_view),
            api_key: entry.api_key.as_ref().map(acting_key_view),
            ip: entry.ip,
            target_type: entry.target_type,
            target_id: entry.target_id,
            details: entry.details,
            created_at: entry.created_at,
        })
        .collect();
    Ok(axum::Json(ActivityPage { data, next_cursor }))
}
