//! Records of outgoing event webhooks: endpoints, the deliveries the worker claims, the log of
//! attempts, and the two traits that keep them: [`EndpointStore`] (people's side) and
//! [`OutboxStore`] (the delivery worker's side). Events themselves are recorded by the store's
//! own writes, inside their transactions, never through a trait method.

use async_trait::async_trait;
use plumb_proto::v2::Severity;
use time::OffsetDateTime;

use super::{Activity, StoreResult};
use crate::id::{AttemptId, EndpointId, EventId, OrganizationId};
use crate::page::{Page, PageRequest};

/// An endpoint that receives events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRecord {
    /// Id.
    pub id: EndpointId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Where events are posted.
    pub url: String,
    /// What it is for.
    pub description: String,
    /// The secret sealed under the master key (bound to the id); empty: no secret.
    pub sealed_secret: Vec<u8>,
    /// The chosen event names; `None`: every event, including future ones.
    pub event_types: Option<Vec<String>>,
    /// Alert events are sent only for these severities; `None`: all.
    pub severities: Option<Vec<Severity>>,
    /// Whether events are sent at all.
    pub enabled: bool,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// A change to an endpoint; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct EndpointChange {
    /// New URL.
    pub url: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New sealed secret (empty removes it).
    pub sealed_secret: Option<Vec<u8>>,
    /// New subscription (`Some(None)`: every event).
    pub event_types: Option<Option<Vec<String>>>,
    /// New severity filter (`Some(None)`: all).
    pub severities: Option<Option<Vec<Severity>>>,
    /// Enable or disable.
    pub enabled: Option<bool>,
}

/// One attempt to deliver an event, as the Requests tab lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    /// Id (time-ordered).
    pub id: AttemptId,
    /// The event.
    pub event_id: EventId,
    /// Its type's wire name.
    pub event_type: String,
    /// When the request was sent.
    pub attempted_at: OffsetDateTime,
    /// The response's status; `None` when there was none (refused target, timeout, error).
    pub status: Option<u16>,
    /// Whether it acknowledged the event (a 2xx).
    pub ok: bool,
    /// Milliseconds until the answer or the failure.
    pub duration_ms: u64,
    /// The start of the response body, or what went wrong.
    pub response: String,
    /// The request body sent.
    pub request_body: String,
    /// The delivery's state now: `pending`, `delivered` or `failed`.
    pub delivery_state: String,
}

/// A delivery the worker claimed: one event for one endpoint.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    /// The event.
    pub event_id: EventId,
    /// The endpoint.
    pub endpoint_id: EndpointId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Attempts left before it fails; `None`: the whole schedule (a fresh delivery).
    pub attempts_left: Option<u32>,
    /// The exact body to send.
    pub body: String,
    /// Where to.
    pub url: String,
    /// The endpoint's sealed secret (empty: none).
    pub sealed_secret: Vec<u8>,
    /// The claim that holds it: reporting the attempt needs it.
    pub claim: uuid::Uuid,
}

/// What became of a claimed delivery's attempt.
#[derive(Debug, Clone)]
pub struct AttemptOutcome {
    /// The attempt's id.
    pub id: AttemptId,
    /// The event.
    pub event_id: EventId,
    /// The endpoint.
    pub endpoint_id: EndpointId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// When it was sent.
    pub attempted_at: OffsetDateTime,
    /// Response status, if any.
    pub status: Option<u16>,
    /// A 2xx.
    pub ok: bool,
    /// Milliseconds taken.
    pub duration_ms: u64,
    /// Response excerpt or error.
    pub response: String,
    /// `None`: done (delivered, or failed for good); `Some(at)`: try again at `at`.
    pub retry_at: Option<OffsetDateTime>,
    /// Attempts left after this one.
    pub attempts_left: u32,
    /// The claim it was attempted under.
    pub claim: uuid::Uuid,
}

/// Endpoints and their logs, for people (Settings → Webhooks, `/api/v1/webhooks`).
#[async_trait]
pub trait EndpointStore: Send + Sync + 'static {
    /// Adds an endpoint with its activity entry.
    async fn insert_endpoint(&self, endpoint: &EndpointRecord, entry: &Activity)
    -> StoreResult<()>;
    /// The organization's endpoints, oldest first.
    async fn list_endpoints(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<EndpointRecord>>;
    /// One endpoint.
    async fn endpoint(
        &self,
        organization_id: OrganizationId,
        id: EndpointId,
    ) -> StoreResult<EndpointRecord>;
    /// Changes an endpoint with its activity entry; returns it as it now is.
    async fn update_endpoint(
        &self,
        organization_id: OrganizationId,
        id: EndpointId,
        change: &EndpointChange,
        entry: &Activity,
    ) -> StoreResult<EndpointRecord>;
    /// Deletes an endpoint, its deliveries and its log, with its activity entry.
    async fn delete_endpoint(
        &self,
        organization_id: OrganizationId,
        id: EndpointId,
        entry: &Activity,
    ) -> StoreResult<()>;
    /// An endpoint's attempts, newest first.
    async fn list_attempts(
        &self,
        organization_id: OrganizationId,
        endpoint_id: EndpointId,
        page: &PageRequest<AttemptId>,
    ) -> StoreResult<Page<AttemptRecord>>;
    /// Queues one more attempt of the delivery an attempt belongs to, due at `now`, with its
    /// activity entry; the event keeps its id and body.
    async fn rerun_attempt(
        &self,
        organization_id: OrganizationId,
        endpoint_id: EndpointId,
        attempt_id: AttemptId,
        now: OffsetDateTime,
        entry: &Activity,
    ) -> StoreResult<()>;
    /// Records a `test` event with this body for this endpoint only, due at once.
    async fn insert_test_event(
        &self,
        organization_id: OrganizationId,
        endpoint_id: EndpointId,
        event_id: EventId,
        body: &str,
        occurred_at: OffsetDateTime,
    ) -> StoreResult<()>;
}

/// The delivery worker's side of the outbox.
#[async_trait]
pub trait OutboxStore: Send + Sync + 'static {
    /// Claims up to `limit` pending deliveries due at `now` for this worker until
    /// `lease_until`: no other worker (on any node) claims them before then, so a worker that
    /// dies leaves them to another once the lease ends.
    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>>;
    /// Logs the attempts and moves each delivery on (delivered, retried later, or failed), in
    /// one transaction.
    async fn record_attempts(&self, outcomes: &[AttemptOutcome]) -> StoreResult<()>;
    /// Deletes events (with their deliveries and attempts) that occurred before `before`;
    /// returns how many.
    async fn prune_events(&self, before: OffsetDateTime) -> StoreResult<u64>;
}
