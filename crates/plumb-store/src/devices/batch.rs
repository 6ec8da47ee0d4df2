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

use plumb_core::StoreError;
use plumb_core::id::OrganizationId;
use plumb_core::store::{Heartbeat, HeartbeatOutcome, StoreResult};
use tokio::sync::{mpsc, oneshot};

use super::heartbeat::{Beat, beat};
use crate::db::{Db, count_statements, note_statements};

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

/// Records every heartbeat of `batch` in one transaction.
async fn together(db: &Db, batch: &[Job]) -> StoreResult<Vec<(Beat, u64)>> {
    let tx = db.begin().await?;
    let outcome = async {
        let mut beats = Vec::with_capacity(batch.len());
        for job in batch {
            let (beat, statements) =
                count_statements(beat(&tx, job.organization_id, &job.heartbeat)).await;
            beats.push((beat?, statements));
        }
        Ok(beats)
    }
    .await;
    tx.finish(outcome).await
}
