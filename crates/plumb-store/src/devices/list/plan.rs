//! Which index drives a page of devices. Three plans answer with the same rows in the same
//! order:
//!
//! - the scan walks the (organization_id, id) index and tests every device: cheap when most
//!   devices pass, and for the plain list and the indexed `group_id`;
//! - a tag page walks the `device_tags (tag_id, device_id)` index in device id order and looks
//!   each device up, so it reads about `limit + 1` entries when no other filter rejects rows;
//! - a subtree of at most [`MAX_UNION_GROUPS`] groups runs one keyset subquery per group
//!   through the (organization_id, group_id, id) index and merges them by id.
//!
//! The subtree's group ids are fetched first (one recursive query) and bound into the page's
//! statement, whichever plan runs.

use crate::codec::escape_like;
use plumb_core::id::{DeviceId, GroupId, OrganizationId, TagId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{DeviceFilter, StoreResult};

use crate::db::{Dialect, Exec, Params, args};

/// The most groups a subtree may have for its pages to be merged from one keyset subquery per
/// group. Each subquery reads at most `limit + 1` index entries, so a page costs up to
/// 64 × 101 entries (and a statement of 64 subqueries); a subtree with more groups is scanned
/// in id order as before, which reads few rows when its devices are a large share of the
/// fleet and at worst what the scan always cost.
pub(super) const MAX_UNION_GROUPS: usize = 64;

/// The ids of `ancestor` and every group below it, empty when it is missing or foreign.
pub(super) async fn subtree(
    exec: &impl Exec,
    organization_id: OrganizationId,
    ancestor: GroupId,
) -> StoreResult<Vec<GroupId>> {
    // `union` stops the walk even if a cycle ever slipped into the data.
    exec.rows(
        "with recursive subtree (id) as ( \
           select id from groups where organization_id = ?1 and id = ?2 \
           union \
           select child.id from subtree \
           join groups child on child.organization_id = ?1 and child.parent_id = subtree.id \
         ) select id from subtree",
        args![organization_id, ancestor],
    )
    .await
}

/// Where a page starts and which way it runs.
struct Keyset {
    /// The comparison with the cursor's id (`>` or `<`) and the id; none on the first page.
    bound: Option<(&'static str, DeviceId)>,
    /// `asc`, or `desc` for a `Before` cursor (the page is reversed afterwards).
    order: &'static str,
    /// `limit + 1`: the extra row proves there is more.
    probe: i64,
}

impl Keyset {
    /// Appends `and {column} > ?N` (or `<`) for a cursor.
    fn push_bound(&self, sql: &mut String, params: &mut Params<'_>, column: &str) {
        if let Some((comparison, id)) = self.bound {
            sql.push_str(&format!(" and {column} {comparison} {}", params.push(id)));
        }
    }
}

/// A page's statement being built.
struct Statement<'f> {
    dialect: Dialect,
    sql: String,
    params: Params<'f>,
    organization_id: OrganizationId,
    filter: &'f DeviceFilter,
}

/// The statement (and its parameters) for one page; `subtree` holds the ancestor filter's
/// group ids (at least one) when that filter is set.
pub(super) fn page_statement<'f>(
    dialect: Dialect,
    select: &str,
    organization_id: OrganizationId,
    filter: &'f DeviceFilter,
    subtree: Option<&[GroupId]>,
    page: &PageRequest<DeviceId>,
) -> (String, Params<'f>) {
    let probe = i64::from(page.limit) + 1;
    let (bound, order) = match page.cursor {
        Cursor::First => (None, "asc"),
        Cursor::After(id) => (Some((">", id)), "asc"),
        Cursor::Before(id) => (Some(("<", id)), "desc"),
    };
    let keyset = Keyset {
        bound,
        order,
        probe,
    };
    let mut statement = Statement {
        dialect,
        sql: String::new(),
        params: Params::default(),
        organization_id,
        filter,
    };
    let organization = statement.params.push(organization_id);
    statement.sql = format!("{select}where d.organization_id = {organization}");
    match (subtree, filter.tag_id) {
        (Some(groups), _) if groups.len() <= MAX_UNION_GROUPS => {
            statement.push_union(groups, &keyset);
        }
        (_, Some(tag)) => statement.push_tag_walk(tag, subtree, &keyset),
        _ => {
            keyset.push_bound(&mut statement.sql, &mut statement.params, "d.id");
            statement.push_filter(true);
            statement.push_groups(subtree);
        }
    }
    let limit = statement.params.push(keyset.probe);
    statement
        .sql
        .push_str(&format!(" order by d.id {} limit {limit}", keyset.order));
    (statement.sql, statement.params)
}

