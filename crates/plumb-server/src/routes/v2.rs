//! The public API, `/v2`, in Level's shapes. Every row is guarded by an API key (read-only keys
//! may only GET), except the automation webhook trigger, whose token is its credential.

use axum::http::Method as M;

use super::Guard::{ApiKey, Public, Token};
use super::{Route, route};
use crate::api::v2::custom_fields::{self as fields, values};
use crate::api::v2::groups;
use crate::api::v2::{activities, alerts, automations, devices, tags, updates};
use crate::openapi;

/// The rows.
pub(super) fn table() -> Vec<Route> {
    vec![
        // This API's OpenAPI document (public: it describes, it holds nothing).
        route(M::GET, "/v2/openapi.json", Public, openapi::v2_openapi),
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
            groups::devices::assign_devices,
        ),
        route(
            M::DELETE,
            "/v2/groups/{id}/devices",
            ApiKey,
            groups::devices::remove_devices,
        ),
        // Devices, tags, custom fields and values, alerts, updates (api::v2 resource modules).
        route(M::GET, "/v2/devices", ApiKey, devices::list_devices),
        route(M::GET, "/v2/devices/{id}", ApiKey, devices::show_device),
        route(M::PATCH, "/v2/devices/{id}", ApiKey, devices::update_device),
        route(M::PUT, "/v2/devices/{id}", ApiKey, devices::update_device),
        route(
            M::DELETE,
            "/v2/devices/{id}",
            ApiKey,
            devices::delete_device,
        ),
        route(M::GET, "/v2/tags", ApiKey, tags::list_tags),
        route(M::POST, "/v2/tags", ApiKey, tags::create_tag),
        route(M::GET, "/v2/tags/{id}", ApiKey, tags::show_tag),
        route(M::PATCH, "/v2/tags/{id}", ApiKey, tags::update_tag),
        route(M::PUT, "/v2/tags/{id}", ApiKey, tags::update_tag),
        route(M::DELETE, "/v2/tags/{id}", ApiKey, tags::delete_tag),
        route(M::POST, "/v2/tags/{id}/devices", ApiKey, tags::tag_devices),
        route(
            M::DELETE,
            "/v2/tags/{id}/devices",
            ApiKey,
            tags::untag_devices,
        ),
        route(
            M::GET,
            "/v2/custom_fields",
            ApiKey,
            fields::list_custom_fields,
        ),
        route(
            M::POST,
            "/v2/custom_fields",
            ApiKey,
            fields::create_custom_field,
        ),
        route(
            M::GET,
            "/v2/custom_fields/{id}",
            ApiKey,
            fields::show_custom_field,
        ),
        route(
            M::PATCH,
            "/v2/custom_fields/{id}",
            ApiKey,
            fields::update_custom_field,
        ),
        route(
            M::PUT,
            "/v2/custom_fields/{id}",
            ApiKey,
            fields::update_custom_field,
        ),
        route(
            M::DELETE,
            "/v2/custom_fields/{id}",
            ApiKey,
            fields::delete_custom_field,
        ),
        route(
            M::GET,
            "/v2/custom_field_values",
            ApiKey,
            values::list_values,
        ),
        route(
            M::PATCH,
            "/v2/custom_field_values",
            ApiKey,
            values::set_value,
        ),
        route(
            M::DELETE,
            "/v2/custom_field_values",
            ApiKey,
            values::delete_value,
        ),
        route(M::GET, "/v2/alerts", ApiKey, alerts::list_alerts),
        route(M::GET, "/v2/alerts/{id}", ApiKey, alerts::show_alert),
        route(
            M::POST,
            "/v2/alerts/{id}/resolve",
            ApiKey,
            alerts::resolve_alert,
        ),
        route(M::GET, "/v2/updates", ApiKey, updates::list_updates),
        route(M::GET, "/v2/updates/{id}", ApiKey, updates::show_update),
        // The activity log (changes, without sign-ins or client addresses).
        route(
            M::GET,
            "/v2/activities",
            ApiKey,
            activities::list_activities,
        ),
        // Automations, their webhook triggers and runs.
        route(
            M::GET,
            "/v2/automations",
            ApiKey,
            automations::list_automations,
        ),
        route(
            M::GET,
            "/v2/automations/webhooks",
            ApiKey,
            automations::list_webhooks,
        ),
        route(
            M::GET,
            "/v2/automation-runs/{id}",
            ApiKey,
            automations::show_run,
        ),
        // The token in the path is the trigger's credential (404 when unknown, as Level).
        route(
            M::POST,
            "/v2/automations/webhooks/{token}",
            Token,
            automations::trigger,
        ),
    ]
}
