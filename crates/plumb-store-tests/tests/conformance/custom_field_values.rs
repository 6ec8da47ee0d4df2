//! Custom fields and their values: unique names, pages, values per level, deletes, and
//! tenancy. What `force` clears below a level is in `custom_field_cascade`.

use plumb_core::Store;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::{CustomFieldId, DeviceId, GroupId};
use plumb_core::store::CustomFieldRecord;

use crate::custom_field_cascade::{field, levels_set, tree_of_values, value};
use crate::support::{T0, assert_conflict, assert_not_found, first_page, insert_group};
use crate::support::{insert_named_device, minutes, tenant};

conformance!(
    a_field_name_is_unique_and_fields_change_and_go,
    fields_page_in_id_order_and_stay_in_their_organization,
    values_are_set_replaced_and_read_per_level,
    deleting_values_reports_whether_one_was_set,
    values_for_missing_or_foreign_fields_groups_and_devices_are_not_found,
);

async fn a_field_name_is_unique_and_fields_change_and_go(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let owner = field(store, acme.id, "Owner").await;
    let site = field(store, acme.id, "Site").await;
    let again = CustomFieldRecord {
        id: CustomFieldId::new(),
        name: "Owner".into(),
        admin_only: true,
    };
    assert_conflict(
        store.insert_custom_field(acme.id, &again, T0, None).await,
        "custom_fields.name",
    );
    assert_conflict(
        store
            .update_custom_field(acme.id, site, Some("Owner"), None, T0, None)
            .await,
        "custom_fields.name",
    );

    let changed = store
        .update_custom_field(acme.id, owner, None, Some(true), minutes(1), None)
        .await
        .unwrap();
    assert_eq!((changed.name.as_str(), changed.admin_only), ("Owner", true));
    let renamed = store
        .update_custom_field(acme.id, owner, Some("Keeper"), None, minutes(2), None)
        .await
        .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.admin_only),
        ("Keeper", true)
    );

    store
        .set_custom_field_value(
            acme.id,
            &value(site, Assignee::Organization, "HQ"),
            false,
            T0,
            None,
        )
        .await
        .unwrap();
    store
        .delete_custom_field(acme.id, site, None)
        .await
        .unwrap();
    assert_not_found(store.custom_field(acme.id, site).await);
    assert_not_found(store.delete_custom_field(acme.id, site, None).await);
    let left = store
        .custom_field_values(acme.id, &[Assignee::Organization], None)
        .await;
    assert!(left.unwrap().is_empty());
}

async fn fields_page_in_id_order_and_stay_in_their_organization(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let ids = [
        field(store, acme.id, "a").await,
        field(store, acme.id, "b").await,
        field(store, acme.id, "c").await,
    ];
    let theirs = field(store, other.id, "a").await;

    let page = store
        .list_custom_fields(acme.id, &first_page(2))
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|f| f.id).collect::<Vec<_>>(),
        ids[..2]
    );
    assert!(page.has_more);
    let all = store.all_custom_fields(acme.id).await.unwrap();
    assert_eq!(all.iter().map(|f| f.id).collect::<Vec<_>>(), ids);
    assert_not_found(store.custom_field(acme.id, theirs).await);
    assert_not_found(
        store
            .update_custom_field(acme.id, theirs, Some("x"), None, T0, None)
            .await,
    );
    assert_not_found(store.delete_custom_field(acme.id, theirs, None).await);
}

async fn values_are_set_replaced_and_read_per_level(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let device = insert_named_device(store, acme.id, Some(group.id), "web").await;
    let owner = field(store, acme.id, "Owner").await;
    let site = field(store, acme.id, "Site").await;
    let levels = [
        Assignee::Organization,
        Assignee::Group(group.id),
        Assignee::Device(device),
    ];
    for (number, level) in levels.iter().enumerate() {
        let text = format!("v{number}");
        store
            .set_custom_field_value(acme.id, &value(owner, *level, &text), false, T0, None)
            .await
            .unwrap();
    }
    store
        .set_custom_field_value(
            acme.id,
            &value(owner, Assignee::Device(device), "Ada"),
            false,
            T0,
            None,
        )
        .await
        .unwrap();
    let cleared = StoredValue {
        field_id: site,
        assignee: Assignee::Organization,
        value: None,
    };
    store
        .set_custom_field_value(acme.id, &cleared, false, T0, None)
        .await
        .unwrap();

    let all = store
        .custom_field_values(acme.id, &levels, None)
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.contains(&value(owner, Assignee::Device(device), "Ada")));
    assert!(all.contains(&cleared));
    let ordered: Vec<CustomFieldId> = all.iter().map(|stored| stored.field_id).collect();
    assert!(ordered.windows(2).all(|pair| pair[0] <= pair[1]));
    let one = store
        .custom_field_values(acme.id, &[Assignee::Group(group.id)], Some(owner))
        .await
        .unwrap();
    assert_eq!(one, [value(owner, Assignee::Group(group.id), "v1")]);
    assert!(
        store
            .custom_field_values(acme.id, &[], None)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn deleting_values_reports_whether_one_was_set(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let owner = field(store, acme.id, "Owner").await;
    let (groups, devices) = tree_of_values(store, acme.id, owner).await;

    let device = Assignee::Device(devices[2]);
    assert!(
        store
            .delete_custom_field_value(acme.id, owner, device, false, None)
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_custom_field_value(acme.id, owner, device, false, None)
            .await
            .unwrap()
    );

    // Forced at the child group: its value, the grandchild's and their devices' go.
    let child = Assignee::Group(groups[0]);
    assert!(
        store
            .delete_custom_field_value(acme.id, owner, child, true, None)
            .await
            .unwrap()
    );
    let left = levels_set(store, acme.id, &groups, &devices).await;
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.contains(&Assignee::Organization));
    assert!(left.contains(&Assignee::Group(groups[2])));

    // Nothing at the organization level any more, yet the force still clears below it.
    let organization = Assignee::Organization;
    assert!(
        store
            .delete_custom_field_value(acme.id, owner, organization, false, None)
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_custom_field_value(acme.id, owner, organization, true, None)
            .await
            .unwrap()
    );
    assert!(
        levels_set(store, acme.id, &groups, &devices)
            .await
            .is_empty()
    );
}

async fn values_for_missing_or_foreign_fields_groups_and_devices_are_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let ours = field(store, acme.id, "Owner").await;
    let theirs = field(store, other.id, "Owner").await;
    let their_group = insert_group(store, other.id, None, "Theirs").await.id;
    let their_device = insert_named_device(store, other.id, None, "theirs").await;

    let bad = [
        value(theirs, Assignee::Organization, "x"),
        value(CustomFieldId::new(), Assignee::Organization, "x"),
        value(ours, Assignee::Group(their_group), "x"),
        value(ours, Assignee::Group(GroupId::new()), "x"),
        value(ours, Assignee::Device(their_device), "x"),
        value(ours, Assignee::Device(DeviceId::new()), "x"),
    ];
    for stored in bad {
        assert_not_found(
            store
                .set_custom_field_value(acme.id, &stored, true, T0, None)
                .await,
        );
        assert_not_found(
            store
                .delete_custom_field_value(acme.id, stored.field_id, stored.assignee, true, None)
                .await,
        );
    }
    let all = [
        Assignee::Organization,
        Assignee::Group(their_group),
        Assignee::Device(their_device),
    ];
    assert!(
        store
            .custom_field_values(acme.id, &all, None)
            .await
            .unwrap()
            .is_empty()
    );
}
