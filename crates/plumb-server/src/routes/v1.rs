//! The management API, `/api/v1`, by guard: setup, password links and signing in are public;
//! everything else needs a session (writes also its CSRF token).
//!
//! Each `routes!(handler)` registers one handler: its `#[utoipa::path]` gives the method and
//! path, and its documentation in `/api/v1/openapi.json`. One handler per `routes!`: handlers
//! named together must share one path, or each would be served on the paths of the others.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Guard::{Public, Session, Token};
use super::Guarded;
use crate::api::v1::{
    activity, api_key_policies, api_keys, automation_webhooks, automations, custom_fields, devices,
    event_webhooks, group_edits, groups, install_keys, runs, session, setup, tags_alerts, users,
};
use crate::openapi;
use crate::state::AppState;

/// The groups, one per guard.
pub(crate) fn groups() -> Vec<Guarded> {
    vec![
        Guarded {
            guard: Public,
            routes: public(),
        },
        Guarded {
            guard: Token,
            routes: token(),
        },
        Guarded {
            guard: Session,
            routes: session(),
        },
    ]
}

/// The routes whose credential is in the request itself.
fn token() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        // Revoking a leaked key by its value (the value is the credential).
        .routes(routes!(api_key_policies::revoke_api_key))
}

/// The routes anyone may call.
fn public() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        // This API's OpenAPI document (public: it describes, it holds nothing).
        .routes(routes!(openapi::v1_openapi))
        // The first run and password links (the token in the body is the credential).
        .routes(routes!(setup::complete_setup))
        .routes(routes!(setup::set_password))
        // Signing in.
        .routes(routes!(session::sign_in))
}

/// The routes behind a session.
fn session() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        // Sessions.
        .routes(routes!(session::show_session))
        .routes(routes!(session::sign_out))
        // Users (administrators).
        .routes(routes!(users::list_users))
        .routes(routes!(users::create_user))
        .routes(routes!(users::update_user))
        // API keys (Settings).
        .routes(routes!(api_keys::list_api_keys))
        .routes(routes!(api_keys::create_api_key))
        .routes(routes!(api_keys::show_api_key))
        .routes(routes!(api_keys::update_api_key))
        .routes(routes!(api_keys::delete_api_key))
        .routes(routes!(api_keys::regenerate_api_key))
        .routes(routes!(api_keys::reveal_api_key))
        .routes(routes!(api_key_policies::end_api_key_grace))
        .routes(routes!(api_key_policies::list_api_key_requests))
        .routes(routes!(api_key_policies::show_api_key_settings))
        .routes(routes!(api_key_policies::update_api_key_settings))
        // Activity (Settings).
        .routes(routes!(activity::list_activity))
        // Install keys and automations.
        .routes(routes!(install_keys::list_install_keys))
        .routes(routes!(install_keys::create_install_key))
        .routes(routes!(install_keys::revoke_install_key))
        .routes(routes!(automations::list_automations))
        .routes(routes!(automations::create_automation))
        .routes(routes!(automations::show_automation))
        .routes(routes!(automations::update_automation))
        .routes(routes!(automations::delete_automation))
        .routes(routes!(automation_webhooks::list_webhooks))
        .routes(routes!(automation_webhooks::create_webhook))
        .routes(routes!(automation_webhooks::delete_webhook))
        .routes(routes!(runs::start_runs))
        .routes(routes!(runs::list_automation_runs))
        .routes(routes!(runs::list_device_runs))
        .routes(routes!(runs::show_run))
        // Outgoing event webhooks (Settings).
        .routes(routes!(event_webhooks::list_event_webhooks))
        .routes(routes!(event_webhooks::create_event_webhook))
        .routes(routes!(event_webhooks::show_event_webhook))
        .routes(routes!(event_webhooks::update_event_webhook))
        .routes(routes!(event_webhooks::replace_event_webhook))
        .routes(routes!(event_webhooks::delete_event_webhook))
        .routes(routes!(event_webhooks::list_event_webhook_deliveries))
        .routes(routes!(event_webhooks::rerun_event_webhook_delivery))
        .routes(routes!(event_webhooks::test_event_webhook))
        // Devices, groups, tags and alerts (anyone signed in).
        .routes(routes!(devices::list_devices))
        .routes(routes!(devices::show_device))
        .routes(routes!(group_edits::edit_device))
        .routes(routes!(group_edits::delete_device))
        .routes(routes!(group_edits::move_devices))
        .routes(routes!(groups::list_groups))
        .routes(routes!(group_edits::create_group))
        .routes(routes!(group_edits::update_group))
        .routes(routes!(group_edits::delete_group))
        .routes(routes!(tags_alerts::list_tags))
        .routes(routes!(tags_alerts::create_tag))
        .routes(routes!(tags_alerts::delete_tag))
        .routes(routes!(tags_alerts::tag_devices))
        .routes(routes!(tags_alerts::untag_devices))
        .routes(routes!(tags_alerts::list_alerts))
        .routes(routes!(custom_fields::list_custom_fields))
        .routes(routes!(custom_fields::create_custom_field))
        .routes(routes!(custom_fields::update_custom_field))
        .routes(routes!(custom_fields::delete_custom_field))
        .routes(routes!(custom_fields::set_custom_field_value))
        .routes(routes!(custom_fields::device_custom_fields))
        .routes(routes!(tags_alerts::resolve_alert))
}
