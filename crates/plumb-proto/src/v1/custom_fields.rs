//! Bodies of `/api/v1/custom-fields` and of a device's custom field values
//! (`GET /api/v1/devices/{id}/custom-fields`).

use serde::{Deserialize, Serialize};

/// A custom field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomField {
    /// Id.
    pub id: String,
    /// Name (unique in the organization).
    pub name: String,
    /// The name as scripts refer to it (`asset_tag`).
    pub reference: String,
    /// Shown to administrators only.
    pub admin_only: bool,
}

/// `POST /api/v1/custom-fields`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCustomField {
    /// Name.
    pub name: String,
    /// Shown to administrators only (default `false`).
    #[serde(default)]
    pub admin_only: bool,
}

/// `PATCH /api/v1/custom-fields/{id}`: absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomField {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// Administrators only, or not.
    #[serde(default)]
    pub admin_only: Option<bool>,
}

/// `PUT /api/v1/custom-fields/{id}/value`: sets (or with `value: null` clears) the field's
/// value at one level.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetCustomFieldValue {
    /// A device or group id; absent or `null` for the organization.
    #[serde(default)]
    pub assigned_to_id: Option<String>,
    /// The value (at most 10,000 characters); `null` clears the value at this level.
    #[serde(default)]
    pub value: Option<String>,
}

/// Where the value that applies to a device is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// The device's own value.
    Device,
    /// A value set for its group or one of the group's parents.
    Group,
    /// The organization's value.
    Organization,
}

/// One field's value for a device, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceFieldValue {
    /// The field.
    pub field: CustomField,
    /// The value that applies; `null` when no level sets one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub value: Option<String>,
    /// Where it is set; `null` when no level sets one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source: Option<ValueSource>,
    /// The group it is set for, when `source` is `group`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source_group_id: Option<String>,
    /// That group's name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source_group_name: Option<String>,
}
