//! Devices: Level's device object with its optional `include_*` parts, and the update body.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::inventory::{
    Cpu, Disk, DiskPartition, MemoryModule, Motherboard, NetworkInterface, OperatingSystem,
    Platform,
};
use crate::timestamp;

/// What Level calls a device's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceRole {
    /// A workstation.
    Workstation,
    /// A server.
    Server,
    /// A domain controller.
    DomainController,
}

/// A managed device. The `include_*` parts are present only when asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Device {
    /// Device id.
    pub id: String,
    /// OS hostname.
    pub hostname: String,
    /// Display name set by a person.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub nickname: Option<String>,
    /// Role.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub role: Option<DeviceRole>,
    /// Direct group.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: Option<String>,
    /// That group's name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_name: Option<String>,
    /// Tag names.
    pub tags: Vec<String>,
    /// Active flag.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub flag: Option<String>,
    /// Whether alerts are muted for maintenance.
    pub maintenance_mode: bool,
    /// Whether the agent is checking in.
    pub online: bool,
    /// Notes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub notes: Option<String>,
    /// Manufacturer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub manufacturer: Option<String>,
    /// Model.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub model: Option<String>,
    /// Architecture.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub architecture: Option<String>,
    /// Serial number.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub serial_number: Option<String>,
    /// Installed memory in bytes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub total_memory: Option<u64>,
    /// Memory slots.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub memory_slots: Option<u32>,
    /// Physical CPU cores.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub cpu_cores: Option<u32>,
    /// Most recent login.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_logged_in_user: Option<String>,
    /// Last boot.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_reboot_time: Option<OffsetDateTime>,
    /// Last check-in.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_seen_at: Option<OffsetDateTime>,
    /// Address the agent's requests came from.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub public_ip_address: Option<String>,
    /// The device's own addresses.
    pub private_ip_addresses: Vec<String>,
    /// City (geolocation).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub city: Option<String>,
    /// Country (geolocation).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub country: Option<String>,
    /// Security score.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub security_score: Option<u32>,
    /// OS family.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub platform: Option<Platform>,
    /// With `include_operating_system`: `null` until the device reports its inventory.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_system: Option<Option<OperatingSystem>>,
    /// With `include_cpus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub cpus: Option<Vec<Cpu>>,
    /// With `include_memory`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub memory: Option<Vec<MemoryModule>>,
    /// With `include_disks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub disks: Option<Vec<Disk>>,
    /// With `include_disk_partitions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub disk_partitions: Option<Vec<DiskPartition>>,
    /// With `include_network_interfaces`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub network_interfaces: Option<Vec<NetworkInterface>>,
    /// With `include_motherboard`: `null` when the device reported none.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub motherboard: Option<Option<Motherboard>>,
    /// With `include_security`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub security: Option<Security>,
}

/// A device's security posture (`include_security`). plumb fills what the inventory tells and
/// leaves the rest `null` (docs/compatibility.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Security {
    /// Overall score.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub score: Option<u32>,
    /// Overall risk.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub risk: Option<String>,
    /// `false` while security updates are available.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub patch_compliance: Option<bool>,
    /// Risk from missing security patches.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub patch_security_risk: Option<String>,
    /// Whether the OS version is past its vendor's end of life.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub os_end_of_life: Option<bool>,
    /// Whether the partition holding the OS is encrypted.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub primary_partition_encrypted: Option<bool>,
    /// Firewall product.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub firewall_provider: Option<String>,
    /// Whether the firewall is on.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub firewall_enabled: Option<bool>,
    /// Firewall status.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub firewall_status: Option<String>,
    /// Antivirus product.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub antivirus_provider: Option<String>,
    /// Antivirus status.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub antivirus_status: Option<String>,
    /// Windows User Account Control.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub user_account_control_enabled: Option<bool>,
    /// Automatic OS updates.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub auto_update: Option<bool>,
    /// Local administrator accounts.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub admin_accounts_count: Option<u32>,
}

/// `PATCH /v2/devices/{id}` (PUT is accepted too).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateDevice {
    /// New display name (Level's `name` sets the nickname); `null` clears it.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Option<String>>,
    /// New notes; `null` (or an empty string) clears them.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub notes: Option<Option<String>>,
    /// Move to a group (`null` = no group).
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<Option<String>>,
}
