//! Level's device object from a [`DeviceRecord`] and its inventory (decoded by the store), with
//! the `include_*` parts present only when asked for, and what plumb derives: `role` from the
//! OS name and the `security` object from the inventory.

use crate::store::{DeviceRecord, InventoryDetail, InventorySummary};
use plumb_proto::inventory::{DiskPartition, Inventory};
use plumb_proto::v2::{Device, DeviceRole, Security};

/// Which optional parts of a device to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Includes {
    /// `include_operating_system`
    pub operating_system: bool,
    /// `include_cpus`
    pub cpus: bool,
    /// `include_memory`
    pub memory: bool,
    /// `include_disks`
    pub disks: bool,
    /// `include_disk_partitions`
    pub disk_partitions: bool,
    /// `include_network_interfaces`
    pub network_interfaces: bool,
    /// `include_motherboard`
    pub motherboard: bool,
    /// `include_security`
    pub security: bool,
}

impl Includes {
    /// How much of the inventory these parts need: its summary shows everything else.
    pub fn detail(self) -> InventoryDetail {
        if self == Self::default() {
            InventoryDetail::Summary
        } else {
            InventoryDetail::Whole
        }
    }
}

/// A device as Level shows it, made from the record by value: the facts every device shows
/// come from the inventory's summary, the `include_*` parts from the whole inventory (read only
/// when one is asked for, [`Includes::detail`]), moved out, not copied. A device that has not
/// reported an inventory yet shows `null`s and empty arrays.
pub fn device_view(record: DeviceRecord, includes: Includes) -> Device {
    let DeviceRecord {
        id,
        group_id,
        group_name,
        hostname,
        nickname,
        notes,
        serial_number,
        maintenance_mode,
        online,
        last_seen_at,
        public_ip_address,
        tags,
        summary,
        inventory,
        ..
    } = record;
    let reported = summary.is_some();
    let InventorySummary {
        // The device's own hostname column is what Level shows.
        hostname: _,
        platform,
        full_operating_system,
        architecture,
        manufacturer,
        model,
        serial_number: reported_serial_number,
        total_memory,
        memory_slots,
        cpu_cores,
        last_logged_in_user,
        last_reboot_time,
        private_ip_addresses,
    } = summary.unwrap_or_default();
    let role = full_operating_system.as_deref().map(role);
    // The parts, from the whole inventory, before they move out.
    let security = includes.security.then(|| security(inventory.as_deref()));
    let Inventory {
        operating_system,
        cpus,
        memory,
        disks,
        disk_partitions,
        network_interfaces,
        motherboard,
        ..
    } = inventory.map(|inventory| *inventory).unwrap_or_default();
    Device {
        id: id.to_string(),
        hostname,
        nickname,
        role,
        group_id: group_id.map(|id| id.to_string()),
        group_name,
        tags,
        flag: None,
        maintenance_mode,
        online,
        notes,
        manufacturer,
        model,
        architecture,
        serial_number: serial_number.or(reported_serial_number),
        total_memory,
        memory_slots,
        cpu_cores,
        last_logged_in_user,
        last_reboot_time,
        last_seen_at,
        public_ip_address,
        private_ip_addresses,
        city: None,
        country: None,
        security_score: None,
        platform,
        operating_system: includes
            .operating_system
            .then(|| reported.then_some(operating_system)),
        cpus: includes.cpus.then_some(cpus),
        memory: includes.memory.then_some(memory),
        disks: includes.disks.then_some(disks),
        disk_partitions: includes.disk_partitions.then_some(disk_partitions),
        network_interfaces: includes.network_interfaces.then_some(network_interfaces),
        motherboard: includes.motherboard.then_some(motherboard),
        security,
    }
}

/// `server` when the OS name says "Server" (Windows Server), `workstation` otherwise (`null`
/// when the OS is unknown). plumb cannot tell a domain controller apart.
fn role(full_operating_system: &str) -> DeviceRole {
    if full_operating_system.contains("Server") {
        DeviceRole::Server
    } else {
        DeviceRole::Workstation
    }
}

/// What the inventory tells about security; everything else is `null`.
fn security(inventory: Option<&Inventory>) -> Security {
    let Some(inventory) = inventory else {
        return Security::default();
    };
    let security_update_available = inventory.updates.iter().any(|update| {
        update.is_available
            && update
                .category
                .as_deref()
                .is_some_and(|category| category.eq_ignore_ascii_case("security"))
    });
    Security {
        patch_compliance: Some(!security_update_available),
        os_end_of_life: Some(inventory.operating_system.end_of_life),
        primary_partition_encrypted: primary_partition(&inventory.disk_partitions)
            .and_then(|partition| partition.encrypted),
        ..Security::default()
    }
}

/// The partition holding the OS: mounted at `/` or `C:\`.
fn primary_partition(partitions: &[DiskPartition]) -> Option<&DiskPartition> {
    partitions.iter().find(|partition| {
        partition
            .mount_point
            .as_deref()
            .is_some_and(|mount| mount == "/" || mount.eq_ignore_ascii_case("C:\\"))
    })
}
