//! How core values are spelled in the columns of both databases: ids, digests, counters and
//! the closed sets (roles, access levels, permissions, severities), and the error for a
//! stored value that does not read back ([`damaged`]).

use plumb_core::crypto::Digest;
use plumb_core::{Access, Permission, Role, StoreError};
use plumb_proto::v2::Severity;
use uuid::Uuid;

/// A stored value that does not decode: the database was edited by hand or is damaged.
#[derive(Debug, thiserror::Error)]
#[error("damaged value in the database: {0}")]
pub(crate) struct Damaged(pub String);

/// A `StoreError` for a value that does not decode; never skipped.
pub(crate) fn damaged(what: impl Into<String>) -> StoreError {
    StoreError::Unavailable(Box::new(Damaged(what.into())))
}

/// Reads a stored id (any of the typed ids wraps the UUID).
pub(crate) fn parse_uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| damaged(format!("id {text:?}")))
}

/// Reads a stored digest.
pub(crate) fn parse_digest(bytes: &[u8]) -> Result<Digest, StoreError> {
    let array: [u8; 32] = bytes.try_into().map_err(|_| damaged("digest length"))?;
    Ok(Digest(array))
}

/// Reads a stored counter; the columns only ever grow from zero.
pub(crate) fn parse_count(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| damaged(format!("negative count {value}")))
}

/// The stored form of a counter increment; beyond `i64::MAX` it saturates.
pub(crate) fn count_value(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// The stored form of a role.
pub(crate) fn role_text(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Technician => "technician",
    }
}

/// Reads a stored role.
pub(crate) fn parse_role(text: &str) -> Result<Role, StoreError> {
    match text {
        "admin" => Ok(Role::Admin),
        "technician" => Ok(Role::Technician),
        other => Err(damaged(format!("role {other:?}"))),
    }
}

/// The stored form of an access level.
pub(crate) fn access_text(access: Access) -> &'static str {
    match access {
        Access::ReadWrite => "read_write",
        Access::ReadOnly => "read_only",
    }
}

/// Reads a stored access level.
pub(crate) fn parse_access(text: &str) -> Result<Access, StoreError> {
    match text {
        "read_write" => Ok(Access::ReadWrite),
        "read_only" => Ok(Access::ReadOnly),
        other => Err(damaged(format!("access {other:?}"))),
    }
}

/// The stored form of permission flags: a JSON array of their snake_case names.
pub(crate) fn permissions_text(permissions: &[Permission]) -> String {
    // A list of unit enum variants always serialises.
    serde_json::to_string(permissions).unwrap_or_else(|_| "[]".to_owned())
}

/// Reads stored permission flags.
pub(crate) fn parse_permissions(text: &str) -> Result<Vec<Permission>, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged(format!("permissions {text:?}")))
}

/// The stored form of a severity.
pub(crate) fn severity_text(severity: Severity) -> &'static str {
    match severity {
        Severity::Information => "information",
        Severity::Warning => "warning",
        Severity::Critical => "critical",
        Severity::Emergency => "emergency",
    }
}

/// Reads a stored severity.
pub(crate) fn parse_severity(text: &str) -> Result<Severity, StoreError> {
    match text {
        "information" => Ok(Severity::Information),
        "warning" => Ok(Severity::Warning),
        "critical" => Ok(Severity::Critical),
        "emergency" => Ok(Severity::Emergency),
        other => Err(damaged(format!("severity {other:?}"))),
    }
}

/// Makes `%`, `_` and the escape character itself match literally in a `like ... escape '\'`.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_and_the_escape_character_are_escaped() {
        assert_eq!(escape_like(r"50%_off\now"), r"50\%\_off\\now");
        assert_eq!(escape_like("plain"), "plain");
    }

    #[test]
    fn every_closed_set_reads_back_from_its_stored_form_and_rejects_others() {
        for role in [Role::Admin, Role::Technician] {
            assert_eq!(parse_role(role_text(role)).ok(), Some(role));
        }
        for access in [Access::ReadWrite, Access::ReadOnly] {
            assert_eq!(parse_access(access_text(access)).ok(), Some(access));
        }
        for severity in [
            Severity::Information,
            Severity::Warning,
            Severity::Critical,
            Severity::Emergency,
        ] {
            assert_eq!(parse_severity(severity_text(severity)).ok(), Some(severity));
        }
        assert!(parse_role("owner").is_err());
        assert!(parse_access("write").is_err());
        assert!(parse_severity("fatal").is_err());
    }

    #[test]
    fn negative_counts_and_short_digests_are_damaged_values() {
        assert_eq!(parse_count(3).ok(), Some(3));
        assert!(parse_count(-1).is_err());
        assert_eq!(count_value(u64::MAX), i64::MAX);
        assert!(parse_digest(&[0; 31]).is_err());
        assert_eq!(
            parse_digest(&[7; 32]).ok().map(|digest| digest.0),
            Some([7; 32])
        );
    }
}
