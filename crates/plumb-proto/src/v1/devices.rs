//! `/api/v1` devices and groups, read by the web UI: a device list with the columns the list
//! shows, one device with its whole inventory, and every group for the group filter.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::inventory::{Inventory, Platform};
use crate::timestamp;

/// A device as `GET /api/v1/devices` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceSummary {
    /// Device id.
    pub id: String,
    /// OS hostname.
    pub hostname: String,
    /// Display name set by a person.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub nickname: Option<String>,
    /// Direct group.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: Option<String>,
    /// That group's name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_name: Option<String>,
    /// Whether the agent is checking in on time.
    pub online: bool,
    /// Last check-in, `null` if the device never checked in.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_seen_at: Option<OffsetDateTime>,
    /// The full operating system name, e.g. `Debian GNU/Linux 12 (bookworm)`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub os: Option<String>,
    /// OS family.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub platform: Option<Platform>,
    /// Address the agent's requests came from.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub public_ip_address: Option<String>,
    /// Tag names, sorted.
    pub tags: Vec<String>,
}

/// `GET /api/v1/devices`: a keyset page of devices in id order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DevicePage {
    /// The devices.
    pub data: Vec<DeviceSummary>,
    /// Whether more devices exist in the direction of travel.
    pub has_more: bool,
}

/// `GET /api/v1/devices/{id}`: one device with everything its agent reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceDetail {
    /// Device id.
    pub id: String,
    /// OS hostname.
    pub hostname: String,
    /// Display name set by a person.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub nickname: Option<String>,
    /// Notes set by a person.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub notes: Option<String>,
    /// Direct group.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: Option<String>,
    /// That group's name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_name: Option<String>,
    /// Tag names, sorted.
    pub tags: Vec<String>,
    /// Whether the agent is checking in on time.
    pub online: bool,
    /// Whether alerts are muted for maintenance.
    pub maintenance_mode: bool,
    /// Last check-in, `null` if the device never checked in.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_seen_at: Option<OffsetDateTime>,
    /// Address the agent's requests came from.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub public_ip_address: Option<String>,
    /// Enrollment time.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
    /// The agent's last report as it sent it; `null` before the first one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub inventory: Option<Inventory>,
    /// The package updates available to the device, as plumb keeps them (in id order).
    pub updates_available: Vec<AvailableUpdate>,
}

/// A package update waiting to be installed on a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailableUpdate {
    /// Update id.
    pub id: String,
    /// Package or patch name.
    pub name: String,
    /// Category, e.g. `security`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub category: Option<String>,
    /// Version offered.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub version: Option<String>,
    /// Download size in bytes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub size: Option<u64>,
    /// Knowledge-base ids (Windows).
    pub kb_ids: Vec<String>,
    /// When the vendor published it.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub published_on: Option<OffsetDateTime>,
}

/// A group as `GET /api/v1/groups` lists it (for the device list's group filter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupSummary {
    /// Group id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Parent group, `null` for a top-level group.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub parent_id: Option<String>,
}

/// `POST /api/v1/devices/group`: moves devices into a group, or out of any (`group_id: null`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveDevices {
    /// Device ids (1 to 100).
    pub device_ids: Vec<String>,
    /// The group; `null` for no group.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: Option<String>,
}

/// `PATCH /api/v1/devices/{id}`: a person's edit; absent fields stay, `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditDevice {
    /// Nickname.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub nickname: Option<Option<String>>,
    /// Notes.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub notes: Option<Option<String>>,
    /// Group; `null` for no group.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<Option<String>>,
}
