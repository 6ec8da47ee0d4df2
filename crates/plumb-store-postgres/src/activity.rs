//! The activity log: appending an entry (inside the caller's transaction) and listing entries.
//!
//! Entries are listed by id, which is a UUIDv7 and so follows creation time; `before` pages
//! back from an id without OFFSET. Every node writes here, so the log is one across nodes.

use plumb_core::StoreError;
use plumb_core::id::{ActivityId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{Activity, StoreResult};
use plumb_store_rows::activity::changes_sql;
use plumb_store_rows::keyset::Keyset;
use sqlx::PgConnection;

use crate::codec::numbered;
use crate::error::{damaged, db_error};
use crate::rows::ActivityRow;

/// Appends an entry; called inside the transaction of the change it records.
pub(crate) async fn insert_activity(
    conn: &mut PgConnection,
    activity: &Activity,
) -> StoreResult<()> {
    let details =
        serde_json::to_string(&activity.details).map_err(|_| damaged("activity details"))?;
    let actor = activity.actor.as_ref();
    sqlx::query(
        "insert into activity (id, organization_id, actor_id, actor_email, action, target_type, \
         target_id, details, ip, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(activity.id.to_string())
    .bind(activity.organization_id.to_string())
    .bind(actor.map(|actor| actor.id.to_string()))
    .bind(actor.map(|actor| actor.email.as_str()))
    .bind(&activity.action)
    .bind(&activity.target_type)
    .bind(&activity.target_id)
    .bind(details)
    .bind(&activity.ip)
    .bind(activity.created_at)
    .execute(conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Entries of an organization, newest first, older than `before` if given.
pub(crate) async fn list_activity(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    before: Option<ActivityId>,
    limit: u32,
) -> StoreResult<Vec<Activity>> {
    sqlx::query_as::<_, ActivityRow>(
        "select id, organization_id, actor_id, actor_email, action, target_type, target_id, \
         details, ip, created_at from activity \
         where organization_id = $1 and ($2::text is null or id < $2) \
         order by id desc limit $3",
    )
    .bind(organization_id.to_string())
    .bind(before.map(|id| id.to_string()))
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(Activity::try_from)
    .collect::<Result<Vec<_>, StoreError>>()
}

/// A keyset page of an organization's entries in id order, without sign-ins.
pub(crate) async fn list_changes(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    page: &PageRequest<ActivityId>,
) -> StoreResult<Page<Activity>> {
    let keyset = Keyset::of(&page.cursor);
    let sql = numbered(&changes_sql(&keyset));
    let mut query = sqlx::query_as::<_, ActivityRow>(&sql).bind(organization_id.to_string());
    if let Some(id) = keyset.id {
        query = query.bind(id);
    }
    let rows = query
        .bind(i64::from(page.limit) + 1)
        .fetch_all(conn)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Activity::try_from)
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Page::from_probe(rows, page))
}
