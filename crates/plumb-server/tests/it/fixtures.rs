//! Inventory fixtures for the `/v2` device-side tests: a full Windows Server inventory, check-ins
//! through the store (as the agent's check-in endpoint records them), alerts, and a second
//! organization with its own key.

use plumb_core::id::{AlertId, DeviceId, GroupId, OrganizationId};
use plumb_core::store::{CheckIn, NewAlert, NewDevice, NewUpdate};
use plumb_proto::inventory::{
    Cpu, Disk, DiskPartition, Inventory, MemoryModule, Motherboard, NetworkInterface,
    OperatingSystem, PackageUpdate, Platform,
};
use plumb_proto::v2::Severity;
use time::Duration;
use time::macros::datetime;

use crate::helpers::{PASSWORD, TestApp};

/// A fully reported Windows Server: every include part filled, C:\ encrypted, one available
/// security update and one installed driver update.
pub fn windows_server(hostname: &str) -> Inventory {
    Inventory {
        hostname: hostname.to_owned(),
        platform: Some(Platform::Windows),
        operating_system: OperatingSystem {
            full_operating_system: Some("Windows Server 2022 Standard".to_owned()),
            major_version: Some("10".to_owned()),
            minor_version: Some("20348".to_owned()),
            architecture: Some("x86_64".to_owned()),
            install_date: Some(datetime!(2024-01-02 03:04:05.678 UTC)),
            end_of_life: false,
        },
        architecture: Some("x86_64".to_owned()),
        manufacturer: Some("Dell Inc.".to_owned()),
        model: Some("PowerEdge R650".to_owned()),
        serial_number: Some("SRV-0001".to_owned()),
        total_memory: Some(34_359_738_368),
        memory_slots: Some(16),
        cpu_cores: Some(24),
        cpus: vec![Cpu {
            model: Some("Intel Xeon Silver 4310".to_owned()),
            clock_speed: Some(2100),
            cores: Some(12),
        }],
        memory: vec![MemoryModule {
            location: Some("A1".to_owned()),
            manufacturer: Some("Samsung".to_owned()),
            memory_type: Some("DDR4".to_owned()),
            clock_speed: Some(3200),
            size: Some(34_359_738_368),
            serial_number: Some("M-1".to_owned()),
            part_number: Some("M393A4K40EB3".to_owned()),
            form_factor: Some("DIMM".to_owned()),
        }],
        disks: vec![Disk {
            disk_type: Some("SSD".to_owned()),
            model: Some("PERC H755".to_owned()),
            serial_number: Some("D-1".to_owned()),
            size: Some(960_000_000_000),
        }],
        disk_partitions: vec![
            DiskPartition {
                label: Some("Data".to_owned()),
                mount_point: Some("D:\\".to_owned()),
                encrypted: Some(false),
                primary: Some(false),
                size: Some(500_000_000_000),
                free_space: Some(400_000_000_000),
                file_system: Some("NTFS".to_owned()),
            },
            DiskPartition {
                label: Some("System".to_owned()),
                mount_point: Some("C:\\".to_owned()),
                encrypted: Some(true),
                primary: Some(true),
                size: Some(400_000_000_000),
                free_space: Some(100_000_000_000),
                file_system: Some("NTFS".to_owned()),
            },
        ],
        network_interfaces: vec![NetworkInterface {
            description: Some("Broadcom NetXtreme".to_owned()),
            interface: Some("Ethernet0".to_owned()),
            mac_address: Some("02:00:00:00:00:01".to_owned()),
            ip_addresses: vec!["10.0.0.5/24".to_owned()],
            gateway: Some("10.0.0.1".to_owned()),
            domain: Some("acme.local".to_owned()),
            dhcp_server: None,
            dns_servers: vec!["10.0.0.2".to_owned()],
            label: Some("LAN".to_owned()),
        }],
        motherboard: Some(Motherboard {
            manufacturer: Some("Dell Inc.".to_owned()),
            model: Some("0A1B2C".to_owned()),
            bios_version: Some("1.9.2".to_owned()),
        }),
        last_logged_in_user: Some("ACME\\ada".to_owned()),
        last_reboot_time: Some(datetime!(2026-11-01 02:00:00 UTC)),
        private_ip_addresses: vec!["10.0.0.5".to_owned()],
        updates: vec![
            package("KB5031234", "Security", true),
            package("Dell driver pack", "Drivers", false),
        ],
    }
}

/// A package update as an agent reports it.
pub fn package(name: &str, category: &str, available: bool) -> PackageUpdate {
    PackageUpdate {
        name: name.to_owned(),
        category: Some(category.to_owned()),
        version: Some("1.0".to_owned()),
        size: Some(1_048_576),
        kb_ids: vec![name.to_owned()],
        is_available: available,
        error: None,
        published_on: Some(datetime!(2026-10-10 00:00:00 UTC)),
        installed_on: (!available).then_some(datetime!(2026-10-12 00:00:00 UTC)),
    }
}

impl TestApp {
    /// Records a check-in of `inventory` for a device, with its updates, as the agent's
    /// check-in endpoint does.
    pub async fn checkin(
        &self,
        organization_id: OrganizationId,
        device: &str,
        inventory: &Inventory,
    ) {
        let now = self.app.state.clock.now();
        let checkin = CheckIn {
            device_id: DeviceId::parse(device).unwrap(),
            hostname: inventory.hostname.clone(),
            serial_number: inventory.serial_number.clone(),
            inventory: serde_json::to_string(inventory).unwrap(),
            public_ip_address: Some("203.0.113.7".to_owned()),
            updates: inventory
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
                .collect(),
            seen_at: now,
            offline_after: now + Duration::minutes(15),
            digests: None,
        };
        self.app
            .state
            .store
            .record_checkin(organization_id, &checkin)
            .await
            .unwrap();
    }

    /// A device with a serial number and a token digest, as enrollment creates it.
    pub async fn device_with_serial(
        &self,
        organization_id: OrganizationId,
        group_id: Option<GroupId>,
        hostname: &str,
        serial_number: &str,
    ) -> String {
        let mut device = NewDevice::bare(
            organization_id,
            group_id,
            hostname,
            self.app.state.clock.now(),
        );
        device.serial_number = Some(serial_number.to_owned());
        self.app.state.store.insert_device(&device).await.unwrap();
        device.id.to_string()
    }

    /// Raises an alert about a device; returns its id.
    pub async fn alert(
        &self,
        organization_id: OrganizationId,
        device: &str,
        name: &str,
        severity: Severity,
    ) -> String {
        let alert = NewAlert {
            id: AlertId::new(),
            organization_id,
            device_id: DeviceId::parse(device).unwrap(),
            name: name.to_owned(),
            description: format!("{name} on the device"),
            payload: Some("{\"disk\":\"C:\"}".to_owned()),
            severity,
            started_at: self.app.state.clock.now(),
        };
        self.app.state.store.insert_alert(&alert).await.unwrap();
        alert.id.to_string()
    }

    /// A second organization ("Other MSP") and a read-write key of it.
    pub async fn other_org_key(&self) -> (OrganizationId, String) {
        let other = self.other_org("boss@other.test").await;
        let session = self.sign_in("boss@other.test", PASSWORD).await;
        let (_, key) = self.create_key(&session, "Other", "read_write").await;
        (other.organization.id, key)
    }
}
