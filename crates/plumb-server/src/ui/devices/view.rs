//! The device page's view: the API's device turned into the text the template shows (sizes in
//! binary units, clock speeds, yes/no), with "--" for anything the agent did not report.

use plumb_proto::inventory::{Inventory, Platform};
use plumb_proto::timestamp;
use plumb_proto::v1::devices::DeviceDetail;
use time::OffsetDateTime;

/// What the page shows for a value nobody reported.
pub const UNKNOWN: &str = "--";

/// A time: the ISO form for `<time datetime>` and the script, and the UTC text shown without it.
pub struct TimeView {
    /// `2026-11-23T16:52:41.000Z`.
    pub iso: String,
    /// `2026-11-23 16:52:41 UTC`.
    pub utc: String,
}

/// A label and its value, for the summary list.
pub struct Fact {
    /// What it is.
    pub label: &'static str,
    /// Its value, or [`UNKNOWN`].
    pub value: String,
}

/// One table of the page: its caption, column headers and rows of cells.
pub struct Section {
    /// The `id` of its heading.
    pub id: &'static str,
    /// Heading and caption.
    pub title: &'static str,
    /// Column headers.
    pub columns: &'static [&'static str],
    /// Rows; each cell lines up with `columns`.
    pub rows: Vec<Vec<String>>,
    /// What the section says when it has no rows.
    pub empty: &'static str,
}

/// Everything the device page shows.
pub struct DeviceView {
    /// Hostname.
    pub hostname: String,
    /// Nickname, if set.
    pub nickname: Option<String>,
    /// Online now.
    pub online: bool,
    /// Last check-in.
    pub last_seen: Option<TimeView>,
    /// Last boot.
    pub last_boot: Option<TimeView>,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether the agent reported an inventory yet.
    pub reported: bool,
    /// The summary facts after status and last seen.
    pub facts: Vec<Fact>,
    /// CPUs, memory, disks, partitions, interfaces, motherboard, updates.
    pub sections: Vec<Section>,
}

impl DeviceView {
    /// The view of `device`.
    pub fn new(device: DeviceDetail) -> Self {
        let reported = device.inventory.is_some();
        let inventory = device.inventory.unwrap_or_default();
        let facts = facts(
            device.group_name.as_deref(),
            device.public_ip_address.as_deref(),
            &inventory,
        );
        let mut sections = inventory_sections(&inventory);
        sections.push(Section {
            id: "updates",
            title: "Updates available",
            columns: &["Package", "Version", "Category", "Size", "Published"],
            rows: device
                .updates_available
                .into_iter()
                .map(|update| {
                    vec![
                        update.name,
                        text(update.version),
                        text(update.category),
                        bytes(update.size),
                        update
                            .published_on
                            .map_or_else(|| UNKNOWN.to_owned(), |time| time_view(time).utc),
                    ]
                })
                .collect(),
            empty: "No updates are waiting: the device reported none available.",
        });
        Self {
            hostname: device.hostname,
            nickname: device.nickname,
            online: device.online,
            last_seen: device.last_seen_at.map(time_view),
            last_boot: inventory.last_reboot_time.map(time_view),
            tags: device.tags,
            reported,
            facts,
            sections,
        }
    }
}

fn facts(group: Option<&str>, public_ip: Option<&str>, inventory: &Inventory) -> Vec<Fact> {
    let fact = |label, value: String| Fact { label, value };
    let os = &inventory.operating_system;
    vec![
        fact("Group", group.unwrap_or("No group").to_owned()),
        fact("Public IP", text(public_ip.map(str::to_owned))),
        fact("Private IPs", list(&inventory.private_ip_addresses)),
        fact("Manufacturer", text(inventory.manufacturer.clone())),
        fact("Model", text(inventory.model.clone())),
        fact("Serial number", text(inventory.serial_number.clone())),
        fact("Operating system", text(os.full_operating_system.clone())),
        fact("Platform", text(inventory.platform.map(platform_name))),
        fact(
            "Architecture",
            text(
                inventory
                    .architecture
                    .clone()
                    .or_else(|| os.architecture.clone()),
            ),
        ),
        fact(
            "Logged-in user",
            text(inventory.last_logged_in_user.clone()),
        ),
        fact("Memory", bytes(inventory.total_memory)),
        fact(
            "CPU cores",
            text(inventory.cpu_cores.map(|n| n.to_string())),
        ),
    ]
}

