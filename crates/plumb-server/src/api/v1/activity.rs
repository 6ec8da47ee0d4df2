//! The activity log: `GET /api/v1/activity?limit=&cursor=`, newest first.

use axum::extract::State;
use plumb_core::id::ActivityId;
use plumb_proto::v1::{Activity, ActivityPage};
use serde::Deserialize;

use super::actor_view;
use crate::auth::session::SettingsUser;
use crate::error::ApiError;
use crate::extract::AppQuery;
use crate::state::AppState;

/// Default entries per page.
const DEFAULT_LIMIT: u32 = 50;
/// Most entries per page.
const MAX_LIMIT: u32 = 200;

/// Query of `GET /api/v1/activity`.
#[derive(Debug, Deserialize)]
pub struct ActivityQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// `GET /api/v1/activity`
pub async fn list_activity(
    State(state): State<AppState>,
    SettingsUser(user): SettingsUser,
    AppQuery(query): AppQuery<ActivityQuery>,
) -> Result<axum::Json<ActivityPage>, ApiError> {
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "limit must be a whole number from 1 to {MAX_LIMIT}"
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
    let mut entries = state
        .store
        .list_activity(organization_id, before, limit + 1)
        .await?;
    let has_more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    let next_cursor = if has_more {
        entries.last().map(|entry| entry.id.to_string())
    } else {
        None
    };
    let data = entries
        .into_iter()
        .map(|entry| Activity {
            id: entry.id.to_string(),
            action: entry.action,
            actor: entry.actor.as_ref().map(actor_view),
            ip: entry.ip,
            target_type: entry.target_type,
            target_id: entry.target_id,
            details: entry.details,
            created_at: entry.created_at,
        })
        .collect();
    Ok(axum::Json(ActivityPage { data, next_cursor }))
}
