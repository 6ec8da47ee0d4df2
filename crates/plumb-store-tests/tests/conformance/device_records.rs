//! Devices one at a time: enrollment (alone and in bulk), reading one back, a person's changes,
//! deletion with everything attached to the device, and the agent's token lookup.

use plumb_core::Store;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::{AlertId, CustomFieldId, DeviceId, GroupId, TagId};
use plumb_core::store::{CheckIn, CustomFieldRecord, DeviceChange, DeviceFilter, NewAlert};
use plumb_core::store::{NewDevice, NewUpdate};
use plumb_proto::v2::Severity;

use crate::support::{T0, assert_conflict, assert_not_found, device_ids, digest, insert_group};
use crate::support::{first_page, insert_named_device, inventory, inventory_json, minutes, tenant};

conformance!(
    an_inserted_device_reads_back_with_every_field,
    a_reused_token_digest_is_a_conflict,
    bulk_insertion_stores_every_device_or_none,
    another_organizations_device_is_not_found,
    a_change_sets_and_clears_nickname_notes_and_group,
    a_change_into_a_missing_or_foreign_group_changes_nothing,
    deleting_a_device_takes_its_tags_values_alerts_updates_and_token,
    a_token_names_its_device_and_organization,
);

async fn an_inserted_device_reads_back_with_every_field(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let device = NewDevice {
        id: DeviceId::new(),
        organization_id: acme.id,
        group_id: Some(group.id),
        hostname: "web-1".into(),
        serial_number: Some("SN-1".into()),
        token_digest: Some(digest(7)),
        inventory: Some(inventory_json("web-1")),
        created_at: T0,
    };
    store.insert_device(&device).await.unwrap();

    let stored = store.device(acme.id, device.id).await.unwrap();
    assert_eq!(stored.id, device.id);
    assert_eq!(stored.organization_id, acme.id);
    assert_eq!(stored.group_id, Some(group.id));
    assert_eq!(stored.group_name.as_deref(), Some("Servers"));
    assert_eq!(stored.hostname, "web-1");
    assert_eq!(stored.serial_number.as_deref(), Some("SN-1"));
    assert_eq!(stored.inventory.as_deref(), Some(&inventory("web-1")));
    assert_eq!((stored.nickname, stored.notes), (None, None));
    assert!(!stored.online && !stored.maintenance_mode);
    assert_eq!(
        (stored.last_seen_at, stored.public_ip_address),
        (None, None)
    );
    assert!(stored.tags.is_empty());
    assert_eq!((stored.created_at, stored.updated_at), (T0, T0));
    assert_eq!(
        store.group(acme.id, group.id).await.unwrap().device_count,
        1
    );
}

async fn a_reused_token_digest_is_a_conflict(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let mut first = NewDevice::bare(acme.id, None, "first", T0);
    first.token_digest = Some(digest(1));
    store.insert_device(&first).await.unwrap();
    let mut second = NewDevice::bare(acme.id, None, "second", T0);
    second.token_digest = Some(digest(1));

    assert_conflict(store.insert_device(&second).await, "devices.token");
    assert_not_found(store.device(acme.id, second.id).await);
}

async fn bulk_insertion_stores_every_device_or_none(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Fleet").await;
    // More than one statement's worth of rows.
    let devices: Vec<NewDevice> = (0..1234)
        .map(|number| NewDevice::bare(acme.id, Some(group.id), &format!("demo-{number}"), T0))
        .collect();
    store.insert_devices(&devices).await.unwrap();
    assert_eq!(
        store.group(acme.id, group.id).await.unwrap().device_count,
        1234
    );
    store.insert_devices(&[]).await.unwrap();

    // One bad row (a missing group) at the end refuses the whole batch.
    let mut batch: Vec<NewDevice> = (0..500)
        .map(|number| NewDevice::bare(acme.id, None, &format!("late-{number}"), T0))
        .collect();
    batch.push(NewDevice::bare(acme.id, Some(GroupId::new()), "stray", T0));
    assert_not_found(store.insert_devices(&batch).await);
    let filter = DeviceFilter {
        group_id: Some(None),
        ..DeviceFilter::default()
    };
    assert!(device_ids(store, acme.id, &filter).await.is_empty());
}

async fn another_organizations_device_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let theirs = insert_named_device(store, other.id, None, "theirs").await;

    assert_not_found(store.device(acme.id, theirs).await);
    assert_not_found(store.device(acme.id, DeviceId::new()).await);
    let change = DeviceChange {
        nickname: Some(Some("mine now".into())),
        ..DeviceChange::default()
    };
    assert_not_found(
        store
            .update_device(acme.id, theirs, &change, minutes(1), None)
            .await,
    );
    assert_not_found(
        store
            .delete_device(acme.id, theirs, time::OffsetDateTime::UNIX_EPOCH, None)
            .await,
    );
    let stored = store.device(other.id, theirs).await.unwrap();
    assert_eq!(stored.nickname, None);
}

