//! Keyset pagination: a page is "up to `limit` items after (or before) an id", never an OFFSET,
//! so page 10,000 costs what page 1 costs.

/// Smallest page size.
pub const MIN_LIMIT: u32 = 1;
/// Largest page size.
pub const MAX_LIMIT: u32 = 100;
/// Page size when none is asked for.
pub const DEFAULT_LIMIT: u32 = 20;

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor<Id> {
    /// From the beginning.
    First,
    /// Items whose id sorts after this one, ascending.
    After(Id),
    /// Items whose id sorts before this one; returned in ascending order.
    Before(Id),
}

/// A page request with a validated limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest<Id> {
    /// Page size, within [`MIN_LIMIT`]..=[`MAX_LIMIT`].
    pub limit: u32,
    /// Where to start.
    pub cursor: Cursor<Id>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// Items in ascending id order.
    pub items: Vec<T>,
    /// Whether more items exist in the direction of travel.
    pub has_more: bool,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in the direction of travel: the extra
    /// row only proves there is more. For [`Cursor::Before`] the rows arrive descending and are
    /// put back in ascending order.
    pub fn from_probe<Id>(mut rows: Vec<T>, request: &PageRequest<Id>) -> Self {
        let limit = request.limit as usize;
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        if matches!(request.cursor, Cursor::Before(_)) {
            rows.reverse();
        }
        Self {
            items: rows,
            has_more,
        }
    }

    /// One page of a list held in memory (a few items gathered from several places): sorted by
    /// `key`, then cut with the same cursor rules as the store's keyset pages.
    pub fn in_memory<Id: Ord + Copy>(
        mut items: Vec<T>,
        request: &PageRequest<Id>,
        key: impl Fn(&T) -> Id,
    ) -> Self {
        items.sort_by_key(|item| key(item));
        let limit = request.limit as usize;
        match request.cursor {
            Cursor::First => {}
            Cursor::After(after) => items.retain(|item| key(item) > after),
            Cursor::Before(before) => {
                items.retain(|item| key(item) < before);
                let has_more = items.len() > limit;
                let skip = items.len().saturating_sub(limit);
                return Self {
                    items: items.split_off(skip),
                    has_more,
                };
            }
        }
        let has_more = items.len() > limit;
        items.truncate(limit);
        Self { items, has_more }
    }

    /// Maps every item.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_more: self.has_more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_row_sets_has_more_and_is_dropped() {
        let request = PageRequest {
            limit: 2,
            cursor: Cursor::<u32>::First,
        };
        let page = Page::from_probe(vec![1, 2, 3], &request);
        assert_eq!(
            page,
            Page {
                items: vec![1, 2],
                has_more: true
            }
        );
    }

    #[test]
    fn backwards_pages_come_back_in_ascending_order() {
        let request = PageRequest {
            limit: 2,
            cursor: Cursor::Before(9u32),
        };
        let page = Page::from_probe(vec![8, 7], &request);
        assert_eq!(
            page,
            Page {
                items: vec![7, 8],
                has_more: false
            }
        );
    }

    #[test]
    fn in_memory_pages_follow_the_cursor_both_ways() {
        let page = |cursor| PageRequest { limit: 2, cursor };
        let items = vec![5, 1, 4, 2, 3];
        let id = |n: &u32| *n;
        let cut = |cursor| {
            let page = Page::in_memory(items.clone(), &page(cursor), id);
            (page.items, page.has_more)
        };

        assert_eq!(cut(Cursor::First), (vec![1, 2], true));
        assert_eq!(cut(Cursor::After(3)), (vec![4, 5], false));
        assert_eq!(cut(Cursor::Before(4)), (vec![2, 3], true));
        assert_eq!(cut(Cursor::Before(1)), (vec![], false));
    }
}
