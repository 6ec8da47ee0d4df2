//! Timestamps on the wire: ISO-8601 in UTC with milliseconds, `2025-03-15T14:30:00.000Z`.
//!
//! Use as `#[serde(with = "plumb_proto::timestamp")]` (or `timestamp::option`).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Formats a time the way every plumb response does.
pub fn format(value: OffsetDateTime) -> String {
    match Canonical::of(value) {
        Some(text) => text.as_str().to_owned(),
        None => format_slowly(value),
    }
}

/// The general formatter, for years outside 0 to 9999.
fn format_slowly(value: OffsetDateTime) -> String {
    let utc = value.to_offset(UtcOffset::UTC);
    let layout =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    // Formatting a UTC time with a fixed, valid layout has no failure mode; fall back to RFC 3339
    // rather than panic if that ever changes.
    utc.format(&layout)
        .or_else(|_| utc.format(&Rfc3339))
        .unwrap_or_default()
}

/// `2025-03-15T14:30:00.000Z` written digit by digit into a buffer of its own (a page of
/// devices writes hundreds), for the years whose text has four digits.
struct Canonical([u8; 24]);

impl Canonical {
    fn of(value: OffsetDateTime) -> Option<Self> {
        let utc = value.to_offset(UtcOffset::UTC);
        let year = u16::try_from(utc.year())
            .ok()
            .filter(|year| *year <= 9999)?;
        let mut text = *b"0000-00-00T00:00:00.000Z";
        let mut put = |at: usize, width: usize, mut number: u16| {
            for place in (at..at + width).rev() {
                // Each digit is `number % 10`, below ten: the cast cannot truncate.
                text[place] = b'0' + (number % 10) as u8;
                number /= 10;
            }
        };
        put(0, 4, year);
        put(5, 2, u16::from(u8::from(utc.month())));
        put(8, 2, u16::from(utc.day()));
        put(11, 2, u16::from(utc.hour()));
        put(14, 2, u16::from(utc.minute()));
        put(17, 2, u16::from(utc.second()));
        put(20, 3, utc.millisecond());
        Some(Self(text))
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and separators are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Serializes a time as ISO-8601 UTC with milliseconds.
pub fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    match Canonical::of(*value) {
        Some(text) => serializer.serialize_str(text.as_str()),
        None => serializer.serialize_str(&format_slowly(*value)),
    }
}

/// Deserializes any RFC 3339 time.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
    deserializer.deserialize_str(TimeVisitor)
}

/// Parses any RFC 3339 time; plumb's own spelling (what [`format`] writes) is read digit by
/// digit, everything else by the general parser, with the same result.
pub fn parse(text: &str) -> Result<OffsetDateTime, time::error::Parse> {
    match canonical(text.as_bytes()) {
        Some(time) => Ok(time),
        None => OffsetDateTime::parse(text, &Rfc3339),
    }
}

/// `2025-03-15T14:30:00.000Z`, or `None` for any other spelling or an impossible date.
fn canonical(text: &[u8]) -> Option<OffsetDateTime> {
    // Every `d` is a digit; every other byte is itself.
    const SHAPE: &[u8; 24] = b"dddd-dd-ddTdd:dd:dd.dddZ";
    let text: &[u8; 24] = text.try_into().ok()?;
    let fits = text.iter().zip(SHAPE).all(|(byte, shape)| match shape {
        b'd' => byte.is_ascii_digit(),
        _ => byte == shape,
    });
    if !fits {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        text[range]
            .iter()
            .fold(0, |value: u16, digit| value * 10 + u16::from(digit - b'0'))
    };
    let small = |range| u8::try_from(number(range)).ok();
    let month = Month::try_from(small(5..7)?).ok()?;
    let date = Date::from_calendar_date(i32::from(number(0..4)), month, small(8..10)?).ok()?;
    let time = Time::from_hms_milli(
        small(11..13)?,
        small(14..16)?,
        small(17..19)?,
        number(20..23),
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

/// Reads the text where the deserializer holds it: no `String` per time.
struct TimeVisitor;

impl Visitor<'_> for TimeVisitor {
    type Value = OffsetDateTime;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The words serde uses for a `String`, so a time of the wrong type reads as before.
        formatter.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<OffsetDateTime, E> {
        parse(text).map_err(E::custom)
    }
}

/// `null` or a time.
struct OptionalTimeVisitor;

impl<'de> Visitor<'de> for OptionalTimeVisitor {
    type Value = Option<OffsetDateTime>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserialize(deserializer).map(Some)
    }
}

