//! The `/api/v1` document: the management API of the web UI and the CLI.

use utoipa::OpenApi;

use super::PutAliases;
use super::responses::{
    BadRequest, Conflict, Forbidden, Invalid, NotFound, PayloadTooLarge, TooManyRequests,
    Unauthenticated,
};
use super::security::V1Security;
use crate::api::v1::{
    activity, api_keys, automation_webhooks, automations, devices, groups, install_keys, session,
    setup, users,
};

/// The management API, `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "plumb management API",
        description = "plumb's management API for people: the web UI and the CLI, signed in \
                       with a session cookie; every write carries the session's X-CSRF-Token. \
                       An API key never works here. docs/api.md describes the rules.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    tags(
        (name = "OpenAPI", description = "This document."),
        (name = "Setup", description = "The first run and one-time password links."),
        (name = "Session", description = "Signing in and out."),
        (name = "Users", description = "People of the organization (administrators)."),
        (name = "API keys", description = "Keys for /v2 (Settings)."),
        (name = "Activity", description = "The audit log (Settings)."),
        (name = "Install keys", description = "Keys that enroll devices (Settings)."),
        (name = "Automations", description = "Automations and their webhook triggers \
            (Settings)."),
        (name = "Devices", description = "Devices and groups as the web UI reads them."),
    ),
    paths(
        super::v1_openapi,
        setup::complete_setup,
        setup::set_password,
        session::sign_in,
        session::show_session,
        session::sign_out,
        users::list_users,
        users::create_user,
        users::update_user,
        api_keys::list_api_keys,
        api_keys::create_api_key,
        api_keys::show_api_key,
        api_keys::update_api_key,
        api_keys::delete_api_key,
        api_keys::regenerate_api_key,
        api_keys::reveal_api_key,
        activity::list_activity,
        install_keys::list_install_keys,
        install_keys::create_install_key,
        install_keys::revoke_install_key,
        automations::list_automations,
        automations::create_automation,
        automations::show_automation,
        automations::update_automation,
        automations::delete_automation,
        automation_webhooks::list_webhooks,
        automation_webhooks::create_webhook,
        automation_webhooks::delete_webhook,
        devices::list_devices,
        devices::show_device,
        groups::list_groups,
    ),
    components(schemas(plumb_proto::ErrorBody), responses(
        BadRequest,
        Conflict,
        Forbidden,
        Invalid,
        NotFound,
        PayloadTooLarge,
        TooManyRequests,
        Unauthenticated,
    )),
    modifiers(&V1Security, &PutAliases),
)]
pub struct V1Doc;
