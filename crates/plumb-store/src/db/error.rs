//! Turning driver errors into `StoreError`, so no driver type leaks out of this crate.
//!
//! A unique violation becomes `Conflict` with the rule's name from the `Store` docs, a foreign
//! key violation becomes `NotFound` (the referenced row is not in the organization), and
//! everything else is `Unavailable`, kept whole for the log. SQLite names the violated rule in
//! its message (`UNIQUE constraint failed: users.email`, or `index 'groups_sibling_name_key'`
//! for an expression index); PostgreSQL names the constraint or index.

use plumb_core::StoreError;
use rusqlite::ffi;
use sqlx::error::ErrorKind;

/// SQLite's names of the unique rules, and the rule each stands for.
const SQLITE_UNIQUE_RULES: &[(&str, &str)] = &[
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

/// PostgreSQL's constraint and index names, and the rule each stands for.
const POSTGRES_UNIQUE_RULES: &[(&str, &str)] = &[
    ("users_email_key", "users.email"),
    ("api_keys_key_digest_key", "api_keys.digest"),
    ("groups_sibling_name_key", "groups.name"),
    // Primary keys collide only when a caller reuses an id or a token digest.
    ("organizations_pkey", "organizations.id"),
    ("users_pkey", "users.id"),
    ("sessions_pkey", "sessions.digest"),
    ("password_tokens_pkey", "password_tokens.digest"),
    ("api_keys_pkey", "api_keys.id"),
    ("activity_pkey", "activity.id"),
    ("groups_pkey", "groups.id"),
    ("devices_pkey", "devices.id"),
    ("settings_pkey", "settings.name"),
    // Enrollment and automation (migration 8).
    ("automations_organization_id_name_key", "automations.name"),
    ("install_keys_key_digest_key", "install_keys.digest"),
    (
        "automation_webhooks_token_digest_key",
        "automation_webhooks.token",
    ),
    ("install_keys_pkey", "install_keys.id"),
    ("automations_pkey", "automations.id"),
    ("automation_webhooks_pkey", "automation_webhooks.id"),
    ("automation_runs_pkey", "automation_runs.id"),
    // The device inventory (migration 7).
    ("devices_token_digest_key", "devices.token"),
    ("tags_organization_id_name_key", "tags.name"),
    (
        "custom_fields_organization_id_name_key",
        "custom_fields.name",
    ),
    ("device_tags_tag_id_device_id_key", "device_tags.present"),
    ("alerts_open_offline_key", "alerts.open_offline"),
    ("updates_device_id_name_key", "updates.name"),
    ("tags_pkey", "tags.id"),
    ("custom_fields_pkey", "custom_fields.id"),
    ("alerts_pkey", "alerts.id"),
];

/// Converts an error from rusqlite.
pub(crate) fn sqlite_error(error: rusqlite::Error) -> StoreError {
    if matches!(error, rusqlite::Error::QueryReturnedNoRows) {
        return StoreError::NotFound;
    }
    let rusqlite::Error::SqliteFailure(failure, message) = &error else {
        return StoreError::Unavailable(Box::new(error));
    };
    match failure.extended_code {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
            let message = message.as_deref().unwrap_or_default();
            let failed = message
                .strip_prefix("UNIQUE constraint failed: ")
                .unwrap_or(message);
            conflict(SQLITE_UNIQUE_RULES, failed)
        }
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => StoreError::NotFound,
        _ => StoreError::Unavailable(Box::new(error)),
    }
}

/// Converts an error from sqlx (PostgreSQL).
pub(crate) fn postgres_error(error: sqlx::Error) -> StoreError {
    if matches!(error, sqlx::Error::RowNotFound) {
        return StoreError::NotFound;
    }
    let Some(database_error) = error.as_database_error() else {
        return StoreError::Unavailable(Box::new(error));
    };
    match database_error.kind() {
        ErrorKind::UniqueViolation => conflict(
            POSTGRES_UNIQUE_RULES,
            database_error.constraint().unwrap_or_default(),
        ),
        ErrorKind::ForeignKeyViolation => StoreError::NotFound,
        _ => StoreError::Unavailable(Box::new(error)),
    }
}

/// The conflict of the rule `name` stands for.
fn conflict(rules: &[(&str, &'static str)], name: &str) -> StoreError {
    let Some((_, constraint)) = rules.iter().find(|(known, _)| *known == name) else {
        // A rule added to the schema but not to the tables above: still a conflict.
        tracing::warn!(rule = name, "unique violation of an unmapped rule");
        return StoreError::Conflict {
            constraint: "unknown",
        };
    };
    StoreError::Conflict { constraint }
}
