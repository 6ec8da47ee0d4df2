//! Custom field values: one per field and level (the organization, a group, a device), and the
//! `force` cascade that clears the levels below the one being set.

use plumb_core::StoreError;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::{CustomFieldId, DeviceId, GroupId, LinkId, OrganizationId};
use plumb_core::store::StoreResult;
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::fields::fetch_field;
use crate::PgStore;
use crate::codec::parse_uuid;
use crate::error::db_error;

/// A stored value: field id, group id, device id, value.
type ValueRow = (String, Option<String>, Option<String>, Option<String>);

/// The group or device column of a level, as (group_id, device_id).
fn level(assignee: Assignee) -> (Option<String>, Option<String>) {
    match assignee {
        Assignee::Organization => (None, None),
        Assignee::Group(id) => (Some(id.to_string()), None),
        Assignee::Device(id) => (None, Some(id.to_string())),
    }
}

/// The values set at any of `assignees`, in field id order.
pub(super) async fn values(
    store: &PgStore,
    organization_id: OrganizationId,
    assignees: &[Assignee],
    field: Option<CustomFieldId>,
) -> StoreResult<Vec<StoredValue>> {
    let organization = assignees.contains(&Assignee::Organization);
    let groups: Vec<String> = assignees
        .iter()
        .filter_map(|assignee| match assignee {
            Assignee::Group(id) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let devices: Vec<String> = assignees
        .iter()
        .filter_map(|assignee| match assignee {
            Assignee::Device(id) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let rows: Vec<ValueRow> = sqlx::query_as(
        "select custom_field_id, group_id, device_id, value from custom_field_values \
         where organization_id = $1 and ($2::text is null or custom_field_id = $2) \
         and (($3 and group_id is null and device_id is null) \
           or group_id = any($4) or device_id = any($5)) \
         order by custom_field_id, group_id nulls first, device_id nulls first",
    )
    .bind(organization_id.to_string())
    .bind(field.map(|id| id.to_string()))
    .bind(organization)
    .bind(groups)
    .bind(devices)
    .fetch_all(&store.pool)
    .await
    .map_err(db_error)?;
    rows.into_iter()
        .map(|(field_id, group_id, device_id, value)| {
            let assignee = match (group_id, device_id) {
                (Some(group), _) => Assignee::Group(GroupId(parse_uuid(&group)?)),
                (None, Some(device)) => Assignee::Device(DeviceId(parse_uuid(&device)?)),
                (None, None) => Assignee::Organization,
            };
            Ok(StoredValue {
                field_id: CustomFieldId(parse_uuid(&field_id)?),
                assignee,
                value,
            })
        })
        .collect()
}

/// Checks that the field and the level's group or device are in the organization.
async fn check_level(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    field: CustomFieldId,
    assignee: Assignee,
) -> StoreResult<()> {
    fetch_field(conn, organization_id, field).await?;
    let table = match assignee {
        Assignee::Organization => return Ok(()),
        Assignee::Group(_) => "groups",
        Assignee::Device(_) => "devices",
    };
    let (group, device) = level(assignee);
    let exists: bool = sqlx::query_scalar(&format!(
        "select exists (select 1 from {table} where organization_id = $1 and id = $2)"
    ))
    .bind(organization_id.to_string())
    .bind(group.or(device))
    .fetch_one(conn)
    .await
    .map_err(db_error)?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// Deletes the field's values below `assignee`: every group and device value below the
/// organization; the subgroups' and the subtree's devices' values below a group.
async fn delete_below(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    field: CustomFieldId,
    assignee: Assignee,
) -> StoreResult<()> {
    let sql = match assignee {
        Assignee::Device(_) => return Ok(()),
        Assignee::Organization => {
            "delete from custom_field_values where organization_id = $1 \
             and custom_field_id = $2 and (group_id is not null or device_id is not null) \
             and $3::text is null" // $3 is the level's group: none here.
        }
        Assignee::Group(_) => {
            "with recursive subtree (id) as ( \
               select id from groups where organization_id = $1 and id = $3 \
               union \
               select child.id from subtree \
               join groups child on child.organization_id = $1 and child.parent_id = subtree.id \
             ) \
             delete from custom_field_values where organization_id = $1 \
             and custom_field_id = $2 \
             and ((group_id in (select id from subtree) and group_id <> $3) \
               or device_id in (select d.id from devices d where d.organization_id = $1 \
                 and d.group_id in (select id from subtree)))"
        }
    };
    sqlx::query(sql)
        .bind(organization_id.to_string())
        .bind(field.to_string())
        .bind(level(assignee).0)
        .execute(conn)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Sets a value at one level (and clears the levels below with `force`), atomically.
pub(super) async fn set_value(
    store: &PgStore,
    organization_id: OrganizationId,
    value: &StoredValue,
    force: bool,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let mut tx = store.write().await?;
    check_level(&mut tx, organization_id, value.field_id, value.assignee).await?;
    let (group, device) = level(value.assignee);
    sqlx::query(
        "insert into custom_field_values (id, organization_id, custom_field_id, group_id, \
           device_id, value, updated_at) values ($1, $2, $3, $4, $5, $6, $7) \
         on conflict (custom_field_id, coalesce(group_id, ''), coalesce(device_id, '')) \
         do update set value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(LinkId::new().to_string())
    .bind(organization_id.to_string())
    .bind(value.field_id.to_string())
    .bind(group)
    .bind(device)
    .bind(value.value.as_deref())
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if force {
        delete_below(&mut tx, organization_id, value.field_id, value.assignee).await?;
    }
    tx.commit().await.map_err(db_error)
}

/// Deletes the value at one level (and below with `force`); whether one was set there.
pub(super) async fn delete_value(
    store: &PgStore,
    organization_id: OrganizationId,
    field: CustomFieldId,
    assignee: Assignee,
    force: bool,
) -> StoreResult<bool> {
    let mut tx = store.write().await?;
    check_level(&mut tx, organization_id, field, assignee).await?;
    let (group, device) = level(assignee);
    let deleted = sqlx::query(
        "delete from custom_field_values where organization_id = $1 and custom_field_id = $2 \
         and group_id is not distinct from $3 and device_id is not distinct from $4",
    )
    .bind(organization_id.to_string())
    .bind(field.to_string())
    .bind(group)
    .bind(device)
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if force {
        delete_below(&mut tx, organization_id, field, assignee).await?;
    }
    tx.commit().await.map_err(db_error)?;
    Ok(deleted.rows_affected() > 0)
}
