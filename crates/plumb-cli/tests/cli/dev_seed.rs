//! `plumb dev seed`: an organization gets the asked number of demo devices, spread over demo
//! groups, with tags, alerts and some devices checked in; a seed works once per organization.

use clap::Parser;
use plumb_cli::Cli;
use plumb_core::Store;
use plumb_core::accounts::{Accounts, NewAccount};
use plumb_core::clock::{Clock, SystemClock};
use plumb_core::id::{DeviceId, OrganizationId};
use plumb_core::page::{Cursor, MAX_LIMIT, PageRequest};
use plumb_core::store::{
    AlertStatus, CreateMode, DeviceFilter, DeviceRecord, InventoryDetail, ParentFilter,
};
use plumb_server::database::open_store;

fn seed_cli(url: &str, organization: OrganizationId, devices: u64, seed: u64) -> Cli {
    Cli::try_parse_from([
        "plumb",
        "dev",
        "seed",
        "--database-url",
        url,
        "--org",
        &organization.to_string(),
        "--devices",
        &devices.to_string(),
        "--seed",
        &seed.to_string(),
        "--online",
        "5",
    ])
    .unwrap()
}

async fn all_devices(store: &dyn Store, organization: OrganizationId) -> Vec<DeviceRecord> {
    let mut devices = Vec::new();
    let mut cursor = Cursor::First;
    loop {
        let request = PageRequest::<DeviceId> {
            limit: MAX_LIMIT,
            cursor,
        };
        let page = store
            .list_devices(
                organization,
                &DeviceFilter::default(),
                &request,
                InventoryDetail::Whole,
            )
            .await
            .unwrap();
        let last = page.items.last().map(|device| device.id);
        devices.extend(page.items);
        match (page.has_more, last) {
            (true, Some(last)) => cursor = Cursor::After(last),
            _ => return devices,
        }
    }
}

async fn organization(url: &str) -> OrganizationId {
    let database = open_store(url).await.unwrap();
    let account = NewAccount {
        organization_name: "Acme".into(),
        email: crate::EMAIL.into(),
        name: None,
        password: crate::PASSWORD.to_owned().into(),
    };
    let admin = Accounts::new(database.store())
        .create_organization(account, CreateMode::FirstOnly, None, SystemClock.now())
        .await
        .unwrap();
    database.close().await;
    admin.organization.id
}

#[tokio::test]
async fn seeding_fills_an_organization_with_marked_demo_devices_groups_tags_and_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/plumb.db?mode=rwc", dir.path().display());
    let organization = organization(&url).await;

    plumb_cli::run(seed_cli(&url, organization, 450, 9))
        .await
        .unwrap();

    let database = open_store(&url).await.unwrap();
    let store = database.store();
    let devices = all_devices(store.as_ref(), organization).await;
    assert_eq!(devices.len(), 450);
    assert!(devices.iter().all(|device| {
        device.group_id.is_some()
            && device.inventory.is_some()
            && device
                .serial_number
                .as_deref()
                .is_some_and(|serial| serial.starts_with("DEMO-"))
    }));
    assert_eq!(devices.iter().filter(|device| device.online).count(), 5);
    assert!(devices.iter().any(|device| !device.tags.is_empty()));
    let roots = store
        .list_groups(
            organization,
            ParentFilter::Root,
            &PageRequest {
                limit: MAX_LIMIT,
                cursor: Cursor::First,
            },
        )
        .await
        .unwrap();
    assert_eq!(roots.items.len(), 2, "450 devices make two demo clients");
    assert!(
        roots
            .items
            .iter()
            .all(|group| group.name.starts_with("Demo client") && group.child_ids.len() == 2)
    );
    assert_eq!(
        roots
            .items
            .iter()
            .map(|group| group.descendent_device_count)
            .sum::<u64>(),
        450
    );
    let active = store
        .list_alerts(
            organization,
            None,
            Some(AlertStatus::Active),
            &PageRequest {
                limit: MAX_LIMIT,
                cursor: Cursor::First,
            },
        )
        .await
        .unwrap();
    assert!(!active.items.is_empty());
    database.close().await;

    let again = plumb_cli::run(seed_cli(&url, organization, 10, 9)).await;
    let message = format!("{:#}", again.unwrap_err());
    assert!(message.contains("pick another --seed"), "{message}");
}

#[tokio::test]
async fn seeding_an_unknown_organization_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/plumb.db?mode=rwc", dir.path().display());
    let _ = organization(&url).await;
    let stranger = OrganizationId::new();

    let error = plumb_cli::run(seed_cli(&url, stranger, 10, 1))
        .await
        .unwrap_err();

    assert!(
        format!("{error:#}").contains("no organization"),
        "{error:#}"
    );
    let database = open_store(&url).await.unwrap();
    assert!(
        all_devices(database.store().as_ref(), stranger)
            .await
            .is_empty()
    );
    database.close().await;
}
