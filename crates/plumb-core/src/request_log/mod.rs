//! The request log of API keys ([`RequestLog`]): every authenticated `/v2` request is noted in
//! memory on the request path and written behind in batches by [`RequestLog::flush`] (every
//! second, and once more at a clean shutdown), so a request never waits for a database write.
//! A failed write puts the batch back. Old entries are deleted by [`RequestLog::prune`] after
//! the retention.
//!
//! Memory is bounded: at most [`BUFFER_MAX`] requests wait for a write (about 300 bytes
//! each); beyond that, while the database is unreachable, the newest are dropped and counted,
//! and the count is logged at the next successful write.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use time::{Duration, OffsetDateTime};

use crate::DomainError;
use crate::id::{ApiKeyId, ApiKeyRequestId, OrganizationId};
use crate::store::{KeyRequest, RequestQuery, Store, StoreResult};

/// Requests held in memory at most while they wait for a write.
pub const BUFFER_MAX: usize = 200_000;
/// Rows written by one statement.
const ROWS_PER_STATEMENT: usize = 500;
/// Entries of a page when none is asked for.
pub const PAGE_DEFAULT: u32 = 50;
/// Most entries of a page.
pub const PAGE_MAX: u32 = 200;

/// A page of a key's log, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPage {
    /// Up to the asked number of requests, newest first.
    pub entries: Vec<KeyRequest>,
    /// Whether older requests exist.
    pub has_more: bool,
}

/// The request log; see the module docs.
pub struct RequestLog {
    store: Arc<dyn Store>,
    pending: Mutex<Vec<KeyRequest>>,
    dropped: AtomicU64,
    retention: Duration,
}

impl RequestLog {
    /// A log keeping requests for `retention`.
    pub fn new(store: Arc<dyn Store>, retention: Duration) -> Self {
        Self {
            store,
            pending: Mutex::new(Vec::new()),
            dropped: AtomicU64::new(0),
            retention,
        }
    }

    /// How long requests are kept.
    pub fn retention(&self) -> Duration {
        self.retention
    }

    /// Notes one request for the write-behind.
    pub fn record(&self, request: KeyRequest) {
        let mut pending = self.lock();
        if pending.len() >= BUFFER_MAX {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        pending.push(request);
    }

    /// Requests waiting for a write.
    pub fn pending(&self) -> usize {
        self.lock().len()
    }

    /// Writes what was gathered, in one transaction. On failure the batch is put back in front
    /// of whatever arrived meanwhile; the error is returned for the log.
    pub async fn flush(&self) -> StoreResult<usize> {
        let batch = std::mem::take(&mut *self.lock());
        if batch.is_empty() {
            return Ok(0);
        }
        let written = batch.len();
        match self.store.insert_api_key_requests(&batch).await {
            Ok(()) => {
                let dropped = self.dropped.swap(0, Ordering::Relaxed);
                if dropped > 0 {
                    tracing::warn!(
                        dropped,
                        "the api key request log was full while the database was unreachable: \
                         {dropped} requests were not logged"
                    );
                }
                Ok(written)
            }
            Err(error) => {
                let mut pending = self.lock();
                let newer = std::mem::replace(&mut *pending, batch);
                let room = BUFFER_MAX.saturating_sub(pending.len());
                let kept = newer.len().min(room);
                self.dropped
                    .fetch_add((newer.len() - kept) as u64, Ordering::Relaxed);
                pending.extend(newer.into_iter().take(kept));
                Err(error)
            }
        }
    }

    /// Deletes requests older than the retention.
    pub async fn prune(&self, now: OffsetDateTime) -> StoreResult<u64> {
        self.store
            .prune_api_key_requests(now - self.retention)
            .await
    }

    /// A page of one key's requests, newest first, older than `before`, with a status in
    /// `statuses` (inclusive).
    pub async fn page(
        &self,
        organization_id: OrganizationId,
        api_key_id: ApiKeyId,
        statuses: (u16, u16),
        before: Option<ApiKeyRequestId>,
        limit: u32,
    ) -> Result<RequestPage, DomainError> {
        // The key must be the organization's (another organization's id is a missing one).
        self.store
            .api_key(organization_id, api_key_id)
            .await
            .map_err(crate::keys::not_found("api key"))?;
        let limit = limit.clamp(1, PAGE_MAX);
        let query = RequestQuery {
            status_from: statuses.0,
            status_to: statuses.1,
            before,
            limit: limit + 1,
        };
        let mut entries = self
            .store
            .list_api_key_requests(organization_id, api_key_id, &query)
            .await?;
        let has_more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        Ok(RequestPage { entries, has_more })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<KeyRequest>> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Splits a batch into the slices one statement writes.
pub fn statements_of(batch: &[KeyRequest]) -> impl Iterator<Item = &[KeyRequest]> {
    batch.chunks(ROWS_PER_STATEMENT)
}
