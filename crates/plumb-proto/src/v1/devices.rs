//! `/api/v1` devices and groups, read by the web UI: a device list with the columns the list
//! shows, one device with its whole inventory, and every group for the group filter.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::inventory::{Inventory, Platform};
use crate::timestamp;

/// A device as `GET /api/v1/devices` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSummary {
    /// Device id.
    pub id: String,
    /// OS hostname.
    pub hostname: String,
    /// Display name set by a person.
    pub nickname: Option<String>,
    /// Direct group.
    pub group_id: Option<String>,
    /// That group's name.
    pub group_name: Option<String>,
    /// Whether the agent is checking in on time.
    pub online: bool,
    /// Last check-in, `null` if the device never checked in.
    #[serde(with = "timestamp::option")]
    pub last_seen_at: Option<OffsetDateTime>,
    /// The full operating system name, e.g. `Debian GNU/Linux 12 (bookworm)`.
    pub os: Option<String>,
    /// OS family.
    pub platform: Option<Platform>,
    /// Address the agent's requests came from.
    pub public_ip_address: Option<String>,
    /// Tag names, sorted.
    pub tags: Vec<String>,
}

/// `GET /api/v1/devices`: a keyset page of devices in id order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevicePage {
    /// The devices.
    pub data: Vec<DeviceSummary>,
    /// Whether more devices exist in the direction of travel.
    pub has_more: bool,
}

/// `GET /api/v1/devices/{id}`: one device with everything its agent reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceDetail {
    /// Device id.
    pub id: String,
    /// OS hostname.
    pub hostname: String,
    /// Display name set by a person.
    pub nickname: Option<String>,
    /// Notes set by a person.
    pub notes: Option<String>,
    /// Direct group.
    pub group_id: Option<String>,
    /// That group's name.
    pub group_name: Option<String>,
    /// Tag names, sorted.
    pub tags: Vec<String>,
    /// Whether the agent is checking in on time.
    pub online: bool,
    /// Whether alerts are muted for maintenance.
    pub maintenance_mode: bool,
    /// Last check-in, `null` if the device never checked in.
    #[serde(with = "timestamp::option")]
    pub last_seen_at: Option<OffsetDateTime>,
    /// Address the agent's requests came from.
    pub public_ip_address: Option<String>,
    /// Enrollment time.
    #[serde(with = "timestamp")]
    pub created_at: OffsetDateTime,
    /// The agent's last report as it sent it; `null` before the first one.
    pub inventory: Option<Inventory>,
    /// The package updates available to the device, as plumb keeps them (in id order).
    pub updates_available: Vec<AvailableUpdate>,
}

/// A package update waiting to be installed on a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailableUpdate {
    /// Update id.
    pub id: String,
    /// Package or patch name.
    pub name: String,
    /// Category, e.g. `security`.
    pub category: Option<String>,
    /// Version offered.
    pub version: Option<String>,
    /// Download size in bytes.
    pub size: Option<u64>,
    /// Knowledge-base ids (Windows).
    pub kb_ids: Vec<String>,
    /// When the vendor published it.
    #[serde(with = "timestamp::option")]
    pub published_on: Option<OffsetDateTime>,
}

/// A group as `GET /api/v1/groups` lists it (for the device list's group filter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Group id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Parent group, `null` for a top-level group.
    pub parent_id: Option<String>,
}
