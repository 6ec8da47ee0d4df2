//! The public API, `/v2`, in Level's shapes, by guard: every route needs an API key (read-only
//! keys may only GET), except this API's OpenAPI document, which is public, and the automation
//! webhook trigger, whose token is its credential.
//!
//! Each `routes!(handler)` registers one handler: its `#[utoipa::path]` gives the method and
//! path, and its documentation in `/v2/openapi.json`. One handler per `routes!`: handlers named
//! together must share one path, or each would be served on the paths of the others.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Guard::{ApiKey, Public, Token};
use super::Guarded;
use crate::api::v2::custom_fields::{self as fields, values};
use crate::api::v2::{activities, alerts, automations, devices, groups, tags, updates};
use crate::openapi;
use crate::state::AppState;

/// The groups, one per guard.
pub(crate) fn groups() -> Vec<Guarded> {
    vec![
        Guarded {
            // This API's OpenAPI document (public: it describes, it holds nothing).
            guard: Public,
            routes: OpenApiRouter::default().routes(routes!(openapi::v2_openapi)),
        },
        Guarded {
            guard: ApiKey,
            routes: api_key(),
        },
        Guarded {
            // The token in the path is the trigger's credential (404 when unknown, as Level).
            guard: Token,
            routes: OpenApiRouter::default().routes(routes!(automations::trigger)),
        },
    ]
}

/// The routes behind an API key.
fn api_key() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        // Groups.
        .routes(routes!(groups::list_groups))
        .routes(routes!(groups::create_group))
        .routes(routes!(groups::show_group))
        .routes(routes!(groups::update_group))
        .routes(routes!(groups::delete_group))
        .routes(routes!(groups::devices::assign_devices))
        .routes(routes!(groups::devices::remove_devices))
        // Devices, tags, custom fields and values, alerts, updates (api::v2 resource modules).
        .routes(routes!(devices::list_devices))
        .routes(routes!(devices::show_device))
        .routes(routes!(devices::update_device))
        .routes(routes!(devices::delete_device))
        .routes(routes!(tags::list_tags))
        .routes(routes!(tags::create_tag))
        .routes(routes!(tags::show_tag))
        .routes(routes!(tags::update_tag))
        .routes(routes!(tags::delete_tag))
        .routes(routes!(tags::devices::tag_devices))
        .routes(routes!(tags::devices::untag_devices))
        .routes(routes!(fields::list_custom_fields))
        .routes(routes!(fields::create_custom_field))
        .routes(routes!(fields::show_custom_field))
        .routes(routes!(fields::update_custom_field))
        .routes(routes!(fields::delete_custom_field))
        .routes(routes!(values::list_values))
        .routes(routes!(values::set_value))
        .routes(routes!(values::delete_value))
        .routes(routes!(alerts::list_alerts))
        .routes(routes!(alerts::show_alert))
        .routes(routes!(alerts::resolve_alert))
        .routes(routes!(updates::list_updates))
        .routes(routes!(updates::show_update))
        // The activity log (changes, without sign-ins or client addresses).
        .routes(routes!(activities::list_activities))
        // Automations, their webhook triggers and runs.
        .routes(routes!(automations::list_automations))
        .routes(routes!(automations::list_webhooks))
        .routes(routes!(automations::show_run))
}
