//! The management API, `/api/v1`: setup, sessions, users, API keys, activity.

use axum::http::Method as M;

use super::Guard::{Public, Session};
use super::{Route, route};
use crate::api::v1::{activity, api_keys, devices, groups, session, setup, users};

/// The rows.
pub(super) fn table() -> Vec<Route> {
    vec![
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