async fn a_change_sets_and_clears_nickname_notes_and_group(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let id = insert_named_device(store, acme.id, None, "web-1").await;

    let change = DeviceChange {
        nickname: Some(Some("Front door".into())),
        notes: Some(Some("Rack 4".into())),
        group_id: Some(Some(group.id)),
    };
    let changed = store
        .update_device(acme.id, id, &change, minutes(1), None)
        .await
        .unwrap();
    assert_eq!(changed.nickname.as_deref(), Some("Front door"));
    assert_eq!(changed.notes.as_deref(), Some("Rack 4"));
    assert_eq!(changed.group_name.as_deref(), Some("Servers"));
    assert_eq!(changed.updated_at, minutes(1));
    assert_eq!(
        store.group(acme.id, group.id).await.unwrap().device_count,
        1
    );

    // Only the notes change; then everything is cleared.
    let notes_only = DeviceChange {
        notes: Some(Some("Rack 5".into())),
        ..DeviceChange::default()
    };
    let changed = store
        .update_device(acme.id, id, &notes_only, minutes(2), None)
        .await
        .unwrap();
    assert_eq!(changed.nickname.as_deref(), Some("Front door"));
    assert_eq!(changed.notes.as_deref(), Some("Rack 5"));
    assert_eq!(changed.group_id, Some(group.id));
    let clear = DeviceChange {
        nickname: Some(None),
        notes: Some(None),
        group_id: Some(None),
    };
    let cleared = store
        .update_device(acme.id, id, &clear, minutes(3), None)
        .await
        .unwrap();
    assert_eq!((cleared.nickname, cleared.notes), (None, None));
    assert_eq!((cleared.group_id, cleared.group_name), (None, None));
    assert_eq!(
        store.group(acme.id, group.id).await.unwrap().device_count,
        0
    );
    assert_eq!(
        store.device(acme.id, id).await.unwrap().updated_at,
        minutes(3)
    );
}

async fn a_change_into_a_missing_or_foreign_group_changes_nothing(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;
    let id = insert_named_device(store, acme.id, None, "web-1").await;

    for group_id in [GroupId::new(), foreign.id] {
        let change = DeviceChange {
            nickname: Some(Some("moved".into())),
            group_id: Some(Some(group_id)),
            ..DeviceChange::default()
        };
        assert_not_found(
            store
                .update_device(acme.id, id, &change, minutes(1), None)
                .await,
        );
    }
    let stored = store.device(acme.id, id).await.unwrap();
    assert_eq!((stored.nickname, stored.group_id), (None, None));
    assert_eq!(stored.updated_at, T0);
}

async fn deleting_a_device_takes_its_tags_values_alerts_updates_and_token(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let mut device = NewDevice::bare(acme.id, Some(group.id), "web-1", T0);
    device.token_digest = Some(digest(9));
    store.insert_device(&device).await.unwrap();
    let keep = insert_named_device(store, acme.id, None, "web-2").await;
    let tag = store
        .insert_tag(acme.id, TagId::new(), "prod", T0, None)
        .await
        .unwrap();
    store
        .tag_devices(acme.id, tag.id, &[device.id, keep], T0, None)
        .await
        .unwrap();
    let field = CustomFieldRecord {
        id: CustomFieldId::new(),
        name: "Owner".into(),
        admin_only: false,
    };
    store
        .insert_custom_field(acme.id, &field, T0, None)
        .await
        .unwrap();
    let value = StoredValue {
        field_id: field.id,
        assignee: Assignee::Device(device.id),
        value: Some("Ada".into()),
    };
    store
        .set_custom_field_value(acme.id, &value, false, T0, None)
        .await
        .unwrap();
    let alert = NewAlert {
        id: AlertId::new(),
        organization_id: acme.id,
        device_id: device.id,
        name: "Disk full".into(),
        description: "/ is full".into(),
        payload: None,
        severity: Severity::Warning,
        started_at: T0,
    };
    store.insert_alert(&alert).await.unwrap();
    let checkin = CheckIn {
        device_id: device.id,
        hostname: "web-1".into(),
        serial_number: None,
        inventory: inventory_json("web-1"),
        public_ip_address: None,
        updates: vec![NewUpdate {
            name: "openssl".into(),
            category: None,
            version: Some("3.0.1".into()),
            size: None,
            kb_ids: Vec::new(),
            is_available: true,
            error: None,
            published_on: None,
            installed_on: None,
        }],
        seen_at: minutes(1),
        offline_after: minutes(16),
        digests: None,
    };
    store.record_checkin(acme.id, &checkin).await.unwrap();
    let update_id = store
        .list_updates(acme.id, Some(device.id), None, &first_page(10))
        .await
        .unwrap()
        .items[0]
        .id;

    store
        .delete_device(acme.id, device.id, time::OffsetDateTime::UNIX_EPOCH, None)
        .await
        .unwrap();

    assert_not_found(store.device(acme.id, device.id).await);
    assert_not_found(
        store
            .delete_device(acme.id, device.id, time::OffsetDateTime::UNIX_EPOCH, None)
            .await,
    );
    assert_eq!(store.device_by_token(&digest(9)).await.unwrap(), None);
    assert_eq!(store.tag(acme.id, tag.id).await.unwrap().device_count, 1);
    let values = store
        .custom_field_values(acme.id, &[Assignee::Device(device.id)], None)
        .await
        .unwrap();
    assert!(values.is_empty());
    assert_not_found(store.alert(acme.id, alert.id).await);
    assert_not_found(store.update(acme.id, update_id).await);
    assert_eq!(
        store.group(acme.id, group.id).await.unwrap().device_count,
        0
    );
    assert_eq!(store.device(acme.id, keep).await.unwrap().tags, ["prod"]);
}

async fn a_token_names_its_device_and_organization(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let mut device = NewDevice::bare(acme.id, None, "agent-1", T0);
    device.token_digest = Some(digest(3));
    store.insert_device(&device).await.unwrap();
    insert_named_device(store, acme.id, None, "no-token").await;

    let owner = store.device_by_token(&digest(3)).await.unwrap().unwrap();
    assert_eq!(
        (owner.organization_id, owner.device_id),
        (acme.id, device.id)
    );
    assert_eq!(store.device_by_token(&digest(4)).await.unwrap(), None);
}
