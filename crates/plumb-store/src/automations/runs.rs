//! Runs: started for an automation's target devices, claimed by a device's check-in, and
//! finished with the device's report.
//!
//! Every write is one transaction. On SQLite it holds the database's write lock from its start
//! (`begin immediate`), so the single writer makes claims and finishes exclusive without
//! further locking. On PostgreSQL several nodes write at once, so each write says what it
//! locks: starting runs holds the automation and the target devices (`for share`) so neither
//! is deleted mid-way, a claim is one `update ... where status = 'pending'` (a second,
//! concurrent claim waits for the first's row locks, then sees the rows no longer pending and
//! skips them), and a finish locks its run (`for update`) before checking that it has not
//! ended.
//!
//! Step results are stored as a JSON array of `{"name", "status", "output"}` objects, the
//! agent's `StepReport` form, whose status is a run status in snake_case (`"success"`).

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::id::{AutomationId, DeviceId, GroupId, OrganizationId, RunId};
use plumb_core::store::{
    Activity, RunRecord, RunStore, RunsOf, StartedRun, StepResult, StoreResult,
};
use plumb_proto::v2::RunStatus;
use time::OffsetDateTime;

use super::spelling::{parse_results, parse_status, parse_steps, results_text, status_text};
use crate::SqlStore;
use crate::db::{Db, Exec, FromRow, Params, Row, args};

/// The columns of a [`RunRecord`], for a `select` or a `returning`.
macro_rules! run_columns {
    () => {
        "id, organization_id, automation_id, automation_name, device_id, device_hostname, \
         status, steps, results, created_at, started_at, ended_at"
    };
}

impl FromRow for RunRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(RunRecord {
            id: columns.next()?,
            organization_id: columns.next()?,
            automation_id: columns.next()?,
            automation_name: columns.next()?,
            device_id: columns.next()?,
            device_hostname: columns.next()?,
            status: parse_status(&columns.next::<String>()?)?,
            steps: parse_steps(&columns.next::<String>()?)?,
            results: parse_results(&columns.next::<String>()?)?,
            created_at: columns.next()?,
            started_at: columns.next()?,
            ended_at: columns.next()?,
        })
    }
}

/// The target devices of an automation, in id order: those of `group`'s subtree (the whole
/// organization for none), narrowed to `only` when given. `union` stops the walk even if a
/// cycle ever slipped into the tree. The devices stay locked (`for share`, PostgreSQL) until
/// the transaction ends, so none is deleted before its run is written.
async fn targets(
    tx: &impl Exec,
    organization_id: OrganizationId,
    group: Option<GroupId>,
    only: Option<&[DeviceId]>,
) -> StoreResult<Vec<DeviceId>> {
    let mut params = Params::default();
    let organization = params.push(organization_id);
    let group = params.push(group);
    let only_sql = match only {
        Some(ids) => format!(" and {}", tx.dialect().any("d.id", &params.push(ids))),
        None => String::new(),
    };
    let sql = format!(
        "with recursive subtree (id) as ( \
           select id from groups where organization_id = {organization} and id = {group} \
           union \
           select child.id from subtree \
           join groups child on child.organization_id = {organization} \
             and child.parent_id = subtree.id \
         ) \
         select d.id from devices d where d.organization_id = {organization} \
         and ({group} is null or d.group_id in (select id from subtree)){only_sql} \
         order by d.id{}",
        tx.dialect().for_share("d")
    );
    tx.rows(&sql, params.as_slice()).await
}

