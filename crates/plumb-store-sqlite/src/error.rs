//! Turning sqlx errors into `StoreError`, so no sqlx type leaks out of this crate.
//!
//! A unique violation becomes `Conflict` with the rule's name from the `Store` docs, a foreign
//! key violation becomes `NotFound` (the referenced row is not in the organization), and
//! everything else is `Unavailable`, kept whole for the log.

use plumb_core::StoreError;
use sqlx::error::ErrorKind;

/// A `StoreError` for a stored value that does not decode (shared with the row types).
pub(crate) use plumb_store_rows::damaged;

/// SQLite names the violated rule in its message, e.g. `UNIQUE constraint failed: users.email`
/// for a column index, or `... failed: index 'groups_sibling_name_key'` for an expression index.
/// Each maps to the name the `Store` trait promises.
const UNIQUE_RULES: &[(&str, &str)] = &[
    ("users.email", "users.email"),
    ("api_keys.key_digest", "api_keys.digest"),
    ("index 'groups_sibling_name_key'", "groups.name"),
    // Primary keys collide only when a caller reuses an id or a token digest.
    ("organizations.id", "organizations.id"),
    ("users.id", "users.id"),
    ("sessions.digest", "sessions.digest"),
    ("password_tokens.digest", "password_tokens.digest"),
    ("api_keys.id", "api_keys.id"),
    ("activity.id", "activity.id"),
    ("groups.id", "groups.id"),
    ("devices.id", "devices.id"),
    // Enrollment and automation (migration 8).
    (
        "automations.organization_id, automations.name",
        "automations.name",
    ),
    ("install_keys.key_digest", "install_keys.digest"),
    (
        "automation_webhooks.token_digest",
        "automation_webhooks.token",
    ),
    ("install_keys.id", "install_keys.id"),
    ("automations.id", "automations.id"),
    ("automation_webhooks.id", "automation_webhooks.id"),
    ("automation_runs.id", "automation_runs.id"),
    // The device inventory (migration 7).
    ("devices.token_digest", "devices.token"),
    ("tags.organization_id, tags.name", "tags.name"),
    (
        "custom_fields.organization_id, custom_fields.name",
        "custom_fields.name",
    ),
    (
        "device_tags.tag_id, device_tags.device_id",
        "device_tags.present",
    ),
    ("alerts.device_id", "alerts.open_offline"),
    ("updates.device_id, updates.name", "updates.name"),
    ("tags.id", "tags.id"),
    ("custom_fields.id", "custom_fields.id"),
    ("alerts.id", "alerts.id"),
];

/// Converts an error from sqlx.
pub(crate) fn db_error(error: sqlx::Error) -> StoreError {
    if matches!(error, sqlx::Error::RowNotFound) {
        return StoreError::NotFound;
    }
    let Some(database_error) = error.as_database_error() else {
        return StoreError::Unavailable(Box::new(error));
    };
    match database_error.kind() {
        ErrorKind::UniqueViolation => {
            let message = database_error.message();
            let failed = message
                .strip_prefix("UNIQUE constraint failed: ")
                .unwrap_or(message);
            let rule = UNIQUE_RULES.iter().find(|(text, _)| *text == failed);
            let Some((_, constraint)) = rule else {
                // A rule added to the schema but not to the table above: still a conflict.
                tracing::warn!(message, "unique violation of an unmapped rule");
                return StoreError::Conflict {
                    constraint: "unknown",
                };
            };
            StoreError::Conflict { constraint }
        }
        ErrorKind::ForeignKeyViolation => StoreError::NotFound,
        _ => StoreError::Unavailable(Box::new(error)),
    }
}
