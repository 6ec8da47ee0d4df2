//! Inventory changes made through `/v2` carry their activity entry: it is written with the
//! change, in its transaction, and a change that fails writes none.

use plumb_core::Store;
use plumb_core::id::{AlertId, DeviceId, GroupId, TagId};
use plumb_core::store::{NewAlert, NewGroup};

use crate::support::{
    T0, activity, assert_conflict, assert_not_found, insert_device, logged_actions, minutes, tenant,
};

conformance!(
    a_change_writes_its_entry_and_a_failed_change_writes_none,
    device_tag_and_alert_changes_write_their_entries,
);

async fn a_change_writes_its_entry_and_a_failed_change_writes_none(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = |name: &str| NewGroup {
        id: GroupId::new(),
        organization_id: acme.id,
        parent_id: None,
        name: name.to_owned(),
        created_at: T0,
    };
    let servers = group("Servers");
    let device = insert_device(store, acme.id, None).await;

    store
        .insert_group(&servers, Some(&activity(acme.id, "group.created")))
        .await
        .unwrap();
    let taken = store
        .insert_group(&group("Servers"), Some(&activity(acme.id, "group.refused")))
        .await;
    store
        .move_devices(
            acme.id,
            &[device],
            Some(servers.id),
            minutes(1),
            Some(&activity(acme.id, "group.devices_assigned")),
        )
        .await
        .unwrap();
    let missing_device = store
        .move_devices(
            acme.id,
            &[DeviceId::new()],
            Some(servers.id),
            minutes(1),
            Some(&activity(acme.id, "group.move_refused")),
        )
        .await;
    let missing_tag = store
        .delete_tag(
            acme.id,
            TagId::new(),
            Some(&activity(acme.id, "tag.delete_refused")),
        )
        .await;
    store
        .delete_group(
            acme.id,
            servers.id,
            minutes(2),
            Some(&activity(acme.id, "group.deleted")),
        )
        .await
        .unwrap();

    assert_conflict(taken, "groups.name");
    assert_not_found(missing_device);
    assert_not_found(missing_tag);
    assert_eq!(
        logged_actions(store, acme.id).await,
        [
            "organization.created",
            "group.created",
            "group.devices_assigned",
            "group.deleted"
        ]
    );
}

async fn device_tag_and_alert_changes_write_their_entries(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_device(store, acme.id, None).await;
    let log = |action: &str| activity(acme.id, action);
    let tag = TagId::new();
    let alert = NewAlert {
        id: AlertId::new(),
        organization_id: acme.id,
        device_id: device,
        name: "Disk almost full".into(),
        description: "C: is 95 % full".into(),
        payload: None,
        severity: plumb_proto::v2::Severity::Warning,
        started_at: T0,
    };
    store.insert_alert(&alert).await.unwrap();

    store
        .insert_tag(acme.id, tag, "VIP", T0, Some(&log("tag.created")))
        .await
        .unwrap();
    store
        .tag_devices(acme.id, tag, &[device], T0, Some(&log("tag.devices_added")))
        .await
        .unwrap();
    store
        .untag_devices(acme.id, tag, &[device], Some(&log("tag.devices_removed")))
        .await
        .unwrap();
    store
        .delete_tag(acme.id, tag, Some(&log("tag.deleted")))
        .await
        .unwrap();
    store
        .resolve_alert(acme.id, alert.id, minutes(1), Some(&log("alert.resolved")))
        .await
        .unwrap();
    store
        .delete_device(acme.id, device, minutes(2), Some(&log("device.deleted")))
        .await
        .unwrap();

    assert_eq!(
        logged_actions(store, acme.id).await,
        [
            "organization.created",
            "tag.created",
            "tag.devices_added",
            "tag.devices_removed",
            "tag.deleted",
            "alert.resolved",
            "device.deleted"
        ]
    );
}
