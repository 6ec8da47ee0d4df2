//! API key verification: an in-memory map from digest to [`Principal`], filled from the store on
//! a miss and changed by every key operation *before* that operation's response is sent.
//!
//! Invariant: once [`KeyVerifier::forget`] or [`KeyVerifier::remember`] has returned, no later
//! verification sees the old state. A miss that raced with a change never caches what it read:
//! every change bumps an epoch under the write lock, and a miss only caches its row if the epoch
//! did not move while it read the store (otherwise it reads again).
//!
//! Usage (last used, origin, outcome counts) is gathered here per request and written behind in
//! batches by [`KeyVerifier::flush_usage`]: no database write per request.
//!
//! Both maps are bounded. The cache holds at most [`CACHE_CAPACITY`] keys (only keys that exist:
//! a miss caches nothing); a full cache drops an arbitrary tenth, which costs those keys one
//! store read each on their next use. The usage batch holds one entry per key used since the
//! last successful write, so it is bounded by the keys that exist (and is emptied every second).
//!
//! With several nodes on one database, changes made through another node arrive through a
//! change feed (see [`crate::coherence`]), which calls [`KeyVerifier::forget`]. While a node
//! has no working feed the verifier is *incoherent*: it neither answers from nor fills its
//! cache, so every verification asks the store, until the feed is back and the cache has been
//! cleared (notifications may have been missed meanwhile).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use time::OffsetDateTime;

use crate::Access;
use crate::api_key::{self, MalformedKey};
use crate::crypto::{Digest, KeyHasher};
use crate::id::{ApiKeyId, OrganizationId};
use crate::key_rules::VerifiedKey;
use crate::store::{ApiKeyRecord, KeyUsageDelta, Store, StoreResult};

/// Who a verified key speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    /// The key.
    pub key_id: ApiKeyId,
    /// Its organization: every `/v2` lookup is scoped to it.
    pub organization_id: OrganizationId,
    /// What it may do.
    pub access: Access,
}

impl From<&ApiKeyRecord> for Principal {
    fn from(record: &ApiKeyRecord) -> Self {
        Self {
            key_id: record.id,
            organization_id: record.organization_id,
            access: record.access,
        }
    }
}

/// The outcome of checking a presented value against the cache alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheLookup {
    /// Not a well-formed key: refuse without any lookup.
    Malformed(MalformedKey),
    /// Known key (live or not: see [`VerifiedKey::is_live`]), shared with the cache: a hit
    /// copies one reference count, not the key's address list and label.
    Hit(Arc<VerifiedKey>),
    /// Well formed but not cached: ask the store.
    Miss(Digest),
}

/// How an authenticated request ended, for the per-key counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered below 400.
    Success,
    /// Answered 400 or above.
    Failure,
}

/// Verifies presented keys; see the module docs.
pub struct KeyVerifier {
    hasher: KeyHasher,
    store: Arc<dyn Store>,
    cache: RwLock<HashMap<Digest, Arc<VerifiedKey>>>,
    epoch: AtomicU64,
    /// Whether the cache may be used: always for one node alone; with several nodes only
    /// while the change feed works.
    coherent: AtomicBool,
    usage: Mutex<HashMap<ApiKeyId, KeyUsageDelta>>,
}

/// Keys cached at most (about 150 bytes each, plus a key's address list).
pub const CACHE_CAPACITY: usize = 100_000;

/// Reads of the store a racing miss makes before it gives up caching.
const MISS_ATTEMPTS: usize = 3;

impl KeyVerifier {
    /// A verifier with an empty cache.
    pub fn new(hasher: KeyHasher, store: Arc<dyn Store>) -> Self {
        Self {
            hasher,
            store,
            cache: RwLock::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            coherent: AtomicBool::new(true),
            usage: Mutex::new(HashMap::new()),
        }
    }

    /// The digest the store keeps for a key value.
    pub fn digest(&self, value: &str) -> Digest {
        self.hasher.digest(value)
    }

    /// Checks format and cache only; never touches the store.
    pub fn lookup_cached(&self, presented: &str) -> CacheLookup {
        if let Err(error) = api_key::check_format(presented) {
            return CacheLookup::Malformed(error);
        }
        let digest = self.hasher.digest(presented);
        if !self.is_coherent() {
            return CacheLookup::Miss(digest);
        }
        match self.read_cache().get(&digest) {
            Some(key) => CacheLookup::Hit(Arc::clone(key)),
            None => CacheLookup::Miss(digest),
        }
    }

