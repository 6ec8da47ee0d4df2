//! A read-through cache of group records for the stores, so `GET /v2/groups/{id}` is answered
//! from memory.
//!
//! Every inventory write of a store (groups and devices) clears the cache after its commit and
//! before it returns, so no read that starts after a write has returned sees the old state. A
//! read that missed and raced a write never caches what it read: writes bump a generation, and a
//! miss caches its row only if the generation did not move while it read (the same scheme as the
//! API key verifier).
//!
//! The cache is per process. SQLite is served by one `plumb serve`, so its cache is always
//! *coherent*. On PostgreSQL other nodes write too: their writes arrive through the store's
//! change feed (which calls [`GroupCache::invalidate`]), and while the feed is down the cache is
//! incoherent: it neither answers nor fills, and every read goes to the database.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::id::{GroupId, OrganizationId};
use crate::store::GroupRecord;

/// Entries kept before the cache starts over (bounds memory on very large trees).
const CAPACITY: usize = 100_000;

/// Group records by organization and id.
#[derive(Debug)]
pub struct GroupCache {
    generation: AtomicU64,
    coherent: AtomicBool,
    entries: RwLock<HashMap<(OrganizationId, GroupId), GroupRecord>>,
}

impl Default for GroupCache {
    /// A coherent, empty cache (one process serves the database).
    fn default() -> Self {
        Self {
            generation: AtomicU64::new(0),
            coherent: AtomicBool::new(true),
            entries: RwLock::default(),
        }
    }
}

impl GroupCache {
    /// An empty cache that serves nothing until [`GroupCache::set_coherent`] says a change
    /// feed covers it.
    pub fn incoherent() -> Self {
        let cache = Self::default();
        cache.coherent.store(false, Ordering::Release);
        cache
    }

    /// The cached record, if any.
    pub fn get(&self, organization_id: OrganizationId, id: GroupId) -> Option<GroupRecord> {
        if !self.coherent.load(Ordering::Acquire) {
            return None;
        }
        let entries = self
            .entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(&(organization_id, id)).cloned()
    }

    /// The generation to pass to [`GroupCache::insert`] after reading the database.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Caches a record read at `generation`, unless a write happened since.
    pub fn insert(&self, generation: u64, record: &GroupRecord) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.generation.load(Ordering::Acquire) != generation
            || !self.coherent.load(Ordering::Acquire)
        {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert((record.organization_id, record.id), record.clone());
    }

    /// Forgets everything; call after every committed inventory write (of any node).
    pub fn invalidate(&self) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// Marks the cache usable or not; either way it starts over empty, and a read that began
    /// before the switch never caches what it read.
    pub fn set_coherent(&self, coherent: bool) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
        self.coherent.store(coherent, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn record(name: &str) -> GroupRecord {
        GroupRecord {
            id: GroupId(uuid::Uuid::nil()),
            organization_id: OrganizationId(uuid::Uuid::nil()),
            parent_id: None,
            name: name.to_owned(),
            child_ids: Vec::new(),
            device_count: 0,
            descendent_device_count: 0,
            custom_fields: std::collections::BTreeMap::new(),
            created_at: datetime!(2026-01-01 00:00 UTC),
            updated_at: datetime!(2026-01-01 00:00 UTC),
        }
    }

    #[test]
    fn a_read_that_raced_a_write_is_not_cached() {
        let cache = GroupCache::default();
        let before_write = cache.generation();
        cache.invalidate();
        cache.insert(before_write, &record("stale"));
        assert_eq!(
            cache.get(
                OrganizationId(uuid::Uuid::nil()),
                GroupId(uuid::Uuid::nil())
            ),
            None
        );
    }

    #[test]
    fn an_incoherent_cache_neither_serves_nor_fills_until_it_is_coherent_again() {
        let cache = GroupCache::incoherent();
        let nil = (
            OrganizationId(uuid::Uuid::nil()),
            GroupId(uuid::Uuid::nil()),
        );
        cache.insert(cache.generation(), &record("ignored"));
        assert_eq!(cache.get(nil.0, nil.1), None);

        let before_switch = cache.generation();
        cache.set_coherent(true);
        cache.insert(before_switch, &record("raced the switch"));
        assert_eq!(cache.get(nil.0, nil.1), None);
        cache.insert(cache.generation(), &record("cached"));
        assert!(cache.get(nil.0, nil.1).is_some());
        cache.set_coherent(false);
        assert_eq!(cache.get(nil.0, nil.1), None);
    }

    #[test]
    fn a_write_clears_what_was_cached() {
        let cache = GroupCache::default();
        cache.insert(cache.generation(), &record("cached"));
        assert!(
            cache
                .get(
                    OrganizationId(uuid::Uuid::nil()),
                    GroupId(uuid::Uuid::nil())
                )
                .is_some()
        );
        cache.invalidate();
        assert_eq!(
            cache.get(
                OrganizationId(uuid::Uuid::nil()),
                GroupId(uuid::Uuid::nil())
            ),
            None
        );
    }
}
