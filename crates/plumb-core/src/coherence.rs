//! Keeping one node's caches true when several nodes share a database.
//!
//! A store that several nodes share (PostgreSQL) announces every key change to all of them; a
//! node's [`ChangeSink`] hears the announcements and also whether the feed itself works. This
//! module holds only the contract: the feed lives in the store crate, the caches here in core.
//! A single-node store (SQLite) has no feed and needs none: every change passes through the
//! one process, which updates its caches itself.

use crate::crypto::Digest;
use crate::verifier::KeyVerifier;

/// What a change feed tells a node. Called from the feed's task; must not block.
pub trait ChangeSink: Send + Sync + 'static {
    /// Keys with these digests were edited, regenerated or deleted (through any node).
    fn keys_changed(&self, digests: &[Digest]);
    /// The feed is down: announcements may be missed from now on, so caches must not serve.
    fn feed_lost(&self);
    /// The feed works (again): anything may have changed while it did not.
    fn feed_restored(&self);
}

impl ChangeSink for KeyVerifier {
    fn keys_changed(&self, digests: &[Digest]) {
        for digest in digests {
            self.forget(digest);
        }
    }

    fn feed_lost(&self) {
        self.set_coherent(false);
    }

    fn feed_restored(&self) {
        // Clears the cache as it switches back: announcements missed during the outage can
        // only have concerned entries that are now gone.
        self.set_coherent(true);
    }
}
