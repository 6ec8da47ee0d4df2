//! A read-through cache of group records, so `GET /v2/groups/{id}` is answered from memory.
//!
//! Every inventory write of this store (groups and devices) clears the cache after its commit and
//! before it returns, so no read that starts after a write has returned sees the old state. A
//! read that missed and raced a write never caches what it read: writes bump a generation, and a
//! miss caches its row only if the generation did not move while it read (the same scheme as the
//! API key verifier). The cache is per process: a SQLite database is served by one `plumb serve`
//! (the offline commands `init`, `org create` and `migrate` never touch the inventory).

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use plumb_core::id::{GroupId, OrganizationId};
use plumb_core::store::GroupRecord;

/// Entries kept before the cache starts over (bounds memory on very large trees).
const CAPACITY: usize = 100_000;

/// Group records by organization and id.
#[derive(Debug, Default)]
pub(crate) struct GroupCache {
    generation: AtomicU64,
    entries: RwLock<HashMap<(OrganizationId, GroupId), GroupRecord>>,
}

impl GroupCache {
    /// The cached record, if any.
    pub(crate) fn get(&self, organization_id: OrganizationId, id: GroupId) -> Option<GroupRecord> {
        let entries = self
            .entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(&(organization_id, id)).cloned()
    }

    /// The generation to pass to [`GroupCache::insert`] after reading the database.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Caches a record read at `generation`, unless a write happened since.
    pub(crate) fn insert(&self, generation: u64, record: &GroupRecord) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert((record.organization_id, record.id), record.clone());
    }

    /// Forgets everything; call after every committed inventory write.
    pub(crate) fn invalidate(&self) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
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