impl Statement<'_> {
    /// `and d.id in (...)`: the page's ids merged from one keyset subquery per group.
    fn push_union(&mut self, groups: &[GroupId], keyset: &Keyset) {
        self.sql.push_str(" and d.id in (select id from (");
        for (number, group) in groups.iter().enumerate() {
            if number > 0 {
                self.sql.push_str(" union all ");
            }
            let organization = self.params.push(self.organization_id);
            let group = self.params.push(*group);
            self.sql.push_str(&format!(
                "select id from (select d.id from devices d \
                 where d.organization_id = {organization} and d.group_id = {group}"
            ));
            keyset.push_bound(&mut self.sql, &mut self.params, "d.id");
            self.push_filter(true);
            let limit = self.params.push(keyset.probe);
            self.sql.push_str(&format!(
                " order by d.id {} limit {limit}) as group_{number}",
                keyset.order
            ));
        }
        let limit = self.params.push(keyset.probe);
        self.sql.push_str(&format!(
            ") as merged order by id {} limit {limit})",
            keyset.order
        ));
    }

    /// `and d.id in (...)`: the page's ids read from the tag's `device_tags` entries in device
    /// id order, each device looked up for the other filters.
    fn push_tag_walk(&mut self, tag: TagId, subtree: Option<&[GroupId]>, keyset: &Keyset) {
        // `cross join` keeps device_tags as the outer loop in SQLite's planner; PostgreSQL's
        // planner orders the join itself.
        let tag = self.params.push(tag);
        self.sql.push_str(&format!(
            " and d.id in (select dt.device_id from device_tags dt cross join devices d \
             where dt.tag_id = {tag}"
        ));
        keyset.push_bound(&mut self.sql, &mut self.params, "dt.device_id");
        let organization = self.params.push(self.organization_id);
        self.sql.push_str(&format!(
            " and d.id = dt.device_id and d.organization_id = {organization}"
        ));
        self.push_filter(false);
        self.push_groups(subtree);
        let limit = self.params.push(keyset.probe);
        self.sql.push_str(&format!(
            " order by dt.device_id {} limit {limit})",
            keyset.order
        ));
    }

    /// `and d.group_id in (...)` for the ancestor filter's subtree, if set.
    fn push_groups(&mut self, subtree: Option<&[GroupId]>) {
        if let Some(groups) = subtree {
            let groups = self.params.push(groups);
            let condition = self.dialect.any("d.group_id", &groups);
            self.sql.push_str(&format!(" and {condition}"));
        }
    }

    /// Appends the filter's conditions on `d` other than the ancestor (see
    /// [`Statement::push_groups`]), and the tag unless the tag drives the page.
    fn push_filter(&mut self, with_tag: bool) {
        let filter = self.filter;
        match filter.group_id {
            None => {}
            Some(None) => self.sql.push_str(" and d.group_id is null"),
            Some(Some(group_id)) => {
                let group = self.params.push(group_id);
                self.sql.push_str(&format!(" and d.group_id = {group}"));
            }
        }
        if let Some(tag_id) = filter.tag_id.filter(|_| with_tag) {
            let tag = self.params.push(tag_id);
            self.sql.push_str(&format!(
                " and exists (select 1 from device_tags dt \
                 where dt.tag_id = {tag} and dt.device_id = d.id)"
            ));
        }
        if let Some(hostname) = &filter.hostname {
            let hostname = self.params.push(hostname.as_str());
            self.sql.push_str(&format!(" and d.hostname = {hostname}"));
        }
        if let Some(serial_number) = &filter.serial_number {
            let serial = self.params.push(serial_number.as_str());
            self.sql
                .push_str(&format!(" and d.serial_number = {serial}"));
        }
        if let Some(online) = filter.online {
            let online = self.params.push(online);
            self.sql.push_str(&format!(" and d.online = {online}"));
        }
        if let Some(search) = &filter.search {
            let pattern = self.params.push(format!("%{}%", escape_like(search)));
            let like = self.dialect.ilike();
            self.sql.push_str(&format!(
                " and (d.hostname {like} {pattern} escape '\\' \
                 or coalesce(d.nickname, '') {like} {pattern} escape '\\')"
            ));
        }
    }
}
