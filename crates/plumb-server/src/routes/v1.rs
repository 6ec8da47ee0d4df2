//! The management API, `/api/v1`: setup, sessions, users, API keys, activity.

use axum::http::Method as M;

use super::Guard::{Public, Session};
use super::{Route, route};
use crate::api::v1::{
    activity, api_keys, automation_webhooks, automations, devices, groups, install_keys, session,
    setup, users,
};
use crate::openapi;

/// The rows.
pub(super) fn table() -> Vec<Route> {
    vec![
        // This API's OpenAPI document (public: it describes, it holds nothing).
        route(M::GET, "/api/v1/openapi.json", Public, openapi::v1_openapi),
        route(M::POST, "/api/v1/setup", Public, setup::complete_setup),
        route(M::POST, "/api/v1/password", Public, setup::set_password),
        // Sessions.
        route(M::POST, "/api/v1/session", Public, session::sign_in),
        route(M::GET, "/api/v1/session", Session, session::show_session),
        route(M::DELETE, "/api/v1/session", Session, session::sign_out),
        // Users (administrators).
        route(M::GET, "/api/v1/users", Session, users::list_users),
        route(M::POST, "/api/v1/users", Session, users::create_user),
        route(M::PATCH, "/api/v1/users/{id}", Session, users::update_user),
        route(M::PUT, "/api/v1/users/{id}", Session, users::update_user),
        // API keys (Settings).
        route(M::GET, "/api/v1/api-keys", Session, api_keys::list_api_keys),
        route(
            M::POST,
            "/api/v1/api-keys",
            Session,
            api_keys::create_api_key,
        ),
        route(
            M::GET,
            "/api/v1/api-keys/{id}",
            Session,
            api_keys::show_api_key,
        ),
        route(
            M::PATCH,
            "/api/v1/api-keys/{id}",
            Session,
            api_keys::update_api_key,
        ),
        route(
            M::PUT,
            "/api/v1/api-keys/{id}",
            Session,
            api_keys::update_api_key,
        ),
        route(
            M::DELETE,
            "/api/v1/api-keys/{id}",
            Session,
            api_keys::delete_api_key,
        ),
        route(
            M::POST,
            "/api/v1/api-keys/{id}/regenerate",
            Session,
            api_keys::regenerate_api_key,
        ),
        route(
            M::POST,
            "/api/v1/api-keys/{id}/reveal",
            Session,
            api_keys::reveal_api_key,
        ),
        // Activity (Settings).
        route(M::GET, "/api/v1/activity", Session, activity::list_activity),
        // Install keys and automations.
        route(
            M::GET,
            "/api/v1/install-keys",
            Session,
            install_keys::list_install_keys,
        ),
        route(
            M::POST,
            "/api/v1/install-keys",
            Session,
            install_keys::create_install_key,
        ),
        route(
            M::DELETE,
            "/api/v1/install-keys/{id}",
            Session,
            install_keys::revoke_install_key,
        ),
        route(
            M::GET,
            "/api/v1/automations",
            Session,
            automations::list_automations,
        ),
        route(
            M::POST,
            "/api/v1/automations",
            Session,
            automations::create_automation,
        ),
        route(
            M::GET,
            "/api/v1/automations/{id}",
            Session,
            automations::show_automation,
        ),
        route(
            M::PATCH,
            "/api/v1/automations/{id}",
            Session,
            automations::update_automation,
        ),
        route(
            M::PUT,
            "/api/v1/automations/{id}",
            Session,
            automations::update_automation,
        ),
        route(
            M::DELETE,
            "/api/v1/automations/{id}",
            Session,
            automations::delete_automation,
        ),
        route(
            M::GET,
            "/api/v1/automations/{id}/webhooks",
            Session,
            automation_webhooks::list_webhooks,
        ),
        route(
            M::POST,
            "/api/v1/automations/{id}/webhooks",
            Session,
            automation_webhooks::create_webhook,
        ),
        route(
            M::DELETE,
            "/api/v1/automations/{id}/webhooks/{webhook_id}",
            Session,
            automation_webhooks::delete_webhook,
        ),
        // Devices (read by the web UI).
        route(M::GET, "/api/v1/devices", Session, devices::list_devices),
        route(
            M::GET,
            "/api/v1/devices/{id}",
            Session,
            devices::show_device,
        ),
        route(M::GET, "/api/v1/groups", Session, groups::list_groups),
    ]
}
