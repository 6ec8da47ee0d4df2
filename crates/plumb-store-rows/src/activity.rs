//! The activity log's SQL that both stores run as it is (PostgreSQL numbers the `?`s).

use crate::keyset::Keyset;

/// The columns an [`ActivityRow`](crate::accounts::ActivityRow) reads.
pub const ACTIVITY_COLUMNS: &str = "id, organization_id, actor_id, actor_email, action, \
                                    target_type, target_id, details, ip, created_at";

/// The term that leaves sign-ins out (`plumb_core::store::SIGN_IN_ACTIONS`). Migration 9's partial index `activity_changes_idx` has
/// exactly this predicate, which is what lets the planners use it: change both or neither.
pub const NOT_SIGN_IN: &str = "action not like 'session.%'";

/// A keyset page of an organization's changes: binds the organization id, the cursor's id if
/// the keyset has one, then the number of rows to read.
pub fn changes_sql(keyset: &Keyset) -> String {
    format!(
        "select {ACTIVITY_COLUMNS} from activity where organization_id = ? and {NOT_SIGN_IN}{} \
         order by id {} limit ?",
        keyset.condition("id"),
        keyset.order
    )
}

#[cfg(test)]
mod tests {
    use plumb_core::page::Cursor;
    use plumb_core::store::SIGN_IN_ACTIONS;

    use super::*;

    #[test]
    fn the_sign_in_term_leaves_out_the_actions_core_calls_sign_ins() {
        assert_eq!(NOT_SIGN_IN, format!("action not like '{SIGN_IN_ACTIONS}%'"));
    }

    #[test]
    fn a_page_after_a_cursor_reads_greater_ids_in_order() {
        let sql = changes_sql(&Keyset::of(&Cursor::After(7)));
        assert!(
            sql.ends_with("and action not like 'session.%' and id > ? order by id asc limit ?")
        );
    }
}
