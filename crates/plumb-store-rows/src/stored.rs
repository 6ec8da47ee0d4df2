//! The stored forms that differ between the backends: times and a group's child ids.
//!
//! SQLite keeps times as UTC text of fixed width with microseconds,
//! `2026-11-23T12:00:00.000000Z`, so that text order is time order inside SQL (`expires_at > ?`,
//! `max(last_used_at, ?)`). sqlx's own encoding of `OffsetDateTime` drops trailing zero fractions
//! and keeps the offset, which breaks that order. Microseconds match PostgreSQL's `timestamptz`
//! (which sqlx decodes to `OffsetDateTime` directly), so a copy between the two backends loses
//! nothing; finer parts are truncated.

use plumb_core::StoreError;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};
use uuid::Uuid;

use crate::codec::parse_uuid;
use crate::damaged;

/// The one spelling of a time stored as text.
const TIME_FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// The text form of a time (SQLite's columns).
pub fn time_text(at: OffsetDateTime) -> String {
    // Formatting a UTC date-time with these components only fails for years beyond 9999.
    at.to_offset(UtcOffset::UTC)
        .format(TIME_FORMAT)
        .unwrap_or_else(|_| unreachable!("a four-digit-year UTC time always formats"))
}

/// Reads a time stored as text.
pub fn parse_time(text: &str) -> Result<OffsetDateTime, StoreError> {
    PrimitiveDateTime::parse(text, TIME_FORMAT)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| damaged(format!("time {text:?}")))
}

/// Reads an optional time stored as text.
pub fn parse_optional_time(text: Option<&str>) -> Result<Option<OffsetDateTime>, StoreError> {
    text.map(parse_time).transpose()
}

/// A time as a backend returns it.
pub trait StoredTime {
    /// The time it stands for; a stored form that does not read is a damaged database.
    fn into_time(self) -> Result<OffsetDateTime, StoreError>;
}

/// SQLite: fixed-width UTC text.
impl StoredTime for String {
    fn into_time(self) -> Result<OffsetDateTime, StoreError> {
        parse_time(&self)
    }
}

/// PostgreSQL: `timestamptz`, already a time.
impl StoredTime for OffsetDateTime {
    fn into_time(self) -> Result<OffsetDateTime, StoreError> {
        Ok(self)
    }
}

/// Reads an optional stored time.
pub fn optional_time<T: StoredTime>(
    stored: Option<T>,
) -> Result<Option<OffsetDateTime>, StoreError> {
    stored.map(StoredTime::into_time).transpose()
}

/// A group's child ids as a backend aggregates them; null when there are none.
pub trait StoredIds {
    /// The ids in id order.
    fn into_ids(self) -> Result<Vec<Uuid>, StoreError>;
}

/// SQLite: `group_concat` text, comma-separated, in no particular order.
impl StoredIds for Option<String> {
    fn into_ids(self) -> Result<Vec<Uuid>, StoreError> {
        let mut ids = match self.as_deref() {
            None | Some("") => Vec::new(),
            Some(list) => list
                .split(',')
                .map(parse_uuid)
                .collect::<Result<Vec<_>, _>>()?,
        };
        // group_concat has no defined order; ids sort as their text does.
        ids.sort_unstable();
        Ok(ids)
    }
}

/// PostgreSQL: an `array_agg` already in id order.
impl StoredIds for Option<Vec<String>> {
    fn into_ids(self) -> Result<Vec<Uuid>, StoreError> {
        self.unwrap_or_default()
            .iter()
            .map(|id| parse_uuid(id))
            .collect()
    }
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
    fn a_text_time_that_does_not_parse_is_a_damaged_database() {
        let error = "yesterday".to_owned().into_time().unwrap_err();
        let StoreError::Unavailable(source) = error else {
            panic!("expected a damaged database, got {error:?}");
        };
        assert!(source.downcast_ref::<crate::Damaged>().is_some());
        assert!(optional_time::<String>(None).unwrap().is_none());
        let native = datetime!(2026-11-23 12:00:00 UTC);
        assert_eq!(native.into_time().unwrap(), native);
    }

    #[test]
    fn text_child_ids_are_sorted_and_array_child_ids_are_kept_in_order() {
        let (low, high) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let text = Some(format!("{high},{low}"));
        assert_eq!(text.into_ids().unwrap(), vec![low, high]);
        assert!(Some(String::new()).into_ids().unwrap().is_empty());
        assert!(None::<String>.into_ids().unwrap().is_empty());
        let array = Some(vec![low.to_string(), high.to_string()]);
        assert_eq!(array.into_ids().unwrap(), vec![low, high]);
        assert!(Some(vec!["not-an-id".to_owned()]).into_ids().is_err());
    }
}
