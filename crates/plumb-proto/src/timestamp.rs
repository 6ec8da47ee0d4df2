//! Timestamps on the wire: ISO-8601 in UTC with milliseconds, `2025-03-15T14:30:00.000Z`.
//!
//! Use as `#[serde(with = "plumb_proto::timestamp")]` (or `timestamp::option`).

use serde::{Deserialize, Deserializer, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// Formats a time the way every plumb response does.
pub fn format(value: OffsetDateTime) -> String {
    let utc = value.to_offset(UtcOffset::UTC);
    let layout =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    // Formatting a UTC time with a fixed, valid layout has no failure mode; fall back to RFC 3339
    // rather than panic if that ever changes.
    utc.format(&layout)
        .or_else(|_| utc.format(&Rfc3339))
        .unwrap_or_default()
}

/// Serializes a time as ISO-8601 UTC with milliseconds.
pub fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*value))
}

/// Deserializes any RFC 3339 time.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
    let text = String::deserialize(deserializer)?;
    OffsetDateTime::parse(&text, &Rfc3339).map_err(serde::de::Error::custom)
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
            Some(value) => serializer.serialize_str(&format(*value)),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes an RFC 3339 time or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        text.map(|text| OffsetDateTime::parse(&text, &Rfc3339).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    #[test]
    fn timestamps_are_utc_with_milliseconds_and_a_z() {
        let value = datetime!(2025-03-15 15:30:00.123456 +01:00);
        assert_eq!(super::format(value), "2025-03-15T14:30:00.123Z");
    }
}
