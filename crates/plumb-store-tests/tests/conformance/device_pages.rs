//! Keyset pages of devices: travel in both directions, the edges of `has_more`, every filter
//! alone and combined, and tenant isolation.

use plumb_core::Store;
use plumb_core::id::{DeviceId, GroupId, OrganizationId, TagId};
use plumb_core::page::Cursor;
use plumb_core::store::{CheckIn, DeviceChange, DeviceFilter, NewDevice};

use crate::support::tenant;
use crate::support::{T0, device_ids, device_page, insert_group, insert_named_device, minutes};

conformance!(
    an_empty_organization_has_an_empty_last_page_of_devices,
    device_pages_walk_forward_and_backward_in_id_order,
    an_exact_multiple_of_the_limit_ends_the_device_pages_without_more,
    an_unknown_cursor_id_is_just_a_position,
    device_pages_hold_only_the_organizations_devices,
    the_group_filters_pick_direct_members_ungrouped_devices_or_a_subtree,
    a_missing_or_foreign_ancestor_group_yields_no_devices,
    the_tag_hostname_serial_and_online_filters_match_exactly,
    search_matches_hostname_or_nickname_ignoring_case_and_wildcards,
    filters_combine_and_pages_carry_group_names_and_sorted_tags,
);

/// Inserts `count` devices and returns their ids in id order.
async fn devices(
    store: &dyn Store,
    organization_id: OrganizationId,
    count: usize,
) -> Vec<DeviceId> {
    let mut ids = Vec::new();
    for number in 0..count {
        ids.push(
            insert_named_device(store, organization_id, None, &format!("host-{number}")).await,
        );
    }
    ids.sort();
    ids
}

fn all() -> DeviceFilter {
    DeviceFilter::default()
}

async fn an_empty_organization_has_an_empty_last_page_of_devices(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    for cursor in [
        Cursor::First,
        Cursor::After(DeviceId::new()),
        Cursor::Before(DeviceId::new()),
    ] {
        assert_eq!(
            device_page(store, acme.id, &all(), 5, cursor).await,
            (vec![], false)
        );
    }
}

async fn device_pages_walk_forward_and_backward_in_id_order(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let ids = devices(store, acme.id, 5).await;

    let first = device_page(store, acme.id, &all(), 2, Cursor::First).await;
    assert_eq!(first, (ids[0..2].to_vec(), true));
    let second = device_page(store, acme.id, &all(), 2, Cursor::After(ids[1])).await;
    assert_eq!(second, (ids[2..4].to_vec(), true));
    let last = device_page(store, acme.id, &all(), 2, Cursor::After(ids[3])).await;
    assert_eq!(last, (ids[4..].to_vec(), false));

    let back = device_page(store, acme.id, &all(), 2, Cursor::Before(ids[4])).await;
    assert_eq!(back, (ids[2..4].to_vec(), true));
    let start = device_page(store, acme.id, &all(), 2, Cursor::Before(ids[2])).await;
    assert_eq!(start, (ids[0..2].to_vec(), false));
}

async fn an_exact_multiple_of_the_limit_ends_the_device_pages_without_more(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let ids = devices(store, acme.id, 4).await;

    assert_eq!(
        device_page(store, acme.id, &all(), 2, Cursor::After(ids[1])).await,
        (ids[2..].to_vec(), false)
    );
    assert_eq!(
        device_page(store, acme.id, &all(), 4, Cursor::First).await,
        (ids.clone(), false)
    );
    assert_eq!(
        device_page(store, acme.id, &all(), 2, Cursor::After(ids[3])).await,
        (vec![], false)
    );
}

async fn an_unknown_cursor_id_is_just_a_position(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let before = devices(store, acme.id, 2).await;
    let between = DeviceId::new();
    let after = devices(store, acme.id, 2).await;

    assert_eq!(
        device_page(store, acme.id, &all(), 10, Cursor::After(between)).await,
        (after.clone(), false)
    );
    assert_eq!(
        device_page(store, acme.id, &all(), 10, Cursor::Before(between)).await,
        (before, false)
    );
}

