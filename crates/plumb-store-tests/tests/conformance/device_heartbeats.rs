//! Heartbeats (digest check-ins): recorded only against the stored digests, with the pending
//! runs claimed; many at once share commits and each gets its own answer; a full check-in with
//! the stored update list's digest leaves the updates as they are.

use plumb_core::Store;
use plumb_core::id::DeviceId;
use plumb_core::store::{CheckinDigests, Heartbeat, HeartbeatOutcome};
use time::OffsetDateTime;

use crate::device_checkins::{checkin, package};
use crate::support::insert_automation;
use crate::support::{
    T0, assert_not_found, digest, first_page, insert_named_device, minutes, tenant,
};

conformance!(
    a_heartbeat_with_the_stored_digests_moves_last_seen_and_claims_the_pending_runs,
    a_heartbeat_with_other_or_no_stored_digests_records_nothing,
    a_heartbeat_for_a_missing_or_foreign_device_is_not_found,
    a_heartbeat_brings_an_offline_device_back_and_resolves_its_alert,
    many_concurrent_heartbeats_are_each_recorded_and_answered,
    a_full_checkin_with_the_stored_update_digest_keeps_the_updates,
);

fn digests(seed: u8) -> CheckinDigests {
    CheckinDigests {
        inventory: digest(seed),
        updates: digest(seed.wrapping_add(100)),
    }
}

fn beat(device_id: DeviceId, seed: u8, at: OffsetDateTime) -> Heartbeat {
    Heartbeat {
        device_id,
        digests: digests(seed),
        public_ip_address: Some("203.0.113.9".into()),
        seen_at: at,
        offline_after: at + time::Duration::minutes(3),
    }
}

/// A device checked in in full at `minutes(1)` with the digests of `seed`.
async fn checked_in(
    store: &dyn Store,
    organization: &str,
    seed: u8,
) -> (plumb_core::id::OrganizationId, DeviceId) {
    let org = tenant(store, organization).await;
    let device = insert_named_device(store, org.id, None, "web").await;
    let mut full = checkin(device, minutes(1), vec![package("openssl", true)]);
    full.digests = Some(digests(seed));
    store.record_checkin(org.id, &full).await.unwrap();
    (org.id, device)
}

async fn a_heartbeat_with_the_stored_digests_moves_last_seen_and_claims_the_pending_runs(
    store: &dyn Store,
) {
    let (org, device) = checked_in(store, "acme", 1).await;
    let before = store.device(org, device).await.unwrap();
    let automation = insert_automation(store, org, "Hello", None).await;
    store
        .start_runs(org, automation.id, Some(&[device]), minutes(2), None)
        .await
        .unwrap();

    let first = store
        .record_heartbeat(org, &beat(device, 1, minutes(3)))
        .await;
    let second = store
        .record_heartbeat(org, &beat(device, 1, minutes(4)))
        .await;

    let HeartbeatOutcome::Recorded(runs) = first.unwrap() else {
        panic!("not recorded");
    };
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].started_at, Some(minutes(3)));
    assert_eq!(second.unwrap(), HeartbeatOutcome::Recorded(vec![]));
    let after = store.device(org, device).await.unwrap();
    assert_eq!(after.last_seen_at, Some(minutes(4)));
    assert_eq!(after.public_ip_address.as_deref(), Some("203.0.113.9"));
    assert!(after.online);
    assert_eq!(after.inventory, before.inventory);
    assert_eq!(after.hostname, before.hostname);
    // Late three minutes after the last heartbeat, not before.
    assert!(store.sweep_offline(minutes(6)).await.unwrap().is_empty());
    assert_eq!(store.sweep_offline(minutes(8)).await.unwrap().len(), 1);
}

async fn a_heartbeat_with_other_or_no_stored_digests_records_nothing(store: &dyn Store) {
    let (org, device) = checked_in(store, "acme", 1).await;
    let mut half = beat(device, 1, minutes(5));
    half.digests.updates = digest(7);

    let other = store
        .record_heartbeat(org, &beat(device, 2, minutes(5)))
        .await;
    let half = store.record_heartbeat(org, &half).await;
    store
        .record_checkin(org, &checkin(device, minutes(6), vec![]))
        .await
        .unwrap();
    let none_stored = store
        .record_heartbeat(org, &beat(device, 1, minutes(7)))
        .await;

    assert_eq!(other.unwrap(), HeartbeatOutcome::SendFull);
    assert_eq!(half.unwrap(), HeartbeatOutcome::SendFull);
    assert_eq!(none_stored.unwrap(), HeartbeatOutcome::SendFull);
    let stored = store.device(org, device).await.unwrap();
    assert_eq!(stored.last_seen_at, Some(minutes(6)));
}

