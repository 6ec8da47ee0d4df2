//! Runs: started for an automation's target devices, claimed by a device's check-in, and
//! finished with the device's report.
//!
//! Every write is one `begin immediate` transaction (or one statement), so SQLite's single
//! writer makes claims and finishes exclusive without further locking.

use plumb_core::StoreError;
use plumb_core::id::{AutomationId, DeviceId, OrganizationId, RunId};
use plumb_core::store::{RunRecord, StartedRun, StepResult, StoreResult};
use plumb_proto::v2::RunStatus;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::codec::{id_array, parse_uuid, time_text};
use crate::error::db_error;
use crate::rows::{RUN_COLUMNS, RunRow, parse_status, results_text, status_text};

/// The target devices of an automation, in id order: `?2` is its group (null for the whole
/// organization), `?3` a JSON array of the ids to keep (null for all). `union` stops the walk
/// even if a cycle ever slipped into the tree.
const TARGETS: &str = "with recursive subtree (id) as ( \
       select id from groups where organization_id = ?1 and id = ?2 \
       union \
       select child.id from subtree \
       join groups child on child.organization_id = ?1 and child.parent_id = subtree.id \
     ) \
     select d.id from devices d where d.organization_id = ?1 \
     and (?2 is null or d.group_id in (select id from subtree)) \
     and (?3 is null or d.id in (select value from json_each(?3))) \
     order by d.id";

/// One pending run per target device, in one transaction.
pub(super) async fn start(
    store: &SqliteStore,
    organization_id: OrganizationId,
    automation: AutomationId,
    only: Option<&[DeviceId]>,
    now: OffsetDateTime,
) -> StoreResult<Vec<StartedRun>> {
    let mut tx = store.write().await?;
    let group: Option<Option<String>> = sqlx::query_scalar(
        "select group_id from automations where organization_id = ?1 and id = ?2",
    )
    .bind(organization_id.to_string())
    .bind(automation.to_string())
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?;
    let Some(group) = group else {
        return Err(StoreError::NotFound);
    };
    let only = only.map(|ids| id_array(ids.iter().map(DeviceId::to_string)));
    let devices: Vec<String> = sqlx::query_scalar(TARGETS)
        .bind(organization_id.to_string())
        .bind(group)
        .bind(only)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
    let started = devices
        .iter()
        .map(|id| {
            Ok(StartedRun {
                id: RunId::new(),
                device_id: DeviceId(parse_uuid(id)?),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    if started.is_empty() {
        return Ok(started);
    }
    // One statement for every run: pairs of [run id, device id], with the name, steps and
    // hostname copied from their rows.
    let pairs: Vec<[String; 2]> = started
        .iter()
        .map(|run| [run.id.to_string(), run.device_id.to_string()])
        .collect();
    let pairs =
        serde_json::to_string(&pairs).map_err(|error| StoreError::Unavailable(Box::new(error)))?;
    sqlx::query(
        "insert into automation_runs (id, organization_id, automation_id, automation_name, \
         device_id, device_hostname, status, steps, created_at) \
         select json_extract(pair.value, '$[0]'), a.organization_id, a.id, a.name, d.id, \
         d.hostname, 'pending', a.steps, ?4 \
         from json_each(?3) pair \
         join devices d on d.organization_id = ?1 and d.id = json_extract(pair.value, '$[1]') \
         join automations a on a.organization_id = ?1 and a.id = ?2",
    )
    .bind(organization_id.to_string())
    .bind(automation.to_string())
    .bind(pairs)
    .bind(time_text(now))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(started)
}

/// One run of an organization.
pub(super) async fn fetch(
    conn: &mut SqliteConnection,
    organization_id: OrganizationId,
    id: RunId,
) -> StoreResult<RunRecord> {
    sqlx::query_as::<_, RunRow>(&format!(
        "select {RUN_COLUMNS} from automation_runs where organization_id = ?1 and id = ?2"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await
    .map_err(db_error)?
    .try_into()
}

/// Moves the device's pending runs to running in one statement and returns them oldest first.
pub(super) async fn claim(
    store: &SqliteStore,
    organization_id: OrganizationId,
    device: DeviceId,
    now: OffsetDateTime,
) -> StoreResult<Vec<RunRecord>> {
    let rows = sqlx::query_as::<_, RunRow>(&format!(
        "update automation_runs set status = 'running', started_at = ?3 \
         where organization_id = ?1 and device_id = ?2 and status = 'pending' \
         returning {RUN_COLUMNS}"
    ))
    .bind(organization_id.to_string())
    .bind(device.to_string())
    .bind(time_text(now))
    .fetch_all(&store.pool)
    .await
    .map_err(db_error)?;
    let mut runs = rows
        .into_iter()
        .map(RunRecord::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    // `returning` has no order of its own.
    runs.sort_by_key(|run| (run.created_at, run.id));
    Ok(runs)
}

/// Records the outcome of a run of this device that has not ended yet.
pub(super) async fn finish(
    store: &SqliteStore,
    organization_id: OrganizationId,
    device: DeviceId,
    id: RunId,
    status: RunStatus,
    results: &[StepResult],
    now: OffsetDateTime,
) -> StoreResult<RunRecord> {
    let mut tx = store.write().await?;
    let current: Option<String> = sqlx::query_scalar(
        "select status from automation_runs \
         where organization_id = ?1 and id = ?2 and device_id = ?3",
    )
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .bind(device.to_string())
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_error)?;
    let Some(current) = current else {
        return Err(StoreError::NotFound);
    };
    if !matches!(
        parse_status(&current)?,
        RunStatus::Pending | RunStatus::Running
    ) {
        return Err(StoreError::Conflict {
            constraint: "automation_runs.finished",
        });
    }
    sqlx::query(
        "update automation_runs set status = ?2, results = ?3, ended_at = ?4, \
         started_at = coalesce(started_at, ?4) where id = ?1",
    )
    .bind(id.to_string())
    .bind(status_text(status))
    .bind(results_text(results))
    .bind(time_text(now))
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    let stored = fetch(&mut tx, organization_id, id).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(stored)
}