async fn device_pages_hold_only_the_organizations_devices(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let ours = devices(store, acme.id, 2).await;
    let theirs = devices(store, other.id, 2).await;

    assert_eq!(device_ids(store, acme.id, &all()).await, ours);
    assert_eq!(device_ids(store, other.id, &all()).await, theirs);
    let by_host = DeviceFilter {
        hostname: Some("host-0".into()),
        ..all()
    };
    assert_eq!(device_ids(store, acme.id, &by_host).await, ours[..1]);
}

async fn the_group_filters_pick_direct_members_ungrouped_devices_or_a_subtree(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let root = insert_group(store, acme.id, None, "Root").await;
    let child = insert_group(store, acme.id, Some(root.id), "Child").await;
    let grandchild = insert_group(store, acme.id, Some(child.id), "Grandchild").await;
    let sibling = insert_group(store, acme.id, None, "Sibling").await;
    let in_root = insert_named_device(store, acme.id, Some(root.id), "a").await;
    let in_child = insert_named_device(store, acme.id, Some(child.id), "b").await;
    let in_grandchild = insert_named_device(store, acme.id, Some(grandchild.id), "c").await;
    let in_sibling = insert_named_device(store, acme.id, Some(sibling.id), "d").await;
    let loose = insert_named_device(store, acme.id, None, "e").await;

    let direct = DeviceFilter {
        group_id: Some(Some(child.id)),
        ..all()
    };
    assert_eq!(device_ids(store, acme.id, &direct).await, [in_child]);
    let ungrouped = DeviceFilter {
        group_id: Some(None),
        ..all()
    };
    assert_eq!(device_ids(store, acme.id, &ungrouped).await, [loose]);
    let subtree = DeviceFilter {
        ancestor_group_id: Some(root.id),
        ..all()
    };
    assert_eq!(
        device_ids(store, acme.id, &subtree).await,
        [in_root, in_child, in_grandchild]
    );
    let lower = DeviceFilter {
        ancestor_group_id: Some(child.id),
        ..all()
    };
    assert_eq!(
        device_ids(store, acme.id, &lower).await,
        [in_child, in_grandchild]
    );
    let both = DeviceFilter {
        group_id: Some(Some(sibling.id)),
        ancestor_group_id: Some(root.id),
        ..all()
    };
    assert!(device_ids(store, acme.id, &both).await.is_empty());
    assert_eq!(
        device_ids(
            store,
            acme.id,
            &DeviceFilter {
                group_id: Some(Some(sibling.id)),
                ..all()
            }
        )
        .await,
        [in_sibling]
    );
}

async fn a_missing_or_foreign_ancestor_group_yields_no_devices(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;
    insert_named_device(store, other.id, Some(foreign.id), "theirs").await;
    insert_named_device(store, acme.id, None, "ours").await;

    for group_id in [GroupId::new(), foreign.id] {
        let filter = DeviceFilter {
            ancestor_group_id: Some(group_id),
            ..all()
        };
        assert!(device_ids(store, acme.id, &filter).await.is_empty());
        let direct = DeviceFilter {
            group_id: Some(Some(group_id)),
            ..all()
        };
        assert!(device_ids(store, acme.id, &direct).await.is_empty());
    }
}

async fn the_tag_hostname_serial_and_online_filters_match_exactly(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let mut first = NewDevice::bare(acme.id, None, "web", T0);
    first.serial_number = Some("SN-1".into());
    store.insert_device(&first).await.unwrap();
    let mut second = NewDevice::bare(acme.id, None, "web-2", T0);
    second.serial_number = Some("SN-10".into());
    store.insert_device(&second).await.unwrap();
    let tag = store
        .insert_tag(acme.id, TagId::new(), "prod", T0)
        .await
        .unwrap();
    store
        .tag_devices(acme.id, tag.id, &[second.id], T0)
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
        inventory: "{}".into(),
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
        .update_device(acme.id, nicknamed, &change, minutes(1))
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
        .insert_tag(acme.id, TagId::new(), "zulu", T0)
        .await
        .unwrap();
    let alpha = store
        .insert_tag(acme.id, TagId::new(), "alpha", T0)
        .await
        .unwrap();
    for tag in [&zulu, &alpha] {
        store
            .tag_devices(acme.id, tag.id, &[web, web_loose, db], T0)
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
        .list_devices(acme.id, &all(), &crate::support::first_page(10))
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