fn inventory_sections(inventory: &Inventory) -> Vec<Section> {
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
                .collect(),
            empty: "The agent reported no motherboard.",
        },
    ]
}

fn time_view(time: OffsetDateTime) -> TimeView {
    let iso = timestamp::format(time);
    let utc = format!("{} UTC", iso.trim_end_matches('Z').replace('T', " "))
        .replacen(".000 UTC", " UTC", 1);
    TimeView { iso, utc }
}

fn text(value: Option<String>) -> String {
    value
        .filter(|value| !value.trim().is_empty())
        .unwrap_or_else(|| UNKNOWN.to_owned())
}

fn list(values: &[String]) -> String {
    if values.is_empty() {
        UNKNOWN.to_owned()
    } else {
        values.join(", ")
    }
}

fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "Yes",
        Some(false) => "No",
        None => UNKNOWN,
    }
    .to_owned()
}

fn platform_name(platform: Platform) -> String {
    match platform {
        Platform::Windows => "Windows",
        Platform::Mac => "macOS",
        Platform::Linux => "Linux",
    }
    .to_owned()
}

/// A size in binary units: `512 B`, `1.5 KiB`, `16 GiB`, `931.5 GiB`.
pub fn bytes(value: Option<u64>) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let Some(value) = value else {
        return UNKNOWN.to_owned();
    };
    let mut unit = 0;
    let mut scaled = value as f64;
    while scaled >= 1024.0 && unit < UNITS.len() - 1 {
        scaled /= 1024.0;
        unit += 1;
    }
    let rounded = format!("{scaled:.1}");
    let number = rounded.strip_suffix(".0").unwrap_or(&rounded);
    format!("{number} {}", UNITS[unit])
}

/// A clock speed: `800 MHz`, `3.4 GHz`.
pub fn megahertz(value: Option<u64>) -> String {
    match value {
        None => UNKNOWN.to_owned(),
        Some(mhz) if mhz < 1000 => format!("{mhz} MHz"),
        Some(mhz) => {
            let rounded = format!("{:.2}", mhz as f64 / 1000.0);
            let number = rounded.trim_end_matches('0').trim_end_matches('.');
            format!("{number} GHz")
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn sizes_are_shown_in_binary_units_with_at_most_one_decimal() {
        assert_eq!(bytes(Some(512)), "512 B");
        assert_eq!(bytes(Some(1536)), "1.5 KiB");
        assert_eq!(bytes(Some(16 * 1024 * 1024 * 1024)), "16 GiB");
        assert_eq!(bytes(Some(1_000_204_886_016)), "931.5 GiB");
        assert_eq!(bytes(None), "--");
    }

    #[test]
    fn clock_speeds_switch_to_gigahertz_from_a_thousand_megahertz() {
        assert_eq!(megahertz(Some(800)), "800 MHz");
        assert_eq!(megahertz(Some(3400)), "3.4 GHz");
        assert_eq!(megahertz(Some(2999)), "3 GHz");
        assert_eq!(megahertz(Some(2450)), "2.45 GHz");
        assert_eq!(megahertz(None), "--");
    }

    #[test]
    fn times_carry_the_iso_form_and_a_readable_utc_text() {
        let view = time_view(datetime!(2026-11-23 16:52:41 UTC));

        assert_eq!(view.iso, "2026-11-23T16:52:41.000Z");
        assert_eq!(view.utc, "2026-11-23 16:52:41 UTC");
    }

    #[test]
    fn blank_or_missing_values_show_as_unknown() {
        assert_eq!(text(Some("  ".to_owned())), "--");
        assert_eq!(text(None), "--");
        assert_eq!(list(&[]), "--");
        assert_eq!(yes_no(None), "--");
        assert_eq!(yes_no(Some(true)), "Yes");
    }
}
