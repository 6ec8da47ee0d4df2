//! Alerts and updates: inserts, keyset pages with their device, status and availability
//! filters, resolution that keeps the first time, and tenant isolation.

use plumb_core::Store;
use plumb_core::id::{AlertId, DeviceId, OrganizationId, UpdateId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{AlertStatus, NewAlert};
use plumb_proto::v2::Severity;

use crate::device_checkins::{checkin, package};
use crate::support::{T0, assert_not_found, first_page, insert_named_device, minutes, tenant};

conformance!(
    alerts_page_by_device_and_status_and_resolve_once,
    updates_page_by_device_and_availability,
);

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
        .resolve_alert(acme.id, ids[2], minutes(5), None)
        .await
        .unwrap();
    assert_eq!(resolved.resolved_at, Some(minutes(5)));
    let again = store
        .resolve_alert(acme.id, ids[2], minutes(9), None)
        .await
        .unwrap();
    assert_eq!(again.resolved_at, Some(minutes(5)));
    assert_not_found(
        store
            .resolve_alert(acme.id, foreign.id, minutes(5), None)
            .await,
    );
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
