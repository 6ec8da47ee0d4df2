//! Sign-in throttling: repeated failures per account and per client address earn a pause.
//!
//! The counters live in memory, per node (documented in docs/configuration.md): a restart clears
//! them, and with several nodes each node counts its own share.

use std::collections::HashMap;
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// Limits for one kind of key (account or address).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Failures allowed within the window.
    pub failures: u32,
    /// The window, counted from the first failure.
    pub window: Duration,
}

/// Failure counters keyed by account email and by client address.
#[derive(Debug)]
pub struct Throttle {
    per_account: Limit,
    per_address: Limit,
    entries: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: OffsetDateTime,
    failures: u32,
    limit: Limit,
}

/// Entries kept before expired ones are swept.
const SWEEP_AT: usize = 10_000;

impl Throttle {
    /// A throttle with the given limits.
    pub fn new(per_account: Limit, per_address: Limit) -> Self {
        Self {
            per_account,
            per_address,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Five failures per account and twenty per address within fifteen minutes.
    pub fn standard() -> Self {
        let window = Duration::minutes(15);
        Self::new(
            Limit {
                failures: 5,
                window,
            },
            Limit {
                failures: 20,
                window,
            },
        )
    }

    /// Seconds to wait before another attempt for this account or address, if any.
    pub fn retry_after(&self, email: &str, ip: Option<&str>, now: OffsetDateTime) -> Option<u64> {
        let entries = self.lock();
        [Some(account_key(email)), ip.map(address_key)]
            .into_iter()
            .flatten()
            .filter_map(|key| entries.get(&key).and_then(|window| window.blocked_for(now)))
            .max()
    }

    /// Counts a failed attempt.
    pub fn fail(&self, email: &str, ip: Option<&str>, now: OffsetDateTime) {
        let mut entries = self.lock();
        if entries.len() >= SWEEP_AT {
            entries.retain(|_, window| now < window.started + window.limit.window);
        }
        let keys = [
            (Some(account_key(email)), self.per_account),
            (ip.map(address_key), self.per_address),
        ];
        for (key, limit) in keys {
            let Some(key) = key else { continue };
            let window = entries.entry(key).or_insert(Window {
                started: now,
                failures: 0,
                limit,
            });
            if now >= window.started + window.limit.window {
                *window = Window {
                    started: now,
                    failures: 0,
                    limit,
                };
            }
            window.failures += 1;
        }
    }

    /// Clears the account's counter after a successful sign-in (the address keeps its count).
    pub fn succeed(&self, email: &str) {
        self.lock().remove(&account_key(email));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Window>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Window {
    fn blocked_for(&self, now: OffsetDateTime) -> Option<u64> {
        let ends = self.started + self.limit.window;
        if self.failures < self.limit.failures || now >= ends {
            return None;
        }
        Some(((ends - now).whole_seconds().max(1)) as u64)
    }
}

fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

fn address_key(ip: &str) -> String {
    format!("address:{ip}")
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

    #[test]
    fn an_account_is_paused_after_five_failures_until_the_window_ends() {
        let throttle = Throttle::standard();
        for _ in 0..4 {
            throttle.fail("ada@example.com", Some("10.0.0.1"), NOW);
        }
        assert_eq!(throttle.retry_after("ada@example.com", None, NOW), None);
        throttle.fail("ADA@example.com", Some("10.0.0.1"), NOW);
        assert_eq!(
            throttle.retry_after("ada@example.com", None, NOW),
            Some(900)
        );
        let later = NOW + Duration::minutes(15);
        assert_eq!(throttle.retry_after("ada@example.com", None, later), None);
    }

    #[test]
    fn an_address_is_paused_after_twenty_failures_across_accounts() {
        let throttle = Throttle::standard();
        for n in 0..20 {
            throttle.fail(&format!("user{n}@example.com"), Some("10.0.0.9"), NOW);
        }
        assert!(
            throttle
                .retry_after("fresh@example.com", Some("10.0.0.9"), NOW)
                .is_some()
        );
        assert!(
            throttle
                .retry_after("fresh@example.com", Some("10.0.0.8"), NOW)
                .is_none()
        );
    }

    #[test]
    fn success_clears_the_account_counter() {
        let throttle = Throttle::standard();
        for _ in 0..4 {
            throttle.fail("ada@example.com", None, NOW);
        }
        throttle.succeed("ada@example.com");
        throttle.fail("ada@example.com", None, NOW);
        assert_eq!(throttle.retry_after("ada@example.com", None, NOW), None);
    }
}
