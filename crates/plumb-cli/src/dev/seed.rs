//! `plumb dev seed --org ID --devices N`: demo data through the store's own methods.
//!
//! The fleet: one "Demo client NNN (seed S)" group per 400 devices (2 to 250 clients), each
//! with "HQ" and "Branch" sites; devices spread over the sites; tags "Laptop", "Server" and
//! "VIP" on some; an alert on one device in fifty (half of them resolved); and the first
//! `--online` devices checked in once (online for a day, with their updates).

use std::collections::HashMap;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use plumb_core::Store;
use plumb_core::clock::{Clock, SystemClock};
use plumb_core::id::{AlertId, DeviceId, GroupId, OrganizationId, TagId};
use plumb_core::page::{Cursor, MAX_LIMIT, PageRequest};
use plumb_core::store::{CheckIn, NewAlert, NewDevice, NewGroup, NewUpdate};
use plumb_proto::inventory::Platform;
use plumb_proto::v2::Severity;
use plumb_server::startup::open_store;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::{Duration, OffsetDateTime};

use super::SeedArgs;
use super::synth::{Machine, machine};

/// Devices written per transaction.
const CHUNK: usize = 2_000;
/// The most devices one run creates.
const MAX_DEVICES: u64 = 5_000_000;

/// Runs `plumb dev seed`.
pub async fn seed(args: &SeedArgs) -> anyhow::Result<()> {
    if args.devices == 0 || args.devices > MAX_DEVICES {
        bail!("--devices must be from 1 to {MAX_DEVICES}");
    }
    let organization = OrganizationId::parse(&args.org)
        .with_context(|| format!("--org {:?} is not an organization id", args.org))?;
    let config = args.store.config(None)?;
    let database = open_store(&config.database_url()).await?;
    let result = fill(database.store().as_ref(), organization, args).await;
    database.close().await;
    let summary = result?;
    println!("{summary}");
    Ok(())
}

async fn fill(
    store: &dyn Store,
    organization: OrganizationId,
    args: &SeedArgs,
) -> anyhow::Result<String> {
    store
        .organization(organization)
        .await
        .with_context(|| format!("no organization {organization}"))?;
    let now = SystemClock.now();
    let mut rng = StdRng::seed_from_u64(args.seed);
    let sites = groups(store, organization, args, now).await?;
    let tags = tags(store, organization, now).await?;
    let progress = progress(args.devices);
    let mut pending: Vec<(NewDevice, Machine)> = Vec::with_capacity(CHUNK);
    let (mut alerts, mut online) = (0u64, 0u64);
    for index in 0..args.devices {
        let (client, group_id) = sites[usize::try_from(index).unwrap_or(0) % sites.len()];
        let prefix = format!("C{client:03}S{}", args.seed);
        let machine = machine(&mut rng, &prefix, index, now);
        let device = NewDevice {
            id: DeviceId::new(),
            organization_id: organization,
            group_id: Some(group_id),
            hostname: machine.inventory.hostname.clone(),
            serial_number: machine.inventory.serial_number.clone(),
            token_digest: None,
            inventory: Some(serde_json::to_string(&machine.inventory)?),
            created_at: now,
        };
        pending.push((device, machine));
        if pending.len() == CHUNK || index + 1 == args.devices {
            let first = index + 1 - pending.len() as u64;
            let chunk = std::mem::take(&mut pending);
            let devices: Vec<NewDevice> = chunk.iter().map(|(d, _)| d.clone()).collect();
            store.insert_devices(&devices).await?;
            alerts += decorate(store, organization, &tags, &chunk, first, now).await?;
            for (offset, (device, machine)) in chunk.iter().enumerate() {
                if first + (offset as u64) < args.online {
                    check_in(store, organization, device.id, machine, now).await?;
                    online += 1;
                }
            }
            progress.inc(chunk.len() as u64);
        }
    }
    progress.finish_and_clear();
    Ok(format!(
        "seeded organization {organization}: {} devices in {} demo sites, {alerts} alerts, \
         {online} checked in",
        args.devices,
        sites.len()
    ))
}

