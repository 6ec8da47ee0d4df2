//! Automations: keyset pages, one automation, and the writes with their activity entries.
//!
//! Names are unique per organization (`automations_organization_id_name_key`); a group outside
//! the organization breaks the composite foreign key and reads as `NotFound`.

use plumb_core::StoreError;
use plumb_core::id::{AutomationId, OrganizationId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{Activity, AutomationFields, AutomationRecord, StoreResult};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::activity::insert_activity;
use crate::codec::time_text;
use crate::error::db_error;
use crate::rows::{AUTOMATION_SELECT, AutomationRow, steps_text};

/// One automation of an organization.
pub(super) async fn fetch(
    conn: &mut SqliteConnection,
    organization_id: OrganizationId,
    id: AutomationId,
) -> StoreResult<AutomationRecord> {
    sqlx::query_as::<_, AutomationRow>(&format!(
        "{AUTOMATION_SELECT}where a.organization_id = ?1 and a.id = ?2"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await
    .map_err(db_error)?
    .try_into()
}

/// A keyset page in id order: `limit + 1` rows in the direction of travel.
pub(super) async fn page(
    store: &SqliteStore,
    organization_id: OrganizationId,
    page: &PageRequest<AutomationId>,
) -> StoreResult<Page<AutomationRecord>> {
    let (cursor_sql, cursor_id, order) = match page.cursor {
        Cursor::First => ("", None, "asc"),
        Cursor::After(id) => (" and a.id > ?3", Some(id), "asc"),
        Cursor::Before(id) => (" and a.id < ?3", Some(id), "desc"),
    };
    let sql = format!(
        "{AUTOMATION_SELECT}where a.organization_id = ?1{cursor_sql} order by a.id {order} \
         limit ?2"
    );
    let mut query = sqlx::query_as::<_, AutomationRow>(&sql)
        .bind(organization_id.to_string())
        .bind(i64::from(page.limit) + 1);
    if let Some(id) = cursor_id {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(&store.pool).await.map_err(db_error)?;
    let automations = rows
        .into_iter()
        .map(AutomationRecord::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page::from_probe(automations, page))
}

/// Inserts an automation created (and last changed) `now`.
pub(super) async fn insert(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: AutomationId,
    fields: &AutomationFields,
    now: OffsetDateTime,
    activity: &Activity,
) -> StoreResult<AutomationRecord> {
    let mut tx = store.write().await?;
    sqlx::query(
        "insert into automations (id, organization_id, name, description, group_id, steps, \
         created_at, updated_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )
    .bind(id.to_string())
    .bind(organization_id.to_string())
    .bind(&fields.name)
    .bind(fields.description.as_deref())
    .bind(fields.group_id.map(|id| id.to_string()))
    .bind(steps_text(&fields.steps))
    .bind(time_text(now))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    insert_activity(&mut tx, activity).await?;
    let stored = fetch(&mut tx, organization_id, id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// Replaces every field a person sets.
pub(super) async fn update(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: AutomationId,
    fields: &AutomationFields,
    now: OffsetDateTime,
    activity: &Activity,
) -> StoreResult<AutomationRecord> {
    let mut tx = store.write().await?;
    let updated = sqlx::query(
        "update automations set name = ?3, description = ?4, group_id = ?5, steps = ?6, \
         updated_at = ?7 where organization_id = ?1 and id = ?2",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(&fields.name)
    .bind(fields.description.as_deref())
    .bind(fields.group_id.map(|id| id.to_string()))
    .bind(steps_text(&fields.steps))
    .bind(time_text(now))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    insert_activity(&mut tx, activity).await?;
    let stored = fetch(&mut tx, organization_id, id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// Deletes an automation: its pending runs are canceled first (while they still name it),
/// then the row goes, its triggers with it (`on delete cascade`) and its runs keep their copy
/// of its name (`on delete set null`).
pub(super) async fn delete(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: AutomationId,
    now: OffsetDateTime,
    activity: &Activity,
) -> StoreResult<()> {
    let mut tx = store.write().await?;
    sqlx::query(
        "update automation_runs set status = 'canceled', ended_at = ?3 \
         where organization_id = ?1 and automation_id = ?2 and status = 'pending'",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(time_text(now))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    let deleted = sqlx::query("delete from automations where organization_id = ?1 and id = ?2")
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    insert_activity(&mut tx, activity).await?;
    tx.commit().await.map_err(db_error)
}
