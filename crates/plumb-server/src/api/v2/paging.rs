//! Level's list parameters: `limit` (1 to 100, default 20), `starting_after` and `ending_before`
//! (object ids). Invalid values are a 400; a well-formed cursor that names no object still
//! works, by position, so a page survives its cursor object being deleted.

use plumb_core::page::{Cursor, DEFAULT_LIMIT, MAX_LIMIT, MIN_LIMIT, PageRequest};
use serde::Deserialize;

use crate::error::ApiError;

/// The paging part of a list query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<String>,
    /// Page after this id: pass the last id of the current page.
    pub starting_after: Option<String>,
    /// Page before this id: pass the first id of the current page.
    pub ending_before: Option<String>,
}

impl PageQuery {
    /// Validates the parameters with `parse` for the cursor's id type.
    pub fn to_request<Id>(
        &self,
        parse: fn(&str) -> Option<Id>,
    ) -> Result<PageRequest<Id>, ApiError> {
        let limit = match self.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(text) => text
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|limit| (MIN_LIMIT..=MAX_LIMIT).contains(limit))
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "limit must be a whole number from {MIN_LIMIT} to {MAX_LIMIT}"
                    ))
                })?,
        };
        let cursor_id = |name: &str, text: &str| {
            parse(text).ok_or_else(|| ApiError::BadRequest(format!("{name} is not a valid id")))
        };
        let cursor = match (
            self.starting_after.as_deref(),
            self.ending_before.as_deref(),
        ) {
            (Some(_), Some(_)) => {
                return Err(ApiError::BadRequest(
                    "use starting_after or ending_before, not both".to_owned(),
                ));
            }
            (Some(after), None) => Cursor::After(cursor_id("starting_after", after)?),
            (None, Some(before)) => Cursor::Before(cursor_id("ending_before", before)?),
            (None, None) => Cursor::First,
        };
        Ok(PageRequest { limit, cursor })
    }
}

#[cfg(test)]
mod tests {
    use plumb_core::id::GroupId;

    use super::*;

    fn query(limit: Option<&str>, after: Option<&str>, before: Option<&str>) -> PageQuery {
        PageQuery {
            limit: limit.map(str::to_owned),
            starting_after: after.map(str::to_owned),
            ending_before: before.map(str::to_owned),
        }
    }

    #[test]
    fn the_default_page_is_twenty_from_the_start() {
        let request = query(None, None, None).to_request(GroupId::parse).unwrap();
        assert_eq!(
            request,
            PageRequest {
                limit: 20,
                cursor: Cursor::First
            }
        );
    }

    #[test]
    fn limits_outside_one_to_a_hundred_are_refused() {
        for limit in ["0", "101", "-1", "ten", ""] {
            assert!(
                query(Some(limit), None, None)
                    .to_request(GroupId::parse)
                    .is_err(),
                "{limit}"
            );
        }
        assert!(
            query(Some("100"), None, None)
                .to_request(GroupId::parse)
                .is_ok()
        );
    }

    #[test]
    fn both_cursors_at_once_or_a_malformed_cursor_are_refused() {
        let id = GroupId::new().to_string();
        assert!(
            query(None, Some(&id), Some(&id))
                .to_request(GroupId::parse)
                .is_err()
        );
        assert!(
            query(None, Some("nope"), None)
                .to_request(GroupId::parse)
                .is_err()
        );
    }
}
