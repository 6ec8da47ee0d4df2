//! The `/v2` document: Level's operations (with Level's `operationId`s and tag names) and the
//! wire types of `plumb_proto::v2`.

use utoipa::OpenApi;

use super::PutAliases;
use super::responses::{AccessDenied, BadRequest, Invalid, NotFound, PayloadTooLarge, ReadOnlyKey};
use super::security::V2Security;
use crate::api::v2::custom_fields::{self as fields, values};
use crate::api::v2::{activities, alerts, automations, devices, groups, tags, updates};

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
    paths(
        super::v2_openapi,
        groups::list_groups,
        groups::create_group,
        groups::show_group,
        groups::update_group,
        groups::delete_group,
        groups::devices::assign_devices,
        groups::devices::remove_devices,
        devices::list_devices,
        devices::show_device,
        devices::update_device,
        devices::delete_device,
        tags::list_tags,
        tags::create_tag,
        tags::show_tag,
        tags::update_tag,
        tags::delete_tag,
        tags::devices::tag_devices,
        tags::devices::untag_devices,
        fields::list_custom_fields,
        fields::create_custom_field,
        fields::show_custom_field,
        fields::update_custom_field,
        fields::delete_custom_field,
        values::list_values,
        values::set_value,
        values::delete_value,
        alerts::list_alerts,
        alerts::show_alert,
        alerts::resolve_alert,
        updates::list_updates,
        updates::show_update,
        automations::list_automations,
        automations::list_webhooks,
        automations::show_run,
        automations::trigger,
        activities::list_activities,
    ),
    components(schemas(plumb_proto::ErrorBody), responses(
        AccessDenied,
        BadRequest,
        Invalid,
        NotFound,
        PayloadTooLarge,
        ReadOnlyKey,
    )),
    modifiers(&V2Security, &PutAliases),
)]
pub struct V2Doc;
