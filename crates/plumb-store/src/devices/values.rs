//! Custom field values: one per field and level (the organization, a group, a device), and the
//! `force` cascade that clears the levels below the one being set.

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::{CustomFieldId, DeviceId, GroupId, LinkId, OrganizationId};
use plumb_core::store::CustomFieldValueStore;
use plumb_core::store::{Activity, StoreResult};
use time::OffsetDateTime;

use super::fields::fetch_field;
use crate::SqlStore;
use crate::db::{Exec, FromRow, Row, Tx, args};

impl FromRow for StoredValue {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        let field_id = columns.next()?;
        let group: Option<GroupId> = columns.next()?;
        let device: Option<DeviceId> = columns.next()?;
        let assignee = match (group, device) {
            (Some(group), _) => Assignee::Group(group),
            (None, Some(device)) => Assignee::Device(device),
            (None, None) => Assignee::Organization,
        };
        Ok(StoredValue {
            field_id,
            assignee,
            value: columns.next()?,
        })
    }
}

/// The group or device column of a level, as (group_id, device_id).
fn level(assignee: Assignee) -> (Option<GroupId>, Option<DeviceId>) {
    match assignee {
        Assignee::Organization => (None, None),
        Assignee::Group(id) => (Some(id), None),
        Assignee::Device(id) => (None, Some(id)),
    }
}

/// A group's own values are part of its cached record: a write at the group or organization
/// level (whose `force` reaches the groups below) clears the group cache.
async fn mark_groups(tx: &Tx, assignee: Assignee) -> StoreResult<()> {
    match assignee {
        Assignee::Device(_) => Ok(()),
        Assignee::Organization | Assignee::Group(_) => tx.groups_changed().await,
    }
}

/// Checks that the field and the level's group or device are in the organization.
async fn check_level(
    tx: &Tx,
    organization_id: OrganizationId,
    field: CustomFieldId,
    assignee: Assignee,
) -> StoreResult<()> {
    fetch_field(tx, organization_id, field).await?;
    let (sql, id) = match assignee {
        Assignee::Organization => return Ok(()),
        Assignee::Group(id) => (
            "select exists (select 1 from groups where organization_id = ?1 and id = ?2)",
            id.0,
        ),
        Assignee::Device(id) => (
            "select exists (select 1 from devices where organization_id = ?1 and id = ?2)",
            id.0,
        ),
    };
    let exists: bool = tx.one(sql, args![organization_id, id]).await?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// Deletes the field's values below `assignee`: every group and device value below the
/// organization; the subgroups' and the subtree's devices' values below a group.
async fn delete_below(
    tx: &Tx,
    organization_id: OrganizationId,
    field: CustomFieldId,
    assignee: Assignee,
) -> StoreResult<()> {
    match assignee {
        Assignee::Device(_) => Ok(()),
        Assignee::Organization => tx
            .execute(
                "delete from custom_field_values where organization_id = ?1 \
                 and custom_field_id = ?2 and (group_id is not null or device_id is not null)",
                args![organization_id, field],
            )
            .await
            .map(drop),
        Assignee::Group(group) => tx
            .execute(
                "with recursive subtree (id) as ( \
                   select id from groups where organization_id = ?1 and id = ?3 \
                   union \
                   select child.id from subtree \
                   join groups child on child.organization_id = ?1 \
                     and child.parent_id = subtree.id \
                 ) \
                 delete from custom_field_values where organization_id = ?1 \
                 and custom_field_id = ?2 \
                 and ((group_id in (select id from subtree) and group_id <> ?3) \
                   or device_id in (select d.id from devices d where d.organization_id = ?1 \
                     and d.group_id in (select id from subtree)))",
                args![organization_id, field, group],
            )
            .await
            .map(drop),
    }
}

#[async_trait]
impl CustomFieldValueStore for SqlStore {
    async fn custom_field_values(
        &self,
        organization_id: OrganizationId,
        assignees: &[Assignee],
        field: Option<CustomFieldId>,
    ) -> StoreResult<Vec<StoredValue>> {
        let organization = assignees.contains(&Assignee::Organization);
        let groups: Vec<GroupId> = assignees
            .iter()
            .filter_map(|assignee| match assignee {
                Assignee::Group(id) => Some(*id),
                _ => None,
            })
            .collect();
        let devices: Vec<DeviceId> = assignees
            .iter()
            .filter_map(|assignee| match assignee {
                Assignee::Device(id) => Some(*id),
                _ => None,
            })
            .collect();
        let dialect = self.db.dialect();
        let sql = format!(
            "select custom_field_id, group_id, device_id, value from custom_field_values \
         where organization_id = ?1 and (?2 is null or custom_field_id = ?2) \
         and ((?3 and group_id is null and device_id is null) or {} or {}) \
         order by custom_field_id, group_id nulls first, device_id nulls first",
            dialect.any("group_id", "?4"),
            dialect.any("device_id", "?5"),
        );
        self.db
            .rows(
                &sql,
                args![
                    organization_id,
                    field,
                    organization,
                    groups.as_slice(),
                    devices.as_slice()
                ],
            )
            .await
    }

    async fn set_custom_field_value(
        &self,
        organization_id: OrganizationId,
        value: &StoredValue,
        force: bool,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            check_level(&tx, organization_id, value.field_id, value.assignee).await?;
            let (group, device) = level(value.assignee);
            tx.execute(
                "insert into custom_field_values (id, organization_id, custom_field_id, group_id, \
               device_id, value, updated_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             on conflict (custom_field_id, coalesce(group_id, ''), coalesce(device_id, '')) \
             do update set value = excluded.value, updated_at = excluded.updated_at",
                args![
                    LinkId::new(),
                    organization_id,
                    value.field_id,
                    group,
                    device,
                    value.value.as_deref(),
                    now
                ],
            )
            .await?;
            if force {
                delete_below(&tx, organization_id, value.field_id, value.assignee).await?;
            }
            crate::activity::insert_entry(&tx, activity).await?;
            mark_groups(&tx, value.assignee).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn delete_custom_field_value(
        &self,
        organization_id: OrganizationId,
        field: CustomFieldId,
        assignee: Assignee,
        force: bool,
        activity: Option<&Activity>,
    ) -> StoreResult<bool> {
        let tx = self.db.begin().await?;
        let outcome = async {
            check_level(&tx, organization_id, field, assignee).await?;
            let (group, device) = level(assignee);
            let deleted = tx
                .execute(
                    "delete from custom_field_values \
                 where organization_id = ?1 and custom_field_id = ?2 \
                 and group_id is not distinct from ?3 and device_id is not distinct from ?4",
                    args![organization_id, field, group, device],
                )
                .await?;
            if force {
                delete_below(&tx, organization_id, field, assignee).await?;
            }
            mark_groups(&tx, assignee).await?;
            crate::activity::insert_entry(&tx, activity).await?;
            Ok(deleted > 0)
        }
        .await;
        tx.finish(outcome).await
    }
}
