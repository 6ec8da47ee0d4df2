//! The public API, `/v2`, in Level's shapes. Every row is guarded by an API key; read-only keys
//! may only GET.

use axum::http::Method as M;

use super::Guard::ApiKey;
use super::{Route, route};
use crate::api::v2::groups;

/// The rows.
pub(super) fn table() -> Vec<Route> {
    vec![
        // Groups.
        route(M::GET, "/v2/groups", ApiKey, groups::list_groups),
        route(M::POST, "/v2/groups", ApiKey, groups::create_group),
        route(M::GET, "/v2/groups/{id}", ApiKey, groups::show_group),
        route(M::PATCH, "/v2/groups/{id}", ApiKey, groups::update_group),
        route(M::PUT, "/v2/groups/{id}", ApiKey, groups::update_group),
        route(M::DELETE, "/v2/groups/{id}", ApiKey, groups::delete_group),
        route(
            M::POST,
            "/v2/groups/{id}/devices",
            ApiKey,
            groups::assign_devices,
        ),
        route(
            M::DELETE,
            "/v2/groups/{id}/devices",
            ApiKey,
            groups::remove_devices,
        ),
        // Devices, tags, custom fields and values, alerts, updates (api::v2 resource modules).
        // Automations, their webhook triggers and runs.
    ]
}
