//! How core values are spelled in PostgreSQL columns: ids, digests, counters and the closed
//! sets. Times need no spelling here: `timestamptz` maps to `OffsetDateTime` directly (sqlx
//! truncates to microseconds, as the SQLite store does, so a copy between the two loses
//! nothing).

use plumb_core::crypto::Digest;
use plumb_core::{Access, Permission, Role, StoreError};
use uuid::Uuid;

use crate::error::damaged;

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

/// The notification payload for a changed key: its digest in hex (never the key itself).
pub(crate) fn digest_hex(digest: &Digest) -> String {
    hex::encode(digest.0)
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
}
