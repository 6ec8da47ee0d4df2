//! Custom fields: their definitions (names unique per organization) and their values at the
//! organization, group and device levels.

use plumb_core::StoreError;
use plumb_core::id::{CustomFieldId, OrganizationId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{CustomFieldRecord, StoreResult};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::codec::time_text;
use crate::error::db_error;
use crate::rows::{CUSTOM_FIELD_SELECT, CustomFieldRow};

/// One field of an organization.
pub(super) async fn fetch_field(
    conn: &mut SqliteConnection,
    organization_id: OrganizationId,
    id: CustomFieldId,
) -> StoreResult<CustomFieldRecord> {
    sqlx::query_as::<_, CustomFieldRow>(&format!(
        "{CUSTOM_FIELD_SELECT} where f.organization_id = ?1 and f.id = ?2"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await
    .map_err(db_error)?
    .try_into()
}

/// A keyset page of fields, or every field with `page` `None`.
pub(super) async fn list_fields(
    store: &SqliteStore,
    organization_id: OrganizationId,
    page: Option<&PageRequest<CustomFieldId>>,
) -> StoreResult<Page<CustomFieldRecord>> {
    let (cursor_sql, cursor, order) = match page.map(|page| page.cursor) {
        None | Some(Cursor::First) => ("", None, "asc"),
        Some(Cursor::After(id)) => (" and f.id > ?3", Some(id), "asc"),
        Some(Cursor::Before(id)) => (" and f.id < ?3", Some(id), "desc"),
    };
    let limit = page.map_or(-1, |page| i64::from(page.limit) + 1);
    let sql = format!(
        "{CUSTOM_FIELD_SELECT} where f.organization_id = ?1{cursor_sql} \
         order by f.id {order} limit ?2"
    );
    let mut query = sqlx::query_as::<_, CustomFieldRow>(&sql)
        .bind(organization_id.to_string())
        .bind(limit);
    if let Some(id) = cursor {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(&store.pool).await.map_err(db_error)?;
    let fields = rows
        .into_iter()
        .map(CustomFieldRecord::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(match page {
        Some(page) => Page::from_probe(fields, page),
        None => Page {
            items: fields,
            has_more: false,
        },
    })
}

/// Inserts a field; a taken name is `custom_fields.name`.
pub(super) async fn insert_field(
    store: &SqliteStore,
    organization_id: OrganizationId,
    field: &CustomFieldRecord,
    now: OffsetDateTime,
) -> StoreResult<CustomFieldRecord> {
    let mut tx = store.write().await?;
    sqlx::query(
        "insert into custom_fields (id, organization_id, name, admin_only, created_at, \
         updated_at) values (?1, ?2, ?3, ?4, ?5, ?5)",
    )
    .bind(field.id.to_string())
    .bind(organization_id.to_string())
    .bind(&field.name)
    .bind(field.admin_only)
    .bind(time_text(now))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    let stored = fetch_field(&mut tx, organization_id, field.id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// Renames a field and/or changes its visibility.
pub(super) async fn update_field(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: CustomFieldId,
    name: Option<&str>,
    admin_only: Option<bool>,
    now: OffsetDateTime,
) -> StoreResult<CustomFieldRecord> {
    let mut tx = store.write().await?;
    let updated = sqlx::query(
        "update custom_fields set name = coalesce(?3, name), \
         admin_only = coalesce(?4, admin_only), updated_at = ?5 \
         where organization_id = ?1 and id = ?2",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(name)
    .bind(admin_only)
    .bind(time_text(now))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let stored = fetch_field(&mut tx, organization_id, id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// Deletes a field; its values go with it.
pub(super) async fn delete_field(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: CustomFieldId,
) -> StoreResult<()> {
    let deleted = sqlx::query("delete from custom_fields where organization_id = ?1 and id = ?2")
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .execute(&store.pool)
        .await
        .map_err(db_error)?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
