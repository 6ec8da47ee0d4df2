//! Tags, custom fields and custom field values.

use serde::{Deserialize, Serialize};

/// A tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tag {
    /// Tag id.
    pub id: String,
    /// Name (UTF-8, emoji welcome).
    pub name: String,
    /// Devices carrying the tag.
    pub device_count: u64,
}

/// `POST /v2/tags` and `PATCH /v2/tags/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TagName {
    /// Name.
    pub name: String,
}

/// A custom field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomField {
    /// Field id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Script variable, `cf_<name>`.
    pub reference: String,
    /// Whether only administrators see it.
    pub admin_only: bool,
}

/// `POST /v2/custom_fields`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCustomField {
    /// Name.
    pub name: String,
    /// Administrators only (default false).
    #[serde(default)]
    pub admin_only: bool,
    /// Accepted and ignored, as Level does (some clients send it; the organization's value is
    /// set with `PATCH /v2/custom_field_values`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// Accepted and ignored, as Level does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `PATCH /v2/custom_fields/{id}`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomField {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New visibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_only: Option<bool>,
    /// Accepted and ignored, as Level does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// Accepted and ignored, as Level does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A custom field value at one level of the cascade (no id of its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomFieldValue {
    /// The field.
    pub custom_field_id: String,
    /// The field's name.
    pub custom_field_name: String,
    /// Where the value is set: a group or device id, `null` for the organization.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub assigned_to_id: Option<String>,
    /// The value.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub value: Option<String>,
}

/// `PATCH /v2/custom_field_values`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetCustomFieldValue {
    /// The field.
    pub custom_field_id: String,
    /// A group or device id; absent or `null` for the organization.
    #[serde(default)]
    pub assigned_to_id: Option<String>,
    /// The value.
    pub value: String,
    /// Also remove the values set below this level, so this one applies everywhere beneath.
    #[serde(default)]
    pub force: bool,
}

/// `DELETE /v2/custom_field_values`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeleteCustomFieldValue {
    /// The field.
    pub custom_field_id: String,
    /// A group or device id; absent or `null` for the organization.
    #[serde(default)]
    pub assigned_to_id: Option<String>,
    /// Also delete the values set below this level.
    #[serde(default)]
    pub force: bool,
}
