//! The event webhooks' delivery worker: one task per node that claims due deliveries from the
//! outbox (`plumb_core::events::outbox`), posts them concurrently, signs them (`sign`), and
//! records every attempt; it never runs on a request's path. Several nodes on one PostgreSQL
//! database each claim different deliveries (`for update skip locked`), and a node that dies
//! mid-delivery leaves its claims to expire and be taken by another. It also prunes the
//! events and delivery log older than the retention.

pub mod client;
pub mod sign;

use std::sync::Arc;
use std::time::Duration;

use plumb_core::clock::Clock;
use plumb_core::events::outbox::{Outbox, Schedule};
use plumb_core::id::AttemptId;
use plumb_core::store::{AttemptOutcome, ClaimedDelivery};
use tokio::sync::watch;
use tokio::task::JoinSet;

use self::client::Sender;
use crate::config::WebhooksConfig;

/// How long a claim holds a delivery: well beyond the longest attempt (timeout ≤ 300 s) plus
/// recording it, so only a dead worker's claims expire.
const LEASE_MARGIN: Duration = Duration::from_secs(60);
/// How often old events are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// One node's delivery worker.
#[derive(Clone)]
pub struct Deliverer {
    outbox: Outbox,
    sender: Sender,
    clock: Arc<dyn Clock>,
    schedule: Schedule,
    config: WebhooksConfig,
}

impl Deliverer {
    /// A worker for `config`.
    pub fn new(
        outbox: Outbox,
        clock: Arc<dyn Clock>,
        config: &WebhooksConfig,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            sender: Sender::new(
                Duration::from_secs(config.timeout_seconds),
                config.allow_private_targets,
            )?,
            outbox,
            clock,
            schedule: config.schedule(),
            config: config.clone(),
        })
    }

    /// Claims what is due now, attempts it and records the attempts; returns how many.
    pub async fn deliver_due(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let lease = Duration::from_secs(self.config.timeout_seconds) + LEASE_MARGIN;
        let limit = u32::try_from(self.config.concurrency).unwrap_or(u32::MAX);
        let claimed = self.outbox.claim(now, now + lease, limit).await?;
        let count = claimed.len();
        if count == 0 {
            return Ok(0);
        }
        let mut attempts = JoinSet::new();
        for delivery in claimed {
            let worker = self.clone();
            attempts.spawn(async move { worker.attempt(delivery).await });
        }
        let mut outcomes = Vec::with_capacity(count);
        while let Some(outcome) = attempts.join_next().await {
            match outcome {
                Ok(outcome) => outcomes.push(outcome),
                Err(error) => tracing::error!(error = %error, "a delivery attempt failed: {error}"),
            }
        }
        self.outbox.record(&outcomes).await?;
        Ok(count)
    }

    /// Deletes events older than the retention.
    pub async fn prune(&self) -> anyhow::Result<u64> {
        let days = i64::try_from(self.config.retention_days).unwrap_or(i64::MAX);
        let before = self.clock.now() - time::Duration::days(days);
        Ok(self.outbox.prune(before).await?)
    }

    /// Delivers and prunes until `stopped` changes.
    pub async fn run_until_stopped(self, mut stopped: watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.config.poll_milliseconds);
        let mut next_prune = tokio::time::Instant::now();
        loop {
            if tokio::time::Instant::now() >= next_prune {
                match self.prune().await {
                    Ok(0) => {}
                    Ok(pruned) => tracing::info!(pruned, "pruned {pruned} old webhook events"),
                    Err(error) => {
                        tracing::warn!(error = %error, "could not prune webhook events: {error}")
                    }
                }
                next_prune = tokio::time::Instant::now() + PRUNE_EVERY;
            }
            let busy = match self.deliver_due().await {
                Ok(count) => count >= self.config.concurrency,
                Err(error) => {
                    tracing::warn!(error = %error, "could not deliver webhook events, will retry: {error}");
                    false
                }
            };
            if busy && !*stopped.borrow() {
                continue;
            }
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                _ = stopped.changed() => break,
            }
        }
    }

    /// One attempt of one delivery.
    async fn attempt(&self, delivery: ClaimedDelivery) -> AttemptOutcome {
        let attempted_at = self.clock.now();
        let event_id = delivery.event_id.to_string();
        let answer = match self.outbox.secret(&delivery) {
            Err(problem) => client::Answer {
                status: None,
                response: problem,
                duration: Duration::ZERO,
            },
            Ok(secret) => {
                let timestamp = attempted_at.unix_timestamp();
                let mut headers = vec![
                    ("webhook-id", event_id.clone()),
                    ("webhook-timestamp", timestamp.to_string()),
                ];
                if let Some(secret) = &secret {
                    let body = delivery.body.as_bytes();
                    headers.push(("x-level-signature", sign::level_signature(secret, body)));
                    headers.push((
                        "webhook-signature",
                        sign::standard_signature(secret, &event_id, timestamp, body),
                    ));
                }
                self.sender
                    .post(&delivery.url, delivery.body.clone(), &headers)
                    .await
            }
        };
        let ok = answer
            .status
            .is_some_and(|status| (200..300).contains(&status));
        let (attempts_left, retry_at) = if ok {
            (
                delivery
                    .attempts_left
                    .unwrap_or(self.schedule.attempts)
                    .saturating_sub(1),
                None,
            )
        } else {
            self.schedule
                .after_failure(delivery.attempts_left, self.clock.now())
        };
        if !ok {
            tracing::warn!(
                event.id = %delivery.event_id,
                webhook.id = %delivery.endpoint_id,
                status = answer.status,
                retry = retry_at.is_some(),
                "webhook delivery failed: {}",
                answer.response
            );
        }
        AttemptOutcome {
            id: AttemptId::new(),
            event_id: delivery.event_id,
            endpoint_id: delivery.endpoint_id,
            organization_id: delivery.organization_id,
            attempted_at,
            status: answer.status,
            ok,
            duration_ms: u64::try_from(answer.duration.as_millis()).unwrap_or(u64::MAX),
            response: answer.response,
            retry_at,
            attempts_left,
            claim: delivery.claim,
        }
    }
}
