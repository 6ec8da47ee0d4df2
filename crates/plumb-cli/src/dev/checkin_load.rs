//! `plumb dev checkin-load`: agents' load on a server, through the agent's own client code
//! (`plumb_agent::client` and `plumb_agent::checkin`, digests included).
//!
//! Enrolls `--devices` simulated machines with varied inventories ([`super::synth`], plus a
//! realistic number of installed packages), checks each in once in full, then for `--seconds`
//! every device checks in again as soon as its previous check-in is answered (or at its share
//! of `--rate`). Before each check-in, a share `--changed-share` of the devices change their
//! inventory (free disk space, and now and then an update), so the agent sends it in full; the
//! others send their digests. Prints one JSON line: `checkins_per_second`, `p50_ms`, `p99_ms`,
//! `errors`, `devices` (docs/performance.md).

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use plumb_agent::checkin::DigestCheckins;
use plumb_agent::client::AgentClient;
use plumb_agent::secret::Secret;
use plumb_core::clock::{Clock, SystemClock};
use plumb_proto::agent::EnrollRequest;
use plumb_proto::inventory::{Inventory, PackageUpdate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::OffsetDateTime;
use tokio::sync::Semaphore;

use super::CheckinLoadArgs;
use super::synth;

/// Enrollments in flight at once.
const ENROLLING: usize = 16;
/// The interval the simulated agents announce.
const INTERVAL: u32 = 60;

/// One simulated device.
struct Device {
    token: Secret,
    inventory: Inventory,
    checkins: DigestCheckins,
    rng: StdRng,
}

/// What one device saw during the measurement.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: u64,
}

/// Runs the load and writes its one-line JSON summary to `out`.
pub async fn checkin_load(args: &CheckinLoadArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.changed_share) {
        anyhow::bail!("--changed-share must be from 0 to 1");
    }
    if args.devices == 0 || args.seconds == 0 {
        anyhow::bail!("--devices and --seconds must be at least 1");
    }
    let client = AgentClient::new(&args.server)?;
    let devices = enroll_all(&client, args).await?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    // Each device's share of --rate: one check-in every `pace`.
    let pace = args
        .rate
        .map(|rate| Duration::from_secs_f64(f64::from(args.devices) / f64::from(rate.max(1))));
    let tasks: Vec<_> = devices
        .into_iter()
        .map(|device| {
            let client = client.clone();
            let share = args.changed_share;
            tokio::spawn(run_device(client, device, deadline, pace, share))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let tally = task.await.context("a simulated device panicked")?;
        latencies.extend(tally.latencies);
        errors += tally.errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let summary = serde_json::json!({
        "checkins_per_second": (latencies.len() as f64 / elapsed).round(),
        "p50_ms": percentile_ms(&latencies, 0.50),
        "p99_ms": percentile_ms(&latencies, 0.99),
        "errors": errors,
        "devices": args.devices,
    });
    writeln!(out, "{summary}")?;
    Ok(())
}

/// Enrolls every device and checks each in once in full (outside the measurement).
async fn enroll_all(client: &AgentClient, args: &CheckinLoadArgs) -> anyhow::Result<Vec<Device>> {
    let now = SystemClock.now();
    let gate = Arc::new(Semaphore::new(ENROLLING));
    let key = Arc::new(args.install_key.clone());
    let tasks: Vec<_> = (0..args.devices)
        .map(|index| {
            let (client, gate, key) = (client.clone(), gate.clone(), key.clone());
            let mut rng = StdRng::seed_from_u64(args.seed ^ (u64::from(index) << 20));
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await?;
                let inventory = simulated(&mut rng, index, now);
                let request = EnrollRequest {
                    install_key: key.to_string(),
                    inventory: inventory.clone(),
                };
                let enrolled = client
                    .enroll(&request)
                    .await
                    .with_context(|| format!("enrolling simulated device {index}"))?;
                let mut device = Device {
                    token: Secret::new(enrolled.device_token),
                    inventory,
                    checkins: DigestCheckins::default(),
                    rng,
                };
                device
                    .checkins
                    .check_in(&client, &device.token, device.inventory.clone(), INTERVAL)
                    .await
                    .with_context(|| format!("first check-in of simulated device {index}"))?;
                anyhow::Ok(device)
            })
        })
        .collect();
    let mut devices = Vec::with_capacity(tasks.len());
    for task in tasks {
        devices.push(task.await??);
    }
    Ok(devices)
}

