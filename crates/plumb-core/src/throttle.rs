//! Sign-in throttling that an attacker cannot turn against an account's owner.
//!
//! Failures are counted per client address and per address *and* account, never per account
//! alone: five wrong passwords for one account from one address pause that address for that
//! account, twenty failures from one address pause the address for every account, and the
//! owner signing in from any other address is never slowed down. IPv6 addresses count by their
//! /64 network (what one subscriber usually holds), so rotating addresses inside it does not
//! earn new attempts. A success clears the counter of its address and account.
//!
//! Memory is bounded: at most [`CAPACITY`] windows are kept, each a fixed size (emails are
//! kept as SHA-256 digests, so a long email costs nothing extra); expired windows are swept
//! when the table is full, and if it is still full the oldest tenth goes. SECURITY.md gives the
//! whole model. The counters live in memory, per node: a restart clears them.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

use crate::crypto;

/// Windows kept at most (about 100 bytes each).
pub const CAPACITY: usize = 100_000;

/// Limits for one kind of counter.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Failures allowed within the window.
    pub failures: u32,
    /// The window, counted from the first failure.
    pub window: Duration,
}

/// Failure counters by address and by address and account.
#[derive(Debug)]
pub struct Throttle {
    per_pair: Limit,
    per_address: Limit,
    capacity: usize,
    entries: Mutex<HashMap<Key, Window>>,
}

/// What a counter counts. Addresses are bucketed ([`bucket`]); accounts are digests of the
/// normalised email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Address(Option<IpAddr>),
    Pair(Option<IpAddr>, [u8; 32]),
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: OffsetDateTime,
    failures: u32,
    limit: Limit,
}

impl Throttle {
    /// A throttle with the given limits and capacity.
    pub fn new(per_pair: Limit, per_address: Limit, capacity: usize) -> Self {
        Self {
            per_pair,
            per_address,
            capacity: capacity.max(10),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Five failures per address and account and twenty per address within fifteen minutes.
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
            CAPACITY,
        )
    }

    /// Seconds this address must wait before trying this account again, if any.
    pub fn retry_after(&self, email: &str, ip: Option<&str>, now: OffsetDateTime) -> Option<u64> {
        let address = bucket(ip);
        let entries = self.lock();
        [Key::Address(address), Key::Pair(address, account(email))]
            .iter()
            .filter_map(|key| entries.get(key).and_then(|window| window.blocked_for(now)))
            .max()
    }

    /// Counts a failed attempt of this address on this account.
    pub fn fail(&self, email: &str, ip: Option<&str>, now: OffsetDateTime) {
        let address = bucket(ip);
        let mut entries = self.lock();
        if entries.len() + 2 > self.capacity {
            self.make_room(&mut entries, now);
        }
        let keys = [
            (Key::Address(address), self.per_address),
            (Key::Pair(address, account(email)), self.per_pair),
        ];
        for (key, limit) in keys {
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

    /// Clears the counter of this address for this account after a successful sign-in (the
    /// address keeps its own count: a success does not buy guesses at other accounts).
    pub fn succeed(&self, email: &str, ip: Option<&str>) {
        self.lock().remove(&Key::Pair(bucket(ip), account(email)));
    }

    /// Windows held right now (for tests and the bound in docs/performance.md).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no window is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops expired windows; if that is not enough, the oldest tenth of the table.
    fn make_room(&self, entries: &mut HashMap<Key, Window>, now: OffsetDateTime) {
        entries.retain(|_, window| now < window.started + window.limit.window);
        if entries.len() + 2 <= self.capacity {
            return;
        }
        let mut starts: Vec<OffsetDateTime> = entries.values().map(|w| w.started).collect();
        let tenth = (self.capacity / 10).max(2);
        let nth = tenth.min(starts.len() - 1);
        let (_, cutoff, _) = starts.select_nth_unstable(nth);
        let cutoff = *cutoff;
        entries.retain(|_, window| window.started > cutoff);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Window>> {
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

/// The digest of a normalised email.
fn account(email: &str) -> [u8; 32] {
    crypto::sha256(&email.trim().to_lowercase()).0
}

/// The bucket an address counts in: an IPv4 address alone, an IPv6 address by its /64 (an
/// IPv4-mapped one as IPv4); an address that does not parse (or none, in tests) in one bucket.
fn bucket(ip: Option<&str>) -> Option<IpAddr> {
    let address: IpAddr = ip?.parse().ok()?;
    Some(match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        },
        v4 => v4,
    })
}

#[cfg(test)]
mod tests;
