//! `Outbox`: the delivery worker's calls into the store, and the retry schedule. The worker
//! itself (HTTP, signatures, the loop) lives in the server; the rules of when to try again
//! live here.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use time::OffsetDateTime;

use crate::DomainError;
use crate::crypto::Sealer;
use crate::store::{AttemptOutcome, ClaimedDelivery, Store};

/// When events are attempted: Level's schedule by default, 3 attempts in all, about
/// 2 minutes apart plus 1 to 60 seconds of jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Attempts in all (at least 1).
    pub attempts: u32,
    /// Time between two attempts, before jitter.
    pub interval: Duration,
    /// Least jitter added to `interval`.
    pub jitter_min: Duration,
    /// Most jitter added to `interval`.
    pub jitter_max: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            attempts: 3,
            interval: Duration::from_secs(120),
            jitter_min: Duration::from_secs(1),
            jitter_max: Duration::from_secs(60),
        }
    }
}

impl Schedule {
    /// After a failed attempt with `left` attempts left before it (`None`: the first), the
    /// attempts left after it and when to try again (`None`: it has failed for good).
    pub fn after_failure(
        &self,
        left: Option<u32>,
        now: OffsetDateTime,
    ) -> (u32, Option<OffsetDateTime>) {
        let remaining = left.unwrap_or(self.attempts).saturating_sub(1);
        if remaining == 0 {
            return (0, None);
        }
        let jitter = if self.jitter_max > self.jitter_min {
            rand::thread_rng().gen_range(self.jitter_min..=self.jitter_max)
        } else {
            self.jitter_min
        };
        (remaining, Some(now + self.interval + jitter))
    }
}

/// The outbox, as the delivery worker sees it.
#[derive(Clone)]
pub struct Outbox {
    store: Arc<dyn Store>,
    sealer: Option<Sealer>,
}

impl Outbox {
    /// The service.
    pub fn new(store: Arc<dyn Store>, sealer: Option<Sealer>) -> Self {
        Self { store, sealer }
    }

    /// Claims due deliveries until `lease_until`.
    pub async fn claim(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<ClaimedDelivery>, DomainError> {
        Ok(self.store.claim_deliveries(now, lease_until, limit).await?)
    }

    /// The endpoint's secret for a claimed delivery: `Ok(None)` without one, an error if it
    /// cannot be opened (damaged, or sealed under another master key).
    pub fn secret(&self, delivery: &ClaimedDelivery) -> Result<Option<String>, String> {
        if delivery.sealed_secret.is_empty() {
            return Ok(None);
        }
        let sealer = self
            .sealer
            .as_ref()
            .ok_or("the webhook's secret cannot be opened: this server keeps no master key")?;
        sealer
            .open(
                &delivery.sealed_secret,
                delivery.endpoint_id.to_string().as_bytes(),
            )
            .map(Some)
            .map_err(|_| "the webhook's secret cannot be opened under this master key".to_owned())
    }

    /// Records attempts and moves their deliveries on.
    pub async fn record(&self, outcomes: &[AttemptOutcome]) -> Result<(), DomainError> {
        Ok(self.store.record_attempts(outcomes).await?)
    }

    /// Deletes what occurred before `before`; returns how many events.
    pub async fn prune(&self, before: OffsetDateTime) -> Result<u64, DomainError> {
        Ok(self.store.prune_events(before).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_schedule_makes_three_attempts_about_two_minutes_apart() {
        let schedule = Schedule::default();
        let now = time::macros::datetime!(2026-01-01 00:00 UTC);
        let (left, at) = schedule.after_failure(None, now);
        assert_eq!(left, 2);
        let wait = at.unwrap() - now;
        assert!(wait >= time::Duration::seconds(121) && wait <= time::Duration::seconds(180));
        let (left, at) = schedule.after_failure(Some(left), now);
        assert_eq!((left, at.is_some()), (1, true));
        assert_eq!(schedule.after_failure(Some(left), now), (0, None));
    }
}
