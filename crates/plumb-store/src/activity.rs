//! The activity log: appending an entry (inside the caller's transaction) and listing entries.
//!
//! Entries are listed by id, which is a UUIDv7 and so follows creation time; `before` pages
//! back from an id without OFFSET.

use crate::codec::damaged;
use crate::keyset::Keyset;
use plumb_core::id::{ActivityId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{Activity, KeyRef, StoreResult, UserRef};

use crate::db::{Arg, Exec, FromRow, Row, args};

/// The columns [`Activity`] is read from, in order.
const ACTIVITY_COLUMNS: &str = "id, organization_id, actor_id, actor_email, actor_api_key_id, \
                                actor_api_key_masked, actor_api_key_description, action, \
                                target_type, target_id, details, ip, created_at";

/// The term that leaves sign-ins out (`plumb_core::store::SIGN_IN_ACTIONS`). Migration 9's
/// partial index `activity_changes_idx` has exactly this predicate, which is what lets the
/// planners use it: change both or neither.
const NOT_SIGN_IN: &str = "action not like 'session.%'";

/// A keyset page of an organization's changes: binds the organization id, the cursor's id if
/// the keyset has one, then the number of rows to read.
pub(crate) fn changes_sql(keyset: &Keyset) -> String {
    format!(
        "select {ACTIVITY_COLUMNS} from activity where organization_id = ? and {NOT_SIGN_IN}{} \
         order by id {} limit ?",
        keyset.condition("id"),
        keyset.order
    )
}

impl FromRow for Activity {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        let id = columns.next()?;
        let organization_id = columns.next()?;
        // The actor is written as both columns or neither.
        let actor = match (columns.next()?, columns.next()?) {
            (Some(id), Some(email)) => Some(UserRef { id, email }),
            _ => None,
        };
        // So is the key: all three columns or none.
        let api_key = match (columns.next()?, columns.next()?, columns.next()?) {
            (Some(id), Some(masked_key), Some(description)) => Some(KeyRef {
                id,
                masked_key,
                description,
            }),
            _ => None,
        };
        Ok(Activity {
            id,
            organization_id,
            actor,
            api_key,
            action: columns.next()?,
            target_type: columns.next()?,
            target_id: columns.next()?,
            details: serde_json::from_str(&columns.next::<String>()?)
                .map_err(|_| damaged("activity details"))?,
            ip: columns.next()?,
            created_at: columns.next()?,
        })
    }
}

/// Appends an entry; called inside the transaction of the change it records.
pub(crate) async fn insert_activity(exec: &impl Exec, activity: &Activity) -> StoreResult<()> {
    let details =
        serde_json::to_string(&activity.details).map_err(|_| damaged("activity details"))?;
    let actor = activity.actor.as_ref();
    let key = activity.api_key.as_ref();
    exec.execute(
        &format!(
            "insert into activity ({ACTIVITY_COLUMNS}) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        ),
        args![
            activity.id,
            activity.organization_id,
            actor.map(|actor| actor.id),
            actor.map(|actor| actor.email.as_str()),
            key.map(|key| key.id),
            key.map(|key| key.masked_key.as_str()),
            key.map(|key| key.description.as_str()),
            &activity.action,
            &activity.target_type,
            activity.target_id.as_deref(),
            details,
            activity.ip.as_deref(),
            activity.created_at,
        ],
    )
    .await?;
    // A security event (API keys, users, failed sign-ins) goes out with its entry.
    crate::events::activity_event(exec, activity).await
}

/// Appends the entry of a change, if it has one; called inside the change's transaction.
pub(crate) async fn insert_entry(exec: &impl Exec, activity: Option<&Activity>) -> StoreResult<()> {
    match activity {
        Some(activity) => insert_activity(exec, activity).await,
        None => Ok(()),
    }
}

/// Entries of an organization, newest first, older than `before` if given.
pub(crate) async fn list_activity(
    exec: &impl Exec,
    organization_id: OrganizationId,
    before: Option<ActivityId>,
    limit: u32,
) -> StoreResult<Vec<Activity>> {
    // Without a cursor, compare against a text that sorts after every id.
    let before = before.map_or_else(|| "~".to_owned(), |id| id.to_string());
    exec.rows(
        &format!(
            "select {ACTIVITY_COLUMNS} from activity \
             where organization_id = ?1 and id < ?2 order by id desc limit ?3"
        ),
        args![organization_id, before, i64::from(limit)],
    )
    .await
}

/// A keyset page of an organization's entries in id order, without sign-ins.
pub(crate) async fn list_changes(
    exec: &impl Exec,
    organization_id: OrganizationId,
    page: &PageRequest<ActivityId>,
) -> StoreResult<Page<Activity>> {
    let keyset = Keyset::of(&page.cursor);
    let sql = changes_sql(&keyset);
    let mut bound = vec![Arg::from(organization_id)];
    if let Some(id) = keyset.id {
        bound.push(Arg::from(id));
    }
    bound.push(Arg::from(i64::from(page.limit) + 1));
    let rows = exec.rows(&sql, &bound).await?;
    Ok(Page::from_probe(rows, page))
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
