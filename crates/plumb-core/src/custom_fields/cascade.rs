//! The custom field cascade: a value set for the organization applies to every device, a group's
//! value overrides it for the group's whole subtree, a subgroup's overrides its parent's, and a
//! device's own value wins over all.

use std::collections::HashMap;

use crate::id::{CustomFieldId, DeviceId, GroupId};

/// Where a value is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assignee {
    /// The whole organization.
    Organization,
    /// A group and its subtree.
    Group(GroupId),
    /// One device.
    Device(DeviceId),
}

/// A value as stored at one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredValue {
    /// The field.
    pub field_id: CustomFieldId,
    /// Where it is set.
    pub assignee: Assignee,
    /// The value.
    pub value: Option<String>,
}

/// The value that applies to a device, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveValue {
    /// The field.
    pub field_id: CustomFieldId,
    /// Where the winning value is set; `None` when no level sets one.
    pub assignee: Option<Assignee>,
    /// The value, `None` when unset everywhere.
    pub value: Option<String>,
}

/// The effective value of every field for a device in `group_chain` (its group first, then
/// that group's ancestors, nearest first). `fields` fixes the order of the answer.
pub fn effective_for_device(
    fields: &[CustomFieldId],
    device: DeviceId,
    group_chain: &[GroupId],
    values: &[StoredValue],
) -> Vec<EffectiveValue> {
    // Rank every level that applies to the device: lower wins.
    let mut rank: HashMap<Assignee, usize> = HashMap::new();
    rank.insert(Assignee::Device(device), 0);
    for (depth, group) in group_chain.iter().enumerate() {
        rank.insert(Assignee::Group(*group), depth + 1);
    }
    rank.insert(Assignee::Organization, group_chain.len() + 1);
    let mut best: HashMap<CustomFieldId, (usize, &StoredValue)> = HashMap::new();
    for stored in values {
        let Some(&level) = rank.get(&stored.assignee) else {
            continue;
        };
        let entry = best.entry(stored.field_id).or_insert((level, stored));
        if level < entry.0 {
            *entry = (level, stored);
        }
    }
    fields
        .iter()
        .map(|field_id| match best.get(field_id) {
            Some((_, stored)) => EffectiveValue {
                field_id: *field_id,
                assignee: Some(stored.assignee),
                value: stored.value.clone(),
            },
            None => EffectiveValue {
                field_id: *field_id,
                assignee: None,
                value: None,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(field_id: CustomFieldId, assignee: Assignee, value: &str) -> StoredValue {
        StoredValue {
            field_id,
            assignee,
            value: Some(value.to_owned()),
        }
    }

    #[test]
    fn the_nearest_level_wins_from_device_to_group_to_parent_to_organization() {
        let (region, owner, site) = (
            CustomFieldId::new(),
            CustomFieldId::new(),
            CustomFieldId::new(),
        );
        let device = DeviceId::new();
        let (child, parent) = (GroupId::new(), GroupId::new());
        let values = [
            stored(region, Assignee::Organization, "EU"),
            stored(region, Assignee::Group(parent), "DACH"),
            stored(region, Assignee::Group(child), "Zürich"),
            stored(owner, Assignee::Organization, "Ops"),
            stored(owner, Assignee::Device(device), "Ada"),
        ];

        let effective =
            effective_for_device(&[region, owner, site], device, &[child, parent], &values);

        assert_eq!(effective[0].value.as_deref(), Some("Zürich"));
        assert_eq!(effective[0].assignee, Some(Assignee::Group(child)));
        assert_eq!(effective[1].value.as_deref(), Some("Ada"));
        assert_eq!(effective[1].assignee, Some(Assignee::Device(device)));
        assert_eq!(
            effective[2],
            EffectiveValue {
                field_id: site,
                assignee: None,
                value: None
            }
        );
    }

    #[test]
    fn values_set_on_other_groups_and_devices_do_not_apply() {
        let field = CustomFieldId::new();
        let device = DeviceId::new();
        let values = [
            stored(field, Assignee::Group(GroupId::new()), "elsewhere"),
            stored(field, Assignee::Device(DeviceId::new()), "another device"),
            stored(field, Assignee::Organization, "default"),
        ];

        let effective = effective_for_device(&[field], device, &[GroupId::new()], &values);

        assert_eq!(effective[0].value.as_deref(), Some("default"));
        assert_eq!(effective[0].assignee, Some(Assignee::Organization));
    }
}
