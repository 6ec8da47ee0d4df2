//! `OutboxStore`: what the delivery worker of each node claims, reports and prunes.
//!
//! A claim first fans out the events recorded since the last one (`fanned_out`): one delivery
//! per enabled endpoint that subscribes to each, as the endpoints are then, in the same
//! transaction that marks the events done (`for update skip locked` on PostgreSQL, so each
//! event is fanned out by one node). A write therefore adds one row whatever the number of
//! endpoints.
//!
//! A claim stamps the due deliveries with a fresh claim id and moves their `due_at` to the end
//! of the lease, in one statement; on PostgreSQL the rows are picked `for update skip locked`,
//! so two nodes claiming at once never take the same delivery and never wait for each other.
//! A worker that dies leaves its claims to expire: once `due_at` passes, another takes them.
//! Reporting an attempt checks the claim is still the worker's, so a worker that outlived its
//! lease cannot overwrite what the next one recorded.

use async_trait::async_trait;
use plumb_core::id::EventId;
use plumb_core::store::{AttemptOutcome, ClaimedDelivery, OutboxStore, StoreResult};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::SqlStore;
use crate::db::{Exec, FromRow, Row, Tx, args};

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
                &format!(
                    "select exists (select 1 from event_deliveries \
                     where state = 'pending' and due_at <= ?1) \
                     or exists (select 1 from events where {})",
                    self.db.dialect().is_false("fanned_out")
                ),
                args![now],
            )
            .await?;
        if !due {
            return Ok(Vec::new());
        }
        let claim = Uuid::now_v7();
        let tx = self.db.begin().await?;
        let outcome = async {
            fan_out(&tx).await?;
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
                .execute(&sql, args![now, lease_until, claim, i64::from(limit)])
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
            // Attempts and deliveries go with their event (`on delete cascade`). Ids are
            // UUIDv7: every id recorded before `before` sorts below the first id of that time.
            tx.execute(
                "delete from events where id < ?1",
                args![first_id_at(before)],
            )
            .await
        }
        .await;
        tx.finish(outcome).await
    }
}

/// How many events one claim fans out at most.
const FAN_OUT_BATCH: i64 = 1000;

/// Makes the deliveries of events not fanned out yet: one per enabled endpoint of the event's
/// organization that subscribes to its type (and severity).
async fn fan_out(tx: &Tx) -> StoreResult<()> {
    let dialect = tx.dialect();
    let sql = format!(
        "update events set fanned_out = true where id in (select id from events where {} \
         order by id limit ?1{}) returning id",
        dialect.is_false("fanned_out"),
        dialect.skip_locked()
    );
    let events: Vec<EventId> = tx.rows(&sql, args![FAN_OUT_BATCH]).await?;
    if events.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "insert into event_deliveries (id, event_id, endpoint_id, organization_id, state, \
           attempts_left, due_at, claim, updated_at) \
         select e.id || '/' || p.id, e.id, p.id, e.organization_id, 'pending', null, ?1, null, \
           e.occurred_at \
         from events e join event_endpoints p on p.organization_id = e.organization_id \
         where {} and {} \
         and (p.event_types is null or p.event_types like '%,' || e.event_type || ',%') \
         and (e.severity is null or p.severities is null \
           or p.severities like '%,' || e.severity || ',%')",
        dialect.any("e.id", "?2"),
        dialect.is_true("p.enabled")
    );
    tx.execute(&sql, args![OffsetDateTime::UNIX_EPOCH, events.as_slice()])
        .await
        .map(drop)
}

/// The smallest UUIDv7 text of `time`: its 48-bit millisecond timestamp, then zeros.
fn first_id_at(time: OffsetDateTime) -> String {
    let millis = (time.unix_timestamp_nanos() / 1_000_000).clamp(0, (1 << 48) - 1);
    let hex = format!("{millis:012x}");
    format!("{}-{}-7000-8000-000000000000", &hex[..8], &hex[8..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_id_of_a_time_sorts_below_every_id_made_at_or_after_it() {
        let now = time::macros::datetime!(2026-12-07 01:00 UTC);
        let cutoff = first_id_at(now);
        let at = |offset_ms: i64| {
            let time = now + time::Duration::milliseconds(offset_ms);
            let millis = u64::try_from(time.unix_timestamp_nanos() / 1_000_000).unwrap();
            let id = Uuid::new_v7(uuid::Timestamp::from_unix(
                uuid::NoContext,
                millis / 1000,
                u32::try_from(millis % 1000).unwrap() * 1_000_000,
            ));
            id.hyphenated().to_string()
        };
        assert!(at(-1) < cutoff);
        assert!(at(0) >= cutoff);
        assert!(at(1) > cutoff);
    }
}
