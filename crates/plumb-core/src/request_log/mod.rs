//! The request log of API keys ([`RequestLog`]): every authenticated `/v2` request is noted in
//! memory on the request path and written behind in batches by [`RequestLog::flush`] (every
//! second, and once more at a clean shutdown), so a request never waits for a database write.
//! A failed write puts the batch back. Old entries are deleted by [`RequestLog::prune`] after
//! the retention.
//!
//! A write stores one row per key ([`RequestBatch`], encoded by [`codec`]), not one per
//! request: a row per request cost more server CPU than serving the request. An entry's id is
//! its batch's id and its place in the batch ([`EntryId`]).
//!
//! Memory is bounded: at most [`BUFFER_MAX`] requests wait for a write (about 300 bytes
//! each); beyond that, while the database is unreachable, the newest are dropped and counted,
//! and the count is logged at the next successful write.

pub mod codec;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use time::{Duration, OffsetDateTime};

use crate::DomainError;
use crate::id::{ApiKeyId, ApiKeyRequestId, OrganizationId};
use crate::store::{BatchQuery, KeyRequest, RequestBatch, Store, StoreResult};

/// Requests held in memory at most while they wait for a write.
pub const BUFFER_MAX: usize = 200_000;
/// Rows (batches) written by one statement.
const ROWS_PER_STATEMENT: usize = 100;
/// Batches read per statement while filling a page.
const BATCHES_PER_READ: u32 = 16;
/// Entries of a page when none is asked for.
pub const PAGE_DEFAULT: u32 = 50;
/// Most entries of a page.
pub const PAGE_MAX: u32 = 200;

/// An entry of a key's log: its batch and its place in it. Ordered as the log is: by batch
/// (time of the write), then by arrival. Spelled `{batch}.{index}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId {
    /// The batch.
    pub batch: ApiKeyRequestId,
    /// Its place in the batch, oldest first from 0.
    pub index: u32,
}

impl EntryId {
    /// Parses `{batch}.{index}`.
    pub fn parse(text: &str) -> Option<Self> {
        let (batch, index) = text.split_once('.')?;
        let index = index.parse().ok().filter(|_| !index.starts_with('+'))?;
        Some(Self {
            batch: ApiKeyRequestId::parse(batch)?,
            index,
        })
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.batch, self.index)
    }
}

/// One entry of a key's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its id.
    pub id: EntryId,
    /// The request.
    pub request: KeyRequest,
}

/// A page of a key's log, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPage {
    /// Up to the asked number of requests, newest first.
    pub entries: Vec<Entry>,
    /// Whether older requests exist.
    pub has_more: bool,
}

/// The request log; see the module docs.
pub struct RequestLog {
    store: Arc<dyn Store>,
    pending: Mutex<Vec<KeyRequest>>,
    /// The buffer of the last write, emptied: the next second's requests go into its memory,
    /// so the request path never touches freshly mapped pages.
    spare: Mutex<Vec<KeyRequest>>,
    dropped: AtomicU64,
    retention: Duration,
}

impl RequestLog {
    /// A log keeping requests for `retention`.
    pub fn new(store: Arc<dyn Store>, retention: Duration) -> Self {
        Self {
            store,
            pending: Mutex::new(Vec::new()),
            spare: Mutex::new(Vec::new()),
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

    /// Writes what was gathered, one batch per key, in one transaction. On failure the
    /// requests are put back in front of whatever arrived meanwhile; the error is returned for
    /// the log.
    pub async fn flush(&self) -> StoreResult<usize> {
        let mut next = std::mem::take(&mut *self.spare());
        let pending = {
            let mut waiting = self.lock();
            // The next second's requests likely number about as many: room for them up front
            // spares the request path the copies of a growing vector.
            next.reserve(waiting.len().min(BUFFER_MAX));
            std::mem::replace(&mut *waiting, next)
        };
        if pending.is_empty() {
            self.keep_spare(pending);
            return Ok(0);
        }
        let written = pending.len();
        match self.store.insert_api_key_requests(&batches(&pending)).await {
            Ok(()) => {
                self.keep_spare(pending);
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
                let mut waiting = self.lock();
                let newer = std::mem::replace(&mut *waiting, pending);
                let room = BUFFER_MAX.saturating_sub(waiting.len());
                let kept = newer.len().min(room);
                self.dropped
                    .fetch_add((newer.len() - kept) as u64, Ordering::Relaxed);
                waiting.extend(newer.into_iter().take(kept));
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
        before: Option<EntryId>,
        limit: u32,
    ) -> Result<RequestPage, DomainError> {
        // The key must be the organization's (another organization's id is a missing one).
        self.store
            .api_key(organization_id, api_key_id)
            .await
            .map_err(crate::keys::not_found("api key"))?;
        let limit = limit.clamp(1, PAGE_MAX) as usize;
        let mut query = BatchQuery {
            statuses: codec::status_bits(statuses.0, statuses.1),
            through: before.map(|entry| entry.batch),
            limit: BATCHES_PER_READ,
        };
        let mut entries = Vec::new();
        loop {
            let batches = self
                .store
                .list_api_key_requests(organization_id, api_key_id, &query)
                .await?;
            for batch in &batches {
                let requests = codec::decode(batch)?;
                for (index, request) in requests.into_iter().enumerate().rev() {
                    let id = EntryId {
                        batch: batch.id,
                        index: index as u32,
                    };
                    let wanted = (statuses.0..=statuses.1).contains(&request.status)
                        && before.is_none_or(|before| id < before);
                    if wanted {
                        entries.push(Entry { id, request });
                    }
                }
                // One entry more than asked proves that there is more.
                if entries.len() > limit {
                    entries.truncate(limit);
                    return Ok(RequestPage {
                        entries,
                        has_more: true,
                    });
                }
            }
            match batches.last() {
                Some(last) if batches.len() == BATCHES_PER_READ as usize => {
                    // The id just before the last batch's: the next read starts below it.
                    let Some(below) = last.id.0.as_u128().checked_sub(1) else {
                        break;
                    };
                    query.through = Some(ApiKeyRequestId(uuid::Uuid::from_u128(below)));
                }
                _ => break,
            }
        }
        Ok(RequestPage {
            entries,
            has_more: false,
        })
    }

    fn spare(&self) -> std::sync::MutexGuard<'_, Vec<KeyRequest>> {
        self.spare
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps a written buffer's memory for the next second (never more than a full buffer's).
    fn keep_spare(&self, mut written: Vec<KeyRequest>) {
        if written.capacity() <= BUFFER_MAX {
            written.clear();
            *self.spare() = written;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<KeyRequest>> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One batch per key of what was gathered, each key's requests in arrival order.
fn batches(pending: &[KeyRequest]) -> Vec<RequestBatch> {
    let mut by_key: HashMap<ApiKeyId, Vec<&KeyRequest>> = HashMap::new();
    let mut order = Vec::new();
    for request in pending {
        by_key
            .entry(request.api_key_id)
            .or_insert_with(|| {
                order.push(request.api_key_id);
                Vec::new()
            })
            .push(request);
    }
    order
        .iter()
        .filter_map(|key| codec::encode(ApiKeyRequestId::new(), by_key.get(key)?))
        .collect()
}

/// Splits batches into the slices one statement writes.
pub fn statements_of(batches: &[RequestBatch]) -> impl Iterator<Item = &[RequestBatch]> {
    batches.chunks(ROWS_PER_STATEMENT)
}
