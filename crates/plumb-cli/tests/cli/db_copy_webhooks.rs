//! The event webhook rows of the `plumb db copy` seed (an endpoint with a secret, a subscription
//! and a severity filter; the event a new group raised for it; its delivery, waiting for a retry;
//! the failed attempt in its log), and the check that they read back the same after a copy and
//! that the copied delivery is still due when it was, carrying the same event.

use plumb_core::Store;
use plumb_core::id::{AttemptId, EndpointId, EventId, GroupId, OrganizationId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{Activity, AttemptOutcome, EndpointRecord, NewGroup};
use plumb_proto::v2::Severity;
use time::{Duration, OffsetDateTime};

/// What was seeded, to look it up again.
pub struct SeededWebhooks {
    endpoint: EndpointId,
    event: EventId,
    group: GroupId,
    retry_at: OffsetDateTime,
}

/// Seeds an endpoint subscribed to `group_created`, a group that raises that event, and one
/// failed attempt of its delivery with a retry scheduled: one row in each event table.
pub async fn seed_webhooks(
    store: &dyn Store,
    organization_id: OrganizationId,
    entry: &Activity,
    t0: OffsetDateTime,
) -> SeededWebhooks {
    let endpoint = EndpointRecord {
        id: EndpointId::new(),
        organization_id,
        url: "https://hooks.example.test/plumb".into(),
        description: "PSA".into(),
        sealed_secret: vec![9, 8, 7, 0, 255],
        event_types: Some(vec!["group_created".into()]),
        severities: Some(vec![Severity::Critical, Severity::Emergency]),
        enabled: true,
        created_at: t0,
        updated_at: t0,
    };
    store.insert_endpoint(&endpoint, entry).await.unwrap();
    let group = NewGroup {
        id: GroupId::new(),
        organization_id,
        parent_id: None,
        name: "hooked".into(),
        created_at: t0,
    };
    store.insert_group(&group, None).await.unwrap();
    let now = t0 + Duration::seconds(1);
    let claimed = store
        .claim_deliveries(now, now + Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1, "{claimed:?}");
    let delivery = &claimed[0];
    let retry_at = t0 + Duration::minutes(2);
    let failed = AttemptOutcome {
        id: AttemptId::new(),
        event_id: delivery.event_id,
        endpoint_id: endpoint.id,
        organization_id,
        attempted_at: now,
        status: Some(500),
        ok: false,
        duration_ms: 42,
        response: "upstream unavailable".into(),
        retry_at: Some(retry_at),
        attempts_left: 2,
        claim: delivery.claim,
    };
    store.record_attempts(&[failed]).await.unwrap();
    SeededWebhooks {
        endpoint: endpoint.id,
        event: delivery.event_id,
        group: group.id,
        retry_at,
    }
}

/// Asserts that the endpoints and the Requests log of `copy` read back as in `original`, and
/// that the copied delivery is claimed only once its retry is due, with the event it had.
pub async fn assert_same_webhooks(
    original: &dyn Store,
    copy: &dyn Store,
    organization_id: OrganizationId,
    seeded: &SeededWebhooks,
) {
    let endpoints = copy.list_endpoints(organization_id).await.unwrap();
    assert_eq!(
        endpoints,
        original.list_endpoints(organization_id).await.unwrap()
    );
    assert_eq!(endpoints.len(), 1);
    assert_eq!(endpoints[0].sealed_secret, vec![9, 8, 7, 0, 255]);
    let page = PageRequest {
        limit: 10,
        cursor: Cursor::First,
    };
    let log = copy
        .list_attempts(organization_id, seeded.endpoint, &page)
        .await
        .unwrap();
    let original_log = original
        .list_attempts(organization_id, seeded.endpoint, &page)
        .await
        .unwrap();
    assert_eq!(log, original_log);
    let [attempt] = &log.items[..] else {
        panic!("one attempt expected: {log:?}");
    };
    assert_eq!(
        (attempt.event_id, attempt.event_type.as_str()),
        (seeded.event, "group_created")
    );
    assert_eq!((attempt.status, attempt.ok), (Some(500), false));
    assert_eq!(attempt.delivery_state, "pending");
    assert!(
        attempt.request_body.contains(&seeded.group.to_string()),
        "{}",
        attempt.request_body
    );
    let lease = Duration::minutes(1);
    let early = seeded.retry_at - Duration::seconds(1);
    let too_early = copy.claim_deliveries(early, early + lease, 10).await;
    assert!(too_early.unwrap().is_empty());
    let due = copy
        .claim_deliveries(seeded.retry_at, seeded.retry_at + lease, 10)
        .await
        .unwrap();
    let [delivery] = &due[..] else {
        panic!("one due delivery expected: {due:?}");
    };
    assert_eq!(
        (
            delivery.event_id,
            delivery.endpoint_id,
            delivery.attempts_left
        ),
        (seeded.event, seeded.endpoint, Some(2))
    );
    assert_eq!(delivery.body, attempt.request_body);
    assert_eq!(delivery.sealed_secret, endpoints[0].sealed_secret);
}