/// The same for `Option<OffsetDateTime>`, with `null` for `None`.
pub mod option {
    use super::*;

    /// Serializes `Some(time)` like [`super::serialize`] and `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes an RFC 3339 time or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        deserializer.deserialize_option(OptionalTimeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    #[test]
    fn timestamps_are_utc_with_milliseconds_and_a_z() {
        let value = datetime!(2025-03-15 15:30:00.123456 +01:00);
        assert_eq!(super::format(value), "2025-03-15T14:30:00.123Z");
    }

    #[test]
    fn the_fast_formatter_writes_what_the_general_one_writes() {
        for value in [
            datetime!(2025-03-15 14:30:00.123 UTC),
            datetime!(0001-01-01 00:00 UTC),
            datetime!(0999-12-31 23:59:59.999999 UTC),
            datetime!(2024-02-29 12:00 -05:00),
            datetime!(9999-12-31 23:59:59.9999 +00:00),
        ] {
            assert_eq!(super::format(value), super::format_slowly(value), "{value}");
        }
    }

    #[test]
    fn plumbs_own_spelling_reads_as_the_general_parser_reads_it() {
        for text in [
            "2025-03-15T14:30:00.123Z",
            "2024-02-29T23:59:59.999Z",
            "0001-01-01T00:00:00.000Z",
        ] {
            let general = OffsetDateTime::parse(text, &Rfc3339).unwrap();

            assert_eq!(super::canonical(text.as_bytes()), Some(general), "{text}");
            assert_eq!(super::parse(text).unwrap(), general, "{text}");
        }
    }

    #[test]
    fn other_spellings_are_left_to_the_general_parser() {
        for text in [
            "2025-03-15T14:30:00Z",
            "2025-03-15T14:30:00.123+01:00",
            "2025-03-15t14:30:00.123z",
            "2025-02-29T14:30:00.123Z",
            "2025-03-15T24:30:00.123Z",
            "2025-03-15T14:30:00.12aZ",
        ] {
            assert_eq!(super::canonical(text.as_bytes()), None, "{text}");
            assert_eq!(
                super::parse(text).ok(),
                OffsetDateTime::parse(text, &Rfc3339).ok(),
                "{text}"
            );
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct Times {
        #[serde(with = "super")]
        at: OffsetDateTime,
        #[serde(with = "super::option", default)]
        maybe: Option<OffsetDateTime>,
    }

    fn times(json: &str) -> Result<Times, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn any_rfc_3339_time_reads_and_null_or_absent_is_none() {
        let read = times(r#"{"at":"2025-03-15T15:30:00+01:00","maybe":null}"#).unwrap();
        assert_eq!(read.at, datetime!(2025-03-15 14:30 UTC));
        assert_eq!(read.maybe, None);

        let read =
            times(r#"{"at":"2025-03-15T14:30:00.5Z","maybe":"2025-03-16T00:00:00.000Z"}"#).unwrap();
        assert_eq!(read.maybe, Some(datetime!(2025-03-16 0:00 UTC)));
        assert!(
            times(r#"{"at":"2025-03-15T14:30:00Z"}"#)
                .unwrap()
                .maybe
                .is_none()
        );
    }

    #[test]
    fn a_time_of_the_wrong_type_or_shape_is_refused_as_before() {
        assert_eq!(
            times(r#"{"at":7}"#).unwrap_err(),
            "invalid type: integer `7`, expected a string at line 1 column 7"
        );
        assert_eq!(
            times(r#"{"at":"2025-03-15T14:30:00Z","maybe":7}"#).unwrap_err(),
            "invalid type: integer `7`, expected a string at line 1 column 38"
        );
        assert!(
            times(r#"{"at":"yesterday"}"#)
                .unwrap_err()
                .starts_with("the 'year' component could not be parsed")
        );
    }
}
