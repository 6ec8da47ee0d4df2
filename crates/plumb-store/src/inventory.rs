//! `InventoryStore`: the group tree and moving devices between groups.
//!
//! Tenancy is enforced twice: every statement filters on `organization_id`, and the composite
//! foreign keys refuse a parent or group from another organization (reported as `NotFound`,
//! like a missing one). Sibling names are unique through `groups_sibling_name_key`.
//!
//! Group shows are served from the `GroupCache`: every write here marks its transaction
//! (`Tx::groups_changed`), which clears the cache after the commit and, on PostgreSQL,
//! announces the change to every other node inside the transaction.

use std::collections::BTreeSet;

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::events::EventType;
use plumb_core::id::{DeviceId, GroupId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{Activity, ParentFilter, StoreResult};
use plumb_core::store::{GroupChange, GroupRecord, InventoryStore, NewGroup};
use time::OffsetDateTime;

use crate::SqlStore;
use crate::db::{Exec, args};
use crate::events::{device_updated, group_event, group_record_event};
use crate::groups::{fetch_group, fetch_group_page};

/// Deep enough for any real tree; a guard against walking a cycle forever.
const MAX_DEPTH: i64 = 1000;

#[async_trait]
impl InventoryStore for SqlStore {
    async fn list_groups(
        &self,
        organization_id: OrganizationId,
        parent: ParentFilter,
        page: &PageRequest<GroupId>,
    ) -> StoreResult<Page<GroupRecord>> {
        fetch_group_page(&self.db, organization_id, parent, page).await
    }

    async fn group(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
    ) -> StoreResult<GroupRecord> {
        let cache = self.db.groups();
        if let Some(cached) = cache.get(organization_id, id) {
            return Ok(cached);
        }
        let generation = cache.generation();
        let record = fetch_group(&self.db, organization_id, id).await?;
        cache.insert(generation, &record);
        Ok(record)
    }

    async fn group_ancestors(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
    ) -> StoreResult<Vec<GroupId>> {
        // Depth 0 is the group itself: it tells a root (no ancestors) from a missing group.
        let chain: Vec<GroupId> = self
            .db
            .rows(
                "with recursive chain (id, parent_id, depth) as ( \
                   select id, parent_id, 0 from groups where organization_id = ?1 and id = ?2 \
                   union all \
                   select g.id, g.parent_id, chain.depth + 1 from chain \
                   join groups g on g.organization_id = ?1 and g.id = chain.parent_id \
                   where chain.depth < ?3 \
                 ) select id from chain order by depth",
                args![organization_id, id, MAX_DEPTH],
            )
            .await?;
        if chain.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(chain.into_iter().skip(1).collect())
    }

    async fn insert_group(
        &self,
        group: &NewGroup,
        activity: Option<&Activity>,
    ) -> StoreResult<GroupRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            // A parent outside the organization breaks the composite foreign key: `NotFound`.
            tx.execute(
                "insert into groups (id, organization_id, parent_id, name, created_at, \
                 updated_at) values (?1, ?2, ?3, ?4, ?5, ?5)",
                args![
                    group.id,
                    group.organization_id,
                    group.parent_id,
                    &group.name,
                    group.created_at
                ],
            )
            .await?;
            tx.groups_changed().await?;
            crate::activity::insert_entry(&tx, activity).await?;
            let record = fetch_group(&tx, group.organization_id, group.id).await?;
            group_record_event(&tx, &record, EventType::GroupCreated, group.created_at).await?;
            Ok(record)
        }
        .await;
        tx.finish(outcome).await
    }

    async fn update_group(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        change: &GroupChange,
        updated_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<GroupRecord> {
        let (moves, new_parent) = match change.parent_id {
            Some(parent) => (true, parent),
            None => (false, None),
        };
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.change(
                "update groups set name = coalesce(?3, name), \
                     parent_id = case when ?4 then ?5 else parent_id end, updated_at = ?6 \
                     where organization_id = ?1 and id = ?2",
                args![
                    organization_id,
                    id,
                    change.name.as_deref(),
                    moves,
                    new_parent,
                    updated_at
                ],
            )
            .await?;
            tx.groups_changed().await?;
            crate::activity::insert_entry(&tx, activity).await?;
            let record = fetch_group(&tx, organization_id, id).await?;
            group_record_event(&tx, &record, EventType::GroupUpdated, updated_at).await?;
            Ok(record)
        }
        .await;
        tx.finish(outcome).await
    }

    async fn delete_group(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        deleted_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            // `group_deleted` carries the group as it was; a missing group is `NotFound`.
            group_event(
                &tx,
                organization_id,
                id,
                EventType::GroupDeleted,
                deleted_at,
            )
            .await?;
            let children: Vec<GroupId> = tx
                .rows(
                    "select id from groups where organization_id = ?1 and parent_id = ?2",
                    args![organization_id, id],
                )
                .await?;
            let devices: Vec<DeviceId> = tx
                .rows(
                    "select id from devices where organization_id = ?1 and group_id = ?2",
                    args![organization_id, id],
                )
                .await?;
            // The group is deleted before its contents move, so a child that shares its
            // parent's name can take the freed place. That leaves references dangling for a
            // moment, so the foreign keys are checked at commit instead.
            tx.defer_foreign_keys().await?;
            let parent: Option<Option<GroupId>> = tx
                .first(
                    "delete from groups where organization_id = ?1 and id = ?2 \
                     returning parent_id",
                    args![organization_id, id],
                )
                .await?;
            let Some(parent) = parent else {
                return Err(StoreError::NotFound);
            };
            // The moved rows keep their updated_at: the trait passes no time for a delete.
            for sql in [
                "update groups set parent_id = ?3 where organization_id = ?1 and parent_id = ?2",
                "update devices set group_id = ?3 where organization_id = ?1 and group_id = ?2",
                "update install_keys set group_id = ?3 \
                 where organization_id = ?1 and group_id = ?2",
                "update automations set group_id = ?3 \
                 where organization_id = ?1 and group_id = ?2",
            ] {
                tx.execute(sql, args![organization_id, id, parent]).await?;
            }
            // What moved up shows a new parent or group.
            for child in children {
                group_event(
                    &tx,
                    organization_id,
                    child,
                    EventType::GroupUpdated,
                    deleted_at,
                )
                .await?;
            }
            for device in devices {
                device_updated(&tx, organization_id, device, deleted_at).await?;
            }
            crate::activity::insert_entry(&tx, activity).await?;
            tx.groups_changed().await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn device_groups(
        &self,
        organization_id: OrganizationId,
        ids: &[DeviceId],
    ) -> StoreResult<Vec<(DeviceId, Option<GroupId>)>> {
        let sql = format!(
            "select id, group_id from devices where organization_id = ?1 and {} order by id",
            self.db.dialect().any("id", "?2")
        );
        self.db.rows(&sql, args![organization_id, ids]).await
    }

    async fn move_devices(
        &self,
        organization_id: OrganizationId,
        ids: &[DeviceId],
        group_id: Option<GroupId>,
        updated_at: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<()> {
        let distinct: Vec<DeviceId> = ids
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let tx = self.db.begin().await?;
        let outcome = async {
            if let Some(group_id) = group_id {
                // Checked up front so an empty move into a missing group is refused too. A
                // group deleted by another node after this check breaks the foreign key.
                let exists: bool = tx
                    .one(
                        "select exists (select 1 from groups \
                         where organization_id = ?1 and id = ?2)",
                        args![organization_id, group_id],
                    )
                    .await?;
                if !exists {
                    return Err(StoreError::NotFound);
                }
            }
            let sql = format!(
                "update devices set group_id = ?2, updated_at = ?3 \
                 where organization_id = ?1 and {}",
                tx.dialect().any("id", "?4")
            );
            let moved = tx
                .execute(
                    &sql,
                    args![organization_id, group_id, updated_at, distinct.as_slice()],
                )
                .await?;
            // A device missing from the organization makes the whole move fail.
            if moved != distinct.len() as u64 {
                return Err(StoreError::NotFound);
            }
            for device in &distinct {
                device_updated(&tx, organization_id, *device, updated_at).await?;
            }
            crate::activity::insert_entry(&tx, activity).await?;
            tx.groups_changed().await
        }
        .await;
        tx.finish(outcome).await
    }
}
