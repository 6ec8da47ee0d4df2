//! Group commit for heartbeats (digest check-ins): each heartbeat is queued for this store's one
//! batch writer, which takes every heartbeat waiting, records them in one transaction and
//! answers each only after that transaction committed. While one batch commits (on SQLite, its
//! fsync), the next one gathers, so many concurrent check-ins share one commit and none is
//! acknowledged before it is durable. A batch whose transaction fails (a PostgreSQL deadlock
//! with another node's batch or sweep, say) is recorded again one heartbeat per transaction, so
//! one heartbeat's failure is its own.
//!
//! The writer counts the statements of each heartbeat and hands the count back to its caller
//! (`count_statements` counts per task).

use std::collections::HashSet;

use plumb_core::StoreError;
use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::store::{Heartbeat, HeartbeatOutcome, StoreResult};
use tokio::sync::{mpsc, oneshot};

use super::heartbeat::{Beat, beat_alone, seen_together};
use crate::automations::claim_in;
use crate::db::{Db, Dialect, Exec, count_statements, note_statements};

/// Most heartbeats in one transaction.
pub(crate) const BATCH_MAX: usize = 512;

/// A heartbeat's answer, with the statements it took.
type Answer = (StoreResult<HeartbeatOutcome>, u64);

/// One queued heartbeat.
struct Job {
    organization_id: OrganizationId,
    heartbeat: Heartbeat,
    reply: oneshot::Sender<Answer>,
}

/// The queue of a store's batch writer; the writer stops when the queue is dropped.
pub(crate) struct Heartbeats {
    queue: mpsc::UnboundedSender<Job>,
}

impl Heartbeats {
    /// Starts the batch writer on `db` (on the current Tokio runtime).
    pub(crate) fn start(db: Db) -> Self {
        let (queue, jobs) = mpsc::unbounded_channel();
        tokio::spawn(write(db, jobs));
        Self { queue }
    }

    /// Queues a heartbeat and waits until its batch committed.
    pub(crate) async fn record(
        &self,
        organization_id: OrganizationId,
        heartbeat: &Heartbeat,
    ) -> StoreResult<HeartbeatOutcome> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            organization_id,
            heartbeat: heartbeat.clone(),
            reply,
        };
        self.queue.send(job).map_err(|_| stopped())?;
        let (outcome, statements) = answer.await.map_err(|_| stopped())?;
        note_statements(statements);
        outcome
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the heartbeat writer has stopped".into())
}

/// The batch writer: one batch of everything waiting at a time.
async fn write(db: Db, mut jobs: mpsc::UnboundedReceiver<Job>) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH_MAX {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit(&db, batch).await;
    }
}

/// Records a batch and answers each heartbeat in it.
async fn commit(db: &Db, mut batch: Vec<Job>) {
    // Rows locked in one order, so two nodes' batches wait for each other instead of deadlocking.
    batch.sort_by_key(|job| job.heartbeat.device_id);
    let recorded = together(db, &batch).await;
    match recorded {
        Ok(beats) => {
            for (job, (beat, statements)) in batch.into_iter().zip(beats) {
                let _ = job.reply.send((beat, statements));
            }
        }
        Err(error) if batch.len() == 1 => {
            if let Some(job) = batch.pop() {
                let _ = job.reply.send((Err(error), 0));
            }
        }
        Err(error) => {
            tracing::warn!(error = %error, heartbeats = batch.len(), "a batch of heartbeats failed ({error}); recording them one by one");
            for job in batch {
                let answer = match together(db, std::slice::from_ref(&job)).await {
                    Ok(mut beats) => beats.pop().unwrap_or((Err(stopped()), 0)),
                    Err(error) => (Err(error), 0),
                };
                let _ = job.reply.send(answer);
            }
        }
    }
}

/// Records every heartbeat of `batch` in one transaction: on PostgreSQL the common ones in one
/// statement ([`seen_together`]), the others (on SQLite all) one by one, then the pending runs of every device recorded
/// in one statement. Each heartbeat counts the batch's statements it took part in once: alone,
/// it sends them too.
async fn together(db: &Db, batch: &[Job]) -> StoreResult<Vec<(Beat, u64)>> {
    let tx = db.begin().await?;
    let outcome = async {
        // A device checking in twice in one batch: its first heartbeat goes with the others.
        let mut devices = HashSet::new();
        let first: Vec<bool> = batch
            .iter()
            .map(|job| devices.insert(job.heartbeat.device_id))
            .collect();
        // PostgreSQL: one statement for the batch instead of a round trip per heartbeat.
        // SQLite: a statement is a function call, and its planner joins the JSON rows by
        // scanning the devices (whose inventories overflow their pages): one each is faster.
        let set_based = tx.dialect() == Dialect::Postgres;
        let seen = if set_based {
            let candidates: Vec<(OrganizationId, &Heartbeat)> = batch
                .iter()
                .zip(&first)
                .filter(|(_, first)| **first)
                .map(|(job, _)| (job.organization_id, &job.heartbeat))
                .collect();
            seen_together(&tx, &candidates).await?
        } else {
            HashSet::new()
        };
        let mut beats = Vec::with_capacity(batch.len());
        for (job, &first) in batch.iter().zip(&first) {
            let together = first && set_based;
            if together && seen.contains(&job.heartbeat.device_id) {
                beats.push((Ok(HeartbeatOutcome::Recorded(Vec::new())), 1));
                continue;
            }
            let alone = beat_alone(&tx, job.organization_id, &job.heartbeat, !together);
            let (beat, statements) = count_statements(alone).await;
            beats.push((beat?, statements + u64::from(together)));
        }
        let recorded: Vec<DeviceId> = batch
            .iter()
            .zip(&beats)
            .filter(|(_, (beat, _))| matches!(beat, Ok(HeartbeatOutcome::Recorded(_))))
            .map(|(job, _)| job.heartbeat.device_id)
            .collect();
        if recorded.is_empty() {
            return Ok(beats);
        }
        let now = batch.iter().map(|job| job.heartbeat.seen_at).max();
        let runs = claim_in(&tx, &recorded, now.unwrap_or(batch[0].heartbeat.seen_at)).await?;
        // A run goes to one check-in, even when a device checked in twice in this batch.
        let mut served = HashSet::new();
        for (job, (beat, statements)) in batch.iter().zip(&mut beats) {
            if let Ok(HeartbeatOutcome::Recorded(handed)) = beat {
                *statements += 1;
                let device = job.heartbeat.device_id;
                if served.insert(device) {
                    handed.extend(
                        runs.iter()
                            .filter(|run| run.device_id == Some(device))
                            .cloned(),
                    );
                }
            }
        }
        Ok(beats)
    }
    .await;
    tx.finish(outcome).await
}