/// "Demo client NNN (seed S)" groups with two sites each; returns (client number, site id).
async fn groups(
    store: &dyn Store,
    organization: OrganizationId,
    args: &SeedArgs,
    now: OffsetDateTime,
) -> anyhow::Result<Vec<(u64, GroupId)>> {
    let clients = (args.devices / 400).clamp(2, 250);
    let mut sites = Vec::new();
    for client in 1..=clients {
        let parent = NewGroup {
            id: GroupId::new(),
            organization_id: organization,
            parent_id: None,
            name: format!("Demo client {client:03} (seed {})", args.seed),
            created_at: now,
        };
        store.insert_group(&parent, None).await.with_context(|| {
            format!(
                "could not create {:?}: was seed {} used here before? pick another --seed",
                parent.name, args.seed
            )
        })?;
        for site in ["HQ", "Branch"] {
            let group = NewGroup {
                id: GroupId::new(),
                organization_id: organization,
                parent_id: Some(parent.id),
                name: site.to_owned(),
                created_at: now,
            };
            store.insert_group(&group, None).await?;
            sites.push((client, group.id));
        }
    }
    Ok(sites)
}

/// The demo tags by name, created when missing.
async fn tags(
    store: &dyn Store,
    organization: OrganizationId,
    now: OffsetDateTime,
) -> anyhow::Result<HashMap<&'static str, TagId>> {
    let mut existing = HashMap::new();
    let mut cursor = Cursor::First;
    loop {
        let page = PageRequest {
            limit: MAX_LIMIT,
            cursor,
        };
        let page = store.list_tags(organization, &page).await?;
        let Some(last) = page.items.last().map(|tag| tag.id) else {
            break;
        };
        existing.extend(page.items.into_iter().map(|tag| (tag.name, tag.id)));
        if !page.has_more {
            break;
        }
        cursor = Cursor::After(last);
    }
    let mut tags = HashMap::new();
    for name in ["Laptop", "Server", "VIP"] {
        let id = match existing.get(name) {
            Some(id) => *id,
            None => {
                store
                    .insert_tag(organization, TagId::new(), name, now, None)
                    .await?
                    .id
            }
        };
        tags.insert(name, id);
    }
    Ok(tags)
}

/// Tags some devices of a chunk and raises alerts on one in fifty; returns the alerts raised.
async fn decorate(
    store: &dyn Store,
    organization: OrganizationId,
    tags: &HashMap<&'static str, TagId>,
    chunk: &[(NewDevice, Machine)],
    first: u64,
    now: OffsetDateTime,
) -> anyhow::Result<u64> {
    let mut tagged: HashMap<&str, Vec<DeviceId>> = HashMap::new();
    let mut alerts = 0;
    for (offset, (device, machine)) in chunk.iter().enumerate() {
        let index = first + offset as u64;
        let server = machine.inventory.hostname.contains("-SRV-");
        let laptop = !server && machine.inventory.platform != Some(Platform::Linux);
        for (name, on) in [
            ("Server", server),
            ("Laptop", laptop && index.is_multiple_of(3)),
            ("VIP", index % 100 == 7),
        ] {
            if on {
                tagged.entry(name).or_default().push(device.id);
            }
        }
        if index % 50 == 3 {
            alert(store, organization, device, index, now).await?;
            alerts += 1;
        }
    }
    for (name, devices) in tagged {
        store
            .tag_devices(organization, tags[name], &devices, now, None)
            .await?;
    }
    Ok(alerts)
}

async fn alert(
    store: &dyn Store,
    organization: OrganizationId,
    device: &NewDevice,
    index: u64,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let (name, severity) = match index % 4 {
        0 => ("Disk space low", Severity::Warning),
        1 => ("CPU usage high", Severity::Information),
        2 => ("Antivirus definitions out of date", Severity::Critical),
        _ => ("Backup failed", Severity::Emergency),
    };
    let alert = NewAlert {
        id: AlertId::new(),
        organization_id: organization,
        device_id: device.id,
        name: name.to_owned(),
        description: format!("{name} on {} (demo)", device.hostname),
        payload: None,
        severity,
        started_at: now - Duration::minutes((index % 600) as i64),
    };
    let raised = store.insert_alert(&alert).await?;
    if index % 100 == 3 {
        store
            .resolve_alert(organization, raised.id, now, None)
            .await?;
    }
    Ok(())
}

async fn check_in(
    store: &dyn Store,
    organization: OrganizationId,
    device: DeviceId,
    machine: &Machine,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let inventory = &machine.inventory;
    let checkin = CheckIn {
        device_id: device,
        hostname: inventory.hostname.clone(),
        serial_number: inventory.serial_number.clone(),
        inventory: serde_json::to_string(inventory)?,
        public_ip_address: Some("203.0.113.10".to_owned()),
        updates: inventory.updates.iter().map(NewUpdate::from).collect(),
        seen_at: now,
        // Demo devices stay online for a day, then the offline sweep takes them offline.
        offline_after: now + Duration::days(1),
    };
    store.record_checkin(organization, &checkin).await?;
    Ok(())
}

fn progress(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} devices ({per_sec}, {eta} left)")
    {
        bar.set_style(style);
    }
    bar
}
