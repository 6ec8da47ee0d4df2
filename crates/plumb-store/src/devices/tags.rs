//! Tags: names unique per organization, and all-or-nothing tagging and untagging. A tag's
//! device count is a column kept by triggers on `device_tags` (migration 10).

use async_trait::async_trait;
use plumb_core::store::TagStore;
use std::collections::BTreeSet;

use plumb_core::StoreError;
use plumb_core::id::{DeviceId, LinkId, OrganizationId, TagId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{Activity, StoreResult, TagRecord};
use time::OffsetDateTime;

use crate::SqlStore;
use crate::db::{Db, Exec, FromRow, Row, args};
use crate::keyset;

/// Selects a [`TagRecord`]; callers append a `where` on `t` (tags).
const TAG_SELECT: &str = "select t.id, t.name, t.device_count from tags t ";

impl FromRow for TagRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(TagRecord {
            id: columns.next()?,
            name: columns.next()?,
            device_count: columns.next()?,
        })
    }
}

#[async_trait]
impl TagStore for SqlStore {
    async fn list_tags(
        &self,
        organization_id: OrganizationId,
        page: &PageRequest<TagId>,
    ) -> StoreResult<Page<TagRecord>> {
        keyset::page(&self.db, (TAG_SELECT, "t"), organization_id, &[], page).await
    }

    async fn tag(&self, organization_id: OrganizationId, id: TagId) -> StoreResult<TagRecord> {
        fetch_tag(&self.db, organization_id, id).await
    }

    async fn insert_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<TagRecord> {
        save_tag(&self.db, organization_id, id, name, now, false, activity).await
    }

    async fn rename_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        name: &str,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<TagRecord> {
        save_tag(&self.db, organization_id, id, name, now, true, activity).await
    }

    async fn delete_tag(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        activity: Option<&Activity>,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.change(
                "delete from tags where organization_id = ?1 and id = ?2",
                args![organization_id, id],
            )
            .await?;
            crate::activity::insert_entry(&tx, activity).await?;
            Ok(())
        }
        .await;
        tx.finish(outcome).await
    }

    async fn tag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<TagRecord> {
        retag_devices(&self.db, organization_id, id, devices, Some(now), activity).await
    }

    async fn untag_devices(
        &self,
        organization_id: OrganizationId,
        id: TagId,
        devices: &[DeviceId],
        activity: Option<&Activity>,
    ) -> StoreResult<TagRecord> {
        retag_devices(&self.db, organization_id, id, devices, None, activity).await
    }
}

/// One tag of an organization with its figure.
pub(super) async fn fetch_tag(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: TagId,
) -> StoreResult<TagRecord> {
    exec.one(
        &format!("{TAG_SELECT}where t.organization_id = ?1 and t.id = ?2"),
        args![organization_id, id],
    )
    .await
}

/// Inserts (`rename` false) or renames a tag; a taken name is `tags.name`.
pub(super) async fn save_tag(
    db: &Db,
    organization_id: OrganizationId,
    id: TagId,
    name: &str,
    now: OffsetDateTime,
    rename: bool,
    activity: Option<&Activity>,
) -> StoreResult<TagRecord> {
    let sql = if rename {
        "update tags set name = ?3, updated_at = ?4 where organization_id = ?1 and id = ?2"
    } else {
        "insert into tags (id, organization_id, name, created_at, updated_at) \
         values (?2, ?1, ?3, ?4, ?4)"
    };
    let tx = db.begin().await?;
    let outcome = async {
        tx.change(sql, args![organization_id, id, name, now])
            .await?;
        crate::activity::insert_entry(&tx, activity).await?;
        fetch_tag(&tx, organization_id, id).await
    }
    .await;
    tx.finish(outcome).await
}

/// Tags (with the time `tagging_at`) or untags (`None`) devices, all or none: `NotFound` for
/// a missing tag or device, then `device_tags.present` / `device_tags.absent` if any device
/// already is / is not tagged.
pub(super) async fn retag_devices(
    db: &Db,
    organization_id: OrganizationId,
    id: TagId,
    devices: &[DeviceId],
    tagging_at: Option<OffsetDateTime>,
    activity: Option<&Activity>,
) -> StoreResult<TagRecord> {
    let distinct: Vec<DeviceId> = devices
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let tx = db.begin().await?;
    let outcome = async {
        fetch_tag(&tx, organization_id, id).await?;
        let sql = format!(
            "select count(*), count(case when exists (select 1 from device_tags dt \
               where dt.tag_id = ?2 and dt.device_id = d.id) then 1 end) \
             from devices d where d.organization_id = ?1 and {}",
            tx.dialect().any("d.id", "?3")
        );
        let (found, tagged): (u64, u64) = tx
            .one(&sql, args![organization_id, id, distinct.as_slice()])
            .await?;
        let wanted = distinct.len() as u64;
        if found != wanted {
            return Err(StoreError::NotFound);
        }
        match tagging_at {
            Some(_) if tagged != 0 => {
                return Err(StoreError::Conflict {
                    constraint: "device_tags.present",
                });
            }
            None if tagged != wanted => {
                return Err(StoreError::Conflict {
                    constraint: "device_tags.absent",
                });
            }
            _ => {}
        }
        if let Some(now) = tagging_at {
            let links: Vec<[String; 2]> = distinct
                .iter()
                .map(|device| [LinkId::new().to_string(), device.to_string()])
                .collect();
            let sql = format!(
                "insert into device_tags (id, organization_id, device_id, tag_id, created_at) \
                 select value ->> 0, ?1, value ->> 1, ?2, ?3 from {}",
                tx.dialect().json_rows("?4")
            );
            let links = serde_json::json!(links).to_string();
            tx.execute(&sql, args![organization_id, id, now, links])
                .await?;
        } else {
            let sql = format!(
                "delete from device_tags where tag_id = ?1 and {}",
                tx.dialect().any("device_id", "?2")
            );
            tx.execute(&sql, args![id, distinct.as_slice()]).await?;
        }
        crate::activity::insert_entry(&tx, activity).await?;
        fetch_tag(&tx, organization_id, id).await
    }
    .await;
    tx.finish(outcome).await
}
