//! What an API key's owner limits ([`KeyRules`]), the grace period of a regenerated value
//! ([`PreviousValue`]), the request log ([`KeyRequest`], stored as [`RequestBatch`]es) and
//! [`KeyPolicyStore`], the store's role for them.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::{Activity, ApiKeyRecord, StoreResult};
use crate::crypto::Digest;
use crate::id::{ApiKeyId, ApiKeyRequestId, OrganizationId};

/// What an owner limits about a key. The verifier caches these with the key, so checking them
/// costs no statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRules {
    /// After this time the key is refused like a deleted one; `None`: never.
    pub expires_at: Option<OffsetDateTime>,
    /// Refused like a deleted one until enabled again.
    pub disabled: bool,
    /// Addresses and CIDR ranges the key may be used from, canonically spelled; empty:
    /// anywhere.
    pub allowed_ips: Vec<String>,
    /// Requests per minute; `None`: the organization's default.
    pub rate_limit_per_minute: Option<u32>,
}

/// The value a regeneration replaced, accepted until `valid_until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreviousValue {
    /// Its digest.
    pub digest: Digest,
    /// The end of its grace period.
    pub valid_until: OffsetDateTime,
}

/// One authenticated `/v2` request, as the request log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRequest {
    /// The key's organization.
    pub organization_id: OrganizationId,
    /// The key.
    pub api_key_id: ApiKeyId,
    /// When it arrived.
    pub at: OffsetDateTime,
    /// HTTP method (the common ones are not copied for every request).
    pub method: std::borrow::Cow<'static, str>,
    /// The route pattern, e.g. `/v2/groups/{id}` (empty when no route matched).
    pub route: String,
    /// The path asked for, without the query.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// Time to answer, in microseconds.
    pub duration_us: u64,
    /// Client address.
    pub client_ip: Option<String>,
    /// User agent.
    pub user_agent: Option<String>,
}

/// One key's requests of one write of the request log, stored as one row: a row per request
/// cost more CPU than the request itself (`docs/performance.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBatch {
    /// Id (time-ordered: the time of the write).
    pub id: ApiKeyRequestId,
    /// The key's organization.
    pub organization_id: OrganizationId,
    /// The key.
    pub api_key_id: ApiKeyId,
    /// The oldest request's time.
    pub first_at: OffsetDateTime,
    /// The newest request's time.
    pub last_at: OffsetDateTime,
    /// How many requests it holds.
    pub requests: u32,
    /// One bit per status class it holds (`1 << (status / 100)`), so a status filter skips
    /// batches without a match.
    pub statuses: u8,
    /// The requests, oldest first, encoded by `plumb_core::request_log` (JSON).
    pub entries: String,
}

/// Which batches of a key's log to list: newest first, up to and including `through`, holding
/// a status class of `statuses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchQuery {
    /// Status class bits; a batch holding none of them is skipped.
    pub statuses: u8,
    /// Only batches with this id or an older one.
    pub through: Option<ApiKeyRequestId>,
    /// Batches to return at most.
    pub limit: u32,
}

/// Grace periods, the organization's default rate limit and the request log.
#[async_trait]
pub trait KeyPolicyStore: Send + Sync + 'static {
    /// Regenerates a key keeping the old value valid until `previous_valid_until` (the
    /// grace period), or not at all with `None`; id, description and access stay. The old and
    /// any earlier previous value are announced.
    async fn replace_api_key_secret_with_grace(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        secret: &super::KeySecret,
        previous_valid_until: Option<OffsetDateTime>,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord>;
    /// Ends a key's grace period now: its previous value stops working.
    async fn end_api_key_grace(
        &self,
        organization_id: OrganizationId,
        id: ApiKeyId,
        now: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<ApiKeyRecord>;
    /// The organization's default requests per minute (`None`: no limit).
    async fn api_key_rate_limit_default(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Option<u32>>;
    /// Changes the default and announces every live key of the organization.
    async fn set_api_key_rate_limit_default(
        &self,
        organization_id: OrganizationId,
        limit: Option<u32>,
        activity: &Activity,
    ) -> StoreResult<()>;
    /// Appends batches of requests gathered in memory (write-behind), in one transaction.
    async fn insert_api_key_requests(&self, batches: &[RequestBatch]) -> StoreResult<()>;
    /// A key's batches, newest first.
    async fn list_api_key_requests(
        &self,
        organization_id: OrganizationId,
        api_key_id: ApiKeyId,
        query: &BatchQuery,
    ) -> StoreResult<Vec<RequestBatch>>;
    /// How many requests each key of the organization answered in batches whose newest
    /// request is at or after `since` (keys without any are left out).
    async fn count_api_key_requests(
        &self,
        organization_id: OrganizationId,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<(ApiKeyId, u64)>>;
    /// Deletes the batches whose newest request is older than `before`; returns how many
    /// requests went.
    async fn prune_api_key_requests(&self, before: OffsetDateTime) -> StoreResult<u64>;
}
