//! Groups: nested folders of devices.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A group (a folder or client in Level's UI), possibly nested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    /// Group id.
    pub id: String,
    /// Parent group, `null` for a root group.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub parent_id: Option<String>,
    /// Direct children.
    pub child_ids: Vec<String>,
    /// Name.
    pub name: String,
    /// Devices directly in this group.
    pub device_count: u64,
    /// Devices in the whole subtree (Level's spelling).
    pub descendent_device_count: u64,
    /// Explicit group-level custom field values, keyed by field name (show only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub custom_fields: Option<BTreeMap<String, Option<String>>>,
}

/// `POST /v2/groups`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateGroup {
    /// Name.
    pub name: String,
    /// Parent group; absent or `null` for a root group.
    #[serde(default)]
    pub parent_id: Option<String>,
}

/// `PATCH /v2/groups/{id}` (PUT is accepted too).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateGroup {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New parent: absent keeps it, `null` makes the group a root.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_id: Option<Option<String>>,
    /// Group-level custom field values by field name: a string sets the value, `null` deletes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<BTreeMap<String, Option<String>>>,
}

/// `POST` and `DELETE /v2/groups/{id}/devices`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceIds {
    /// Device ids.
    pub device_ids: Vec<String>,
}
