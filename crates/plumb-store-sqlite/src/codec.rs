//! How core values are spelled in SQLite columns. The spellings both backends share (ids,
//! digests, counters, the closed sets, and times as fixed-width UTC text) live in
//! `plumb_store_rows`; this module re-exports those it uses and adds SQLite's own.

pub(crate) use plumb_store_rows::codec::{access_text, count_value, escape_like, parse_uuid};
pub(crate) use plumb_store_rows::codec::{permissions_text, role_text};
pub(crate) use plumb_store_rows::stored::{parse_optional_time, time_text};

/// A JSON array of ids, for `in (select value from json_each(?))`: SQLite has no array binds.
pub(crate) fn id_array(ids: impl IntoIterator<Item = String>) -> String {
    let ids: Vec<String> = ids.into_iter().collect();
    // A list of strings always serialises.
    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_array_is_a_json_array_of_the_ids_in_order() {
        let ids = ["b".to_owned(), "a".to_owned()];
        assert_eq!(id_array(ids), r#"["b","a"]"#);
        assert_eq!(id_array(Vec::new()), "[]");
    }
}
