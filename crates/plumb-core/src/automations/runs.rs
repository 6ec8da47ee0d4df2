//! A person's Run now (on chosen devices of an automation's target, audited) and the Runs
//! views: one automation's runs or one device's, newest first.

use serde_json::json;
use time::OffsetDateTime;

use super::Automations;
use crate::activity::Actor;
use crate::devices;
use crate::id::{AutomationId, DeviceId, OrganizationId, RunId};
use crate::keys::not_found;
use crate::page::{MAX_LIMIT, MIN_LIMIT};
use crate::store::{RunRecord, RunsOf, StartedRun};
use crate::{DomainError, StoreError};

/// Runs newest first, and whether older ones exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunList {
    /// Newest first.
    pub runs: Vec<RunRecord>,
    /// Whether runs older than the last one exist.
    pub has_more: bool,
}

impl Automations {
    /// Starts the automation now on `only` (every device of its target when `None`; callers
    /// check that a list names at least one, `devices::membership_count`). Ids
    /// outside the target are skipped; when no run starts at all nothing is written and the
    /// answer says why. The activity entry is written with the runs.
    pub async fn run_now(
        &self,
        actor: &Actor,
        automation_id: AutomationId,
        only: Option<&[DeviceId]>,
        now: OffsetDateTime,
    ) -> Result<Vec<StartedRun>, DomainError> {
        if let Some(ids) = only {
            devices::device_count(ids.len())?;
        }
        let automation = self.get(actor.organization_id, automation_id).await?;
        let entry = actor.record(
            "automation.run_started",
            ("automation", Some(automation_id.to_string())),
            json!({
                "name": automation.name,
                "device_ids": only.map(|ids| ids.iter().map(ToString::to_string).collect::<Vec<_>>()),
            }),
            now,
        );
        let started = self
            .store
            .start_runs(
                actor.organization_id,
                automation_id,
                only,
                now,
                Some(&entry),
            )
            .await
            .map_err(not_found("automation"))?;
        if started.is_empty() {
            let why = match (only, automation.group_name) {
                (Some(_), Some(group)) => format!(
                    "none of the chosen devices is in the group {group} or its subgroups, which this automation targets"
                ),
                (Some(_), None) => "none of the chosen devices exists".to_owned(),
                (None, Some(group)) => {
                    format!("the group {group} and its subgroups have no devices")
                }
                (None, None) => "the organization has no devices yet".to_owned(),
            };
            return Err(DomainError::invalid(why));
        }
        tracing::info!(automation.id = %automation_id, runs = started.len(), "started automation {automation_id} on {} devices", started.len());
        Ok(started)
    }

    /// Up to `limit` runs of an automation or a device, newest first, older than `before`.
    /// A missing automation or device (or another organization's) is not found.
    pub async fn runs(
        &self,
        organization_id: OrganizationId,
        of: RunsOf,
        before: Option<RunId>,
        limit: u32,
    ) -> Result<RunList, DomainError> {
        if !(MIN_LIMIT..=MAX_LIMIT).contains(&limit) {
            return Err(DomainError::invalid(format!(
                "limit must be from {MIN_LIMIT} to {MAX_LIMIT}"
            )));
        }
        match of {
            RunsOf::Automation(id) => {
                self.get(organization_id, id).await?;
            }
            RunsOf::Device(id) => match self.store.device(organization_id, id).await {
                Ok(_) => {}
                Err(StoreError::NotFound) => return Err(DomainError::NotFound("device")),
                Err(other) => return Err(other.into()),
            },
        }
        let mut runs = self
            .store
            .list_runs(organization_id, of, before, limit + 1)
            .await?;
        let has_more = runs.len() > limit as usize;
        runs.truncate(limit as usize);
        Ok(RunList { runs, has_more })
    }
}
