//! A device's inventory summary: the few facts a device list shows (Level's device object
//! without its `include_*` parts), kept by the database beside the whole inventory so a page
//! of devices reads and decodes a few hundred bytes per device instead of the whole document.
//!
//! The database computes it from the inventory's JSON in a trigger
//! (`..._keep_device_summaries.sql`); [`InventorySummary::from`] computes the same from a
//! decoded [`Inventory`], and the store's conformance suite checks that both agree.

use plumb_proto::inventory::{Inventory, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

/// What a device list shows of an inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventorySummary {
    /// The hostname the inventory reports. Every inventory has one, so a stored document that
    /// is not an inventory (no hostname, or not a text) makes a summary that does not decode:
    /// a damaged database, never a device with silent `null`s.
    pub hostname: String,
    /// OS family.
    pub platform: Option<Platform>,
    /// Full OS name and version (the device's `role` is derived from it).
    pub full_operating_system: Option<String>,
    /// CPU architecture.
    pub architecture: Option<String>,
    /// System manufacturer.
    pub manufacturer: Option<String>,
    /// System model.
    pub model: Option<String>,
    /// Reported serial number.
    pub serial_number: Option<String>,
    /// Installed memory in bytes.
    pub total_memory: Option<u64>,
    /// Memory slots on the board.
    pub memory_slots: Option<u32>,
    /// Physical CPU cores.
    pub cpu_cores: Option<u32>,
    /// The most recent interactive login.
    pub last_logged_in_user: Option<String>,
    /// When the machine last booted.
    #[serde(with = "plumb_proto::timestamp::option")]
    pub last_reboot_time: Option<OffsetDateTime>,
    /// Non-loopback addresses of all interfaces.
    #[serde(deserialize_with = "null_as_empty")]
    pub private_ip_addresses: Vec<String>,
}

impl From<&Inventory> for InventorySummary {
    fn from(inventory: &Inventory) -> Self {
        Self {
            hostname: inventory.hostname.clone(),
            platform: inventory.platform,
            full_operating_system: inventory.operating_system.full_operating_system.clone(),
            architecture: inventory.architecture.clone(),
            manufacturer: inventory.manufacturer.clone(),
            model: inventory.model.clone(),
            serial_number: inventory.serial_number.clone(),
            total_memory: inventory.total_memory,
            memory_slots: inventory.memory_slots,
            cpu_cores: inventory.cpu_cores,
            last_logged_in_user: inventory.last_logged_in_user.clone(),
            last_reboot_time: inventory.last_reboot_time,
            private_ip_addresses: inventory.private_ip_addresses.clone(),
        }
    }
}

/// How much of a device's inventory a read returns: its summary only (lists), or the whole
/// document as well (a device's page, `include_*` parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InventoryDetail {
    /// [`DeviceRecord::summary`](super::DeviceRecord::summary) only.
    Summary,
    /// The summary and [`DeviceRecord::inventory`](super::DeviceRecord::inventory).
    Whole,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(deserializer)?.unwrap_or_default())
}
