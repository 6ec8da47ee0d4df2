//! Device list filters: exact matches (tag, hostname, serial number, online), the search, and
//! every filter combined, with the group names and sorted tags a page carries.

use plumb_core::Store;
use plumb_core::id::{DeviceId, OrganizationId, TagId};
use plumb_core::store::{CheckIn, DeviceChange, DeviceFilter, InventoryDetail, NewDevice};

use crate::support::{T0, device_ids, insert_group, insert_named_device, minutes};
use crate::support::{inventory_json, tenant};

fn all() -> DeviceFilter {
    DeviceFilter::default()
}

conformance!(
    the_tag_hostname_serial_and_online_filters_match_exactly,
    search_matches_hostname_or_nickname_ignoring_case_and_wildcards,
    filters_combine_and_pages_carry_group_names_and_sorted_tags,
);

async fn the_tag_hostname_serial_and_online_filters_match_exactly(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let mut first = NewDevice::bare(acme.id, None, "web", T0);
    first.serial_number = Some("SN-1".into());
    store.insert_device(&first).await.unwrap();
    let mut second = NewDevice::bare(acme.id, None, "web-2", T0);
    second.serial_number = Some("SN-10".into());
    store.insert_device(&second).await.unwrap();
    let tag = store
        .insert_tag(acme.id, TagId::new(), "prod", T0, None)
        .await
        .unwrap();
    store
        .tag_devices(acme.id, tag.id, &[second.id], T0, None)
        .await
        .unwrap();
    check_in(store, acme.id, first.id, "web").await;

    let cases = [
        (
            DeviceFilter {
                tag_id: Some(tag.id),
                ..all()
            },
            vec![second.id],
        ),
        (
            DeviceFilter {
                tag_id: Some(TagId::new()),
                ..all()
            },
            vec![],
        ),
        (
            DeviceFilter {
                hostname: Some("web".into()),
                ..all()
            },
            vec![first.id],
        ),
        (
            DeviceFilter {
                hostname: Some("WEB".into()),
                ..all()
            },
            vec![],
        ),
        (
            DeviceFilter {
                serial_number: Some("SN-1".into()),
                ..all()
            },
            vec![first.id],
        ),
        (
            DeviceFilter {
                online: Some(true),
                ..all()
            },
            vec![first.id],
        ),
        (
            DeviceFilter {
                online: Some(false),
                ..all()
            },
            vec![second.id],
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(
            device_ids(store, acme.id, &filter).await,
            expected,
            "{filter:?}"
        );
    }
}

/// A check-in that leaves the device online.
async fn check_in(store: &dyn Store, organization_id: OrganizationId, id: DeviceId, host: &str) {
    let checkin = CheckIn {
        device_id: id,
        hostname: host.into(),
        serial_number: Some("SN-1".into()),
        inventory: inventory_json(host),
        public_ip_address: Some("203.0.113.9".into()),
        updates: Vec::new(),
        seen_at: minutes(1),
        offline_after: minutes(16),
    };
    store
        .record_checkin(organization_id, &checkin)
        .await
        .unwrap();
}

async fn search_matches_hostname_or_nickname_ignoring_case_and_wildcards(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let mail = insert_named_device(store, acme.id, None, "Mail-Server").await;
    let percent = insert_named_device(store, acme.id, None, "100%_up").await;
    let nicknamed = insert_named_device(store, acme.id, None, "x1").await;
    let change = DeviceChange {
        nickname: Some(Some("Reception PC".into())),
        ..DeviceChange::default()
    };
    store
        .update_device(acme.id, nicknamed, &change, minutes(1), None)
        .await
        .unwrap();

    let cases = [
        ("mail", vec![mail]),
        ("SERVER", vec![mail]),
        ("reception", vec![nicknamed]),
        ("%", vec![percent]),
        ("_", vec![percent]),
        ("0%_", vec![percent]),
        ("e", vec![mail, nicknamed]),
        ("nothing", vec![]),
    ];
    for (search, expected) in cases {
        let filter = DeviceFilter {
            search: Some(search.into()),
            ..all()
        };
        assert_eq!(
            device_ids(store, acme.id, &filter).await,
            expected,
            "{search}"
        );
    }
}

async fn filters_combine_and_pages_carry_group_names_and_sorted_tags(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let web = insert_named_device(store, acme.id, Some(group.id), "web").await;
    let web_loose = insert_named_device(store, acme.id, None, "web").await;
    let db = insert_named_device(store, acme.id, Some(group.id), "db").await;
    let zulu = store
        .insert_tag(acme.id, TagId::new(), "zulu", T0, None)
        .await
        .unwrap();
    let alpha = store
        .insert_tag(acme.id, TagId::new(), "alpha", T0, None)
        .await
        .unwrap();
    for tag in [&zulu, &alpha] {
        store
            .tag_devices(acme.id, tag.id, &[web, web_loose, db], T0, None)
            .await
            .unwrap();
    }
    check_in(store, acme.id, db, "db").await;

    let filter = DeviceFilter {
        group_id: Some(Some(group.id)),
        ancestor_group_id: Some(group.id),
        tag_id: Some(alpha.id),
        search: Some("W".into()),
        online: Some(false),
        ..all()
    };
    assert_eq!(device_ids(store, acme.id, &filter).await, [web]);

    let page = store
        .list_devices(
            acme.id,
            &all(),
            &crate::support::first_page(10),
            InventoryDetail::Whole,
        )
        .await
        .unwrap();
    let listed = page.items.iter().find(|device| device.id == web).unwrap();
    assert_eq!(listed.group_name.as_deref(), Some("Servers"));
    assert_eq!(listed.tags, ["alpha", "zulu"]);
    let loose = page
        .items
        .iter()
        .find(|device| device.id == web_loose)
        .unwrap();
    assert_eq!(loose.group_name, None);
}
