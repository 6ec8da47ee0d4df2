//! Groups for the web UI: `GET /api/v1/groups`, every group of the organization (id, name,
//! parent) in id order, for the device list's group filter. Groups are changed on `/v2`.

use axum::extract::State;
use plumb_core::id::GroupId;
use plumb_core::page::{Cursor, MAX_LIMIT, PageRequest};
use plumb_core::store::ParentFilter;
use plumb_proto::v1::List;
use plumb_proto::v1::devices::GroupSummary;

use crate::auth::session::SignedIn;
use crate::error::ApiError;
use crate::state::AppState;

/// `GET /api/v1/groups`
#[utoipa::path(
    get,
    path = "/api/v1/groups",
    operation_id = "listGroups",
    tag = "Devices",
    security(("session" = [])),
    responses(
        (status = 200, description = "Every group", body = List<GroupSummary>),
        (status = 401, response = crate::openapi::Unauthenticated),
    ),
)]
pub async fn list_groups(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<axum::Json<List<GroupSummary>>, ApiError> {
    let organization_id = signed_in.user().organization.id;
    let mut data = Vec::new();
    let mut cursor = Cursor::First;
    loop {
        let request = PageRequest::<GroupId> {
            limit: MAX_LIMIT,
            cursor,
        };
        let page = state
            .groups
            .list(organization_id, ParentFilter::Any, &request)
            .await?;
        let last = page.items.last().map(|group| group.id);
        data.extend(page.items.into_iter().map(|group| GroupSummary {
            id: group.id.to_string(),
            name: group.name,
            parent_id: group.parent_id.map(|parent| parent.to_string()),
        }));
        match last {
            Some(last) if page.has_more => cursor = Cursor::After(last),
            _ => return Ok(axum::Json(List { data })),
        }
    }
}
