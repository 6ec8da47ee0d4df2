//! Alerts about devices and the package updates devices report: inserts, keyset pages with
//! their filters, and resolution.

use crate::codec::damaged;
use crate::codec::{parse_severity, severity_text};
use crate::keyset;
use async_trait::async_trait;
use plumb_core::id::{AlertId, DeviceId, OrganizationId, UpdateId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::UpdateStore;
use plumb_core::store::{Activity, AlertStore};
use plumb_core::store::{AlertRecord, AlertStatus, NewAlert, NewUpdate, StoreResult, UpdateRecord};
use time::OffsetDateTime;

use crate::SqlStore;
use crate::db::{Arg, Db, Exec, FromRow, Row, args};
use crate::events::alert_event;
use plumb_core::events::EventType;

/// Selects an [`AlertRecord`]; callers append a `where` on `a` (alerts).
const ALERT_SELECT: &str = "select a.id, a.device_id, d.hostname, a.name, a.description, \
     a.payload, a.severity, a.started_at, a.resolved_at \
     from alerts a join devices d on d.organization_id = a.organization_id and d.id = a.device_id ";

impl FromRow for AlertRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(AlertRecord {
            id: columns.next()?,
            device_id: columns.next()?,
            device_hostname: columns.next()?,
            name: columns.next()?,
            description: columns.next()?,
            payload: columns.next()?,
            severity: parse_severity(&columns.next::<String>()?)?,
            started_at: columns.next()?,
            resolved_at: columns.next()?,
        })
    }
}

/// Selects an [`UpdateRecord`]; callers append a `where` on `u` (updates).
const UPDATE_SELECT: &str = "select u.id, u.device_id, d.hostname, u.name, u.category, \
     u.version, u.size, u.kb_ids, u.is_available, u.error, u.published_on, u.installed_on \
     from updates u join devices d on d.organization_id = u.organization_id and d.id = u.device_id ";

impl FromRow for UpdateRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(UpdateRecord {
            id: columns.next()?,
            device_id: columns.next()?,
            device_hostname: columns.next()?,
            update: NewUpdate {
                name: columns.next()?,
                category: columns.next()?,
                version: columns.next()?,
                size: columns.next()?,
                kb_ids: serde_json::from_str(&columns.next::<String>()?)
                    .map_err(|_| damaged("an update's kb_ids"))?,
                is_available: columns.next()?,
                error: columns.next()?,
                published_on: columns.next()?,
                installed_on: columns.next()?,
            },
        })
    }
}

#[async_trait]
impl AlertStore for SqlStore {
    async fn insert_alert(&self, alert: &NewAlert) -> StoreResult<AlertRecord> {
        insert_alert(&self.db, alert).await
    }

    async fn list_alerts(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        status: Option<AlertStatus>,
        page: &PageRequest<AlertId>,
    ) -> StoreResult<Page<AlertRecord>> {
        let mut conditions = Vec::new();
        if let Some(device) = device {
            conditions.push(("a.device_id = ?", Some(Arg::from(device))));
        }
        match status {
            None => {}
            Some(AlertStatus::Active) => conditions.push(("a.resolved_at is null", None)),
            Some(AlertStatus::Resolved) => conditions.push(("a.resolved_at is not null", None)),
        }
        keyset::page(
            &self.db,
            (ALERT_SELECT, "a"),
            organization_id,
            &conditions,
            page,
        )
        .await
    }

    async fn alert(
        &self,
        organization_id: OrganizationId,
        id: AlertId,
    ) -> StoreResult<AlertRecord> {
        alert(&self.db, organization_id, id).await
    }

    async fn resolve_alert(
        &self,
        organization_id: OrganizationId,
        id: AlertId,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<AlertRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            let resolved = tx
                .execute(
                    "update alerts set resolved_at = ?3 \
                     where organization_id = ?1 and id = ?2 and resolved_at is null",
                    args![organization_id, id, now],
                )
                .await?;
            if resolved != 0 {
                alert_event(&tx, organization_id, id, EventType::AlertResolved, now).await?;
                crate::activity::insert_entry(&tx, activity).await?;
            }
            alert(&tx, organization_id, id).await
        }
        .await;
        tx.finish(outcome).await
    }
}

#[async_trait]
impl UpdateStore for SqlStore {
    async fn list_updates(
        &self,
        organization_id: OrganizationId,
        device: Option<DeviceId>,
        available: Option<bool>,
        page: &PageRequest<UpdateId>,
    ) -> StoreResult<Page<UpdateRecord>> {
        let mut conditions = Vec::new();
        if let Some(device) = device {
            conditions.push(("u.device_id = ?", Some(Arg::from(device))));
        }
        match available {
            None => {}
            Some(true) => conditions.push(("u.is_available", None)),
            Some(false) => conditions.push(("not u.is_available", None)),
        }
        keyset::page(
            &self.db,
            (UPDATE_SELECT, "u"),
            organization_id,
            &conditions,
            page,
        )
        .await
    }

    async fn update(
        &self,
        organization_id: OrganizationId,
        id: UpdateId,
    ) -> StoreResult<UpdateRecord> {
        self.db
            .one(
                &format!("{UPDATE_SELECT}where u.organization_id = ?1 and u.id = ?2"),
                args![organization_id, id],
            )
            .await
    }
}

/// One alert of an organization.
pub(crate) async fn alert(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: AlertId,
) -> StoreResult<AlertRecord> {
    exec.one(
        &format!("{ALERT_SELECT}where a.organization_id = ?1 and a.id = ?2"),
        args![organization_id, id],
    )
    .await
}

/// Inserts an alert; a device outside the organization breaks the foreign key (`NotFound`).
pub(super) async fn insert_alert(db: &Db, new: &NewAlert) -> StoreResult<AlertRecord> {
    let tx = db.begin().await?;
    let outcome = async {
        tx.execute(
            "insert into alerts (id, organization_id, device_id, name, description, payload, \
             severity, started_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![
                new.id,
                new.organization_id,
                new.device_id,
                &new.name,
                &new.description,
                new.payload.as_deref(),
                severity_text(new.severity),
                new.started_at,
            ],
        )
        .await?;
        let (organization_id, at) = (new.organization_id, new.started_at);
        alert_event(&tx, organization_id, new.id, EventType::AlertActive, at).await?;
        alert(&tx, new.organization_id, new.id).await
    }
    .await;
    tx.finish(outcome).await
}