    /// Verifies a presented value at `now`: `Ok(None)` means access denied (unknown, deleted,
    /// disabled or expired). The address list and rate limit are the gate's to check.
    pub async fn verify(
        &self,
        presented: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Principal>> {
        let found = match self.lookup_cached(presented) {
            CacheLookup::Malformed(_) => None,
            CacheLookup::Hit(key) => Some(key),
            CacheLookup::Miss(digest) => self.load(digest).await?,
        };
        Ok(found
            .filter(|key| key.is_live(now))
            .map(|key| key.principal))
    }

    /// Reads a key the cache does not hold from the store (and caches it when no change raced
    /// the read): `None` for a digest no live key has.
    pub async fn load(&self, digest: Digest) -> StoreResult<Option<Arc<VerifiedKey>>> {
        let mut found = None;
        for _ in 0..MISS_ATTEMPTS {
            let epoch = self.epoch.load(Ordering::Acquire);
            found = self
                .store
                .api_key_by_digest(&digest)
                .await?
                .map(|record| Arc::new(VerifiedKey::of(&record, &digest)));
            let mut cache = self.write_cache();
            if self.epoch.load(Ordering::Acquire) == epoch {
                // An incoherent verifier answers from what it just read, never from memory.
                if let Some(key) = found.as_ref().filter(|_| self.is_coherent()) {
                    make_room(&mut cache, CACHE_CAPACITY);
                    cache.insert(digest, Arc::clone(key));
                }
                return Ok(found);
            }
        }
        // Keys kept changing while we read: answer from the latest read without caching it.
        Ok(found)
    }

    /// Caches a key's current state (after create, edit or regenerate), under its value and
    /// the previous value of a grace period.
    pub fn remember(&self, record: &ApiKeyRecord) {
        let mut cache = self.write_cache();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let digests =
            std::iter::once(record.digest).chain(record.previous.map(|previous| previous.digest));
        for digest in digests {
            if self.is_coherent() {
                make_room(&mut cache, CACHE_CAPACITY);
                cache.insert(digest, Arc::new(VerifiedKey::of(record, &digest)));
            } else {
                // Another node's change could not reach this entry: keep none.
                cache.remove(&digest);
            }
        }
    }

    /// Drops a digest (after delete or regenerate): the next request with it is refused unless
    /// the store still has it.
    pub fn forget(&self, digest: &Digest) {
        let mut cache = self.write_cache();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        cache.remove(digest);
    }

    /// Drops every cached key, so each is read from the store again on its next use.
    pub fn forget_all(&self) {
        let mut cache = self.write_cache();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        cache.clear();
    }

    /// Whether verifications may be answered from memory (see the module docs).
    pub fn is_coherent(&self) -> bool {
        self.coherent.load(Ordering::Acquire)
    }

    /// Marks the cache usable or not. Either way the cache is emptied and the epoch bumped
    /// under the write lock: a miss that read the store before the switch never caches what
    /// it read, and on the way back nothing cached before the outage survives it.
    pub fn set_coherent(&self, coherent: bool) {
        let mut cache = self.write_cache();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        cache.clear();
        self.coherent.store(coherent, Ordering::Release);
    }

    /// Notes one authenticated request for the write-behind.
    pub fn record_use(
        &self,
        key_id: ApiKeyId,
        at: OffsetDateTime,
        origin: (Option<&str>, Option<&str>),
        outcome: Outcome,
    ) {
        let (ip, user_agent) = origin;
        let mut usage = self
            .usage
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let delta = usage.entry(key_id).or_insert_with(|| KeyUsageDelta {
            id: key_id,
            last_used_at: at,
            last_ip: None,
            last_user_agent: None,
            successes: 0,
            failures: 0,
        });
        if at >= delta.last_used_at || delta.last_ip.is_none() {
            delta.last_used_at = at;
            if delta.last_ip.as_deref() != ip {
                delta.last_ip = ip.map(str::to_owned);
            }
            if delta.last_user_agent.as_deref() != user_agent {
                delta.last_user_agent = user_agent.map(str::to_owned);
            }
        }
        match outcome {
            Outcome::Success => delta.successes += 1,
            Outcome::Failure => delta.failures += 1,
        }
    }

    /// Writes the gathered usage to the store. On failure the usage is put back, merged with
    /// whatever arrived meanwhile, so nothing is lost; the error is returned for the log.
    pub async fn flush_usage(&self) -> StoreResult<usize> {
        let batch: Vec<KeyUsageDelta> = {
            let mut usage = self
                .usage
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            std::mem::take(&mut *usage).into_values().collect()
        };
        if batch.is_empty() {
            return Ok(0);
        }
        match self.store.record_api_key_usage(&batch).await {
            Ok(()) => Ok(batch.len()),
            Err(error) => {
                let mut usage = self
                    .usage
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                for old in batch {
                    merge_back(&mut usage, old);
                }
                Err(error)
            }
        }
    }

    fn read_cache(&self) -> std::sync::RwLockReadGuard<'_, HashMap<Digest, Arc<VerifiedKey>>> {
        self.cache
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_cache(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<Digest, Arc<VerifiedKey>>> {
        self.cache
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Drops an arbitrary tenth of a full map (dropping a cached key only costs a store read).
fn make_room<K, V>(map: &mut HashMap<K, V>, capacity: usize) {
    if map.len() < capacity {
        return;
    }
    let mut dropped = 0;
    let tenth = (capacity / 10).max(1);
    map.retain(|_, _| {
        dropped += 1;
        dropped > tenth
    });
}

fn merge_back(usage: &mut HashMap<ApiKeyId, KeyUsageDelta>, old: KeyUsageDelta) {
    match usage.get_mut(&old.id) {
        None => {
            usage.insert(old.id, old);
        }
        Some(newer) => {
            newer.successes += old.successes;
            newer.failures += old.failures;
            if old.last_used_at > newer.last_used_at {
                newer.last_used_at = old.last_used_at;
                newer.last_ip = old.last_ip;
                newer.last_user_agent = old.last_user_agent;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_cache_drops_a_tenth_before_it_takes_another_key() {
        let mut map: HashMap<u32, ()> = (0..1_000).map(|n| (n, ())).collect();
        make_room(&mut map, 1_000);
        assert_eq!(map.len(), 900);
        make_room(&mut map, 1_000);
        assert_eq!(map.len(), 900, "a map under capacity is left alone");
    }
}
