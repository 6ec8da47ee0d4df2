//! The portable part of the inventory, from `sysinfo`.

use std::collections::BTreeMap;

use plumb_proto::inventory::{Cpu, DiskPartition, Inventory, NetworkInterface, OperatingSystem};
use sysinfo::{CpuRefreshKind, Disks, MemoryRefreshKind, Networks, RefreshKind, System};
use time::OffsetDateTime;

use super::clean;

/// Hostname, OS, CPUs, memory, mounted file systems, interfaces and boot time.
pub fn portable() -> Inventory {
    let system = System::new_with_specifics(
        RefreshKind::nothing()
            .with_cpu(CpuRefreshKind::everything())
            .with_memory(MemoryRefreshKind::everything()),
    )
    .ok();
    let architecture = clean(&System::cpu_arch());
    let network_interfaces = interfaces();
    let private_ip_addresses = network_interfaces
        .iter()
        .flat_map(|interface| interface.ip_addresses.iter())
        .filter_map(|address| address.split('/').next())
        .filter(|address| !is_loopback_or_link_local(address))
        .map(str::to_owned)
        .collect();
    Inventory {
        hostname: System::host_name()
            .ok()
            .and_then(|name| clean(&name))
            .unwrap_or_default(),
        operating_system: operating_system(architecture.clone()),
        architecture,
        total_memory: system
            .as_ref()
            .map(System::total_memory)
            .filter(|total| *total > 0),
        cpu_cores: System::physical_core_count()
            .ok()
            .and_then(|cores| u32::try_from(cores).ok()),
        cpus: system.as_ref().map(cpus).unwrap_or_default(),
        disk_partitions: partitions(),
        network_interfaces,
        private_ip_addresses,
        last_reboot_time: System::boot_time()
            .ok()
            .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds as i64).ok()),
        ..Inventory::default()
    }
}

fn operating_system(architecture: Option<String>) -> OperatingSystem {
    let version = System::os_version()
        .ok()
        .and_then(|version| clean(&version));
    let mut parts = version.as_deref().unwrap_or_default().split('.');
    OperatingSystem {
        full_operating_system: System::long_os_version().ok().and_then(|name| clean(&name)),
        major_version: parts.next().and_then(clean),
        minor_version: parts.next().and_then(clean),
        architecture,
        install_date: None,
        // No end-of-life table ships with the agent yet; the server may judge by version.
        end_of_life: false,
    }
}

/// One entry per processor model: sysinfo lists logical CPUs, Level lists packages.
fn cpus(system: &System) -> Vec<Cpu> {
    let mut models: BTreeMap<String, (u64, u32)> = BTreeMap::new();
    for cpu in system.cpus() {
        let entry = models
            .entry(cpu.brand().trim().to_owned())
            .or_insert((0, 0));
        entry.0 = entry.0.max(cpu.frequency());
        entry.1 += 1;
    }
    let physical = System::physical_core_count()
        .ok()
        .and_then(|cores| u32::try_from(cores).ok());
    let single_model = models.len() == 1;
    models
        .into_iter()
        .map(|(model, (frequency, logical))| Cpu {
            model: clean(&model),
            clock_speed: (frequency > 0).then_some(frequency),
            cores: if single_model {
                physical.or(Some(logical))
            } else {
                Some(logical)
            },
        })
        .collect()
}

fn partitions() -> Vec<DiskPartition> {
    let Ok(disks) = Disks::new_with_refreshed_list() else {
        return Vec::new();
    };
    disks
        .iter()
        .filter(|disk| disk.total_space() > 0)
        .map(|disk| {
            let mount_point = disk.mount_point().to_string_lossy().into_owned();
            DiskPartition {
                label: clean(&disk.name().to_string_lossy()),
                primary: Some(mount_point == "/" || mount_point.eq_ignore_ascii_case("C:\\")),
                mount_point: Some(mount_point),
                encrypted: None,
                size: Some(disk.total_space()),
                free_space: Some(coarse_free_space(
                    disk.available_space(),
                    disk.total_space(),
                )),
                file_system: clean(&disk.file_system().to_string_lossy()),
            }
        })
        .collect()
}

/// Free space rounded down to a step of 1 GiB, or of 1 % of the size for partitions under
/// 100 GiB: the free space of a busy disk moves by the megabyte every second, and an exact
/// figure would make nearly every inventory new and defeat check-in digests
/// (docs/agent-protocol.md, "Digests").
fn coarse_free_space(free: u64, size: u64) -> u64 {
    const GIB: u64 = 1 << 30;
    let step = (size / 100).clamp(1, GIB);
    free / step * step
}

fn interfaces() -> Vec<NetworkInterface> {
    let Ok(networks) = Networks::new_with_refreshed_list() else {
        return Vec::new();
    };
    let mut interfaces: Vec<NetworkInterface> = networks
        .iter()
        .map(|(name, data)| {
            let mac = data.mac_address();
            // In a stable order (the system's is not): the same addresses, the same inventory.
            let mut ip_addresses: Vec<String> = data
                .ip_networks()
                .iter()
                .map(|network| format!("{}/{}", network.addr, network.prefix))
                .collect();
            ip_addresses.sort_unstable();
            NetworkInterface {
                interface: clean(&name.to_string_lossy()),
                label: clean(&name.to_string_lossy()),
                mac_address: (!mac.is_unspecified()).then(|| mac.to_string()),
                ip_addresses,
                ..NetworkInterface::default()
            }
        })
        .collect();
    interfaces.sort_by(|a, b| a.interface.cmp(&b.interface));
    interfaces
}

fn is_loopback_or_link_local(address: &str) -> bool {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.is_loopback() || v4.is_link_local(),
        Ok(std::net::IpAddr::V6(v6)) => v6.is_loopback() || (v6.segments()[0] & 0xffc0) == 0xfe80,
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn free_space_moves_in_steps_of_a_gib_or_of_a_hundredth_of_a_small_partition() {
        let big = 500 * GIB;
        assert_eq!(coarse_free_space(42 * GIB + (300 << 20), big), 42 * GIB);
        assert_eq!(
            coarse_free_space(42 * GIB + (300 << 20), big),
            coarse_free_space(42 * GIB + (900 << 20), big)
        );
        let boot = 500 << 20;
        assert_eq!(coarse_free_space(123 << 20, boot), 120 << 20);
        assert_eq!(coarse_free_space(7, 0), 7);
    }
}
