//! The agent protocol's rules (docs/agent-protocol.md): enrolling a device with an install key,
//! recognising its device token, recording check-ins and the outcome of runs.
//!
//! A device counts as online while it checks in: each check-in sets `offline_after` to three
//! intervals from now, and the offline sweep takes late devices offline.

use std::collections::HashSet;
use std::ops::RangeInclusive;
use std::sync::Arc;

use plumb_proto::agent::{RunReport, StepReport};
use plumb_proto::inventory::{Inventory, PackageUpdate};
use plumb_proto::v2::RunStatus;
use time::{Duration, OffsetDateTime};

use crate::credential::{self, PlainToken, TokenKind};
use crate::crypto::KeyHasher;
use crate::id::{DeviceId, RunId};
#[cfg(doc)]
use crate::install_keys::InstallKeys;
use crate::keys::not_found;
use crate::store::{
    CheckIn, HeartbeatOutcome, InstallKeyRecord, NewDevice, NewUpdate, RunRecord, StepResult,
    Store, TokenOwner,
};
use crate::{DomainError, StoreError, validate};

pub mod heartbeat;

/// The check-in interval the server asks new agents for, in seconds.
pub const DEFAULT_INTERVAL: u32 = 60;
/// The intervals an agent may announce, in seconds.
pub const INTERVALS: RangeInclusive<u32> = 10..=86_400;
/// Intervals a device may miss before it counts as offline.
pub const MISSED_INTERVALS: i64 = 3;
/// Longest hostname, in characters.
pub const HOSTNAME_MAX: usize = 255;
/// Most steps a run report may hold (an automation has at most 50).
pub const REPORT_STEPS_MAX: usize = 50;
/// Longest step output kept, in bytes (longer output is cut at a character boundary).
pub const OUTPUT_MAX: usize = 64 * 1024;

/// A device just enrolled: its id and its token, shown this once.
#[derive(Debug)]
pub struct Enrollment {
    /// The new device.
    pub device_id: DeviceId,
    /// Its token (`plumbd_...`).
    pub token: PlainToken,
}

/// What a check-in or enrollment reports besides the inventory.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The inventory.
    pub inventory: &'a Inventory,
    /// The interval the agent runs at, in seconds.
    pub interval_seconds: u32,
    /// The TCP peer's address.
    pub public_ip_address: Option<String>,
}

/// The agent side of plumb over a store.
#[derive(Clone)]
pub struct Agents {
    store: Arc<dyn Store>,
    hasher: KeyHasher,
}

impl Agents {
    /// Agents over a store, digesting with the installation's pepper.
    pub fn new(store: Arc<dyn Store>, hasher: KeyHasher) -> Self {
        Self { store, hasher }
    }

    /// Enrolls a device with a live install key (see [`InstallKeys::resolve`]): the device
    /// joins the key's organization and group, and the report is its first check-in.
    pub async fn enroll(
        &self,
        key: &InstallKeyRecord,
        report: &Report<'_>,
        now: OffsetDateTime,
    ) -> Result<Enrollment, DomainError> {
        let (checkin_parts, inventory) = checked(report, now)?;
        let token = PlainToken::generate(TokenKind::DeviceToken);
        let device = NewDevice {
            id: DeviceId::new(),
            organization_id: key.organization_id,
            group_id: key.group_id,
            hostname: checkin_parts.hostname.clone(),
            serial_number: checkin_parts.serial_number.clone(),
            token_digest: Some(self.hasher.digest(token.expose())),
            inventory: Some(inventory),
            created_at: now,
        };
        // A group deleted since the key was made: the device joins no group.
        let device = match self.store.insert_device(&device).await {
            Err(StoreError::NotFound) => {
                let mut without_group = device;
                without_group.group_id = None;
                self.store.insert_device(&without_group).await?;
                without_group
            }
            other => other.map(|()| device)?,
        };
        let checkin = CheckIn {
            device_id: device.id,
            ..checkin_parts
        };
        self.store
            .record_checkin(device.organization_id, &checkin)
            .await?;
        tracing::info!(device.id = %device.id, install_key.id = %key.id, "enrolled device {}", device.id);
        Ok(Enrollment {
            device_id: device.id,
            token,
        })
    }

    /// The device a presented token belongs to: `None` for a malformed or unknown token, or
    /// a deleted device (shape and checksum checked before any lookup).
    pub async fn device_for_token(
        &self,
        presented: &str,
    ) -> Result<Option<TokenOwner>, StoreError> {
        if credential::check_format(TokenKind::DeviceToken, presented).is_err() {
            return Ok(None);
        }
        self.store
            .device_by_token(&self.hasher.digest(presented))
            .await
    }

    /// Records a full check-in and hands out the device's pending runs (now running).
    /// `NotFound` when the device was deleted meanwhile.
    pub async fn check_in(
        &self,
        owner: TokenOwner,
        report: &Report<'_>,
        now: OffsetDateTime,
    ) -> Result<Vec<RunRecord>, DomainError> {
        let (parts, _) = checked(report, now)?;
        let checkin = CheckIn {
            device_id: owner.device_id,
            ..parts
        };
        self.store
            .record_checkin(owner.organization_id, &checkin)
            .await
            .map_err(not_found("device"))?;
        Ok(self
            .store
            .claim_runs(owner.organization_id, owner.device_id, now)
            .await?)
    }

