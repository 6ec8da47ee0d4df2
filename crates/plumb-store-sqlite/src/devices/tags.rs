//! Tags: names unique per organization, and all-or-nothing tagging and untagging.

use std::collections::BTreeSet;

use plumb_core::StoreError;
use plumb_core::id::{DeviceId, LinkId, OrganizationId, TagId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{StoreResult, TagRecord};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::codec::{id_array, time_text};
use crate::error::db_error;
use crate::rows::{TAG_SELECT, TagRow};

/// One tag of an organization with its figure.
pub(super) async fn fetch_tag(
    conn: &mut SqliteConnection,
    organization_id: OrganizationId,
    id: TagId,
) -> StoreResult<TagRecord> {
    sqlx::query_as::<_, TagRow>(&format!(
        "{TAG_SELECT} where t.organization_id = ?1 and t.id = ?2"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await
    .map_err(db_error)?
    .try_into()
}

/// A keyset page of tags.
pub(super) async fn list_tags(
    store: &SqliteStore,
    organization_id: OrganizationId,
    page: &PageRequest<TagId>,
) -> StoreResult<Page<TagRecord>> {
    let (cursor_sql, cursor, order) = match page.cursor {
        Cursor::First => ("", None, "asc"),
        Cursor::After(id) => (" and t.id > ?3", Some(id), "asc"),
        Cursor::Before(id) => (" and t.id < ?3", Some(id), "desc"),
    };
    let sql = format!(
        "{TAG_SELECT} where t.organization_id = ?1{cursor_sql} order by t.id {order} limit ?2"
    );
    let mut query = sqlx::query_as::<_, TagRow>(&sql)
        .bind(organization_id.to_string())
        .bind(i64::from(page.limit) + 1);
    if let Some(id) = cursor {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(&store.pool).await.map_err(db_error)?;
    let tags = rows
        .into_iter()
        .map(TagRecord::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page::from_probe(tags, page))
}

/// Inserts (`rename` false) or renames a tag; a taken name is `tags.name`.
pub(super) async fn save_tag(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: TagId,
    name: &str,
    now: OffsetDateTime,
    rename: bool,
) -> StoreResult<TagRecord> {
    let sql = if rename {
        "update tags set name = ?3, updated_at = ?4 where organization_id = ?1 and id = ?2"
    } else {
        "insert into tags (id, organization_id, name, created_at, updated_at) \
         values (?2, ?1, ?3, ?4, ?4)"
    };
    let mut tx = store.write().await?;
    let written = sqlx::query(sql)
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(name)
        .bind(time_text(now))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    if written.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let stored = fetch_tag(&mut tx, organization_id, id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// Deletes a tag; its device links go with it.
pub(super) async fn delete_tag(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: TagId,
) -> StoreResult<()> {
    let deleted = sqlx::query("delete from tags where organization_id = ?1 and id = ?2")
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

/// Tags (with the time `tagging_at`) or untags (`None`) devices, all or none: `NotFound` for a missing tag or device, then
/// `device_tags.present` / `device_tags.absent` if any device already is / is not tagged.
pub(super) async fn retag_devices(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: TagId,
    devices: &[DeviceId],
    tagging_at: Option<OffsetDateTime>,
) -> StoreResult<TagRecord> {
    let add = tagging_at.is_some();
    let distinct: BTreeSet<DeviceId> = devices.iter().copied().collect();
    let ids = id_array(distinct.iter().map(DeviceId::to_string));
    let mut tx = store.write().await?;
    fetch_tag(&mut tx, organization_id, id).await?;
    let (found, tagged): (i64, i64) = sqlx::query_as(
        "select count(*), coalesce(sum(exists (select 1 from device_tags dt \
           where dt.tag_id = ?2 and dt.device_id = d.id)), 0) \
         from devices d where d.organization_id = ?1 and d.id in (select value from json_each(?3))",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(&ids)
    .fetch_one(&mut *tx)
    .await
    .map_err(db_error)?;
    let wanted = i64::try_from(distinct.len()).unwrap_or(i64::MAX);
    if found != wanted {
        return Err(StoreError::NotFound);
    }
    if add && tagged != 0 {
        return Err(StoreError::Conflict {
            constraint: "device_tags.present",
        });
    }
    if !add && tagged != wanted {
        return Err(StoreError::Conflict {
            constraint: "device_tags.absent",
        });
    }
    if let Some(now) = tagging_at {
        let links: Vec<[String; 2]> = distinct
            .iter()
            .map(|device| [LinkId::new().to_string(), device.to_string()])
            .collect();
        sqlx::query(
            "insert into device_tags (id, organization_id, device_id, tag_id, created_at) \
             select value ->> 0, ?1, value ->> 1, ?2, ?3 from json_each(?4)",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(time_text(now))
        .bind(serde_json::json!(links).to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    } else {
        sqlx::query(
            "delete from device_tags where tag_id = ?1 \
             and device_id in (select value from json_each(?2))",
        )
        .bind(id.to_string())
        .bind(&ids)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    }
    let stored = fetch_tag(&mut tx, organization_id, id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}
