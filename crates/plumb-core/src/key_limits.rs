//! In-memory limits on `/v2` traffic, per node and without any database write:
//!
//! - [`RateLimiter`]: each key's requests per minute, counted in fixed windows of one clock
//!   minute (a client may spend a whole window's allowance at the end of one minute and again
//!   at the start of the next). Bounded by the keys that exist: one small entry per key used
//!   this minute or the last; entries of older minutes are swept when the map reaches
//!   [`RATE_CAPACITY`].
//! - [`BadKeyGuard`]: a brute-force guard on well-formed keys that are not known. After
//!   [`BAD_KEYS_PER_MINUTE`] of them from one address (IPv6: its /64) within a minute, that
//!   address's unknown keys are answered 429 without a database lookup until the minute is
//!   over. Keys the node already knows are checked from memory as always, so valid keys are
//!   never slowed. Bounded like the sign-in throttle ([`crate::throttle::CAPACITY`]).
//!
//! With several nodes each counts its own traffic: a key limited to N requests per minute may
//! make up to N on each node (docs/api.md).

use std::collections::HashMap;
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

use crate::id::ApiKeyId;
use crate::throttle::{self, Limit, Throttle};

/// Rate windows kept before old ones are swept (about 40 bytes each).
pub const RATE_CAPACITY: usize = 100_000;
/// Unknown well-formed keys one address may present per minute before it is paused.
pub const BAD_KEYS_PER_MINUTE: u32 = 30;

/// What the rate limiter decided about one request, with the figures of the `RateLimit-*`
/// headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Requests allowed per window.
    pub limit: u32,
    /// Requests left in this window after this one.
    pub remaining: u32,
    /// Seconds until the window resets (1 to 60).
    pub reset_seconds: u32,
}

/// Per-key request counters; see the module docs.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<ApiKeyId, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    minute: i64,
    used: u32,
}

impl RateLimiter {
    /// Counts a request of `key` limited to `limit` per minute, if it is allowed.
    pub fn check(&self, key: ApiKeyId, limit: u32, now: OffsetDateTime) -> RateDecision {
        let seconds = now.unix_timestamp();
        let minute = seconds.div_euclid(60);
        let reset_seconds = (60 - seconds.rem_euclid(60)) as u32;
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() >= RATE_CAPACITY && !windows.contains_key(&key) {
            windows.retain(|_, window| window.minute >= minute);
        }
        let window = windows.entry(key).or_insert(Window { minute, used: 0 });
        if window.minute != minute {
            *window = Window { minute, used: 0 };
        }
        let allowed = window.used < limit;
        if allowed {
            window.used += 1;
        }
        RateDecision {
            allowed,
            limit,
            remaining: limit.saturating_sub(window.used),
            reset_seconds,
        }
    }

    /// Windows held right now.
    pub fn len(&self) -> usize {
        self.windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }

    /// Whether no window is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The brute-force guard; see the module docs.
#[derive(Debug)]
pub struct BadKeyGuard {
    throttle: Throttle,
}

impl Default for BadKeyGuard {
    fn default() -> Self {
        let limit = Limit {
            failures: BAD_KEYS_PER_MINUTE,
            window: Duration::minutes(1),
        };
        Self {
            throttle: Throttle::new(limit, limit, throttle::CAPACITY),
        }
    }
}

impl BadKeyGuard {
    /// Seconds this address must wait before an unknown key is looked up again, if paused.
    pub fn retry_after(&self, ip: Option<&str>, now: OffsetDateTime) -> Option<u64> {
        self.throttle.retry_after("", ip, now)
    }

    /// Counts an unknown key presented from this address.
    pub fn fail(&self, ip: Option<&str>, now: OffsetDateTime) {
        self.throttle.fail("", ip, now);
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn a_key_gets_its_limit_per_minute_and_a_fresh_allowance_the_next_minute() {
        let limiter = RateLimiter::default();
        let key = ApiKeyId::new();
        let at = datetime!(2026-12-07 10:00:45 UTC);
        let first = limiter.check(key, 2, at);
        let second = limiter.check(key, 2, at);
        let third = limiter.check(key, 2, at);
        let next_minute = limiter.check(key, 2, at + Duration::seconds(15));

        assert_eq!(
            (first.allowed, first.remaining, first.reset_seconds),
            (true, 1, 15)
        );
        assert_eq!((second.allowed, second.remaining), (true, 0));
        assert_eq!((third.allowed, third.remaining), (false, 0));
        assert_eq!((next_minute.allowed, next_minute.remaining), (true, 1));
        assert_eq!(next_minute.reset_seconds, 60);
    }

    #[test]
    fn one_address_presenting_many_unknown_keys_is_paused_and_another_is_not() {
        let guard = BadKeyGuard::default();
        let at = datetime!(2026-12-07 10:00:00 UTC);
        for _ in 0..BAD_KEYS_PER_MINUTE {
            assert_eq!(guard.retry_after(Some("203.0.113.9"), at), None);
            guard.fail(Some("203.0.113.9"), at);
        }
        assert!(guard.retry_after(Some("203.0.113.9"), at).is_some());
        assert_eq!(guard.retry_after(Some("198.51.100.1"), at), None);
        let later = at + Duration::minutes(1);
        assert_eq!(guard.retry_after(Some("203.0.113.9"), later), None);
    }
}
