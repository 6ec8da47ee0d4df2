//! How a time is stored as text (SQLite's columns, and the neutral rows of `plumb db copy`).
//!
//! SQLite keeps times as UTC text of fixed width with microseconds,
//! `2026-11-23T12:00:00.000000Z`, so that text order is time order inside SQL (`expires_at > ?`,
//! `case when ?2 >= last_used_at`); an encoding that drops trailing zero fractions or keeps the
//! offset would break that order. Microseconds match PostgreSQL's `timestamptz`, so a copy
//! between the two databases loses nothing; finer parts are truncated.

use plumb_core::StoreError;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::codec::damaged;

/// The one spelling of a time stored as text.
const TIME_FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// The text form of a time (SQLite's columns).
pub(crate) fn time_text(at: OffsetDateTime) -> String {
    // Formatting a UTC date-time with these components only fails for years beyond 9999.
    at.to_offset(UtcOffset::UTC)
        .format(TIME_FORMAT)
        .unwrap_or_else(|_| unreachable!("a four-digit-year UTC time always formats"))
}

/// Reads a time stored as text.
pub(crate) fn parse_time(text: &str) -> Result<OffsetDateTime, StoreError> {
    PrimitiveDateTime::parse(text, TIME_FORMAT)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| damaged(format!("time {text:?}")))
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
}
