//! Small parsers shared by the `/v2` resources: boolean flags (`include_*`), id filters in
//! query strings, and the `device_ids` lists of membership bodies.

use plumb_core::devices::{self, devices_not_found};
use plumb_core::id::DeviceId;

use crate::error::ApiError;

/// A boolean query flag: absent is `false`; `true`, `false`, `1` and `0` are accepted (case
/// does not matter); anything else is a 400 naming the flag.
pub fn flag(name: &str, value: Option<&str>) -> Result<bool, ApiError> {
    match value
        .map(|text| text.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(_) => Err(ApiError::BadRequest(format!(
            "{name} must be true, false, 1 or 0"
        ))),
    }
}

/// An id in a query filter: absent is `None`; a malformed one is a 400 naming the parameter.
pub fn filter_id<T>(
    name: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, ApiError> {
    value
        .map(|text| {
            parse(text).ok_or_else(|| ApiError::BadRequest(format!("{name} is not a valid id")))
        })
        .transpose()
}

/// The `device_ids` of a membership body, deduplicated in order: empty or more than
/// [`devices::DEVICE_IDS_MAX`] is a 422, malformed ids are a 404 naming them all.
pub fn device_ids(texts: &[String]) -> Result<Vec<DeviceId>, ApiError> {
    devices::membership_count(texts.len())?;
    let mut ids = Vec::with_capacity(texts.len());
    let mut malformed = Vec::new();
    for text in texts {
        match DeviceId::parse(text) {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => malformed.push(text.as_str()),
        }
    }
    if !malformed.is_empty() {
        return Err(devices_not_found(&malformed).into());
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_take_true_false_one_and_zero_and_refuse_the_rest() {
        assert!(!flag("f", None).unwrap());
        assert!(flag("f", Some("true")).unwrap());
        assert!(flag("f", Some("TRUE")).unwrap());
        assert!(flag("f", Some("1")).unwrap());
        assert!(!flag("f", Some("0")).unwrap());
        assert!(!flag("f", Some("false")).unwrap());
        for bad in ["yes", "", "2", "on"] {
            assert!(flag("f", Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn device_id_lists_are_deduplicated_and_malformed_ids_are_named() {
        let id = DeviceId::new();
        let text = id.to_string();
        assert_eq!(device_ids(&[text.clone(), text]).unwrap(), [id]);
        let error = device_ids(&["nope".to_owned(), "neither".to_owned()]).unwrap_err();
        assert!(error.to_string().contains("nope, neither"), "{error}");
        assert!(device_ids(&[]).is_err());
    }
}
