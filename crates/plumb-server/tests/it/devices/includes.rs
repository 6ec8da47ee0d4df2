//! The device object: fields built from the reported inventory, `role`, and every `include_*`
//! flag (present only when asked, on list and show alike), plus `security`.

use axum::http::StatusCode;
use serde_json::json;

use super::{DEVICE_FIELDS, INCLUDES, device, field_names, get, show};
use crate::fixtures::{package, windows_server};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_checked_in_device_shows_its_inventory_in_levels_fields() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let id = device(&app, None, "srv-01").await;
    app.checkin(app.admin.organization.id, &id, &windows_server("srv-01"))
        .await;

    let shown = show(&app, &key, &id).await;

    assert_eq!(field_names(&shown), DEVICE_FIELDS);
    assert_eq!(shown["id"], id);
    assert_eq!(shown["hostname"], "srv-01");
    assert_eq!(shown["role"], "server");
    assert_eq!(shown["platform"], "Windows");
    assert_eq!(shown["manufacturer"], "Dell Inc.");
    assert_eq!(shown["model"], "PowerEdge R650");
    assert_eq!(shown["architecture"], "x86_64");
    assert_eq!(shown["serial_number"], "SRV-0001");
    assert_eq!(shown["total_memory"], 34_359_738_368_u64);
    assert_eq!(shown["memory_slots"], 16);
    assert_eq!(shown["cpu_cores"], 24);
    assert_eq!(shown["last_logged_in_user"], "ACME\\ada");
    assert_eq!(shown["last_reboot_time"], "2026-11-01T02:00:00.000Z");
    assert_eq!(shown["private_ip_addresses"], json!(["10.0.0.5"]));
    assert_eq!(shown["public_ip_address"], "203.0.113.7");
    assert_eq!(shown["online"], true);
    assert!(shown["last_seen_at"].is_string(), "{shown}");
    assert_eq!(shown["tags"], json!([]));
    assert_eq!(shown["maintenance_mode"], false);
    for unknown in [
        "flag",
        "city",
        "country",
        "security_score",
        "nickname",
        "notes",
    ] {
        assert_eq!(shown[unknown], json!(null), "{unknown}");
    }
}

#[tokio::test]
async fn each_include_flag_adds_exactly_its_part_on_show_and_list() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let id = device(&app, None, "srv-01").await;
    app.checkin(app.admin.organization.id, &id, &windows_server("srv-01"))
        .await;

    for (flag, field) in INCLUDES {
        for value in ["true", "1", "TRUE"] {
            let shown = get(&app, &key, &format!("/v2/devices/{id}?{flag}={value}")).await;
            let listed = get(&app, &key, &format!("/v2/devices?{flag}={value}")).await;
            let mut expected: Vec<String> = DEVICE_FIELDS.map(str::to_owned).to_vec();
            expected.push(field.to_owned());
            expected.sort_unstable();
            assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
            assert_eq!(field_names(&shown.body), expected, "{flag}={value}");
            assert_eq!(
                field_names(&listed.body["data"][0]),
                expected,
                "{flag}={value}"
            );
        }
        for value in ["false", "0"] {
            let shown = get(&app, &key, &format!("/v2/devices/{id}?{flag}={value}")).await;
            assert_eq!(field_names(&shown.body), DEVICE_FIELDS, "{flag}={value}");
        }
    }
}

#[tokio::test]
async fn the_included_parts_hold_what_the_agent_reported() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let id = device(&app, None, "srv-01").await;
    let inventory = windows_server("srv-01");
    app.checkin(app.admin.organization.id, &id, &inventory)
        .await;
    let all: Vec<String> = INCLUDES
        .iter()
        .map(|(flag, _)| format!("{flag}=true"))
        .collect();

    let shown = get(&app, &key, &format!("/v2/devices/{id}?{}", all.join("&"))).await;

    let body = &shown.body;
    assert_eq!(
        body["operating_system"],
        serde_json::to_value(&inventory.operating_system).unwrap()
    );
    assert_eq!(
        body["operating_system"]["full_operating_system"],
        "Windows Server 2022 Standard"
    );
    assert_eq!(body["cpus"], serde_json::to_value(&inventory.cpus).unwrap());
    assert_eq!(
        body["memory"],
        serde_json::to_value(&inventory.memory).unwrap()
    );
    assert_eq!(
        body["disks"],
        serde_json::to_value(&inventory.disks).unwrap()
    );
    assert_eq!(
        body["disk_partitions"],
        serde_json::to_value(&inventory.disk_partitions).unwrap()
    );
    assert_eq!(
        body["network_interfaces"],
        serde_json::to_value(&inventory.network_interfaces).unwrap()
    );
    assert_eq!(body["motherboard"]["bios_version"], "1.9.2");
    assert_eq!(
        body["security"],
        json!({
            "score": null, "risk": null,
            "patch_compliance": false,
            "patch_security_risk": null,
            "os_end_of_life": false,
            "primary_partition_encrypted": true,
            "firewall_provider": null, "firewall_enabled": null, "firewall_status": null,
            "antivirus_provider": null, "antivirus_status": null,
            "user_account_control_enabled": null, "auto_update": null,
            "admin_accounts_count": null
        })
    );
}

#[tokio::test]
async fn security_follows_the_inventory_patches_root_partition_and_end_of_life() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let id = device(&app, None, "laptop-7").await;
    let mut inventory = windows_server("laptop-7");
    inventory.operating_system.full_operating_system = Some("Debian GNU/Linux 11".to_owned());
    inventory.operating_system.end_of_life = true;
    inventory.disk_partitions[1].mount_point = Some("/".to_owned());
    inventory.disk_partitions[1].encrypted = Some(false);
    inventory.updates = vec![
        package("openssl", "security", false),
        package("vim", "Security", false),
        package("htop", "utilities", true),
    ];
    app.checkin(app.admin.organization.id, &id, &inventory)
        .await;

    let shown = get(&app, &key, &format!("/v2/devices/{id}?include_security=1")).await;

    assert_eq!(shown.body["role"], "workstation");
    assert_eq!(shown.body["security"]["patch_compliance"], true);
    assert_eq!(shown.body["security"]["os_end_of_life"], true);
    assert_eq!(shown.body["security"]["primary_partition_encrypted"], false);
}

#[tokio::test]
async fn a_device_that_never_reported_shows_nulls_and_empty_arrays() {
    let app = TestApp::new().await;
    let key = app.key("read_only").await;
    let id = device(&app, None, "fresh").await;
    let all: Vec<String> = INCLUDES
        .iter()
        .map(|(flag, _)| format!("{flag}=true"))
        .collect();

    let shown = get(&app, &key, &format!("/v2/devices/{id}?{}", all.join("&"))).await;

    let body = &shown.body;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    for null in [
        "role",
        "platform",
        "manufacturer",
        "total_memory",
        "last_seen_at",
        "operating_system",
        "motherboard",
    ] {
        assert_eq!(body[null], json!(null), "{null}");
    }
    for empty in [
        "cpus",
        "memory",
        "disks",
        "disk_partitions",
        "network_interfaces",
        "private_ip_addresses",
    ] {
        assert_eq!(body[empty], json!([]), "{empty}");
    }
    assert_eq!(body["online"], false);
    assert!(
        body["security"]
            .as_object()
            .unwrap()
            .values()
            .all(serde_json::Value::is_null)
    );
}
