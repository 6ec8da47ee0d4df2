//! The device page's inventory sections: one table per part of the inventory (CPUs, memory,
//! disks, partitions, network interfaces, motherboard), with an empty-state sentence each.

use plumb_proto::inventory::Inventory;

use super::format::{UNKNOWN, bytes, list, megahertz, text, yes_no};
use super::view::{Section, cells};

pub(super) fn inventory_sections(inventory: &Inventory) -> Vec<Section> {
    vec![
        Section {
            id: "cpus",
            title: "CPUs",
            columns: &["Model", "Cores", "Clock speed"],
            rows: inventory
                .cpus
                .iter()
                .map(|cpu| {
                    vec![
                        text(cpu.model.clone()),
                        text(cpu.cores.map(|n| n.to_string())),
                        megahertz(cpu.clock_speed),
                    ]
                })
                .map(cells)
                .collect(),
            empty: "The agent reported no CPUs.",
        },
        Section {
            id: "memory",
            title: "Memory",
            columns: &[
                "Slot",
                "Size",
                "Type",
                "Speed",
                "Manufacturer",
                "Part number",
            ],
            rows: inventory
                .memory
                .iter()
                .map(|module| {
                    vec![
                        text(module.location.clone()),
                        bytes(module.size),
                        text(module.memory_type.clone()),
                        module
                            .clock_speed
                            .map_or_else(|| UNKNOWN.to_owned(), |speed| format!("{speed} MT/s")),
                        text(module.manufacturer.clone()),
                        text(module.part_number.clone()),
                    ]
                })
                .map(cells)
                .collect(),
            empty: "The agent reported no memory modules.",
        },
        Section {
            id: "disks",
            title: "Disks",
            columns: &["Model", "Type", "Size", "Serial number"],
            rows: inventory
                .disks
                .iter()
                .map(|disk| {
                    vec![
                        text(disk.model.clone()),
                        text(disk.disk_type.clone()),
                        bytes(disk.size),
                        text(disk.serial_number.clone()),
                    ]
                })
                .map(cells)
                .collect(),
            empty: "The agent reported no disks.",
        },
        Section {
            id: "partitions",
            title: "Partitions",
            columns: &[
                "Mount point",
                "Label",
                "File system",
                "Size",
                "Free",
                "Encrypted",
            ],
            rows: inventory
                .disk_partitions
                .iter()
                .map(|partition| {
                    vec![
                        text(partition.mount_point.clone()),
                        text(partition.label.clone()),
                        text(partition.file_system.clone()),
                        bytes(partition.size),
                        bytes(partition.free_space),
                        yes_no(partition.encrypted),
                    ]
                })
                .map(cells)
                .collect(),
            empty: "The agent reported no partitions.",
        },
        Section {
            id: "interfaces",
            title: "Network interfaces",
            columns: &[
                "Interface",
                "Addresses",
                "MAC address",
                "Gateway",
                "DNS servers",
            ],
            rows: inventory
                .network_interfaces
                .iter()
                .map(|interface| {
                    vec![
                        text(
                            interface
                                .interface
                                .clone()
                                .or_else(|| interface.label.clone()),
                        ),
                        list(&interface.ip_addresses),
                        text(interface.mac_address.clone()),
                        text(interface.gateway.clone()),
                        list(&interface.dns_servers),
                    ]
                })
                .map(cells)
                .collect(),
            empty: "The agent reported no network interfaces.",
        },
        Section {
            id: "motherboard",
            title: "Motherboard",
            columns: &["Manufacturer", "Model", "BIOS version"],
            rows: inventory
                .motherboard
                .iter()
                .map(|board| {
                    vec![
                        text(board.manufacturer.clone()),
                        text(board.model.clone()),
                        text(board.bios_version.clone()),
                    ]
                })
                .map(cells)
                .collect(),
            empty: "The agent reported no motherboard.",
        },
    ]
}
