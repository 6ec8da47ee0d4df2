//! The agent's inventory of the machine these tests run on, checked against what the OS says
//! through other means.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests panic on broken fixtures"
)]

use std::process::Command;

use plumb_proto::inventory::Platform;

fn shell(command: &str) -> String {
    let output = Command::new("sh").args(["-c", command]).output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn the_inventory_names_this_machine_and_its_platform() {
    let inventory = plumb_agent::collect::inventory();
    assert_eq!(inventory.hostname, shell("hostname"));
    if cfg!(target_os = "linux") {
        assert_eq!(inventory.platform, Some(Platform::Linux));
        let pretty = shell(". /etc/os-release && echo \"$PRETTY_NAME\"");
        assert_eq!(
            inventory.operating_system.full_operating_system.as_deref(),
            Some(pretty.as_str())
        );
    }
    assert_eq!(
        inventory.architecture.as_deref(),
        Some(std::env::consts::ARCH)
    );
}

#[test]
fn the_inventory_counts_this_machines_cpus_and_memory() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let inventory = plumb_agent::collect::inventory();
    let logical: u32 = shell("nproc --all").parse().unwrap();
    let reported: u32 = inventory.cpus.iter().filter_map(|cpu| cpu.cores).sum();
    assert!(
        reported >= 1 && reported <= logical,
        "{reported} cores reported, {logical} logical CPUs"
    );
    let mem_kib: u64 = shell("awk '/^MemTotal:/ {print $2}' /proc/meminfo")
        .parse()
        .unwrap();
    assert_eq!(inventory.total_memory, Some(mem_kib * 1024));
}

#[test]
#[allow(
    clippy::disallowed_methods,
    reason = "the boot time is compared with the real clock"
)]
fn the_inventory_lists_the_root_file_system_and_the_network_addresses() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let inventory = plumb_agent::collect::inventory();
    let root = inventory
        .disk_partitions
        .iter()
        .find(|p| p.mount_point.as_deref() == Some("/"));
    let root = root.expect("the root file system is listed");
    assert_eq!(root.primary, Some(true));
    assert!(root.size.unwrap() >= root.free_space.unwrap());
    let addresses = shell("hostname -I");
    for address in addresses.split_whitespace() {
        assert!(
            inventory.private_ip_addresses.iter().any(|a| a == address),
            "{address} missing from {:?}",
            inventory.private_ip_addresses
        );
    }
    let boot = inventory.last_reboot_time.expect("a boot time");
    let uptime: f64 = shell("cut -d' ' -f1 /proc/uptime").parse().unwrap();
    let expected = time::OffsetDateTime::now_utc() - time::Duration::seconds_f64(uptime);
    assert!(
        (boot - expected).abs() < time::Duration::seconds(5),
        "boot {boot} vs {expected}"
    );
}

#[test]
fn the_inventory_command_prints_json() {
    let cli =
        <plumb_agent::Cli as clap::Parser>::try_parse_from(["plumb-agent", "inventory"]).unwrap();
    let mut out = Vec::new();
    plumb_agent::run(&cli, &mut out).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(value["hostname"].is_string());
    assert!(value["network_interfaces"].is_array());
}
