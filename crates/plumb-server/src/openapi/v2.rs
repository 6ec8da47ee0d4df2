//! The `/v2` document's frame: its info, Level's tag names, the security schemes and the shared
//! error responses. Its operations (with Level's `operationId`s) and the wire types of
//! `plumb_proto::v2` are the `/v2` routes, added from their registration in `crate::routes::v2`.

use utoipa::OpenApi;

use super::responses::{
    AccessDenied, BadRequest, Invalid, KeyRateLimited, NotFound, PayloadTooLarge, ReadOnlyKey,
};
use super::security::V2Security;

/// The public API, `/v2`, in Level's shapes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "plumb public API (Level v2 compatible)",
        description = "plumb's public REST API. It speaks Level's v2 contract, so a script \
                       written for Level works against plumb by changing the base URL and the \
                       key. docs/compatibility.md lists every deliberate difference.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    security(("api_key" = [])),
    tags(
        (name = "OpenAPI", description = "This document."),
        (name = "Devices", description = "Devices with the plumb agent installed."),
        (name = "Groups", description = "The group hierarchy that contains devices."),
        (name = "Event webhooks", description = "Events plumb posts to the endpoints set up \
            in Settings → Webhooks (the `webhooks` section)."),
        (name = "Alerts", description = "Alerts raised about devices."),
        (name = "Automations", description = "Automations, their webhook triggers and runs."),
        (name = "Tags", description = "Tags that can be applied to devices."),
        (name = "Custom Fields", description = "Custom fields that can have values assigned."),
        (name = "Custom Field Values", description = "Values of custom fields for the \
            organization, groups and devices, cascading down to devices."),
        (name = "Updates", description = "Package updates devices report, available and \
            installed."),
        (name = "Activities", description = "The organization's activity log: who changed \
            what, and when."),
    ),
    components(schemas(plumb_proto::ErrorBody), responses(
        AccessDenied,
        BadRequest,
        Invalid,
        KeyRateLimited,
        NotFound,
        PayloadTooLarge,
        ReadOnlyKey,
    )),
    modifiers(&V2Security),
)]
pub struct V2Doc;
