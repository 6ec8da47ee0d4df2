//! Keyset paging in SQL: what a cursor adds to a `select` ordered by id, and [`page`], the one
//! way an organization's list is read a page at a time (`limit + 1` rows in the direction of
//! travel, the extra one only proving that there is more; never OFFSET). Statements use bare
//! `?` placeholders, numbered in order (see `db::postgres::numbered`).

use plumb_core::id::OrganizationId;
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::StoreResult;

use crate::db::{Arg, Exec, FromRow};

/// The id comparison a cursor adds and the direction rows are read in. `Before` reads
/// descending, so the rows nearest the cursor come first; `Page::from_probe` puts them back in
/// ascending order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keyset {
    /// The cursor's id, to bind at the `?` of [`Keyset::condition`]; `None` from the start.
    pub(crate) id: Option<String>,
    comparison: &'static str,
    /// `asc` or `desc`.
    pub(crate) order: &'static str,
}

impl Keyset {
    /// The keyset of a cursor.
    pub(crate) fn of<Id: ToString>(cursor: &Cursor<Id>) -> Self {
        let (id, comparison, order) = match cursor {
            Cursor::First => (None, "", "asc"),
            Cursor::After(id) => (Some(id.to_string()), ">", "asc"),
            Cursor::Before(id) => (Some(id.to_string()), "<", "desc"),
        };
        Self {
            id,
            comparison,
            order,
        }
    }

    /// ` and {column} > ?` (or `<`), or nothing from the start.
    pub(crate) fn condition(&self, column: &str) -> String {
        match self.id {
            Some(_) => format!(" and {column} {} ?", self.comparison),
            None => String::new(),
        }
    }
}

/// A keyset page of `select` (which ends before its `where`, with no placeholder of its own):
/// the rows of the organization at `{alias}.organization_id`, after or before the cursor on
/// `{alias}.id`, narrowed by `conditions` (each a SQL term with its bare `?`, if any, and the
/// value bound there), in id order.
pub(crate) async fn page<R: FromRow, Id: ToString + Copy>(
    exec: &impl Exec,
    (select, alias): (&str, &str),
    organization_id: OrganizationId,
    conditions: &[(&str, Option<Arg<'_>>)],
    page: &PageRequest<Id>,
) -> StoreResult<Page<R>> {
    let keyset = Keyset::of(&page.cursor);
    let mut sql = format!(
        "{select}where {alias}.organization_id = ?{}",
        keyset.condition(&format!("{alias}.id"))
    );
    let mut bound = vec![Arg::from(organization_id)];
    bound.extend(keyset.id.map(Arg::from));
    for (condition, arg) in conditions {
        sql.push_str(" and ");
        sql.push_str(condition);
        bound.extend(arg.clone());
    }
    sql.push_str(&format!(" order by {alias}.id {} limit ?", keyset.order));
    bound.push(Arg::from(i64::from(page.limit) + 1));
    let records = exec.rows(&sql, &bound).await?;
    Ok(Page::from_probe(records, page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_adds_no_condition_and_reads_ascending() {
        let keyset = Keyset::of(&Cursor::<u32>::First);
        assert_eq!(
            (keyset.condition("a.id"), keyset.order),
            (String::new(), "asc")
        );
        assert_eq!(keyset.id, None);
    }

    #[test]
    fn after_reads_greater_ids_ascending_and_before_smaller_ids_descending() {
        let after = Keyset::of(&Cursor::After(7));
        let before = Keyset::of(&Cursor::Before(7));
        assert_eq!(
            (after.condition("id"), after.order),
            (" and id > ?".to_owned(), "asc")
        );
        assert_eq!(
            (before.condition("id"), before.order),
            (" and id < ?".to_owned(), "desc")
        );
        assert_eq!(after.id.as_deref(), Some("7"));
    }
}