    /// Records a digest check-in (see [`heartbeat::Beat`]): `Ok(None)` when the server does
    /// not hold that inventory and the agent must send it in full, else the pending runs.
    /// `NotFound` when the device was deleted meanwhile.
    pub async fn heartbeat(
        &self,
        owner: TokenOwner,
        beat: &heartbeat::Beat<'_>,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<RunRecord>>, DomainError> {
        let heartbeat = beat.checked(owner.device_id, now)?;
        let outcome = self
            .store
            .record_heartbeat(owner.organization_id, &heartbeat)
            .await
            .map_err(not_found("device"))?;
        Ok(match outcome {
            HeartbeatOutcome::Recorded(runs) => Some(runs),
            HeartbeatOutcome::SendFull => None,
        })
    }

    /// Records a run's outcome: `NotFound` if it is not this device's run, `Conflict` if it
    /// was already reported.
    pub async fn finish_run(
        &self,
        owner: TokenOwner,
        id: RunId,
        report: &RunReport,
        now: OffsetDateTime,
    ) -> Result<RunRecord, DomainError> {
        if !is_final(report.status) {
            return Err(DomainError::invalid(
                "status must be success, warning, error or canceled",
            ));
        }
        if report.steps.len() > REPORT_STEPS_MAX {
            return Err(DomainError::invalid(format!(
                "a run report holds at most {REPORT_STEPS_MAX} steps"
            )));
        }
        if report.steps.iter().any(|step| !is_final(step.status)) {
            return Err(DomainError::invalid(
                "each step's status must be success, warning, error or canceled",
            ));
        }
        let results: Vec<StepResult> = report.steps.iter().map(step_result).collect();
        let record = self
            .store
            .finish_run(
                owner.organization_id,
                owner.device_id,
                id,
                report.status,
                &results,
                now,
            )
            .await
            .map_err(|error| match error {
                StoreError::NotFound => DomainError::NotFound("run"),
                StoreError::Conflict { .. } => {
                    DomainError::Conflict("this run was already reported".to_owned())
                }
                other => DomainError::Store(other),
            })?;
        tracing::info!(run.id = %id, device.id = %owner.device_id, "run {id} ended");
        Ok(record)
    }
}

/// Whether a status ends a run.
pub fn is_final(status: RunStatus) -> bool {
    !matches!(status, RunStatus::Pending | RunStatus::Running)
}

/// Validates a report and builds the check-in (with a placeholder device id) and the
/// inventory's JSON.
fn checked(report: &Report<'_>, now: OffsetDateTime) -> Result<(CheckIn, String), DomainError> {
    check_interval(report.interval_seconds)?;
    let inventory = report.inventory;
    let hostname = validate::text("inventory.hostname", &inventory.hostname, HOSTNAME_MAX)?;
    let mut names = HashSet::new();
    for update in &inventory.updates {
        validate::text("update name", &update.name, HOSTNAME_MAX)?;
        if !names.insert(update.name.as_str()) {
            return Err(DomainError::invalid(format!(
                "the update {} is reported twice",
                update.name
            )));
        }
    }
    let json = serde_json::to_string(inventory)
        .map_err(|error| DomainError::Internal(format!("inventory to JSON: {error}")))?;
    let digests = heartbeat::digests_of(&json, &inventory.updates);
    let late_in = late_in(report.interval_seconds);
    let checkin = CheckIn {
        device_id: DeviceId(uuid::Uuid::nil()),
        hostname,
        serial_number: inventory
            .serial_number
            .as_deref()
            .map(str::trim)
            .filter(|serial| !serial.is_empty())
            .map(str::to_owned),
        inventory: json.clone(),
        public_ip_address: report.public_ip_address.clone(),
        updates: inventory.updates.iter().map(new_update).collect(),
        digests: Some(digests),
        seen_at: now,
        offline_after: now + late_in,
    };
    Ok((checkin, json))
}

/// Checks an announced check-in interval.
fn check_interval(interval_seconds: u32) -> Result<(), DomainError> {
    if INTERVALS.contains(&interval_seconds) {
        return Ok(());
    }
    Err(DomainError::invalid(format!(
        "checkin_interval_seconds must be from {} to {}",
        INTERVALS.start(),
        INTERVALS.end()
    )))
}

/// How long a device checking in every `interval_seconds` stays online without checking in.
fn late_in(interval_seconds: u32) -> Duration {
    Duration::seconds(i64::from(interval_seconds) * MISSED_INTERVALS)
}

fn new_update(update: &PackageUpdate) -> NewUpdate {
    NewUpdate {
        name: update.name.clone(),
        category: update.category.clone(),
        version: update.version.clone(),
        size: update.size,
        kb_ids: update.kb_ids.clone(),
        is_available: update.is_available,
        error: update.error.clone(),
        published_on: update.published_on,
        installed_on: update.installed_on,
    }
}

fn step_result(step: &StepReport) -> StepResult {
    let mut end = step.output.len().min(OUTPUT_MAX);
    while !step.output.is_char_boundary(end) {
        end -= 1;
    }
    StepResult {
        name: step.name.clone(),
        status: step.status,
        output: step.output[..end].to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_step_output_is_cut_at_a_character_boundary() {
        let step = StepReport {
            name: "s".to_owned(),
            status: RunStatus::Success,
            output: "é".repeat(OUTPUT_MAX),
        };
        let result = step_result(&step);
        assert!(result.output.len() <= OUTPUT_MAX);
        assert!(result.output.len() > OUTPUT_MAX - 2);
    }

    #[test]
    fn only_ended_statuses_are_final() {
        assert!(!is_final(RunStatus::Pending));
        assert!(!is_final(RunStatus::Running));
        assert!(is_final(RunStatus::Canceled));
    }
}
