//! Reading groups with their figures: direct children, direct devices, and devices in the
//! whole subtree.
//!
//! One query serves a single group and a page of groups: a `chosen` CTE picks the groups, a
//! recursive CTE walks each one's subtree, and the figures are computed for the chosen rows
//! only. A page costs the size of its groups' subtrees, never the size of the organization,
//! and pages are keyset pages on the id: never OFFSET.

use std::collections::BTreeMap;

use plumb_core::id::{GroupId, OrganizationId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{GroupRecord, ParentFilter, StoreResult};

use crate::codec::damaged;
use crate::db::{Dialect, Exec, FromRow, Params, Row, args};

/// The group query around a `chosen` CTE that selects group columns with `?1` as the
/// organization id. Each group comes with its own custom field values, as a JSON array of
/// `[name, value]` pairs, so a cached group needs nothing more to be shown. `union` rather than `union all` makes the walk stop even if a cycle ever
/// slipped into the data, as a repeated (root, group) pair adds nothing. Devices are counted
/// per subtree group through the (organization_id, group_id) index; a join would let the
/// planner scan every device of the organization instead. `sum` of bigints is numeric in
/// PostgreSQL, hence the cast; `string_agg` lists the children in no particular order.
fn group_query(dialect: Dialect, chosen: &str, order: &str) -> String {
    let pair = dialect.json_array(&["f.name", "v.value"]);
    let values = dialect.json_array_of(&pair);
    format!(
        "with recursive chosen as ({chosen}), \
         subtree (root_id, id) as ( \
           select id, id from chosen \
           union \
           select subtree.root_id, child.id from subtree \
           join groups child on child.organization_id = ?1 and child.parent_id = subtree.id \
         ), \
         subtree_devices (root_id, total) as ( \
           select subtree.root_id, cast(sum((select count(*) from devices d \
             where d.organization_id = ?1 and d.group_id = subtree.id)) as bigint) \
           from subtree group by subtree.root_id \
         ) \
         select g.id, g.organization_id, g.parent_id, g.name, \
           (select string_agg(c.id, ',') from groups c \
             where c.organization_id = ?1 and c.parent_id = g.id), \
           (select count(*) from devices d \
             where d.organization_id = ?1 and d.group_id = g.id), \
           coalesce(sd.total, 0), \
           (select {values} from custom_field_values v \
             join custom_fields f on f.id = v.custom_field_id \
             where v.organization_id = ?1 and v.group_id = g.id), \
           g.created_at, g.updated_at \
         from chosen g left join subtree_devices sd on sd.root_id = g.id \
         order by g.id {order}"
    )
}

/// The columns `chosen` must select.
const GROUP_COLUMNS: &str = "select id, organization_id, parent_id, name, created_at, updated_at \
                             from groups where organization_id = ?1";

impl FromRow for GroupRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(GroupRecord {
            id: columns.next()?,
            organization_id: columns.next()?,
            parent_id: columns.next()?,
            name: columns.next()?,
            child_ids: child_ids(columns.next::<Option<String>>()?.as_deref())?,
            device_count: columns.next()?,
            descendent_device_count: columns.next()?,
            custom_fields: own_values(columns.next::<Option<String>>()?.as_deref())?,
            created_at: columns.next()?,
            updated_at: columns.next()?,
        })
    }
}

/// The children listed by `string_agg`, in id order.
fn child_ids(list: Option<&str>) -> StoreResult<Vec<GroupId>> {
    let mut ids = match list {
        None | Some("") => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|id| crate::codec::parse_uuid(id).map(GroupId))
            .collect::<StoreResult<Vec<_>>>()?,
    };
    ids.sort_unstable();
    Ok(ids)
}

/// A group's own values from their `[name, value]` pairs (null when it has none).
fn own_values(pairs: Option<&str>) -> StoreResult<BTreeMap<String, Option<String>>> {
    let Some(pairs) = pairs else {
        return Ok(BTreeMap::new());
    };
    let pairs: Vec<(String, Option<String>)> =
        serde_json::from_str(pairs).map_err(|_| damaged("a group's custom field values"))?;
    Ok(pairs.into_iter().collect())
}

/// One group of an organization.
pub(crate) async fn fetch_group(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: GroupId,
) -> StoreResult<GroupRecord> {
    let sql = group_query(
        exec.dialect(),
        &format!("{GROUP_COLUMNS} and id = ?2"),
        "asc",
    );
    exec.one(&sql, args![organization_id, id]).await
}

/// A keyset page of groups: `limit + 1` rows in the direction of travel, the extra one only
/// proving that there is more.
pub(crate) async fn fetch_group_page(
    exec: &impl Exec,
    organization_id: OrganizationId,
    parent: ParentFilter,
    page: &PageRequest<GroupId>,
) -> StoreResult<Page<GroupRecord>> {
    let mut params = Params::default();
    let organization = params.push(organization_id);
    let limit = params.push(i64::from(page.limit) + 1);
    let (cursor_sql, order) = match page.cursor {
        Cursor::First => (String::new(), "asc"),
        Cursor::After(id) => (format!(" and id > {}", params.push(id)), "asc"),
        Cursor::Before(id) => (format!(" and id < {}", params.push(id)), "desc"),
    };
    let parent_sql = match parent {
        ParentFilter::Any => String::new(),
        ParentFilter::Root => " and parent_id is null".to_owned(),
        ParentFilter::ChildrenOf(id) => format!(" and parent_id = {}", params.push(id)),
    };
    debug_assert_eq!(
        organization, "?1",
        "group_query reads the organization at ?1"
    );
    let chosen =
        format!("{GROUP_COLUMNS}{cursor_sql}{parent_sql} order by id {order} limit {limit}");
    let groups = exec
        .rows(
            &group_query(exec.dialect(), &chosen, order),
            params.as_slice(),
        )
        .await?;
    Ok(Page::from_probe(groups, page))
}
