//! The rules of a person's device edits and of every call that names devices: how long a
//! nickname and notes may be, how long a search, how many devices one call may name, and how
//! a call naming unknown devices is answered.

use std::fmt::Display;

use crate::{DomainError, validate};

/// Longest nickname, in characters.
pub const NICKNAME_MAX: usize = 200;
/// Longest notes, in characters.
pub const NOTES_MAX: usize = 10_000;
/// Longest search text of a device list, in characters (a hostname has at most 253).
pub const SEARCH_MAX: usize = 255;
/// Most devices one call may name: group and tag membership, automation triggers.
pub const DEVICE_IDS_MAX: usize = 1000;

/// A nickname (the API's `name`): trimmed, 1 to [`NICKNAME_MAX`] characters.
pub fn nickname(name: &str) -> Result<String, DomainError> {
    validate::text("name", name, NICKNAME_MAX)
}

/// Notes: `None` or blank clears them; otherwise at most [`NOTES_MAX`] characters, kept as
/// written (line breaks and surrounding spaces included).
pub fn notes(notes: Option<String>) -> Result<Option<String>, DomainError> {
    let Some(notes) = notes.filter(|notes| !notes.trim().is_empty()) else {
        return Ok(None);
    };
    if notes.chars().count() > NOTES_MAX {
        return Err(DomainError::Invalid(format!(
            "notes must be at most {NOTES_MAX} characters"
        )));
    }
    Ok(Some(notes))
}

/// Checks how many devices a call names: at most [`DEVICE_IDS_MAX`].
pub fn device_count(count: usize) -> Result<(), DomainError> {
    if count > DEVICE_IDS_MAX {
        return Err(DomainError::Invalid(format!(
            "device_ids may name at most {DEVICE_IDS_MAX} devices"
        )));
    }
    Ok(())
}

/// Checks how many devices a membership change names: at least one, at most
/// [`DEVICE_IDS_MAX`].
pub fn membership_count(count: usize) -> Result<(), DomainError> {
    if count == 0 {
        return Err(DomainError::invalid(
            "device_ids must name at least one device",
        ));
    }
    device_count(count)
}

/// The answer to a call naming devices that do not exist in the caller's organization (or
/// ids that are not device ids at all), naming each.
pub fn devices_not_found<T: Display>(ids: &[T]) -> DomainError {
    let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let noun = if names.len() == 1 {
        "device"
    } else {
        "devices"
    };
    DomainError::NotFoundNamed(format!("{noun} not found: {}", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nickname_is_trimmed_and_holds_at_most_two_hundred_characters() {
        assert_eq!(nickname("  Ada's laptop ").unwrap(), "Ada's laptop");
        assert!(nickname(&"é".repeat(NICKNAME_MAX)).is_ok());

        let long = nickname(&"é".repeat(NICKNAME_MAX + 1)).unwrap_err();
        let blank = nickname("   ").unwrap_err();

        assert_eq!(long.to_string(), "name must be at most 200 characters");
        assert_eq!(blank.to_string(), "name must not be empty");
    }

    #[test]
    fn blank_notes_clear_and_other_notes_are_kept_as_written() {
        assert_eq!(notes(None).unwrap(), None);
        assert_eq!(notes(Some(" \n ".to_owned())).unwrap(), None);
        assert_eq!(
            notes(Some(" line one\nline two ".to_owned())).unwrap(),
            Some(" line one\nline two ".to_owned())
        );
    }

    #[test]
    fn notes_hold_at_most_ten_thousand_characters() {
        assert!(notes(Some("é".repeat(NOTES_MAX))).is_ok());

        let error = notes(Some("é".repeat(NOTES_MAX + 1))).unwrap_err();

        assert!(matches!(error, DomainError::Invalid(_)));
        assert_eq!(error.to_string(), "notes must be at most 10000 characters");
    }

    #[test]
    fn a_call_may_name_at_most_a_thousand_devices() {
        assert!(device_count(0).is_ok());
        assert!(device_count(DEVICE_IDS_MAX).is_ok());

        let error = device_count(DEVICE_IDS_MAX + 1).unwrap_err();

        assert_eq!(
            error.to_string(),
            "device_ids may name at most 1000 devices"
        );
    }

    #[test]
    fn a_membership_change_names_one_to_a_thousand_devices() {
        assert!(membership_count(1).is_ok());
        assert!(membership_count(DEVICE_IDS_MAX).is_ok());

        let none = membership_count(0).unwrap_err();
        let too_many = membership_count(DEVICE_IDS_MAX + 1).unwrap_err();

        assert_eq!(none.to_string(), "device_ids must name at least one device");
        assert_eq!(
            too_many.to_string(),
            "device_ids may name at most 1000 devices"
        );
    }

    #[test]
    fn unknown_devices_are_named_one_by_one() {
        let one = devices_not_found(&["nope"]);
        let two = devices_not_found(&["nope", "neither"]);

        assert!(matches!(one, DomainError::NotFoundNamed(_)));
        assert_eq!(one.to_string(), "device not found: nope");
        assert_eq!(two.to_string(), "devices not found: nope, neither");
    }
}
