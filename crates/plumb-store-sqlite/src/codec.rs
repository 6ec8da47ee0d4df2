//! How core values are spelled in SQLite columns: ids, times, digests and the closed sets.
//!
//! Times are UTC text of fixed width with microseconds, `2026-11-23T12:00:00.000000Z`, so that
//! text order is time order inside SQL (`expires_at > ?`, `max(last_used_at, ?)`). sqlx's own
//! encoding of `OffsetDateTime` drops trailing zero fractions and keeps the offset, which breaks
//! that order. Microseconds match PostgreSQL's `timestamptz`, so a copy between the two backends
//! loses nothing; finer parts are truncated.

use plumb_core::crypto::Digest;
use plumb_core::{Access, Permission, Role, StoreError};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};
use uuid::Uuid;

use crate::error::damaged;

/// The one spelling of a stored time.
const TIME_FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// The stored form of a time.
pub(crate) fn time_text(at: OffsetDateTime) -> String {
    // Formatting a UTC date-time with these components only fails for years beyond 9999.
    at.to_offset(UtcOffset::UTC)
        .format(TIME_FORMAT)
        .unwrap_or_else(|_| unreachable!("a four-digit-year UTC time always formats"))
}

/// Reads a stored time.
pub(crate) fn parse_time(text: &str) -> Result<OffsetDateTime, StoreError> {
    PrimitiveDateTime::parse(text, TIME_FORMAT)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| damaged(format!("time {text:?}")))
}

/// Reads an optional stored time.
pub(crate) fn parse_optional_time(
    text: Option<&str>,
) -> Result<Option<OffsetDateTime>, StoreError> {
    text.map(parse_time).transpose()
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

/// A JSON array of ids, for `in (select value from json_each(?))`: SQLite has no array binds.
pub(crate) fn id_array(ids: impl IntoIterator<Item = String>) -> String {
    let ids: Vec<String> = ids.into_iter().collect();
    // A list of strings always serialises.
    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned())
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
    use time::macros::datetime;

    use super::*;

    #[test]
    fn stored_times_round_trip_and_sort_as_text() {
        let earlier = datetime!(2026-11-23 12:00:00 UTC);
        let later = datetime!(2026-11-23 13:00:00.5 +01:00);
        assert_eq!(time_text(earlier), "2026-11-23T12:00:00.000000Z");
        assert_eq!(time_text(later), "2026-11-23T12:00:00.500000Z");
        assert!(time_text(earlier) < time_text(later));
        assert_eq!(parse_time(&time_text(later)).unwrap(), later);
    }

    #[test]
    fn like_wildcards_and_the_escape_character_are_escaped() {
        assert_eq!(escape_like(r"50%_off\now"), r"50\%\_off\\now");
        assert_eq!(escape_like("plain"), "plain");
    }
}
