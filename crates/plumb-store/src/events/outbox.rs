//! `OutboxStore`: what the delivery worker of each node claims, reports and prunes.
//!
//! A claim stamps the due deliveries with a fresh claim id and moves their `due_at` to the end
//! of the lease, in one statement; on PostgreSQL the rows are picked `for update skip locked`,
//! so two nodes claiming at once never take the same delivery and never wait for each other.
//! A worker that dies leaves its claims to expire: once `due_at` passes, another takes them.
//! Reporting an attempt checks the claim is still the worker's, so a worker that outlived its
//! lease cannot overwrite what the next one recorded.

use async_trait::async_trait;
use plumb_core::store::{AttemptOutcome, ClaimedDelivery, OutboxStore, StoreResult};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::SqlStore;
use crate::db::{Exec, FromRow, Row, args};

impl FromRow for ClaimedDelivery {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(ClaimedDelivery {
            event_id: columns.next()?,
            endpoint_id: columns.next()?,
            organization_id: columns.next()?,
            attempts_left: columns
                .next::<Option<u64>>()?
                .map(|left| u32::try_from(left).unwrap_or(u32::MAX)),
            body: columns.next()?,
            url: columns.next()?,
            sealed_secret: columns.next()?,
            claim: columns.next()?,
        })
    }
}

#[async_trait]
impl OutboxStore for SqlStore {
    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        // A read first: an idle worker never takes the write lock (SQLite) or a row lock.
        let due: bool = self
            .db
            .one(
                "select exists (select 1 from event_deliveries \
                 where state = 'pending' and due_at <= ?1)",
                args![now],
            )
            .await?;
        if !due {
            return Ok(Vec::new());
        }
        let claim = Uuid::now_v7();
        let tx = self.db.begin().await?;
        let outcome = async {
            let skip_locked = tx.dialect().skip_locked();
            let sql = format!(
                "update event_deliveries set claim = ?3, due_at = ?2 where id in ( \
                   select d.id from event_deliveries d where d.state = 'pending' \
                   and d.due_at <= ?1 and d.endpoint_id in \
                     (select p.id from event_endpoints p where {}) \
                   order by d.due_at, d.id limit ?4{skip_locked})",
                tx.dialect().is_true("p.enabled")
            );
            let claimed = tx
                .execute(
                    &sql,
                    args![now, lease_until, claim, i64::from(limit)],
                )
                .await?;
            if claimed == 0 {
                return Ok(Vec::new());
            }
            tx.rows(
                "select d.event_id, d.endpoint_id, d.organization_id, d.attempts_left, e.body, \
                 p.url, p.sealed_secret, d.claim from event_deliveries d \
                 join events e on e.id = d.event_id \
                 join event_endpoints p on p.id = d.endpoint_id \
                 where d.claim = ?1 order by d.due_at, d.id",
                args![claim],
            )
            .await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn record_attempts(&self, outcomes: &[AttemptOutcome]) -> StoreResult<()> {
        if outcomes.is_empty() {
            return Ok(());
        }
        let tx = self.db.begin().await?;
        let outcome = async {
            for outcome in outcomes {
                let delivery = format!("{}/{}", outcome.event_id, outcome.endpoint_id);
                let (state, due_at) = match (outcome.ok, outcome.retry_at) {
                    (true, _) => ("delivered", outcome.attempted_at),
                    (false, Some(at)) => ("pending", at),
                    (false, None) => ("failed", outcome.attempted_at),
                };
                // Only while the claim is ours: a lease that ran out went to another worker.
                let moved = tx
                    .execute(
                        "update event_deliveries set state = ?2, attempts_left = ?3, \
                         due_at = ?4, claim = null, updated_at = ?5 \
                         where id = ?1 and claim = ?6",
                        args![
                            delivery.as_str(),
                            state,
                            i64::from(outcome.attempts_left),
                            due_at,
                            outcome.attempted_at,
                            outcome.claim,
                        ],
                    )
                    .await?;
                if moved == 0 {
                    continue;
                }
                tx.execute(
                    "insert into event_attempts (id, delivery_id, endpoint_id, organization_id, \
                     attempted_at, status, ok, duration_ms, response) \
                     values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    args![
                        outcome.id,
                        delivery.as_str(),
                        outcome.endpoint_id,
                        outcome.organization_id,
                        outcome.attempted_at,
                        outcome.status.map(i64::from),
                        outcome.ok,
                        i64::try_from(outcome.duration_ms).unwrap_or(i64::MAX),
                        outcome.response.as_str(),
                    ],
                )
                .await?;
            }
            Ok(())
        }
        .await;
        tx.finish(outcome).await
    }

    async fn prune_events(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let tx = self.db.begin().await?;
        let outcome = async {
            // Attempts and deliveries go with their event (`on delete cascade`).
            tx.execute("delete from events where occurred_at < ?1", args![before])
                .await
        }
        .await;
        tx.finish(outcome).await
    }
}