#[async_trait]
impl RunStore for SqlStore {
    async fn start_runs(
        &self,
        organization_id: OrganizationId,
        automation: AutomationId,
        only: Option<&[DeviceId]>,
        now: OffsetDateTime,
        activity: Option<&Activity>,
    ) -> StoreResult<Vec<StartedRun>> {
        let tx = self.db.begin().await?;
        let outcome = async {
            let sql = format!(
                "select group_id from automations where organization_id = ?1 and id = ?2{}",
                tx.dialect().for_share("automations")
            );
            let group: Option<Option<GroupId>> =
                tx.first(&sql, args![organization_id, automation]).await?;
            let Some(group) = group else {
                return Err(StoreError::NotFound);
            };
            let devices = targets(&tx, organization_id, group, only).await?;
            let started: Vec<StartedRun> = devices
                .into_iter()
                .map(|device_id| StartedRun {
                    id: RunId::new(),
                    device_id,
                })
                .collect();
            if started.is_empty() {
                // Nothing written: committing just releases the locks.
                return Ok(started);
            }
            // One statement for every run: pairs of [run id, device id], with the name, steps and
            // hostname copied from their rows.
            let pairs: Vec<[String; 2]> = started
                .iter()
                .map(|run| [run.id.to_string(), run.device_id.to_string()])
                .collect();
            let pairs = serde_json::to_string(&pairs)
                .map_err(|error| StoreError::Unavailable(Box::new(error)))?;
            let sql = format!(
                "insert into automation_runs (id, organization_id, automation_id, automation_name, \
             device_id, device_hostname, status, steps, created_at) \
             select (pair.value ->> 0), a.organization_id, a.id, a.name, d.id, d.hostname, \
             'pending', a.steps, ?4 \
             from {} pair \
             join devices d on d.organization_id = ?1 and d.id = (pair.value ->> 1) \
             join automations a on a.organization_id = ?1 and a.id = ?2",
                tx.dialect().json_rows("?3")
            );
            tx.execute(&sql, args![organization_id, automation, pairs, now])
                .await?;
            crate::activity::insert_entry(&tx, activity).await?;
            Ok(started)
        }
        .await;
        tx.finish(outcome).await
    }

    async fn run(&self, organization_id: OrganizationId, id: RunId) -> StoreResult<RunRecord> {
        fetch(&self.db, organization_id, id).await
    }

    async fn list_runs(
        &self,
        organization_id: OrganizationId,
        of: RunsOf,
        before: Option<RunId>,
        limit: u32,
    ) -> StoreResult<Vec<RunRecord>> {
        let (column, owner) = match of {
            RunsOf::Automation(id) => ("automation_id", id.to_string()),
            RunsOf::Device(id) => ("device_id", id.to_string()),
        };
        // Without a cursor, compare against a text that sorts after every id.
        let before = before.map_or_else(|| "~".to_owned(), |id| id.to_string());
        let sql = format!(
            concat!(
                "select ",
                run_columns!(),
                " from automation_runs where {column} = ?2 and organization_id = ?1 \
                 and id < ?3 order by id desc limit ?4"
            ),
            column = column
        );
        self.db
            .rows(
                &sql,
                args![organization_id, owner, before, i64::from(limit)],
            )
            .await
    }

    async fn claim_runs(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<RunRecord>> {
        let mut runs: Vec<RunRecord> = self
            .db
            .write_rows(
                concat!(
                    "update automation_runs set status = 'running', started_at = ?3 \
                     where organization_id = ?1 and device_id = ?2 and status = 'pending' \
                     returning ",
                    run_columns!()
                ),
                args![organization_id, device, now],
            )
            .await?;
        // `returning` has no order of its own.
        runs.sort_by_key(|run| (run.created_at, run.id));
        Ok(runs)
    }

    async fn finish_run(
        &self,
        organization_id: OrganizationId,
        device: DeviceId,
        id: RunId,
        status: RunStatus,
        results: &[StepResult],
        now: OffsetDateTime,
    ) -> StoreResult<RunRecord> {
        finish(&self.db, organization_id, device, id, status, results, now).await
    }
}

/// One run of an organization.
pub(super) async fn fetch(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: RunId,
) -> StoreResult<RunRecord> {
    exec.one(
        concat!(
            "select ",
            run_columns!(),
            " from automation_runs where organization_id = ?1 and id = ?2"
        ),
        args![organization_id, id],
    )
    .await
}

/// Records the outcome of a run of this device that has not ended yet.
pub(super) async fn finish(
    db: &Db,
    organization_id: OrganizationId,
    device: DeviceId,
    id: RunId,
    status: RunStatus,
    results: &[StepResult],
    now: OffsetDateTime,
) -> StoreResult<RunRecord> {
    let tx = db.begin().await?;
    let outcome = async {
        let sql = format!(
            "select status from automation_runs \
             where organization_id = ?1 and id = ?2 and device_id = ?3{}",
            tx.dialect().for_update()
        );
        let current: Option<String> = tx.first(&sql, args![organization_id, id, device]).await?;
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
        tx.execute(
            "update automation_runs set status = ?2, results = ?3, ended_at = ?4, \
             started_at = coalesce(started_at, ?4) where id = ?1",
            args![id, status_text(status), results_text(results), now],
        )
        .await?;
        fetch(&tx, organization_id, id).await
    }
    .await;
    tx.finish(outcome).await
}
