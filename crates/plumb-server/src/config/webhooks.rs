//! `[webhooks]`: outgoing event webhooks (the delivery worker of `crate::events`): which
//! targets are allowed, the retry schedule, the timeout and how long the delivery log is kept.

use std::time::Duration;

use plumb_core::events::outbox::Schedule;
use serde::{Deserialize, Serialize};

/// `[webhooks]` (docs/configuration.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhooksConfig {
    /// Allow private, loopback and link-local targets, and `http://`
    /// (`PLUMB_WEBHOOKS_ALLOW_PRIVATE_TARGETS` or `PLUMB_WEBHOOKS__ALLOW_PRIVATE_TARGETS`).
    pub allow_private_targets: bool,
    /// Attempts in all per event and endpoint (`PLUMB_WEBHOOKS__ATTEMPTS`).
    pub attempts: u32,
    /// Seconds between attempts, before jitter (`PLUMB_WEBHOOKS__RETRY_SECONDS`).
    pub retry_seconds: u64,
    /// Least jitter added, seconds (`PLUMB_WEBHOOKS__JITTER_MIN_SECONDS`).
    pub jitter_min_seconds: u64,
    /// Most jitter added, seconds (`PLUMB_WEBHOOKS__JITTER_MAX_SECONDS`).
    pub jitter_max_seconds: u64,
    /// Seconds an endpoint has to answer (`PLUMB_WEBHOOKS__TIMEOUT_SECONDS`).
    pub timeout_seconds: u64,
    /// Days events and their delivery log are kept (`PLUMB_WEBHOOKS__RETENTION_DAYS`).
    pub retention_days: u64,
    /// Milliseconds between two looks for due deliveries; a change on this node wakes the
    /// worker at once (`PLUMB_WEBHOOKS__POLL_MILLISECONDS`).
    pub poll_milliseconds: u64,
    /// Deliveries attempted at once per node (`PLUMB_WEBHOOKS__CONCURRENCY`).
    pub concurrency: usize,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        Self {
            allow_private_targets: false,
            attempts: 3,
            retry_seconds: 120,
            jitter_min_seconds: 1,
            jitter_max_seconds: 60,
            timeout_seconds: 10,
            retention_days: 30,
            poll_milliseconds: 1000,
            concurrency: 32,
        }
    }
}

impl WebhooksConfig {
    /// Refuses values that make no sense.
    pub fn validate(&self) -> Result<(), String> {
        let ranges = [
            ("attempts", u64::from(self.attempts), 1, 100),
            ("retry_seconds", self.retry_seconds, 0, 86_400),
            ("jitter_max_seconds", self.jitter_max_seconds, 0, 3600),
            ("timeout_seconds", self.timeout_seconds, 1, 300),
            ("retention_days", self.retention_days, 1, 3650),
            ("poll_milliseconds", self.poll_milliseconds, 10, 60_000),
            ("concurrency", self.concurrency as u64, 1, 1024),
        ];
        for (key, value, low, high) in ranges {
            if !(low..=high).contains(&value) {
                return Err(format!(
                    "webhooks.{key} must be between {low} and {high} (PLUMB_WEBHOOKS__{})",
                    key.to_uppercase()
                ));
            }
        }
        if self.jitter_min_seconds > self.jitter_max_seconds {
            return Err(
                "webhooks.jitter_min_seconds must not exceed webhooks.jitter_max_seconds"
                    .to_owned(),
            );
        }
        Ok(())
    }

    /// The retry schedule.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            attempts: self.attempts,
            interval: Duration::from_secs(self.retry_seconds),
            jitter_min: Duration::from_secs(self.jitter_min_seconds),
            jitter_max: Duration::from_secs(self.jitter_max_seconds),
        }
    }
}