async fn a_heartbeat_for_a_missing_or_foreign_device_is_not_found(store: &dyn Store) {
    let (_, device) = checked_in(store, "acme", 1).await;
    let other = tenant(store, "other").await;
    assert_not_found(
        store
            .record_heartbeat(other.id, &beat(device, 1, minutes(2)))
            .await,
    );
    assert_not_found(
        store
            .record_heartbeat(other.id, &beat(DeviceId::new(), 1, minutes(2)))
            .await,
    );
}

async fn a_heartbeat_brings_an_offline_device_back_and_resolves_its_alert(store: &dyn Store) {
    let (org, device) = checked_in(store, "acme", 1).await;
    assert_eq!(store.sweep_offline(minutes(30)).await.unwrap().len(), 1);

    let back = store
        .record_heartbeat(org, &beat(device, 1, minutes(31)))
        .await;

    assert_eq!(back.unwrap(), HeartbeatOutcome::Recorded(vec![]));
    assert!(store.device(org, device).await.unwrap().online);
    let alerts = store
        .list_alerts(org, Some(device), None, &first_page(10))
        .await
        .unwrap()
        .items;
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].resolved_at, Some(minutes(31)));
}

async fn many_concurrent_heartbeats_are_each_recorded_and_answered(store: &dyn Store) {
    let org = tenant(store, "acme").await;
    let mut devices = Vec::new();
    for n in 0..40u8 {
        let device = insert_named_device(store, org.id, None, &format!("web-{n}")).await;
        let mut full = checkin(device, T0, vec![]);
        full.digests = Some(digests(n));
        store.record_checkin(org.id, &full).await.unwrap();
        devices.push(device);
    }

    // Every other device names a digest the store does not hold.
    let beats: Vec<_> = devices
        .iter()
        .zip(0u8..)
        .map(|(device, n)| {
            let seed = if n % 2 == 0 { n } else { n.wrapping_add(50) };
            let heartbeat = beat(*device, seed, minutes(i64::from(n) + 1));
            async move { store.record_heartbeat(org.id, &heartbeat).await }
        })
        .collect();
    let outcomes = join_all(beats).await;

    for ((device, n), outcome) in devices.iter().zip(0u8..).zip(outcomes) {
        let stored = store.device(org.id, *device).await.unwrap();
        if n % 2 == 0 {
            assert_eq!(outcome.unwrap(), HeartbeatOutcome::Recorded(vec![]));
            assert_eq!(stored.last_seen_at, Some(minutes(i64::from(n) + 1)));
        } else {
            assert_eq!(outcome.unwrap(), HeartbeatOutcome::SendFull);
            assert_eq!(stored.last_seen_at, Some(T0));
        }
    }
}

async fn a_full_checkin_with_the_stored_update_digest_keeps_the_updates(store: &dyn Store) {
    let (org, device) = checked_in(store, "acme", 1).await;
    let before = store
        .list_updates(org, Some(device), None, &first_page(10))
        .await
        .unwrap()
        .items;
    // The same update digest with another list: the stored rows are trusted to be that list.
    let mut same = checkin(device, minutes(5), vec![package("curl", true)]);
    same.digests = Some(CheckinDigests {
        inventory: digest(9),
        updates: digests(1).updates,
    });
    store.record_checkin(org, &same).await.unwrap();
    let kept = store
        .list_updates(org, Some(device), None, &first_page(10))
        .await
        .unwrap()
        .items;
    let mut other = checkin(device, minutes(6), vec![package("curl", true)]);
    other.digests = Some(digests(3));
    store.record_checkin(org, &other).await.unwrap();
    let replaced = store
        .list_updates(org, Some(device), None, &first_page(10))
        .await
        .unwrap()
        .items;

    assert_eq!(kept, before);
    assert_eq!(replaced.len(), 1);
    assert_eq!(replaced[0].update.name, "curl");
}

/// Polls every future until all are done (they share one task, so the store sees them at once).
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(context) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
