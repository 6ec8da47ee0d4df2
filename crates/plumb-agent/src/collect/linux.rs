//! Linux-only facts: DMI hardware identity, block devices, encrypted volumes, default gateways,
//! DNS settings and the most recent login. Every reader returns "unknown" when a file is missing
//! or unreadable (containers and unprivileged runs hide some of them).

use std::fs;
use std::path::Path;
use std::process::Command;

use plumb_proto::inventory::{Disk, Inventory, Motherboard, NetworkInterface};

use super::clean;

/// Reads a small text file, trimmed; `None` if missing, unreadable or empty.
fn read(path: impl AsRef<Path>) -> Option<String> {
    fs::read_to_string(path).ok().and_then(|text| clean(&text))
}

/// Manufacturer, model, serial number, board and disks; marks encrypted partitions.
pub fn add_hardware(inventory: &mut Inventory) {
    let dmi = Path::new("/sys/class/dmi/id");
    inventory.manufacturer = read(dmi.join("sys_vendor"));
    inventory.model = read(dmi.join("product_name"));
    // Readable by root only; vendors fill unset fields with placeholders.
    inventory.serial_number =
        read(dmi.join("product_serial")).filter(|serial| !is_placeholder(serial));
    let board = Motherboard {
        manufacturer: read(dmi.join("board_vendor")),
        model: read(dmi.join("board_name")),
        bios_version: read(dmi.join("bios_version")),
    };
    if board != Motherboard::default() {
        inventory.motherboard = Some(board);
    }
    inventory.disks = disks(Path::new("/sys/block"));
    for partition in &mut inventory.disk_partitions {
        if let Some(label) = &partition.label {
            partition.encrypted = Some(is_encrypted(label));
        }
    }
}

fn is_placeholder(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "to be filled",
        "default string",
        "not specified",
        "none",
        "0",
    ]
    .iter()
    .any(|p| lower == *p)
        || lower.starts_with("to be filled")
}

/// Whole disks under `/sys/block`, without loop, RAM and device-mapper devices.
pub fn disks(root: &Path) -> Vec<Disk> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    let mut disks: Vec<(String, Disk)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let virtual_device = ["loop", "ram", "dm-", "zram", "sr", "md"]
                .iter()
                .any(|p| name.starts_with(p));
            if virtual_device {
                return None;
            }
            let path = entry.path();
            // The size file counts 512-byte sectors whatever the device's own sector size.
            let size = read(path.join("size"))
                .and_then(|s| s.parse::<u64>().ok())
                .map(|s| s * 512);
            let rotational = read(path.join("queue/rotational"));
            let disk_type = match (name.starts_with("nvme"), rotational.as_deref()) {
                (true, _) => "NVMe SSD",
                (false, Some("0")) => "SSD",
                (false, Some("1")) => "HDD",
                _ => "Unknown",
            };
            let disk = Disk {
                disk_type: Some(disk_type.to_owned()),
                model: read(path.join("device/model")),
                serial_number: read(path.join("device/serial"))
                    .or_else(|| read(path.join("serial"))),
                size,
            };
            Some((name, disk))
        })
        .filter(|(_, disk)| disk.size.is_some_and(|size| size > 0))
        .collect();
    disks.sort_by(|a, b| a.0.cmp(&b.0));
    disks.into_iter().map(|(_, disk)| disk).collect()
}

/// Whether a mounted device sits on a dm-crypt (LUKS) mapping.
fn is_encrypted(device: &str) -> bool {
    let Ok(resolved) = fs::canonicalize(device) else {
        return false;
    };
    let Some(name) = resolved
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
    else {
        return false;
    };
    read(format!("/sys/block/{name}/dm/uuid")).is_some_and(|uuid| uuid.starts_with("CRYPT-"))
}

/// Fills gateway, DNS servers and search domain from the routing table and resolv.conf.
pub fn add_network_details(interfaces: &mut [NetworkInterface]) {
    let routes = fs::read_to_string("/proc/net/route").unwrap_or_default();
    let resolv = fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let (dns_servers, domain) = parse_resolv_conf(&resolv);
    for (name, gateway) in default_gateways(&routes) {
        if let Some(interface) = interfaces
            .iter_mut()
            .find(|i| i.interface.as_deref() == Some(name.as_str()))
        {
            interface.gateway = Some(gateway);
            interface.dns_servers.clone_from(&dns_servers);
            interface.domain.clone_from(&domain);
        }
    }
}

/// `(interface, gateway)` for every default route in `/proc/net/route`.
pub fn default_gateways(routes: &str) -> Vec<(String, String)> {
    routes
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (name, destination, gateway) = (fields.first()?, fields.get(1)?, fields.get(2)?);
            if *destination != "00000000" {
                return None;
            }
            // The kernel prints the address as little-endian hex.
            let raw = u32::from_str_radix(gateway, 16).ok()?;
            let address = std::net::Ipv4Addr::from(raw.swap_bytes());
            Some(((*name).to_owned(), address.to_string()))
        })
        .collect()
}

/// Name servers and the search domain from resolv.conf text.
pub fn parse_resolv_conf(text: &str) -> (Vec<String>, Option<String>) {
    let mut servers = Vec::new();
    let mut domain = None;
    for line in text.lines() {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => servers.extend(words.next().map(str::to_owned)),
            Some("domain") | Some("search") if domain.is_none() => {
                domain = words.next().map(str::to_owned)
            }
            _ => {}
        }
    }
    (servers, domain)
}

/// The user of the most recent login session that is still open, from `who`.
pub fn last_logged_in_user() -> Option<String> {
    let output = Command::new("who").output().ok()?;
    latest_who_user(&String::from_utf8_lossy(&output.stdout))
}

/// Picks the user with the latest login time from `who` output.
pub fn latest_who_user(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // `user tty YYYY-MM-DD HH:MM ...`
            Some((
                format!("{} {}", fields.get(2)?, fields.get(3)?),
                (*fields.first()?).to_owned(),
            ))
        })
        .max()
        .map(|(_, user)| user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_gateways_are_decoded_from_little_endian_hex() {
        let routes = "Iface\tDestination\tGateway \tFlags\n\
                      eth0\t00000000\t0101A8C0\t0003\n\
                      eth0\t0001A8C0\t00000000\t0001\n";
        assert_eq!(
            default_gateways(routes),
            [("eth0".to_owned(), "192.168.1.1".to_owned())]
        );
    }

    #[test]
    fn resolv_conf_gives_servers_and_the_first_domain() {
        let text =
            "# generated\nsearch corp.example lan\nnameserver 10.0.0.2\nnameserver 1.1.1.1\n";
        let (servers, domain) = parse_resolv_conf(text);
        assert_eq!(servers, ["10.0.0.2", "1.1.1.1"]);
        assert_eq!(domain.as_deref(), Some("corp.example"));
    }

    #[test]
    fn the_latest_login_wins() {
        let who = "ada      tty1         2026-11-20 08:00\nbob      pts/0        2026-11-23 09:15 (10.0.0.5)\n";
        assert_eq!(latest_who_user(who).as_deref(), Some("bob"));
        assert_eq!(latest_who_user(""), None);
    }

    #[test]
    fn placeholder_serial_numbers_are_ignored() {
        assert!(is_placeholder("To be filled by O.E.M."));
        assert!(is_placeholder("Default string"));
        assert!(!is_placeholder("PF2ABC12"));
    }
}
