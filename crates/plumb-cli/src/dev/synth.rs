//! Synthetic machines for demo data: plausible hostnames, hardware and operating systems, all
//! drawn from a seeded generator so a seed always produces the same fleet. Every serial number
//! starts with `DEMO-`, so demo devices are recognisable wherever they show up.

use plumb_proto::inventory::{
    Cpu, Disk, DiskPartition, Inventory, MemoryModule, Motherboard, NetworkInterface,
    OperatingSystem, PackageUpdate, Platform,
};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use time::{Duration, OffsetDateTime};

const GIB: u64 = 1024 * 1024 * 1024;

/// One operating system a demo machine may run.
struct Os {
    platform: Platform,
    name: &'static str,
    major: &'static str,
    minor: &'static str,
    server: bool,
}

const SYSTEMS: &[Os] = &[
    Os {
        platform: Platform::Windows,
        name: "Microsoft Windows 11 Pro",
        major: "10",
        minor: "22631",
        server: false,
    },
    Os {
        platform: Platform::Windows,
        name: "Microsoft Windows 10 Pro",
        major: "10",
        minor: "19045",
        server: false,
    },
    Os {
        platform: Platform::Windows,
        name: "Microsoft Windows Server 2022 Standard",
        major: "10",
        minor: "20348",
        server: true,
    },
    Os {
        platform: Platform::Linux,
        name: "Ubuntu 24.04.1 LTS",
        major: "24",
        minor: "04",
        server: true,
    },
    Os {
        platform: Platform::Linux,
        name: "Debian GNU/Linux 12 (bookworm)",
        major: "12",
        minor: "7",
        server: true,
    },
    Os {
        platform: Platform::Mac,
        name: "macOS Sonoma 14.6",
        major: "14",
        minor: "6",
        server: false,
    },
];

const HARDWARE: &[(&str, &str, &str)] = &[
    (
        "Dell Inc.",
        "Latitude 5440",
        "13th Gen Intel(R) Core(TM) i5-1345U",
    ),
    (
        "Dell Inc.",
        "OptiPlex 7010",
        "13th Gen Intel(R) Core(TM) i7-13700",
    ),
    ("LENOVO", "ThinkPad T14 Gen 4", "AMD Ryzen 7 PRO 7840U"),
    (
        "HP",
        "EliteBook 840 G10",
        "13th Gen Intel(R) Core(TM) i7-1365U",
    ),
    (
        "Dell Inc.",
        "PowerEdge R650",
        "Intel(R) Xeon(R) Silver 4314",
    ),
    ("Apple Inc.", "MacBook Pro", "Apple M3 Pro"),
];

const USERS: &[&str] = &[
    "amelia", "jonas", "priya", "li.wei", "sofia", "marcus", "noor",
];

/// A synthetic machine.
pub struct Machine {
    /// What its agent would report.
    pub inventory: Inventory,
}

