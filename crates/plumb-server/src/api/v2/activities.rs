//! `GET /v2/activities`: the organization's activity log for integrations, oldest first and
//! paged by id like every `/v2` list, so an integration polls with `starting_after` = the last
//! id it saw (docs/compatibility.md says what that can promise). Sign-ins are left out and so is
//! every client address: those stay with people who have the Settings permission
//! (`/api/v1/activity`).

use axum::extract::State;
use plumb_core::id::ActivityId;
use plumb_core::store::Activity as Entry;
use plumb_proto::v2::{Activity, Page};

use super::paging::PageQuery;
use crate::auth::api_key::ApiKeyAuth;
use crate::error::ApiError;
use crate::extract::AppQuery;
use crate::state::AppState;

/// `GET /v2/activities`
#[utoipa::path(
    get,
    path = "/v2/activities",
    operation_id = "listActivities",
    tag = "Activities",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the activity log, oldest first", body = Page<Activity>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::AccessDenied),
    ),
)]
pub async fn list_activities(
    State(state): State<AppState>,
    ApiKeyAuth(key): ApiKeyAuth,
    AppQuery(query): AppQuery<PageQuery>,
) -> Result<axum::Json<Page<Activity>>, ApiError> {
    let request = query.to_request(ActivityId::parse)?;
    let page = state
        .activities
        .changes(key.organization_id, &request)
        .await?;
    Ok(axum::Json(Page {
        data: page.items.iter().map(activity_view).collect(),
        has_more: page.has_more,
    }))
}

/// An entry as `/v2` shows it: no client address.
fn activity_view(entry: &Entry) -> Activity {
    Activity {
        id: entry.id.to_string(),
        action: entry.action.clone(),
        user_id: entry.actor.as_ref().map(|actor| actor.id.to_string()),
        user_email: entry.actor.as_ref().map(|actor| actor.email.clone()),
        api_key: entry.api_key.as_ref().map(crate::api::v1::acting_key_view),
        target_type: entry.target_type.clone(),
        target_id: entry.target_id.clone(),
        details: entry.details.clone(),
        created_at: entry.created_at,
    }
}
