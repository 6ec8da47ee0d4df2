//! `/api/v1/devices` and `/api/v1/groups`, read by the web UI: filters, paging, the whole
//! inventory of one device, bad input and other organizations. Fixtures are written through the
//! store as an agent's enrollment and check-in would write them.

mod listing;
mod showing;

use plumb_core::id::{DeviceId, GroupId, OrganizationId};
use plumb_core::store::{CheckIn, NewDevice, NewUpdate};
use plumb_proto::inventory::{
    Cpu, Disk, DiskPartition, Inventory, MemoryModule, Motherboard, NetworkInterface,
    OperatingSystem, PackageUpdate, Platform,
};
use time::Duration;
use time::macros::datetime;

use crate::helpers::TestApp;

/// A realistic Linux inventory for `hostname`.
pub fn inventory(hostname: &str, os: &str) -> Inventory {
    Inventory {
        hostname: hostname.to_owned(),
        platform: Some(Platform::Linux),
        operating_system: OperatingSystem {
            full_operating_system: Some(os.to_owned()),
            major_version: Some("12".to_owned()),
            minor_version: Some("8".to_owned()),
            architecture: Some("x86_64".to_owned()),
            install_date: None,
            end_of_life: false,
        },
        architecture: Some("x86_64".to_owned()),
        manufacturer: Some("Dell Inc.".to_owned()),
        model: Some("OptiPlex 7090".to_owned()),
        serial_number: Some(format!("SN-{hostname}")),
        total_memory: Some(16 * 1024 * 1024 * 1024),
        memory_slots: Some(2),
        cpu_cores: Some(8),
        cpus: vec![Cpu {
            model: Some("Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz".to_owned()),
            clock_speed: Some(2900),
            cores: Some(8),
        }],
        memory: vec![MemoryModule {
            location: Some("DIMM A1".to_owned()),
            manufacturer: Some("Samsung".to_owned()),
            memory_type: Some("DDR4".to_owned()),
            clock_speed: Some(3200),
            size: Some(16 * 1024 * 1024 * 1024),
            serial_number: None,
            part_number: Some("M378A2K43DB1-CWE".to_owned()),
            form_factor: Some("DIMM".to_owned()),
        }],
        disks: vec![Disk {
            disk_type: Some("SSD".to_owned()),
            model: Some("Samsung SSD 980 PRO 1TB".to_owned()),
            serial_number: Some("S5GXNX0T123456".to_owned()),
            size: Some(1_000_204_886_016),
        }],
        disk_partitions: vec![DiskPartition {
            label: Some("nvme0n1p2".to_owned()),
            mount_point: Some("/".to_owned()),
            encrypted: Some(true),
            primary: Some(true),
            size: Some(999_000_000_000),
            free_space: Some(400_000_000_000),
            file_system: Some("ext4".to_owned()),
        }],
        network_interfaces: vec![NetworkInterface {
            description: None,
            interface: Some("eth0".to_owned()),
            mac_address: Some("3c:52:82:aa:bb:cc".to_owned()),
            ip_addresses: vec!["192.168.1.20/24".to_owned(), "fe80::1/64".to_owned()],
            gateway: Some("192.168.1.1".to_owned()),
            domain: Some("office.lan".to_owned()),
            dhcp_server: None,
            dns_servers: vec!["192.168.1.1".to_owned()],
            label: None,
        }],
        motherboard: Some(Motherboard {
            manufacturer: Some("Dell Inc.".to_owned()),
            model: Some("0W0CHX".to_owned()),
            bios_version: Some("1.21.0".to_owned()),
        }),
        last_logged_in_user: Some("alice".to_owned()),
        last_reboot_time: Some(datetime!(2026-11-20 07:15:00 UTC)),
        private_ip_addresses: vec!["192.168.1.20".to_owned()],
        updates: vec![PackageUpdate {
            name: "openssl".to_owned(),
            category: Some("security".to_owned()),
            version: Some("3.0.15-1~deb12u1".to_owned()),
            size: Some(2_250_000),
            kb_ids: vec![],
            is_available: true,
            error: None,
            published_on: None,
            installed_on: None,
        }],
    }
}

/// An enrolled device that has checked in with `inventory` and its updates (online from now).
pub async fn enrolled(
    app: &TestApp,
    organization_id: OrganizationId,
    group_id: Option<GroupId>,
    inventory: &Inventory,
) -> DeviceId {
    let store = &app.app.state.store;
    let now = app.app.state.clock.now();
    let json = serde_json::to_string(inventory).unwrap();
    let device = NewDevice {
        inventory: Some(json.clone()),
        serial_number: inventory.serial_number.clone(),
        ..NewDevice::bare(organization_id, group_id, &inventory.hostname, now)
    };
    store.insert_device(&device).await.unwrap();
    let updates = inventory
        .updates
        .iter()
        .map(|update| NewUpdate {
            name: update.name.clone(),
            category: update.category.clone(),
            version: update.version.clone(),
            size: update.size,
            kb_ids: update.kb_ids.clone(),
            is_available: update.is_available,
            error: update.error.clone(),
            published_on: update.published_on,
            installed_on: update.installed_on,
        })
        .collect();
    let checkin = CheckIn {
        device_id: device.id,
        hostname: inventory.hostname.clone(),
        serial_number: inventory.serial_number.clone(),
        inventory: json,
        public_ip_address: Some("203.0.113.7".to_owned()),
        updates,
        seen_at: now,
        offline_after: now + Duration::minutes(3),
    };
    store
        .record_checkin(organization_id, &checkin)
        .await
        .unwrap();
    device.id
}

/// A group of the administrator's organization.
pub async fn group(app: &TestApp, name: &str, parent: Option<GroupId>) -> GroupId {
    let organization_id = app.admin.organization.id;
    let now = app.app.state.clock.now();
    app.app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(organization_id, None),
            name,
            parent,
            now,
        )
        .await
        .unwrap()
        .id
}
