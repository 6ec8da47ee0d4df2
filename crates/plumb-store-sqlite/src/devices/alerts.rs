//! Alerts about devices and the package updates devices report: inserts, keyset pages with
//! their filters, and resolution.

use plumb_core::id::{AlertId, DeviceId, OrganizationId, UpdateId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::{AlertRecord, AlertStatus, NewAlert, StoreResult, UpdateRecord};
use plumb_store_rows::keyset::Keyset;
use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::codec::time_text;
use crate::error::db_error;
use crate::rows::{ALERT_SELECT, AlertRow, UPDATE_SELECT, UpdateRow, severity_text};

/// One alert of an organization.
async fn fetch_alert(
    conn: &mut SqliteConnection,
    organization_id: OrganizationId,
    id: AlertId,
) -> StoreResult<AlertRecord> {
    sqlx::query_as::<_, AlertRow>(&format!(
        "{ALERT_SELECT} where a.organization_id = ?1 and a.id = ?2"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await
    .map_err(db_error)?
    .try_into()
}

/// Inserts an alert; a device outside the organization breaks the foreign key (`NotFound`).
pub(super) async fn insert_alert(
    store: &SqliteStore,
    alert: &NewAlert,
) -> StoreResult<AlertRecord> {
    let mut tx = store.write().await?;
    sqlx::query(
        "insert into alerts (id, organization_id, device_id, name, description, payload, \
         severity, started_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(alert.id.to_string())
    .bind(alert.organization_id.to_string())
    .bind(alert.device_id.to_string())
    .bind(&alert.name)
    .bind(&alert.description)
    .bind(alert.payload.as_deref())
    .bind(severity_text(alert.severity))
    .bind(time_text(alert.started_at))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    let stored = fetch_alert(&mut tx, alert.organization_id, alert.id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// One alert.
pub(super) async fn alert(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: AlertId,
) -> StoreResult<AlertRecord> {
    let mut conn = store.pool.acquire().await.map_err(db_error)?;
    fetch_alert(&mut conn, organization_id, id).await
}

/// Resolves an alert; an earlier resolution stays.
pub(super) async fn resolve_alert(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: AlertId,
    now: OffsetDateTime,
) -> StoreResult<AlertRecord> {
    let mut tx = store.write().await?;
    sqlx::query(
        "update alerts set resolved_at = coalesce(resolved_at, ?3) \
         where organization_id = ?1 and id = ?2",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(time_text(now))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    let stored = fetch_alert(&mut tx, organization_id, id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}

/// A keyset page over `select` (alias `alias`), narrowed by `conditions` (each binding one
/// text parameter, or none when it is `None`).
async fn page_of<Row, Record, Id: ToString + Copy>(
    store: &SqliteStore,
    select: &str,
    alias: &str,
    organization_id: OrganizationId,
    conditions: &[(&str, Option<String>)],
    page: &PageRequest<Id>,
) -> StoreResult<Page<Record>>
where
    Row: for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin,
    Record: TryFrom<Row, Error = plumb_core::StoreError>,
{
    let keyset = Keyset::of(&page.cursor);
    let mut sql = format!(
        "{select} where {alias}.organization_id = ?{}",
        keyset.condition(&format!("{alias}.id"))
    );
    let mut args = vec![organization_id.to_string()];
    args.extend(keyset.id);
    for (condition, arg) in conditions {
        sql.push_str(" and ");
        sql.push_str(condition);
        args.extend(arg.clone());
    }
    sql.push_str(&format!(" order by {alias}.id {} limit ?", keyset.order));
    let mut query = sqlx::query_as::<_, Row>(&sql);
    for arg in args {
        query = query.bind(arg);
    }
    let rows = query
        .bind(i64::from(page.limit) + 1)
        .fetch_all(&store.pool)
        .await
        .map_err(db_error)?;
    let records = rows
        .into_iter()
        .map(Record::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page::from_probe(records, page))
}

/// A keyset page of alerts.
pub(super) async fn list_alerts(
    store: &SqliteStore,
    organization_id: OrganizationId,
    device: Option<DeviceId>,
    status: Option<AlertStatus>,
    page: &PageRequest<AlertId>,
) -> StoreResult<Page<AlertRecord>> {
    let mut conditions = Vec::new();
    if let Some(device) = device {
        conditions.push(("a.device_id = ?", Some(device.to_string())));
    }
    match status {
        None => {}
        Some(AlertStatus::Active) => conditions.push(("a.resolved_at is null", None)),
        Some(AlertStatus::Resolved) => conditions.push(("a.resolved_at is not null", None)),
    }
    page_of::<AlertRow, _, _>(store, ALERT_SELECT, "a", organization_id, &conditions, page).await
}

/// A keyset page of updates.
pub(super) async fn list_updates(
    store: &SqliteStore,
    organization_id: OrganizationId,
    device: Option<DeviceId>,
    available: Option<bool>,
    page: &PageRequest<UpdateId>,
) -> StoreResult<Page<UpdateRecord>> {
    let mut conditions = Vec::new();
    if let Some(device) = device {
        conditions.push(("u.device_id = ?", Some(device.to_string())));
    }
    match available {
        None => {}
        Some(true) => conditions.push(("u.is_available = 1", None)),
        Some(false) => conditions.push(("u.is_available = 0", None)),
    }
    page_of::<UpdateRow, _, _>(
        store,
        UPDATE_SELECT,
        "u",
        organization_id,
        &conditions,
        page,
    )
    .await
}

/// One update.
pub(super) async fn update(
    store: &SqliteStore,
    organization_id: OrganizationId,
    id: UpdateId,
) -> StoreResult<UpdateRecord> {
    sqlx::query_as::<_, UpdateRow>(&format!(
        "{UPDATE_SELECT} where u.organization_id = ?1 and u.id = ?2"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(&store.pool)
    .await
    .map_err(db_error)?
    .try_into()
}
