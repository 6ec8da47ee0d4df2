//! A device's inventory, in the shapes of Level's device object: what `plumb-agent` reports at
//! check-in and what `/v2/devices` shows with its `include_*` flags.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::timestamp;

/// The operating system family, capitalised as Level writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Platform {
    /// Microsoft Windows.
    Windows,
    /// Apple macOS.
    Mac,
    /// Linux.
    Linux,
}

/// Everything an agent knows about its machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// The OS hostname.
    pub hostname: String,
    /// OS family.
    pub platform: Option<Platform>,
    /// Operating system details.
    pub operating_system: OperatingSystem,
    /// CPU architecture, e.g. `x86_64`.
    pub architecture: Option<String>,
    /// System manufacturer.
    pub manufacturer: Option<String>,
    /// System model.
    pub model: Option<String>,
    /// System serial number.
    pub serial_number: Option<String>,
    /// Installed memory in bytes.
    pub total_memory: Option<u64>,
    /// Memory slots on the board.
    pub memory_slots: Option<u32>,
    /// Physical CPU cores.
    pub cpu_cores: Option<u32>,
    /// Processors.
    pub cpus: Vec<Cpu>,
    /// Memory modules.
    pub memory: Vec<MemoryModule>,
    /// Physical disks.
    pub disks: Vec<Disk>,
    /// Mounted partitions.
    pub disk_partitions: Vec<DiskPartition>,
    /// Network interfaces.
    pub network_interfaces: Vec<NetworkInterface>,
    /// Mainboard.
    pub motherboard: Option<Motherboard>,
    /// The most recent interactive login.
    pub last_logged_in_user: Option<String>,
    /// When the machine last booted.
    #[serde(with = "timestamp::option")]
    pub last_reboot_time: Option<OffsetDateTime>,
    /// Non-loopback addresses of all interfaces.
    pub private_ip_addresses: Vec<String>,
    /// Package updates, available and installed.
    pub updates: Vec<PackageUpdate>,
}

/// Level's `operating_system` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatingSystem {
    /// Full name and version, e.g. `Debian GNU/Linux 12 (bookworm)`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub full_operating_system: Option<String>,
    /// Major version.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub major_version: Option<String>,
    /// Minor version.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub minor_version: Option<String>,
    /// Architecture.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub architecture: Option<String>,
    /// When the OS was installed, where known.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub install_date: Option<OffsetDateTime>,
    /// Whether the OS version is past its vendor's end of life.
    pub end_of_life: bool,
}

/// A processor package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cpu {
    /// Model name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub model: Option<String>,
    /// Clock speed in MHz.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub clock_speed: Option<u64>,
    /// Cores.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub cores: Option<u32>,
}

/// A memory module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemoryModule {
    /// Slot label.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub location: Option<String>,
    /// Manufacturer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub manufacturer: Option<String>,
    /// Type, e.g. `DDR4`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub memory_type: Option<String>,
    /// Speed in MT/s.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub clock_speed: Option<u64>,
    /// Size in bytes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub size: Option<u64>,
    /// Serial number.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub serial_number: Option<String>,
    /// Part number.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub part_number: Option<String>,
    /// Form factor, e.g. `DIMM`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub form_factor: Option<String>,
}

/// A physical disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Disk {
    /// `SSD`, `HDD` or another kind.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub disk_type: Option<String>,
    /// Model.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub model: Option<String>,
    /// Serial number.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub serial_number: Option<String>,
    /// Size in bytes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub size: Option<u64>,
}

/// A mounted partition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiskPartition {
    /// Label or device name.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub label: Option<String>,
    /// Mount point.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub mount_point: Option<String>,
    /// Whether it sits on an encrypted volume.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub encrypted: Option<bool>,
    /// Whether it holds the operating system.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub primary: Option<bool>,
    /// Size in bytes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub size: Option<u64>,
    /// Free bytes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub free_space: Option<u64>,
    /// File system, e.g. `ext4`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub file_system: Option<String>,
}

/// A network interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkInterface {
    /// Description.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub description: Option<String>,
    /// Interface name, e.g. `eth0`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub interface: Option<String>,
    /// MAC address.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub mac_address: Option<String>,
    /// Addresses with prefix length, e.g. `192.168.1.20/24`.
    pub ip_addresses: Vec<String>,
    /// Default gateway through this interface.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub gateway: Option<String>,
    /// DNS search domain.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub domain: Option<String>,
    /// DHCP server, where known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub dhcp_server: Option<String>,
    /// DNS servers (an array; see docs/compatibility.md).
    pub dns_servers: Vec<String>,
    /// Human label.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub label: Option<String>,
}

/// The mainboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Motherboard {
    /// Manufacturer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub manufacturer: Option<String>,
    /// Model.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub model: Option<String>,
    /// BIOS or firmware version.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub bios_version: Option<String>,
}

/// A package update the platform knows of.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageUpdate {
    /// Package or update name, e.g. `openssl` or `KB5031234`.
    pub name: String,
    /// Category, e.g. `security`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub category: Option<String>,
    /// Version offered or installed.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub version: Option<String>,
    /// Download size in bytes.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub size: Option<u64>,
    /// Knowledge-base ids (Windows).
    pub kb_ids: Vec<String>,
    /// `true` while available, `false` once installed.
    pub is_available: bool,
    /// The last installation error.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub error: Option<String>,
    /// When the vendor published it.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub published_on: Option<OffsetDateTime>,
    /// When it was installed.
    #[serde(with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub installed_on: Option<OffsetDateTime>,
}
