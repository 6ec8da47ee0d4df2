//! Write-behind key usage: the latest request wins the time, address and user agent, counts
//! add up, and unknown or deleted keys are skipped without failing the batch.

use plumb_core::Store;
use plumb_core::id::ApiKeyId;
use plumb_core::store::{KeyUsage, KeyUsageDelta};
use time::OffsetDateTime;

use crate::support::{T0, activity, insert_key, minutes, tenant};

conformance!(
    usage_keeps_the_latest_time_and_adds_counts,
    older_usage_keeps_the_newer_address_and_user_agent,
    usage_of_unknown_or_deleted_keys_is_skipped,
    an_empty_usage_batch_changes_nothing,
);

fn delta(
    id: ApiKeyId,
    at: OffsetDateTime,
    ip: &str,
    successes: u64,
    failures: u64,
) -> KeyUsageDelta {
    KeyUsageDelta {
        id,
        last_used_at: at,
        last_ip: Some(ip.to_owned()),
        last_user_agent: Some(format!("agent {ip}")),
        successes,
        failures,
    }
}

async fn usage_keeps_the_latest_time_and_adds_counts(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "busy", 1, T0).await;

    store
        .record_api_key_usage(&[delta(id, minutes(5), "10.0.0.1", 3, 1)])
        .await
        .unwrap();
    store
        .record_api_key_usage(&[delta(id, minutes(9), "10.0.0.2", 2, 0)])
        .await
        .unwrap();

    let stored = store.api_key(acme.id, id).await.unwrap();
    assert_eq!(stored.last_used_at, Some(minutes(9)));
    let expected = KeyUsage {
        success_count: 5,
        failure_count: 1,
        last_ip: Some("10.0.0.2".into()),
        last_user_agent: Some("agent 10.0.0.2".into()),
    };
    assert_eq!(stored.usage, expected);
    // Usage is not a change of the key.
    assert_eq!(stored.updated_at, T0);
}

async fn older_usage_keeps_the_newer_address_and_user_agent(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "busy", 1, T0).await;
    store
        .record_api_key_usage(&[delta(id, minutes(9), "10.0.0.9", 1, 0)])
        .await
        .unwrap();

    // A delta from a slower node arrives late, within one batch with a same-time delta.
    let late = [
        delta(id, minutes(5), "10.0.0.5", 0, 4),
        delta(id, minutes(9), "10.0.0.8", 1, 0),
    ];
    store.record_api_key_usage(&late).await.unwrap();

    let stored = store.api_key(acme.id, id).await.unwrap();
    assert_eq!(stored.last_used_at, Some(minutes(9)));
    assert_eq!(
        (stored.usage.success_count, stored.usage.failure_count),
        (2, 4)
    );
    // A delta exactly as recent as the stored time counts as the latest request.
    assert_eq!(stored.usage.last_ip.as_deref(), Some("10.0.0.8"));
    assert_eq!(
        stored.usage.last_user_agent.as_deref(),
        Some("agent 10.0.0.8")
    );
}

async fn usage_of_unknown_or_deleted_keys_is_skipped(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let live = insert_key(store, &acme, "live", 1, T0).await;
    let deleted = insert_key(store, &acme, "deleted", 2, T0).await;
    let log = activity(acme.id, "api_key.deleted");
    store
        .delete_api_key(acme.id, deleted, T0, &log)
        .await
        .unwrap();

    let batch = [
        delta(ApiKeyId::new(), minutes(1), "10.0.0.1", 1, 0),
        delta(deleted, minutes(1), "10.0.0.1", 1, 0),
        delta(live, minutes(1), "10.0.0.1", 1, 0),
    ];
    store.record_api_key_usage(&batch).await.unwrap();

    assert_eq!(
        store
            .api_key(acme.id, live)
            .await
            .unwrap()
            .usage
            .success_count,
        1
    );
}

async fn an_empty_usage_batch_changes_nothing(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "idle", 1, T0).await;

    store.record_api_key_usage(&[]).await.unwrap();

    let stored = store.api_key(acme.id, id).await.unwrap();
    assert_eq!(
        (stored.last_used_at, stored.usage),
        (None, KeyUsage::default())
    );
}
