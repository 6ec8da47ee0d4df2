//! The agent's side and what it raises: check-ins replacing updates with stable ids, the
//! offline sweep raising one alert per device (even twice or concurrently), a check-in
//! resolving it, alerts and updates pages with their filters.

use plumb_core::Store;
use plumb_core::id::{AlertId, DeviceId, OrganizationId, UpdateId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{AlertStatus, CheckIn, NewAlert, NewUpdate, OFFLINE_ALERT};
use plumb_proto::v2::Severity;
use time::OffsetDateTime;

use crate::support::{T0, assert_not_found, first_page, insert_named_device, minutes, tenant};

conformance!(
    a_checkin_records_the_report_and_brings_the_device_online,
    a_checkin_replaces_updates_keeping_ids_of_names_seen_before,
    a_checkin_for_a_missing_or_foreign_device_is_not_found,
    the_sweep_raises_exactly_one_alert_even_when_run_twice_or_at_once,
    a_checkin_after_going_offline_resolves_the_alert,
    alerts_page_by_device_and_status_and_resolve_once,
    updates_page_by_device_and_availability,
);

fn package(name: &str, is_available: bool) -> NewUpdate {
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

fn checkin(device_id: DeviceId, at: OffsetDateTime, updates: Vec<NewUpdate>) -> CheckIn {
    CheckIn {
        device_id,
        hostname: "web-renamed".into(),
        serial_number: Some("SN-9".into()),
        inventory: r#"{"cpu":4}"#.into(),
        public_ip_address: Some("198.51.100.7".into()),
        updates,
        seen_at: at,
        offline_after: at + time::Duration::minutes(15),
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
    assert_eq!(stored.inventory.as_deref(), Some(r#"{"cpu":4}"#));
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

fn new_alert(organization_id: OrganizationId, device_id: DeviceId, name: &str) -> NewAlert {
    NewAlert {
        id: AlertId::new(),
        organization_id,
        device_id,
        name: name.into(),
        description: format!("{name} happened"),
        payload: Some(r#"{"disk":"/"}"#.into()),
        severity: Severity::Warning,
        started_at: T0,
    }
}

async fn alerts_page_by_device_and_status_and_resolve_once(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let web = insert_named_device(store, acme.id, None, "web").await;
    let db = insert_named_device(store, acme.id, None, "db").await;
    let theirs = insert_named_device(store, other.id, None, "theirs").await;
    let mut ids = Vec::new();
    for (device, name) in [(web, "a"), (db, "b"), (web, "c")] {
        let stored = store
            .insert_alert(&new_alert(acme.id, device, name))
            .await
            .unwrap();
        assert_eq!(
            (stored.device_hostname.as_str(), stored.severity),
            (if device == web { "web" } else { "db" }, Severity::Warning)
        );
        ids.push(stored.id);
    }
    assert_not_found(store.insert_alert(&new_alert(acme.id, theirs, "x")).await);
    let foreign = store
        .insert_alert(&new_alert(other.id, theirs, "x"))
        .await
        .unwrap();

    let resolved = store
        .resolve_alert(acme.id, ids[2], minutes(5))
        .await
        .unwrap();
    assert_eq!(resolved.resolved_at, Some(minutes(5)));
    let again = store
        .resolve_alert(acme.id, ids[2], minutes(9))
        .await
        .unwrap();
    assert_eq!(again.resolved_at, Some(minutes(5)));
    assert_not_found(store.resolve_alert(acme.id, foreign.id, minutes(5)).await);
    assert_not_found(store.alert(acme.id, foreign.id).await);

    let list = |device, status, cursor| async move {
        let request = PageRequest { limit: 1, cursor };
        let page = store
            .list_alerts(acme.id, device, status, &request)
            .await
            .unwrap();
        (
            page.items.iter().map(|alert| alert.id).collect::<Vec<_>>(),
            page.has_more,
        )
    };
    assert_eq!(list(None, None, Cursor::First).await, (vec![ids[0]], true));
    assert_eq!(
        list(None, None, Cursor::After(ids[1])).await,
        (vec![ids[2]], false)
    );
    assert_eq!(
        list(None, None, Cursor::Before(ids[1])).await,
        (vec![ids[0]], false)
    );
    assert_eq!(
        list(Some(web), Some(AlertStatus::Active), Cursor::First).await,
        (vec![ids[0]], false)
    );
    assert_eq!(
        list(Some(web), Some(AlertStatus::Resolved), Cursor::First).await,
        (vec![ids[2]], false)
    );
    assert_eq!(
        list(Some(db), Some(AlertStatus::Resolved), Cursor::First).await,
        (vec![], false)
    );
    assert_eq!(
        list(Some(theirs), None, Cursor::First).await,
        (vec![], false)
    );
}

async fn updates_page_by_device_and_availability(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let web = insert_named_device(store, acme.id, None, "web").await;
    let db = insert_named_device(store, acme.id, None, "db").await;
    let theirs = insert_named_device(store, other.id, None, "theirs").await;
    let report = vec![package("a", true), package("b", false)];
    for (organization_id, device) in [(acme.id, web), (acme.id, db), (other.id, theirs)] {
        store
            .record_checkin(
                organization_id,
                &checkin(device, minutes(1), report.clone()),
            )
            .await
            .unwrap();
    }

    let page = |device, available| async move {
        store
            .list_updates(acme.id, device, available, &first_page(100))
            .await
            .unwrap()
            .items
    };
    assert_eq!(page(None, None).await.len(), 4);
    let available = page(None, Some(true)).await;
    assert_eq!(available.len(), 2);
    assert!(available.iter().all(|record| record.update.is_available));
    let installed = page(Some(db), Some(false)).await;
    assert_eq!(installed.len(), 1);
    assert_eq!(
        (
            installed[0].device_id,
            installed[0].device_hostname.as_str()
        ),
        (db, "web-renamed")
    );
    assert_eq!(installed[0].update, package("b", false));
    let ids: Vec<UpdateId> = page(None, None)
        .await
        .iter()
        .map(|record| record.id)
        .collect();
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));

    let one = store.update(acme.id, installed[0].id).await.unwrap();
    assert_eq!(one, installed[0]);
    let foreign = store
        .list_updates(other.id, None, None, &first_page(10))
        .await
        .unwrap()
        .items;
    assert_not_found(store.update(acme.id, foreign[0].id).await);
    let after = PageRequest {
        limit: 2,
        cursor: Cursor::After(ids[1]),
    };
    let rest = store
        .list_updates(acme.id, None, None, &after)
        .await
        .unwrap();
    assert_eq!((rest.items.len(), rest.has_more), (2, false));
}
