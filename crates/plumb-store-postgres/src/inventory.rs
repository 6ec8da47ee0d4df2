//! `InventoryStore` for PostgreSQL: the group tree and devices.
//!
//! Tenancy is enforced twice: every statement filters on `organization_id`, and the composite
//! foreign keys refuse a parent or group from another organization (reported as `NotFound`,
//! like a missing one). Sibling names are unique through `groups_sibling_name_key`.
//!
//! Group shows are served from the store's `GroupCache` while a change watch covers it: every
//! write here announces itself (`'g'`) in its transaction, so every node clears its cache when
//! the write commits, and clears its own before returning.

use std::collections::BTreeSet;

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::id::{DeviceId, GroupId, OrganizationId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{GroupChange, GroupRecord, InventoryStore, NewGroup};
use plumb_core::store::{ParentFilter, StoreResult};
use time::OffsetDateTime;

use crate::PgStore;
use crate::announce::announce_groups;
use crate::codec::parse_uuid;
use crate::error::{db_error, rollback};
use crate::groups::{fetch_group, fetch_group_page};

/// Deep enough for any real tree; a guard against walking a cycle forever.
const MAX_DEPTH: i32 = 1000;

#[async_trait]
impl InventoryStore for PgStore {
    async fn list_groups(
        &self,
        organization_id: OrganizationId,
        parent: ParentFilter,
        page: &PageRequest<GroupId>,
    ) -> StoreResult<Page<GroupRecord>> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        fetch_group_page(&mut conn, organization_id, parent, page).await
    }

    async fn group(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
    ) -> StoreResult<GroupRecord> {
        if let Some(cached) = self.groups.get(organization_id, id) {
            return Ok(cached);
        }
        let generation = self.groups.generation();
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        let record = fetch_group(&mut conn, organization_id, id).await?;
        self.groups.insert(generation, &record);
        Ok(record)
    }

    async fn group_ancestors(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
    ) -> StoreResult<Vec<GroupId>> {
        // Depth 0 is the group itself: it tells a root (no ancestors) from a missing group.
        let chain: Vec<String> = sqlx::query_scalar(
            "with recursive chain (id, parent_id, depth) as ( \
               select id, parent_id, 0 from groups where organization_id = $1 and id = $2 \
               union all \
               select g.id, g.parent_id, chain.depth + 1 from chain \
               join groups g on g.organization_id = $1 and g.id = chain.parent_id \
               where chain.depth < $3 \
             ) select id from chain order by depth",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(MAX_DEPTH)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        if chain.is_empty() {
            return Err(StoreError::NotFound);
        }
        chain
            .iter()
            .skip(1)
            .map(|id| parse_uuid(id).map(GroupId))
            .collect()
    }

    async fn insert_group(&self, group: &NewGroup) -> StoreResult<GroupRecord> {
        let mut tx = self.write().await?;
        // A parent outside the organization breaks the composite foreign key: `NotFound`.
        sqlx::query(
            "insert into groups (id, organization_id, parent_id, name, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $5)",
        )
        .bind(group.id.to_string())
        .bind(group.organization_id.to_string())
        .bind(group.parent_id.map(|id| id.to_string()))
        .bind(&group.name)
        .bind(group.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let stored = fetch_group(&mut tx, group.organization_id, group.id).await?;
        announce_groups(&mut tx, &self.channel).await?;
        tx.commit().await.map_err(db_error)?;
        self.groups.invalidate();
        Ok(stored)
    }

    async fn update_group(
        &self,
        organization_id: OrganizationId,
        id: GroupId,
        change: &GroupChange,
        updated_at: OffsetDateTime,
    ) -> StoreResult<GroupRecord> {
        let (moves, new_parent) = match change.parent_id {
            Some(parent) => (true, parent.map(|id| id.to_string())),
            None => (false, None),
        };
        let mut tx = self.write().await?;
        let updated = sqlx::query(
            "update groups set name = coalesce($3, name), \
             parent_id = case when $4 then $5 else parent_id end, updated_at = $6 \
             where organization_id = $1 and id = $2",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(change.name.as_deref())
        .bind(moves)
        .bind(new_parent)
        .bind(updated_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if updated.rows_affected() == 0 {
            return rollback(tx, StoreError::NotFound).await;
        }
        let stored = fetch_group(&mut tx, organization_id, id).await?;
        announce_groups(&mut tx, &self.channel).await?;
        tx.commit().await.map_err(db_error)?;
        self.groups.invalidate();
        Ok(stored)
    }

    async fn delete_group(&self, organization_id: OrganizationId, id: GroupId) -> StoreResult<()> {
        let mut tx = self.write().await?;
        // The group is deleted before its contents move, so a child that shares its parent's
        // name can take the freed place. That leaves references dangling for a moment, so the
        // deferrable group keys are checked at commit instead, for this transaction.
        sqlx::query(
            "set constraints groups_parent_fkey, devices_group_fkey, install_keys_group_fkey, \
             automations_group_fkey deferred",
        )
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let parent: Option<Option<String>> = sqlx::query_scalar(
            "delete from groups where organization_id = $1 and id = $2 returning parent_id",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some(parent) = parent else {
            return rollback(tx, StoreError::NotFound).await;
        };
        // The moved rows keep their updated_at: the trait passes no time for a delete.
        for sql in [
            "update groups set parent_id = $3 where organization_id = $1 and parent_id = $2",
            "update devices set group_id = $3 where organization_id = $1 and group_id = $2",
            "update install_keys set group_id = $3 where organization_id = $1 and group_id = $2",
            "update automations set group_id = $3 where organization_id = $1 and group_id = $2",
        ] {
            sqlx::query(sql)
                .bind(organization_id.to_string())
                .bind(id.to_string())
                .bind(parent.as_deref())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        announce_groups(&mut tx, &self.channel).await?;
        tx.commit().await.map_err(db_error)?;
        self.groups.invalidate();
        Ok(())
    }

    async fn device_groups(
        &self,
        organization_id: OrganizationId,
        ids: &[DeviceId],
    ) -> StoreResult<Vec<(DeviceId, Option<GroupId>)>> {
        let ids: Vec<String> = ids.iter().map(DeviceId::to_string).collect();
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "select id, group_id from devices \
             where organization_id = $1 and id = any($2) order by id",
        )
        .bind(organization_id.to_string())
        .bind(ids)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(id, group_id)| {
                let group_id = group_id
                    .as_deref()
                    .map(parse_uuid)
                    .transpose()?
                    .map(GroupId);
                Ok((DeviceId(parse_uuid(&id)?), group_id))
            })
            .collect()
    }

    async fn move_devices(
        &self,
        organization_id: OrganizationId,
        ids: &[DeviceId],
        group_id: Option<GroupId>,
        updated_at: OffsetDateTime,
    ) -> StoreResult<()> {
        let distinct: BTreeSet<DeviceId> = ids.iter().copied().collect();
        let mut tx = self.write().await?;
        if let Some(group_id) = group_id {
            // Checked up front so an empty move into a missing group is refused too. A group
            // deleted by another node after this check breaks the foreign key at the update.
            let exists: bool = sqlx::query_scalar(
                "select exists (select 1 from groups where organization_id = $1 and id = $2)",
            )
            .bind(organization_id.to_string())
            .bind(group_id.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            if !exists {
                return rollback(tx, StoreError::NotFound).await;
            }
        }
        let ids: Vec<String> = distinct.iter().map(DeviceId::to_string).collect();
        let moved = sqlx::query(
            "update devices set group_id = $2, updated_at = $3 \
             where organization_id = $1 and id = any($4)",
        )
        .bind(organization_id.to_string())
        .bind(group_id.map(|id| id.to_string()))
        .bind(updated_at)
        .bind(ids)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        // A device missing from the organization makes the whole move fail; dropping the
        // transaction rolls the others back.
        if moved.rows_affected() != distinct.len() as u64 {
            return rollback(tx, StoreError::NotFound).await;
        }
        announce_groups(&mut tx, &self.channel).await?;
        tx.commit().await.map_err(db_error)?;
        self.groups.invalidate();
        Ok(())
    }
}
