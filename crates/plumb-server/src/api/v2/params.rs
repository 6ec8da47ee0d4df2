//! Small parsers shared by the `/v2` resources: boolean flags (`include_*`), id filters in
//! query strings, and the `device_ids` lists of membership bodies.

use plumb_core::groups::DEVICE_IDS_MAX;
use plumb_core::id::DeviceId;
use plumb_core::page::{Cursor, PageRequest};

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
/// [`DEVICE_IDS_MAX`] is a 422, malformed ids are a 404 naming them all.
pub fn device_ids(texts: &[String]) -> Result<Vec<DeviceId>, ApiError> {
    if texts.is_empty() {
        return Err(ApiError::Validation(
            "device_ids must name at least one device".to_owned(),
        ));
    }
    if texts.len() > DEVICE_IDS_MAX {
        return Err(ApiError::Validation(format!(
            "device_ids may name at most {DEVICE_IDS_MAX} devices"
        )));
    }
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
        return Err(devices_not_found(&malformed));
    }
    Ok(ids)
}

/// The 404 for devices that do not exist in the caller's organization, naming each.
pub fn devices_not_found<T: std::fmt::Display>(ids: &[T]) -> ApiError {
    let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let noun = if names.len() == 1 {
        "device"
    } else {
        "devices"
    };
    ApiError::NotFound(format!("{noun} not found: {}", names.join(", ")))
}

/// One page of a list held in memory, sorted by `key` (ascending): the same cursor rules as
/// the keyset pages of the store. Returns the page's items and `has_more`.
pub fn page_in_memory<T, Id: Ord + Copy>(
    mut items: Vec<T>,
    request: &PageRequest<Id>,
    key: impl Fn(&T) -> Id,
) -> (Vec<T>, bool) {
    items.sort_by_key(|item| key(item));
    let limit = request.limit as usize;
    match request.cursor {
        Cursor::First => {
            let has_more = items.len() > limit;
            items.truncate(limit);
            (items, has_more)
        }
        Cursor::After(after) => {
            items.retain(|item| key(item) > after);
            let has_more = items.len() > limit;
            items.truncate(limit);
            (items, has_more)
        }
        Cursor::Before(before) => {
            items.retain(|item| key(item) < before);
            let has_more = items.len() > limit;
            let skip = items.len().saturating_sub(limit);
            (items.split_off(skip), has_more)
        }
    }
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

    #[test]
    fn in_memory_pages_follow_the_cursor_both_ways() {
        let page = |cursor| PageRequest { limit: 2, cursor };
        let items = vec![5, 1, 4, 2, 3];
        let id = |n: &u32| *n;
        assert_eq!(
            page_in_memory(items.clone(), &page(Cursor::First), id),
            (vec![1, 2], true)
        );
        assert_eq!(
            page_in_memory(items.clone(), &page(Cursor::After(3)), id),
            (vec![4, 5], false)
        );
        assert_eq!(
            page_in_memory(items.clone(), &page(Cursor::Before(4)), id),
            (vec![2, 3], true)
        );
        assert_eq!(
            page_in_memory(items, &page(Cursor::Before(1)), id),
            (vec![], false)
        );
    }
}