/// Builds machine number `index` of a client whose hostnames start with `prefix`.
pub fn machine(rng: &mut StdRng, prefix: &str, index: u64, now: OffsetDateTime) -> Machine {
    let os = &SYSTEMS[rng.gen_range(0..SYSTEMS.len())];
    let (vendor, model, cpu_model) = match os.platform {
        Platform::Mac => HARDWARE[5],
        _ if os.server => HARDWARE[4],
        _ => HARDWARE[rng.gen_range(0..4)],
    };
    let kind = if os.server { "SRV" } else { "WS" };
    let hostname = format!("{prefix}-{kind}-{index:06}");
    let cores: u32 = *[4, 8, 12, 16].choose(rng).unwrap_or(&8);
    let module_gib: u64 = *[8, 16, 32].choose(rng).unwrap_or(&16);
    let disk_gib: u64 = *[256, 512, 1024].choose(rng).unwrap_or(&512);
    let last_octet = 10 + index % 240;
    let address = format!(
        "10.{}.{}.{last_octet}",
        index / 60_000 % 250,
        index / 240 % 250
    );
    let mac = format!(
        "02:de:{:02x}:{:02x}:{:02x}:{:02x}",
        (index >> 24) & 0xff,
        (index >> 16) & 0xff,
        (index >> 8) & 0xff,
        index & 0xff
    );
    let (mount, file_system) = match os.platform {
        Platform::Windows => ("C:\\", "NTFS"),
        Platform::Mac => ("/", "APFS"),
        Platform::Linux => ("/", "ext4"),
    };
    let booted = now - Duration::minutes(rng.gen_range(30..60 * 24 * 20));
    let inventory = Inventory {
        hostname,
        platform: Some(os.platform),
        operating_system: OperatingSystem {
            full_operating_system: Some(os.name.to_owned()),
            major_version: Some(os.major.to_owned()),
            minor_version: Some(os.minor.to_owned()),
            architecture: Some("x86_64".to_owned()),
            install_date: Some(now - Duration::days(rng.gen_range(30..900))),
            end_of_life: false,
        },
        architecture: Some("x86_64".to_owned()),
        manufacturer: Some(vendor.to_owned()),
        model: Some(model.to_owned()),
        serial_number: Some(format!("DEMO-{index:08X}")),
        total_memory: Some(module_gib * 2 * GIB),
        memory_slots: Some(2),
        cpu_cores: Some(cores),
        cpus: vec![Cpu {
            model: Some(cpu_model.to_owned()),
            clock_speed: Some(rng.gen_range(2_100..4_800)),
            cores: Some(cores),
        }],
        memory: (0..2)
            .map(|slot| MemoryModule {
                location: Some(format!("DIMM {slot}")),
                manufacturer: Some("Samsung".to_owned()),
                memory_type: Some("DDR5".to_owned()),
                clock_speed: Some(4_800),
                size: Some(module_gib * GIB),
                serial_number: None,
                part_number: None,
                form_factor: Some("SODIMM".to_owned()),
            })
            .collect(),
        disks: vec![Disk {
            disk_type: Some("SSD".to_owned()),
            model: Some("Samsung PM9A1 NVMe".to_owned()),
            serial_number: None,
            size: Some(disk_gib * GIB),
        }],
        disk_partitions: vec![DiskPartition {
            label: None,
            mount_point: Some(mount.to_owned()),
            encrypted: Some(rng.gen_bool(0.8)),
            primary: Some(true),
            size: Some(disk_gib * GIB),
            free_space: Some(rng.gen_range(10..disk_gib) * GIB),
            file_system: Some(file_system.to_owned()),
        }],
        network_interfaces: vec![NetworkInterface {
            description: Some("Ethernet".to_owned()),
            interface: Some("eth0".to_owned()),
            mac_address: Some(mac),
            ip_addresses: vec![address.clone()],
            gateway: Some(format!(
                "{}.1",
                address.rsplit_once('.').map_or("10.0.0", |p| p.0)
            )),
            domain: Some("corp.example".to_owned()),
            dhcp_server: None,
            dns_servers: vec!["10.0.0.2".to_owned()],
            label: None,
        }],
        motherboard: Some(Motherboard {
            manufacturer: Some(vendor.to_owned()),
            model: None,
            bios_version: Some("1.14.0".to_owned()),
        }),
        last_logged_in_user: (!os.server).then(|| USERS[rng.gen_range(0..USERS.len())].to_owned()),
        last_reboot_time: Some(booted),
        private_ip_addresses: vec![address],
        updates: updates(rng, os.platform, now),
    };
    Machine { inventory }
}

/// A few pending and installed updates in the platform's style.
fn updates(rng: &mut StdRng, platform: Platform, now: OffsetDateTime) -> Vec<PackageUpdate> {
    let count = rng.gen_range(0..4);
    (0..count)
        .map(|n| {
            let available = n % 2 == 0;
            let (name, category, kb_ids) = match platform {
                Platform::Windows => {
                    let kb = format!("KB50{}", rng.gen_range(30_000..49_999));
                    (kb.clone(), "Security", vec![kb])
                }
                Platform::Linux => (format!("openssl-{n}"), "security", Vec::new()),
                Platform::Mac => (format!("Safari 18.{n}"), "Application", Vec::new()),
            };
            PackageUpdate {
                name,
                category: Some(category.to_owned()),
                version: Some(format!("1.{n}.{}", rng.gen_range(0..20))),
                size: Some(rng.gen_range(1..400) * 1024 * 1024),
                kb_ids,
                is_available: available,
                error: None,
                published_on: Some(now - Duration::days(rng.gen_range(1..60))),
                installed_on: (!available).then(|| now - Duration::days(rng.gen_range(0..30))),
            }
        })
        .collect()
}
