//! SQLite's one spelling of a time, `2026-11-23T12:00:00.000000Z` (UTC, microseconds, fixed
//! width; `crate::stored`), read digit by digit. A page of devices reads three per
//! row, and the general parser of the `time` crate interprets its format description every
//! time, which cost a tenth of a `GET /v2/devices?limit=100`. Anything else is left to that
//! parser, which says what is wrong.

use std::ops::Range;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// The time `text` spells, or `None` when it is not exactly the stored spelling of a real
/// time.
pub(crate) fn parse(text: &[u8]) -> Option<OffsetDateTime> {
    // Every `d` is a digit; every other byte is itself.
    const SHAPE: &[u8; 27] = b"dddd-dd-ddTdd:dd:dd.ddddddZ";
    let text: &[u8; 27] = text.try_into().ok()?;
    let fits = text.iter().zip(SHAPE).all(|(byte, shape)| match shape {
        b'd' => byte.is_ascii_digit(),
        _ => byte == shape,
    });
    if !fits {
        return None;
    }
    let number = |range: Range<usize>| {
        text[range]
            .iter()
            .fold(0, |value: u32, digit| value * 10 + u32::from(digit - b'0'))
    };
    let small = |range| u8::try_from(number(range)).ok();
    let year = i32::try_from(number(0..4)).ok()?;
    let month = Month::try_from(small(5..7)?).ok()?;
    let date = Date::from_calendar_date(year, month, small(8..10)?).ok()?;
    let time = Time::from_hms_micro(
        small(11..13)?,
        small(14..16)?,
        small(17..19)?,
        number(20..26),
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use crate::stored::{parse_time, time_text};
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_stored_spelling_reads_as_the_general_parser_reads_it() {
        for at in [
            datetime!(2026-11-23 12:00 UTC),
            datetime!(2026-11-23 23:59:59.999999 UTC),
            datetime!(2024-02-29 00:00:00.000001 UTC),
            datetime!(0001-01-01 00:00 UTC),
            datetime!(9999-12-31 23:59:59.5 UTC),
        ] {
            let text = time_text(at);

            assert_eq!(parse(text.as_bytes()), Some(at), "{text}");
            assert_eq!(parse_time(&text).ok(), Some(at), "{text}");
        }
    }

    #[test]
    fn anything_but_the_stored_spelling_of_a_real_time_is_left_to_the_general_parser() {
        for text in [
            "",
            "2026-11-23T12:00:00Z",
            "2026-11-23T12:00:00.000Z",
            "2026-11-23 12:00:00.000000Z",
            "2026-11-23T12:00:00.000000+00:00",
            "2026-11-23T12:00:00.00000aZ",
            "2026-13-23T12:00:00.000000Z",
            "2026-02-30T12:00:00.000000Z",
            "2026-11-23T24:00:00.000000Z",
            "2026-11-23T12:60:00.000000Z",
            "-026-11-23T12:00:00.000000Z",
        ] {
            assert_eq!(parse(text.as_bytes()), None, "{text}");
        }
    }
}
