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
//! statement, whichever plan runs. The statements are SQLite's, with `?` numbered.

use plumb_core::id::{DeviceId, GroupId, OrganizationId, TagId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{DeviceFilter, StoreResult};
use sqlx::PgConnection;

use super::Arg;
use crate::codec::escape_like;
use crate::error::db_error;
use crate::rows::DEVICE_SELECT;

/// The most groups a subtree may have for its pages to be merged from one keyset subquery per
/// group. Each subquery reads at most `limit + 1` index entries, so a page costs up to
/// 64 × 101 entries (and a statement of 64 subqueries); a subtree with more groups is scanned
/// in id order as before, which reads few rows when its devices are a large share of the
/// fleet and at worst what the scan always cost.
pub(super) const MAX_UNION_GROUPS: usize = 64;

/// The ids of `ancestor` and every group below it, empty when it is missing or foreign.
pub(super) async fn subtree(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    ancestor: GroupId,
) -> StoreResult<Vec<String>> {
    // `union` stops the walk even if a cycle ever slipped into the data.
    sqlx::query_scalar(
        "with recursive subtree (id) as ( \
           select id from groups where organization_id = $1 and id = $2 \
           union \
           select child.id from subtree \
           join groups child on child.organization_id = $1 and child.parent_id = subtree.id \
         ) select id from subtree",
    )
    .bind(organization_id.to_string())
    .bind(ancestor.to_string())
    .fetch_all(conn)
    .await
    .map_err(db_error)
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
    /// Appends `and {column} > ?` (or `<`) for a cursor.
    fn push_bound(&self, sql: &mut String, args: &mut Vec<Arg>, column: &str) {
        if let Some((comparison, id)) = self.bound {
            sql.push_str(&format!(" and {column} {comparison} ?"));
            args.push(Arg::Text(id.to_string()));
        }
    }
}

/// The statement (and its arguments) for one page; `subtree` holds the ancestor filter's
/// group ids (at least one) when that filter is set.
pub(super) fn page_statement(
    organization_id: OrganizationId,
    filter: &DeviceFilter,
    subtree: Option<&[String]>,
    page: &PageRequest<DeviceId>,
) -> (String, Vec<Arg>) {
    let probe = i64::from(page.limit) + 1;
    let keyset = match page.cursor {
        Cursor::First => Keyset {
            bound: None,
            order: "asc",
            probe,
        },
        Cursor::After(id) => Keyset {
            bound: Some((">", id)),
            order: "asc",
            probe,
        },
        Cursor::Before(id) => Keyset {
            bound: Some(("<", id)),
            order: "desc",
            probe,
        },
    };
    let organization = organization_id.to_string();
    let mut sql = format!("{DEVICE_SELECT} where d.organization_id = ?");
    let mut args = vec![Arg::Text(organization.clone())];
    match (subtree, filter.tag_id) {
        (Some(groups), _) if groups.len() <= MAX_UNION_GROUPS => {
            push_union(&mut sql, &mut args, &organization, filter, groups, &keyset);
        }
        (_, Some(tag)) => {
            let walk = TagWalk { tag, subtree };
            walk.push(&mut sql, &mut args, &organization, filter, &keyset);
        }
        _ => {
            keyset.push_bound(&mut sql, &mut args, "d.id");
            push_filter(&mut sql, &mut args, filter, true);
            push_groups(&mut sql, &mut args, subtree);
        }
    }
    sql.push_str(&format!(" order by d.id {} limit ?", keyset.order));
    args.push(Arg::Int(keyset.probe));
    (sql, args)
}

/// `and d.id in (...)`: the page's ids merged from one keyset subquery per group.
fn push_union(
    sql: &mut String,
    args: &mut Vec<Arg>,
    organization: &str,
    filter: &DeviceFilter,
    groups: &[String],
    keyset: &Keyset,
) {
    sql.push_str(" and d.id in (select id from (");
    for (number, group) in groups.iter().enumerate() {
        if number > 0 {
            sql.push_str(" union all ");
        }
        sql.push_str(
            "select id from (select d.id from devices d \
             where d.organization_id = ? and d.group_id = ?",
        );
        args.push(Arg::Text(organization.to_owned()));
        args.push(Arg::Text(group.clone()));
        keyset.push_bound(sql, args, "d.id");
        push_filter(sql, args, filter, true);
        sql.push_str(&format!(
            " order by d.id {} limit ?) as group_{number}",
            keyset.order
        ));
        args.push(Arg::Int(keyset.probe));
    }
    sql.push_str(&format!(
        ") as merged order by id {} limit ?)",
        keyset.order
    ));
    args.push(Arg::Int(keyset.probe));
}

/// A page driven by a tag's `device_tags` entries.
struct TagWalk<'a> {
    /// The tag.
    tag: TagId,
    /// The ancestor filter's groups, if set.
    subtree: Option<&'a [String]>,
}

