//! The custom field cascade on write: what `force` clears below the level it sets; and the
//! fixtures the custom field tests share.

use plumb_core::Store;
use plumb_core::custom_fields::{Assignee, StoredValue};
use plumb_core::id::{CustomFieldId, DeviceId, GroupId, OrganizationId};
use plumb_core::store::CustomFieldRecord;

use crate::support::{T0, insert_group, insert_named_device, minutes, tenant};

conformance!(
    forcing_at_the_organization_clears_every_group_and_device_value,
    forcing_at_a_group_clears_its_subtree_but_not_the_group_or_others,
);

/// A custom field named `name`.
pub(crate) async fn field(
    store: &dyn Store,
    organization_id: OrganizationId,
    name: &str,
) -> CustomFieldId {
    let field = CustomFieldRecord {
        id: CustomFieldId::new(),
        name: name.into(),
        admin_only: false,
    };
    store
        .insert_custom_field(organization_id, &field, T0, None)
        .await
        .unwrap();
    field.id
}

/// A value of a field at a level.
pub(crate) fn value(field_id: CustomFieldId, assignee: Assignee, text: &str) -> StoredValue {
    StoredValue {
        field_id,
        assignee,
        value: Some(text.into()),
    }
}

/// Values of `field` at the organization, two nested groups, a sibling group and a device in
/// each; returns (child group, grandchild group, sibling group, devices in the same order).
pub(crate) async fn tree_of_values(
    store: &dyn Store,
    organization_id: OrganizationId,
    field_id: CustomFieldId,
) -> (Vec<GroupId>, Vec<DeviceId>) {
    let child = insert_group(store, organization_id, None, "Child").await.id;
    let grandchild = insert_group(store, organization_id, Some(child), "Grandchild")
        .await
        .id;
    let sibling = insert_group(store, organization_id, None, "Sibling")
        .await
        .id;
    let groups = vec![child, grandchild, sibling];
    let mut devices = Vec::new();
    for group in &groups {
        devices.push(insert_named_device(store, organization_id, Some(*group), "d").await);
    }
    let mut levels = vec![Assignee::Organization];
    levels.extend(groups.iter().map(|id| Assignee::Group(*id)));
    levels.extend(devices.iter().map(|id| Assignee::Device(*id)));
    for level in levels {
        store
            .set_custom_field_value(
                organization_id,
                &value(field_id, level, "x"),
                false,
                T0,
                None,
            )
            .await
            .unwrap();
    }
    (groups, devices)
}

pub(crate) async fn levels_set(
    store: &dyn Store,
    organization_id: OrganizationId,
    groups: &[GroupId],
    devices: &[DeviceId],
) -> Vec<Assignee> {
    let mut levels = vec![Assignee::Organization];
    levels.extend(groups.iter().map(|id| Assignee::Group(*id)));
    levels.extend(devices.iter().map(|id| Assignee::Device(*id)));
    let stored = store
        .custom_field_values(organization_id, &levels, None)
        .await
        .unwrap();
    stored.iter().map(|stored| stored.assignee).collect()
}

async fn forcing_at_the_organization_clears_every_group_and_device_value(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let owner = field(store, acme.id, "Owner").await;
    let other_field = field(store, acme.id, "Site").await;
    let (groups, devices) = tree_of_values(store, acme.id, owner).await;
    let kept = value(other_field, Assignee::Device(devices[0]), "kept");
    store
        .set_custom_field_value(acme.id, &kept, false, T0, None)
        .await
        .unwrap();

    let forced = value(owner, Assignee::Organization, "everyone");
    store
        .set_custom_field_value(acme.id, &forced, true, minutes(1), None)
        .await
        .unwrap();

    let left = store
        .custom_field_values(
            acme.id,
            &[Assignee::Organization, Assignee::Device(devices[0])],
            None,
        )
        .await
        .unwrap();
    let mut expected = vec![forced, kept];
    expected.sort_by_key(|stored| stored.field_id);
    assert_eq!(left, expected);
    assert_eq!(
        levels_set(store, acme.id, &groups, &devices[1..]).await,
        [Assignee::Organization]
    );
}

async fn forcing_at_a_group_clears_its_subtree_but_not_the_group_or_others(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let owner = field(store, acme.id, "Owner").await;
    let (groups, devices) = tree_of_values(store, acme.id, owner).await;

    let forced = value(owner, Assignee::Group(groups[0]), "child");
    store
        .set_custom_field_value(acme.id, &forced, true, minutes(1), None)
        .await
        .unwrap();

    let mut left = levels_set(store, acme.id, &groups, &devices).await;
    left.sort_by_key(|level| format!("{level:?}"));
    let mut expected = vec![
        Assignee::Organization,
        Assignee::Group(groups[0]),
        Assignee::Group(groups[2]),
        Assignee::Device(devices[2]),
    ];
    expected.sort_by_key(|level| format!("{level:?}"));
    assert_eq!(left, expected);

    // Forcing at a device clears nothing else.
    let beta = tenant(store, "beta").await;
    let site = field(store, beta.id, "Site").await;
    let (groups, devices) = tree_of_values(store, beta.id, site).await;
    let forced = value(site, Assignee::Device(devices[0]), "y");
    store
        .set_custom_field_value(beta.id, &forced, true, T0, None)
        .await
        .unwrap();
    assert_eq!(levels_set(store, beta.id, &groups, &devices).await.len(), 7);
}
