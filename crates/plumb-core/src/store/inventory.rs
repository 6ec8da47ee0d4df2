//! The inventory records that cross the storage boundary: groups with their figures, group
//! changes and list filters, and new devices. They are re-exported from [`crate::store`], which
//! is where the rest of the code names them.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::id::{GroupId, OrganizationId};

/// A group with the figures Level's group object shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    /// Id.
    pub id: GroupId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Parent group.
    pub parent_id: Option<GroupId>,
    /// Name.
    pub name: String,
    /// Direct children, in id order.
    pub child_ids: Vec<GroupId>,
    /// Devices directly in the group.
    pub device_count: u64,
    /// Devices in the whole subtree.
    pub descendent_device_count: u64,
    /// The custom field values set on the group itself, by field name (what `/v2` shows as
    /// the group's `custom_fields`).
    pub custom_fields: BTreeMap<String, Option<String>>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// A new group.
#[derive(Debug, Clone)]
pub struct NewGroup {
    /// Id.
    pub id: GroupId,
    /// Organization.
    pub organization_id: OrganizationId,
    /// Parent (must exist in the organization).
    pub parent_id: Option<GroupId>,
    /// Name (unique among its siblings).
    pub name: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A change to a group.
#[derive(Debug, Clone, Default)]
pub struct GroupChange {
    /// New name.
    pub name: Option<String>,
    /// New parent: `Some(None)` makes it a root.
    pub parent_id: Option<Option<GroupId>>,
}

/// Which groups a list returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentFilter {
    /// Every group.
    Any,
    /// Root groups only.
    Root,
    /// Direct children of this group.
    ChildrenOf(GroupId),
}