impl TagWalk<'_> {
    /// `and d.id in (...)`: the page's ids read from the tag's `device_tags` entries in device
    /// id order, each device looked up for the other filters.
    fn push(
        &self,
        sql: &mut String,
        args: &mut Vec<Arg>,
        organization: &str,
        filter: &DeviceFilter,
        keyset: &Keyset,
    ) {
        // The same statement as SQLite's; PostgreSQL's planner orders the join itself.
        sql.push_str(
            " and d.id in (select dt.device_id from device_tags dt cross join devices d \
             where dt.tag_id = ?",
        );
        args.push(Arg::Text(self.tag.to_string()));
        keyset.push_bound(sql, args, "dt.device_id");
        sql.push_str(" and d.id = dt.device_id and d.organization_id = ?");
        args.push(Arg::Text(organization.to_owned()));
        push_filter(sql, args, filter, false);
        push_groups(sql, args, self.subtree);
        sql.push_str(&format!(" order by dt.device_id {} limit ?)", keyset.order));
        args.push(Arg::Int(keyset.probe));
    }
}

/// `and d.group_id in (...)` for the ancestor filter's subtree, if set.
fn push_groups(sql: &mut String, args: &mut Vec<Arg>, subtree: Option<&[String]>) {
    if let Some(groups) = subtree {
        sql.push_str(" and d.group_id = any(?)");
        args.push(Arg::Texts(groups.to_vec()));
    }
}

/// Appends the filter's conditions on `d` other than the ancestor (see [`push_groups`]), and
/// the tag unless the tag drives the page.
fn push_filter(sql: &mut String, args: &mut Vec<Arg>, filter: &DeviceFilter, with_tag: bool) {
    match filter.group_id {
        None => {}
        Some(None) => sql.push_str(" and d.group_id is null"),
        Some(Some(group_id)) => {
            sql.push_str(" and d.group_id = ?");
            args.push(Arg::Text(group_id.to_string()));
        }
    }
    if let Some(tag_id) = filter.tag_id.filter(|_| with_tag) {
        sql.push_str(
            " and exists (select 1 from device_tags dt where dt.tag_id = ? and dt.device_id = d.id)",
        );
        args.push(Arg::Text(tag_id.to_string()));
    }
    if let Some(hostname) = &filter.hostname {
        sql.push_str(" and d.hostname = ?");
        args.push(Arg::Text(hostname.clone()));
    }
    if let Some(serial_number) = &filter.serial_number {
        sql.push_str(" and d.serial_number = ?");
        args.push(Arg::Text(serial_number.clone()));
    }
    if let Some(online) = filter.online {
        sql.push_str(" and d.online = ?");
        args.push(Arg::Bool(online));
    }
    if let Some(search) = &filter.search {
        sql.push_str(" and (d.hostname ilike ? escape '\\' or d.nickname ilike ? escape '\\')");
        let pattern = format!("%{}%", escape_like(search));
        args.push(Arg::Text(pattern.clone()));
        args.push(Arg::Text(pattern));
    }
}