/// Checks one device in until the deadline.
async fn run_device(
    client: AgentClient,
    mut device: Device,
    deadline: Instant,
    pace: Option<Duration>,
    changed_share: f64,
) -> Tally {
    let mut tally = Tally::default();
    // Spread the paced devices over one pace instead of starting them together.
    let mut next =
        Instant::now() + pace.map_or(Duration::ZERO, |pace| pace.mul_f64(device.rng.r#gen()));
    loop {
        if pace.is_some() {
            tokio::time::sleep_until(next.into()).await;
        }
        if Instant::now() >= deadline {
            return tally;
        }
        if device.rng.gen_bool(changed_share) {
            change(&mut device.inventory, &mut device.rng);
        }
        let sent = Instant::now();
        let answer = device
            .checkins
            .check_in(&client, &device.token, device.inventory.clone(), INTERVAL)
            .await;
        match answer {
            Ok(_) => tally.latencies.push(sent.elapsed()),
            Err(_) => tally.errors += 1,
        }
        next += pace.unwrap_or_default();
    }
}

/// A synthetic machine with a realistic number of installed packages (30 to 200).
fn simulated(rng: &mut StdRng, index: u32, now: OffsetDateTime) -> Inventory {
    let mut inventory = synth::machine(rng, "LOAD", u64::from(index), now).inventory;
    let installed = rng.gen_range(30..200);
    inventory
        .updates
        .extend((0..installed).map(|n| PackageUpdate {
            name: format!("package-{n:03}"),
            category: Some("installed".to_owned()),
            version: Some(format!(
                "{}.{}.{}",
                rng.gen_range(0..9),
                n % 20,
                rng.gen_range(0..40)
            )),
            size: Some(rng.gen_range(10..5_000) * 1024),
            is_available: false,
            installed_on: Some(now - time::Duration::days(rng.gen_range(1..400))),
            ..PackageUpdate::default()
        }));
    inventory
}

/// What changes on a machine between two check-ins: its free disk space, and in one change in
/// five the version of one of its packages.
fn change(inventory: &mut Inventory, rng: &mut StdRng) {
    if let Some(partition) = inventory.disk_partitions.first_mut() {
        partition.free_space = Some(rng.gen_range(1..1_000) * 1024 * 1024 * 1024);
    }
    if rng.gen_bool(0.2) && !inventory.updates.is_empty() {
        let n = rng.gen_range(0..inventory.updates.len());
        inventory.updates[n].version = Some(format!(
            "{}.0.{}",
            rng.gen_range(0..9),
            rng.gen_range(0..99)
        ));
    }
}

/// The latency at `share` of the sorted list, in milliseconds with two decimals.
fn percentile_ms(sorted: &[Duration], share: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len()) - 1;
    (sorted[at].as_secs_f64() * 100_000.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_read_from_the_sorted_latencies() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&sorted, 0.50), 50.0);
        assert_eq!(percentile_ms(&sorted, 0.99), 99.0);
        assert_eq!(percentile_ms(&[], 0.99), 0.0);
    }

    #[test]
    fn a_change_always_changes_the_inventory_and_simulated_machines_differ() {
        let now = SystemClock.now();
        let mut rng = StdRng::seed_from_u64(7);
        let first = simulated(&mut rng, 0, now);
        let second = simulated(&mut rng, 1, now);
        assert_ne!(first.hostname, second.hostname);
        assert!(first.updates.len() >= 30);
        let mut changed = first;
        for _ in 0..20 {
            let before = changed.clone();
            change(&mut changed, &mut rng);
            assert_ne!(changed, before);
        }
    }
}
