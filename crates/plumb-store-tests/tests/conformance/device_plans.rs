//! The plans behind the tag and subtree filters (a walk of the tag's entries; one keyset
//! subquery per group of a small subtree, a scan of a large one) page exactly like a listing
//! of everything filtered here: both directions, `has_more` at every step, and combined with
//! the other filters.

use plumb_core::Store;
use plumb_core::id::{DeviceId, GroupId, OrganizationId, TagId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{DeviceFilter, DeviceRecord, InventoryDetail};

use crate::support::{T0, device_page, insert_group, insert_named_device, tenant};

conformance!(
    a_subtree_above_the_union_threshold_pages_like_the_same_devices_below_it,
    tag_pages_walk_both_ways_like_a_filtered_listing_of_everything,
    tag_group_hostname_and_search_combine_with_the_new_plans,
    a_tag_of_another_organization_or_with_no_devices_yields_no_devices,
);

/// The world of these tests: a big subtree (68 groups, above the 64 of the union plan) whose
/// devices all sit in a small one (3 groups) inside it, and devices outside both.
struct World {
    organization_id: OrganizationId,
    /// The big subtree's root.
    big: GroupId,
    /// The small subtree's root, a child of `big`.
    small: GroupId,
    /// A group outside both.
    outside: GroupId,
    /// On every third device.
    vip: TagId,
    /// Every device, listed without filters, in id order.
    everything: Vec<DeviceRecord>,
}

async fn world(store: &dyn Store) -> World {
    let acme = tenant(store, "acme").await;
    let organization_id = acme.id;
    let big = insert_group(store, organization_id, None, "Client")
        .await
        .id;
    let small = insert_group(store, organization_id, Some(big), "Site")
        .await
        .id;
    let first = insert_group(store, organization_id, Some(small), "Floor 1")
        .await
        .id;
    let second = insert_group(store, organization_id, Some(first), "Room")
        .await
        .id;
    for number in 0..64 {
        insert_group(
            store,
            organization_id,
            Some(big),
            &format!("Empty {number}"),
        )
        .await;
    }
    let outside = insert_group(store, organization_id, None, "Other").await.id;
    let spots = [Some(small), Some(first), Some(second), Some(outside), None];
    let mut ids = Vec::new();
    for number in 0..40 {
        let hostname = if number % 2 == 0 { "web" } else { "db" };
        let group = spots[number % spots.len()];
        ids.push(insert_named_device(store, organization_id, group, hostname).await);
    }
    let vip = store
        .insert_tag(organization_id, TagId::new(), "VIP", T0, None)
        .await
        .unwrap();
    let tagged: Vec<DeviceId> = ids.iter().copied().step_by(3).collect();
    store
        .tag_devices(organization_id, vip.id, &tagged, T0, None)
        .await
        .unwrap();
    let everything = everything(store, organization_id).await;
    World {
        organization_id,
        big,
        small,
        outside,
        vip: vip.id,
        everything,
    }
}

/// Every device of the organization, walked page by page without filters.
async fn everything(store: &dyn Store, organization_id: OrganizationId) -> Vec<DeviceRecord> {
    let mut devices: Vec<DeviceRecord> = Vec::new();
    loop {
        let cursor = devices
            .last()
            .map_or(Cursor::First, |device| Cursor::After(device.id));
        let request = PageRequest { limit: 7, cursor };
        let page = store
            .list_devices(
                organization_id,
                &DeviceFilter::default(),
                &request,
                InventoryDetail::Whole,
            )
            .await
            .unwrap();
        devices.extend(page.items);
        if !page.has_more {
            return devices;
        }
    }
}

impl World {
    /// The ids of the devices for which `keep` holds, in id order.
    fn expect(&self, keep: impl Fn(&DeviceRecord) -> bool) -> Vec<DeviceId> {
        self.everything
            .iter()
            .filter(|device| keep(device))
            .map(|device| device.id)
            .collect()
    }

    /// Whether `device` sits in the small subtree (the only groups of the big one with
    /// devices).
    fn in_subtree(&self, device: &DeviceRecord) -> bool {
        device.group_id.is_some_and(|group| group != self.outside)
    }
}

/// A cursor past every id.
fn past_the_end() -> DeviceId {
    DeviceId::parse("ffffffff-ffff-7fff-bfff-ffffffffffff").unwrap()
}

/// Walks `filter`'s pages of 4 forward from the start and backward from past the end and
/// from the last expected device, checking every page against `expected`.
async fn assert_pages(
    store: &dyn Store,
    organization_id: OrganizationId,
    filter: &DeviceFilter,
    expected: &[DeviceId],
) {
    let mut forward: Vec<DeviceId> = Vec::new();
    let mut cursor = Cursor::First;
    loop {
        let (ids, more) = device_page(store, organization_id, filter, 4, cursor).await;
        forward.extend(&ids);
        assert_eq!(more, forward.len() < expected.len(), "{filter:?}");
        match ids.last() {
            Some(last) if more => cursor = Cursor::After(*last),
            _ => break,
        }
    }
    assert_eq!(forward, expected, "forward {filter:?}");

    let starts = [Some(past_the_end()), expected.last().copied()];
    for start in starts.into_iter().flatten() {
        let before_start: Vec<DeviceId> =
            expected.iter().copied().filter(|id| *id < start).collect();
        let mut backward = Vec::new();
        let mut cursor = Cursor::Before(start);
        loop {
            let (ids, more) = device_page(store, organization_id, filter, 4, cursor).await;
            backward.splice(0..0, ids.iter().copied());
            assert_eq!(more, backward.len() < before_start.len(), "{filter:?}");
            match ids.first() {
                Some(first) if more => cursor = Cursor::Before(*first),
                _ => break,
            }
        }
        assert_eq!(backward, before_start, "backward {filter:?}");
    }
}

async fn a_subtree_above_the_union_threshold_pages_like_the_same_devices_below_it(
    store: &dyn Store,
) {
    let world = world(store).await;
    let expected = world.expect(|device| world.in_subtree(device));
    assert_eq!(expected.len(), 24);
    for ancestor in [world.small, world.big] {
        let filter = DeviceFilter {
            ancestor_group_id: Some(ancestor),
            ..DeviceFilter::default()
        };
        assert_pages(store, world.organization_id, &filter, &expected).await;
    }
}

async fn tag_pages_walk_both_ways_like_a_filtered_listing_of_everything(store: &dyn Store) {
    let world = world(store).await;
    let vip = |device: &DeviceRecord| device.tags.iter().any(|tag| tag == "VIP");
    let expected = world.expect(vip);
    assert_eq!(expected.len(), 14);
    let filter = DeviceFilter {
        tag_id: Some(world.vip),
        ..DeviceFilter::default()
    };
    assert_pages(store, world.organization_id, &filter, &expected).await;
}

async fn tag_group_hostname_and_search_combine_with_the_new_plans(store: &dyn Store) {
    let world = world(store).await;
    let vip = |device: &DeviceRecord| device.tags.iter().any(|tag| tag == "VIP");
    let web = |device: &DeviceRecord| device.hostname == "web";
    let tag_in_group = DeviceFilter {
        tag_id: Some(world.vip),
        group_id: Some(Some(world.small)),
        ..DeviceFilter::default()
    };
    let expected = world.expect(|device| vip(device) && device.group_id == Some(world.small));
    assert!(!expected.is_empty());
    assert_pages(store, world.organization_id, &tag_in_group, &expected).await;

    let tag_ungrouped = DeviceFilter {
        tag_id: Some(world.vip),
        group_id: Some(None),
        ..DeviceFilter::default()
    };
    let expected = world.expect(|device| vip(device) && device.group_id.is_none());
    assert_pages(store, world.organization_id, &tag_ungrouped, &expected).await;

    for ancestor in [world.small, world.big] {
        let hostname = DeviceFilter {
            ancestor_group_id: Some(ancestor),
            hostname: Some("web".into()),
            ..DeviceFilter::default()
        };
        let expected = world.expect(|device| world.in_subtree(device) && web(device));
        assert_pages(store, world.organization_id, &hostname, &expected).await;

        let tagged = DeviceFilter {
            ancestor_group_id: Some(ancestor),
            tag_id: Some(world.vip),
            ..DeviceFilter::default()
        };
        let expected = world.expect(|device| world.in_subtree(device) && vip(device));
        assert_pages(store, world.organization_id, &tagged, &expected).await;

        let everything_at_once = DeviceFilter {
            ancestor_group_id: Some(ancestor),
            group_id: Some(Some(world.small)),
            tag_id: Some(world.vip),
            search: Some("WE".into()),
            online: Some(false),
            ..DeviceFilter::default()
        };
        let expected = world
            .expect(|device| device.group_id == Some(world.small) && vip(device) && web(device));
        assert!(!expected.is_empty());
        assert_pages(store, world.organization_id, &everything_at_once, &expected).await;

        let outside = DeviceFilter {
            ancestor_group_id: Some(ancestor),
            group_id: Some(Some(world.outside)),
            ..DeviceFilter::default()
        };
        assert_pages(store, world.organization_id, &outside, &[]).await;
    }
}

async fn a_tag_of_another_organization_or_with_no_devices_yields_no_devices(store: &dyn Store) {
    let world = world(store).await;
    let other = tenant(store, "other").await;
    insert_named_device(store, other.id, None, "web").await;
    let unused = store
        .insert_tag(world.organization_id, TagId::new(), "Unused", T0, None)
        .await
        .unwrap();
    let foreign = DeviceFilter {
        tag_id: Some(world.vip),
        ..DeviceFilter::default()
    };
    assert_pages(store, other.id, &foreign, &[]).await;
    let empty = DeviceFilter {
        tag_id: Some(unused.id),
        ancestor_group_id: Some(world.big),
        ..DeviceFilter::default()
    };
    assert_pages(store, world.organization_id, &empty, &[]).await;
}
