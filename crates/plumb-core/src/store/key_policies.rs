//! What an API key's owner limits ([`KeyRules`]), the grace period of a regenerated value
//! ([`PreviousValue`]), the request log ([`KeyRequest`]) and [`KeyPolicyStore`], the store's
//! role for them.

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
    /// Id (time-ordered).
    pub id: ApiKeyRequestId,
    /// The key's organization.
    pub organization_id: OrganizationId,
    /// The key.
    pub api_key_id: ApiKeyId,
    /// When it arrived.
    pub at: OffsetDateTime,
    /// HTTP method.
    pub method: String,
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

/// Which requests of a key's log to list: a status range, newest first, older than `before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestQuery {
    /// Lowest status included.
    pub status_from: u16,
    /// Highest status included.
    pub status_to: u16,
    /// Only requests older than this one.
    pub before: Option<ApiKeyRequestId>,
    /// Rows to return at most.
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
    /// Appends requests gathered in memory (write-behind).
    async fn insert_api_key_requests(&self, requests: &[KeyRequest]) -> StoreResult<()>;
    /// A key's requests, newest first.
    async fn list_api_key_requests(
        &self,
        organization_id: OrganizationId,
        api_key_id: ApiKeyId,
        query: &RequestQuery,
    ) -> StoreResult<Vec<KeyRequest>>;
    /// How many requests each key of the organization answered since `since` (keys without
    /// any are left out).
    async fn count_api_key_requests(
        &self,
        organization_id: OrganizationId,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<(ApiKeyId, u64)>>;
    /// Deletes requests older than `before`; returns how many went.
    async fn prune_api_key_requests(&self, before: OffsetDateTime) -> StoreResult<u64>;
}
