//! The agent's side and what it raises: check-ins replacing updates with stable ids, the
//! offline sweep raising one alert per device (even twice or concurrently), a check-in
//! resolving it, alerts and updates pages with their filters.

use plumb_core::Store;
use plumb_core::id::{DeviceId, OrganizationId, UpdateId};
use plumb_core::store::{CheckIn, NewUpdate, OFFLINE_ALERT};
use plumb_proto::v2::Severity;
use time::OffsetDateTime;

use crate::support::{T0, assert_not_found, first_page, insert_named_device, minutes, tenant};
use crate::support::{inventory, inventory_json};

conformance!(
    a_checkin_records_the_report_and_brings_the_device_online,
    a_checkin_replaces_updates_keeping_ids_of_names_seen_before,
    a_checkin_for_a_missing_or_foreign_device_is_not_found,
    the_sweep_raises_exactly_one_alert_even_when_run_twice_or_at_once,
    a_checkin_after_going_offline_resolves_the_alert,
);

pub(crate) fn package(name: &str, is_available: bool) -> NewUpdate {
    NewUpdate {
        name: name.into(),
        category: Some("security".into()),
        version: Some("1.0".into()),
        size: Some(1024),
        kb_ids: vec!["KB1".into(), "KB2".into()],
        is_available,
        error: None,
        published_on: Some(T0),
        installed_on: None,
    }
}

pub(crate) fn checkin(device_id: DeviceId, at: OffsetDateTime, updates: Vec<NewUpdate>) -> CheckIn {
    CheckIn {
        device_id,
        hostname: "web-renamed".into(),
        serial_number: Some("SN-9".into()),
        inventory: inventory_json("web-renamed"),
        public_ip_address: Some("198.51.100.7".into()),
        updates,
        seen_at: at,
        offline_after: at + time::Duration::minutes(15),
        digests: None,
    }
}

async fn updates_of(
    store: &dyn Store,
    organization_id: OrganizationId,
    device: DeviceId,
) -> Vec<(UpdateId, NewUpdate)> {
    let page = store
        .list_updates(organization_id, Some(device), None, &first_page(100))
        .await
        .unwrap();
    page.items
        .into_iter()
        .map(|record| (record.id, record.update))
        .collect()
}

async fn a_checkin_records_the_report_and_brings_the_device_online(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web").await;

    store
        .record_checkin(acme.id, &checkin(device, minutes(1), vec![]))
        .await
        .unwrap();

    let stored = store.device(acme.id, device).await.unwrap();
    assert!(stored.online);
    assert_eq!(stored.hostname, "web-renamed");
    assert_eq!(stored.serial_number.as_deref(), Some("SN-9"));
    assert_eq!(stored.inventory.as_deref(), Some(&inventory("web-renamed")));
    assert_eq!(stored.public_ip_address.as_deref(), Some("198.51.100.7"));
    assert_eq!(
        (stored.last_seen_at, stored.updated_at),
        (Some(minutes(1)), minutes(1))
    );
    // Not late yet: the sweep leaves it alone.
    assert!(store.sweep_offline(minutes(15)).await.unwrap().is_empty());
}

async fn a_checkin_replaces_updates_keeping_ids_of_names_seen_before(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web").await;
    let first = vec![package("openssl", true), package("curl", true)];
    store
        .record_checkin(acme.id, &checkin(device, minutes(1), first))
        .await
        .unwrap();
    let before = updates_of(store, acme.id, device).await;
    let openssl_id = before.iter().find(|(_, u)| u.name == "openssl").unwrap().0;
    assert_eq!(before.len(), 2);
    assert!(
        before
            .iter()
            .any(|(_, update)| *update == package("curl", true))
    );

    let mut installed = package("openssl", false);
    installed.installed_on = Some(minutes(2));
    installed.kb_ids = Vec::new();
    installed.size = None;
    let second = vec![
        installed.clone(),
        package("zlib", true),
        package("zlib", true),
    ];
    store
        .record_checkin(acme.id, &checkin(device, minutes(2), second))
        .await
        .unwrap();

    let after = updates_of(store, acme.id, device).await;
    assert_eq!(after.len(), 2);
    assert!(after.contains(&(openssl_id, installed)));
    assert!(after.iter().any(|(_, update)| update.name == "zlib"));
    assert!(after.iter().all(|(_, update)| update.name != "curl"));

    store
        .record_checkin(acme.id, &checkin(device, minutes(3), vec![]))
        .await
        .unwrap();
    assert!(updates_of(store, acme.id, device).await.is_empty());
}

async fn a_checkin_for_a_missing_or_foreign_device_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let theirs = insert_named_device(store, other.id, None, "theirs").await;

    for device in [DeviceId::new(), theirs] {
        let report = checkin(device, minutes(1), vec![package("openssl", true)]);
        assert_not_found(store.record_checkin(acme.id, &report).await);
    }
    let stored = store.device(other.id, theirs).await.unwrap();
    assert!(!stored.online);
    assert!(updates_of(store, other.id, theirs).await.is_empty());
}

async fn the_sweep_raises_exactly_one_alert_even_when_run_twice_or_at_once(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let late = insert_named_device(store, acme.id, None, "late").await;
    let fresh = insert_named_device(store, acme.id, None, "fresh").await;
    let never = insert_named_device(store, acme.id, None, "never").await;
    store
        .record_checkin(acme.id, &checkin(late, minutes(1), vec![]))
        .await
        .unwrap();
    store
        .record_checkin(acme.id, &checkin(fresh, minutes(20), vec![]))
        .await
        .unwrap();

    let (first, second) = tokio::join!(
        store.sweep_offline(minutes(30)),
        store.sweep_offline(minutes(30))
    );
    let mut went = first.unwrap();
    went.extend(second.unwrap());
    assert_eq!(went.len(), 1);
    assert_eq!(
        (went[0].organization_id, went[0].device_id),
        (acme.id, late)
    );
    assert!(store.sweep_offline(minutes(31)).await.unwrap().is_empty());

    let alerts = store
        .list_alerts(acme.id, None, None, &first_page(10))
        .await
        .unwrap()
        .items;
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!(alert.id, went[0].alert_id);
    assert_eq!(
        (alert.device_id, alert.name.as_str()),
        (late, OFFLINE_ALERT)
    );
    assert_eq!(
        (alert.severity, alert.started_at),
        (Severity::Critical, minutes(30))
    );
    assert_eq!(alert.device_hostname, "web-renamed");
    assert!(
        alert
            .description
            .starts_with("web-renamed has not checked in since 2026-11-23T12:01")
    );
    assert_eq!((alert.payload.as_deref(), alert.resolved_at), (None, None));
    assert!(!store.device(acme.id, late).await.unwrap().online);
    assert!(store.device(acme.id, fresh).await.unwrap().online);
    assert!(!store.device(acme.id, never).await.unwrap().online);
}

async fn a_checkin_after_going_offline_resolves_the_alert(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web").await;
    store
        .record_checkin(acme.id, &checkin(device, minutes(1), vec![]))
        .await
        .unwrap();
    let went = store.sweep_offline(minutes(30)).await.unwrap();

    store
        .record_checkin(acme.id, &checkin(device, minutes(40), vec![]))
        .await
        .unwrap();

    let alert = store.alert(acme.id, went[0].alert_id).await.unwrap();
    assert_eq!(alert.resolved_at, Some(minutes(40)));
    assert!(store.device(acme.id, device).await.unwrap().online);
    // Late again: a new alert, as the first is resolved.
    let again = store.sweep_offline(minutes(60)).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_ne!(again[0].alert_id, went[0].alert_id);
}
