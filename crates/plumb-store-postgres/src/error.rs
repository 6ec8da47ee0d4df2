//! Turning sqlx errors into `StoreError`, so no sqlx type leaks out of this crate.
//!
//! PostgreSQL names the violated constraint in the error itself, so a unique violation maps by
//! name to the rule the `Store` docs promise, a foreign key violation becomes `NotFound` (the
//! referenced row is not in the organization), and everything else is `Unavailable`, kept whole
//! for the log.

use plumb_core::StoreError;
use sqlx::error::ErrorKind;

/// A `StoreError` for a stored value that does not decode (shared with the row types).
pub(crate) use plumb_store_rows::damaged;

/// Constraint and index names from the migrations, and the rule each stands for.
const UNIQUE_RULES: &[(&str, &str)] = &[
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
            let name = database_error.constraint().unwrap_or_default();
            let rule = UNIQUE_RULES.iter().find(|(known, _)| *known == name);
            let Some((_, constraint)) = rule else {
                // A rule added to the schema but not to the table above: still a conflict.
                tracing::warn!(constraint = name, "unique violation of an unmapped rule");
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

/// Ends a transaction that found nothing to change and returns `error`. The rollback is
/// explicit so the transaction's locks go at once, not when the connection is next used.
pub(crate) async fn rollback<T>(
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
    error: StoreError,
) -> Result<T, StoreError> {
    if let Err(rollback_error) = tx.rollback().await {
        tracing::warn!(error = %rollback_error, "could not roll back: {rollback_error}");
    }
    Err(error)
}
