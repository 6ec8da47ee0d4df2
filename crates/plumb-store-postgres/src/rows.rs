//! The row types this crate reads: `plumb_store_rows`'s, at PostgreSQL's stored forms (times as
//! `timestamptz`, a group's children as an `array_agg` in id order). The shared `select` column
//! lists and the spellings of steps, results, run statuses and severities are re-exported from
//! there too.

use plumb_store_rows::{accounts, automations, devices};
use time::OffsetDateTime;

pub(crate) use plumb_store_rows::automations::{AUTOMATION_SELECT, INSTALL_KEY_SELECT};
pub(crate) use plumb_store_rows::automations::{RUN_COLUMNS, WEBHOOK_SELECT};
pub(crate) use plumb_store_rows::automations::{
    parse_status, results_text, status_text, steps_text,
};
pub(crate) use plumb_store_rows::codec::severity_text;
pub(crate) use plumb_store_rows::devices::{ALERT_SELECT, CUSTOM_FIELD_SELECT, DEVICE_SELECT};
pub(crate) use plumb_store_rows::devices::{TAG_SELECT, UPDATE_SELECT};
pub(crate) use plumb_store_rows::{api_key_select, user_select};

/// An organization.
pub(crate) type OrganizationRow = accounts::OrganizationRow<OffsetDateTime>;
/// A user with their organization.
pub(crate) type UserRow = accounts::UserRow<OffsetDateTime>;
/// A session with its user.
pub(crate) type SessionRow = accounts::SessionRow<OffsetDateTime>;
/// An API key with its creator's email.
pub(crate) type ApiKeyRow = accounts::ApiKeyRow<OffsetDateTime>;
/// An activity entry.
pub(crate) type ActivityRow = accounts::ActivityRow<OffsetDateTime>;
/// A group with its children and device counts.
pub(crate) type GroupRow = accounts::GroupRow<OffsetDateTime, Option<Vec<String>>>;
/// A device with its group's name.
pub(crate) type DeviceRow = devices::DeviceRow<OffsetDateTime>;
/// A tag with its device count.
pub(crate) type TagRow = devices::TagRow;
/// A custom field definition.
pub(crate) type CustomFieldRow = devices::CustomFieldRow;
/// An alert with its device's hostname.
pub(crate) type AlertRow = devices::AlertRow<OffsetDateTime>;
/// An update with its device's hostname.
pub(crate) type UpdateRow = devices::UpdateRow<OffsetDateTime>;
/// An install key.
pub(crate) type InstallKeyRow = automations::InstallKeyRow<OffsetDateTime>;
/// An automation with its group's name.
pub(crate) type AutomationRow = automations::AutomationRow<OffsetDateTime>;
/// A webhook trigger with its automation's name.
pub(crate) type WebhookRow = automations::WebhookRow<OffsetDateTime>;
/// A run.
pub(crate) type RunRow = automations::RunRow<OffsetDateTime>;
