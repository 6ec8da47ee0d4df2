//! The `/api/v1` document's frame: the management API of the web UI and the CLI (its info, tags,
//! security schemes and shared error responses). Its operations are the `/api/v1` routes,
//! added from their registration in `crate::routes::v1`.

use utoipa::OpenApi;

use super::responses::{
    BadRequest, Conflict, Forbidden, Invalid, NotFound, PayloadTooLarge, TooManyRequests,
    Unauthenticated,
};
use super::security::V1Security;

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
        (name = "Automations", description = "Automations, their webhook triggers, Run now \
            and runs (Settings)."),
        (name = "Event webhooks", description = "Outgoing event webhooks: endpoints that \
            receive Level's events, their delivery log, re-runs and test events (Settings)."),
        (name = "Devices", description = "Devices and groups as the web UI reads them."),
        (name = "Custom fields", description = "Custom fields and their values for the \
            organization, a group or a device."),
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
    modifiers(&V1Security),
)]
pub struct V1Doc;
