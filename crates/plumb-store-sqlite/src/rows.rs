//! The row types this crate reads: `plumb_store_rows`'s, at SQLite's stored forms (times as
//! fixed-width UTC text, a group's children as one comma-separated `group_concat`). The shared
//! `select` column lists and the spellings of steps, results, run statuses and severities are
//! re-exported from there too.

use plumb_store_rows::{accounts, automations, devices};

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
pub(crate) type OrganizationRow = accounts::OrganizationRow<String>;
/// A user with their organization.
pub(crate) type UserRow = accounts::UserRow<String>;
/// A session with its user.
pub(crate) type SessionRow = accounts::SessionRow<String>;
/// An API key with its creator's email.
pub(crate) type ApiKeyRow = accounts::ApiKeyRow<String>;
/// An activity entry.
pub(crate) type ActivityRow = accounts::ActivityRow<String>;
/// A group with its children and device counts.
pub(crate) type GroupRow = accounts::GroupRow<String, Option<String>>;
/// A device with its group's name.
pub(crate) type DeviceRow = devices::DeviceRow<String>;
/// A tag with its device count.
pub(crate) type TagRow = devices::TagRow;
/// A custom field definition.
pub(crate) type CustomFieldRow = devices::CustomFieldRow;
/// An alert with its device's hostname.
pub(crate) type AlertRow = devices::AlertRow<String>;
/// An update with its device's hostname.
pub(crate) type UpdateRow = devices::UpdateRow<String>;
/// An install key.
pub(crate) type InstallKeyRow = automations::InstallKeyRow<String>;
/// An automation with its group's name.
pub(crate) type AutomationRow = automations::AutomationRow<String>;
/// A webhook trigger with its automation's name.
pub(crate) type WebhookRow = automations::WebhookRow<String>;
/// A run.
pub(crate) type RunRow = automations::RunRow<String>;
