//! Reading groups with their figures: direct children, direct devices, and devices in the
//! whole subtree.
//!
//! One query serves a single group and a page of groups: a `chosen` CTE picks the groups, a
//! recursive CTE walks each one's subtree, and the figures are computed for the chosen rows
//! only. A page costs the size of its groups' subtrees, never the size of the organization.
//! Pages are keyset pages on the id: never OFFSET.

use plumb_core::id::{GroupId, OrganizationId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{GroupRecord, ParentFilter, StoreResult};
use sqlx::PgConnection;

use crate::error::db_error;
use crate::rows::GroupRow;

/// The group query around a `chosen` CTE that selects group columns with `$1` as the
/// organization id. `union` rather than `union all` makes the walk stop even if a cycle ever
/// slipped into the data, as a repeated (root, group) pair adds nothing. Devices are counted
/// per subtree group through the (organization_id, group_id) index. `sum` of bigints is
/// numeric in PostgreSQL, hence the casts.
fn group_query(chosen: &str, order: &str) -> String {
    format!(
        "with recursive chosen as ({chosen}), \
         subtree (root_id, id) as ( \
           select id, id from chosen \
           union \
           select subtree.root_id, child.id from subtree \
           join groups child on child.organization_id = $1 and child.parent_id = subtree.id \
         ), \
         subtree_devices (root_id, total) as ( \
           select subtree.root_id, sum((select count(*) from devices d \
             where d.organization_id = $1 and d.group_id = subtree.id))::bigint \
           from subtree group by subtree.root_id \
         ) \
         select g.id, g.organization_id, g.parent_id, g.name, g.created_at, g.updated_at, \
           (select array_agg(c.id order by c.id) from groups c \
             where c.organization_id = $1 and c.parent_id = g.id) as child_ids, \
           (select count(*) from devices d \
             where d.organization_id = $1 and d.group_id = g.id) as device_count, \
           coalesce(sd.total, 0)::bigint as descendent_device_count \
         from chosen g left join subtree_devices sd on sd.root_id = g.id \
         order by g.id {order}"
    )
}

/// The columns `chosen` must select.
const GROUP_COLUMNS: &str = "select id, organization_id, parent_id, name, created_at, updated_at \
                             from groups where organization_id = $1";

/// One group of an organization.
pub(crate) async fn fetch_group(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    id: GroupId,
) -> StoreResult<GroupRecord> {
    let sql = group_query(&format!("{GROUP_COLUMNS} and id = $2"), "asc");
    sqlx::query_as::<_, GroupRow>(&sql)
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .fetch_one(conn)
        .await
        .map_err(db_error)?
        .try_into()
}

/// A keyset page of groups: `limit + 1` rows in the direction of travel, the extra one only
/// proving that there is more.
pub(crate) async fn fetch_group_page(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    parent: ParentFilter,
    page: &PageRequest<GroupId>,
) -> StoreResult<Page<GroupRecord>> {
    // PostgreSQL refuses a parameter it cannot type, so only the parameters in use are
    // numbered, without gaps, in the order they are bound.
    let (cursor_sql, cursor_id, order) = match page.cursor {
        Cursor::First => ("", None, "asc"),
        Cursor::After(id) => (" and id > $3", Some(id), "asc"),
        Cursor::Before(id) => (" and id < $3", Some(id), "desc"),
    };
    let parent_number = if cursor_id.is_some() { 4 } else { 3 };
    let (parent_sql, parent_id) = match parent {
        ParentFilter::Any => (String::new(), None),
        ParentFilter::Root => (" and parent_id is null".to_owned(), None),
        ParentFilter::ChildrenOf(id) => (format!(" and parent_id = ${parent_number}"), Some(id)),
    };
    let chosen = format!("{GROUP_COLUMNS}{cursor_sql}{parent_sql} order by id {order} limit $2");
    let sql = group_query(&chosen, order);
    let mut query = sqlx::query_as::<_, GroupRow>(&sql)
        .bind(organization_id.to_string())
        .bind(i64::from(page.limit) + 1);
    for id in [cursor_id, parent_id].into_iter().flatten() {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(conn).await.map_err(db_error)?;
    let groups = rows
        .into_iter()
        .map(GroupRecord::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page::from_probe(groups, page))
}
