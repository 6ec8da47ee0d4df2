//! The device inventory rows of the `plumb db copy` seed (a device enrolled with a token and
//! checked in with updates, a tag on it, a custom field with values at two levels, an alert),
//! and the check that they read back the same through the `Store` trait after a copy.

use plumb_core::Store;
use plumb_core::crypto::Digest;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::{AlertId, CustomFieldId, DeviceId, OrganizationId, TagId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{
    CheckIn, CustomFieldRecord, DeviceChange, DeviceFilter, InventoryDetail, NewAlert,
};
use plumb_core::store::{NewDevice, NewUpdate};
use plumb_proto::inventory::{Inventory, OperatingSystem};
use plumb_proto::v2::Severity;
use time::{Duration, OffsetDateTime};

/// The seeded device's token digest.
const TOKEN: Digest = Digest([0x5a; 32]);

/// What was seeded, to look it up again.
pub struct SeededDevices {
    device: DeviceId,
}

fn update(name: &str, is_available: bool, t0: OffsetDateTime) -> NewUpdate {
    NewUpdate {
        name: name.into(),
        category: Some("security".into()),
        version: Some("1.2.3".into()),
        size: Some(4096),
        kb_ids: vec!["KB5031234".into()],
        is_available,
        error: None,
        published_on: Some(t0),
        installed_on: (!is_available).then_some(t0 + Duration::minutes(1)),
    }
}

/// Seeds an ungrouped device with a token, a check-in with two updates, a tag on it, a custom
/// field with an organization and a device value, and an alert: one row in each inventory table
/// (two values and two updates).
pub async fn seed_devices(
    store: &dyn Store,
    organization_id: OrganizationId,
    t0: OffsetDateTime,
) -> SeededDevices {
    let mut device = NewDevice::bare(organization_id, None, "laptop", t0);
    device.serial_number = Some("SN-42".into());
    device.token_digest = Some(TOKEN);
    store.insert_device(&device).await.unwrap();
    let change = DeviceChange {
        nickname: Some(Some("Reception".into())),
        notes: Some(Some("Front desk".into())),
        group_id: None,
    };
    store
        .update_device(organization_id, device.id, &change, t0, None)
        .await
        .unwrap();
    let checkin = CheckIn {
        device_id: device.id,
        hostname: "laptop".into(),
        serial_number: Some("SN-42".into()),
        inventory: serde_json::to_string(&laptop_inventory()).unwrap(),
        public_ip_address: Some("203.0.113.4".into()),
        updates: vec![update("openssl", true, t0), update("curl", false, t0)],
        seen_at: t0 + Duration::minutes(2),
        offline_after: t0 + Duration::minutes(17),
    };
    store
        .record_checkin(organization_id, &checkin)
        .await
        .unwrap();
    let tag = store
        .insert_tag(organization_id, TagId::new(), "🔥 prod", t0, None)
        .await
        .unwrap();
    store
        .tag_devices(organization_id, tag.id, &[device.id], t0, None)
        .await
        .unwrap();
    let field = CustomFieldRecord {
        id: CustomFieldId::new(),
        name: "Owner".into(),
        admin_only: true,
    };
    store
        .insert_custom_field(organization_id, &field, t0, None)
        .await
        .unwrap();
    for (assignee, value) in [
        (Assignee::Organization, "Ops"),
        (Assignee::Device(device.id), "Ada"),
    ] {
        let stored = StoredValue {
            field_id: field.id,
            assignee,
            value: Some(value.into()),
        };
        store
            .set_custom_field_value(organization_id, &stored, false, t0, None)
            .await
            .unwrap();
    }
    let alert = NewAlert {
        id: AlertId::new(),
        organization_id,
        device_id: device.id,
        name: "Disk full".into(),
        description: "/ is 98% full".into(),
        payload: Some(r#"{"mount":"/"}"#.into()),
        severity: Severity::Warning,
        started_at: t0,
    };
    store.insert_alert(&alert).await.unwrap();
    SeededDevices { device: device.id }
}

/// What the seeded device's agent reported.
fn laptop_inventory() -> Inventory {
    Inventory {
        hostname: "laptop".into(),
        operating_system: OperatingSystem {
            full_operating_system: Some("Debian GNU/Linux 12 (bookworm)".into()),
            ..OperatingSystem::default()
        },
        serial_number: Some("SN-42".into()),
        ..Inventory::default()
    }
}

/// The first page of up to 100 items.
fn first<Id>() -> PageRequest<Id> {
    PageRequest {
        limit: 100,
        cursor: Cursor::First,
    }
}

/// Asserts that the inventory reads back the same from `copy` as from `original`.
pub async fn assert_same_devices(
    original: &dyn Store,
    copy: &dyn Store,
    organization_id: OrganizationId,
    seeded: &SeededDevices,
) {
    for store in [original, copy] {
        let owner = store.device_by_token(&TOKEN).await.unwrap().unwrap();
        assert_eq!(owner.device_id, seeded.device);
    }
    let filter = DeviceFilter::default();
    let listed = original
        .list_devices(organization_id, &filter, &first(), InventoryDetail::Whole)
        .await
        .unwrap();
    assert_eq!(
        listed,
        copy.list_devices(organization_id, &filter, &first(), InventoryDetail::Whole)
            .await
            .unwrap()
    );
    let device = copy.device(organization_id, seeded.device).await.unwrap();
    assert_eq!(device.tags, ["🔥 prod"]);
    assert!(device.online);
    assert_eq!(device.inventory.as_deref(), Some(&laptop_inventory()));
    assert_eq!(
        original.list_tags(organization_id, &first()).await.unwrap(),
        copy.list_tags(organization_id, &first()).await.unwrap()
    );
    let fields = original.all_custom_fields(organization_id).await.unwrap();
    assert_eq!(
        fields,
        copy.all_custom_fields(organization_id).await.unwrap()
    );
    let levels = [Assignee::Organization, Assignee::Device(seeded.device)];
    let values = original
        .custom_field_values(organization_id, &levels, None)
        .await
        .unwrap();
    assert_eq!(values.len(), 2);
    assert_eq!(
        values,
        copy.custom_field_values(organization_id, &levels, None)
            .await
            .unwrap()
    );
    assert_eq!(
        original
            .list_alerts(organization_id, None, None, &first())
            .await
            .unwrap(),
        copy.list_alerts(organization_id, None, None, &first())
            .await
            .unwrap()
    );
    let updates = original
        .list_updates(organization_id, None, None, &first())
        .await
        .unwrap();
    assert_eq!(updates.items.len(), 2);
    assert_eq!(
        updates,
        copy.list_updates(organization_id, None, None, &first())
            .await
            .unwrap()
    );
}
