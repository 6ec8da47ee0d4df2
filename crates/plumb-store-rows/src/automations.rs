//! Rows of the automation tables (install keys, automations, webhook triggers, runs), and the
//! JSON spelling of steps,
//! step results and run statuses.
//!
//! Steps are stored as a JSON array of `ScriptStep` objects (name, shell, script,
//! timeout_seconds); results as a JSON array of `{"name", "status", "output"}` objects, the
//! agent's `StepReport` form, whose status is a run status in snake_case (`"success"`). `T` is
//! the backend's stored time ([`StoredTime`]).

use plumb_core::StoreError;
use plumb_core::id::WebhookId;
use plumb_core::id::{AutomationId, DeviceId, GroupId, InstallKeyId, OrganizationId, RunId};
use plumb_core::store::{AutomationRecord, InstallKeyRecord, RunRecord, StepResult, WebhookRecord};
use plumb_proto::agent::{ScriptStep, StepReport};
use plumb_proto::v2::RunStatus;

use crate::codec::{parse_digest, parse_optional_uuid, parse_uuid};
use crate::damaged;
use crate::stored::{StoredTime, optional_time};

/// Selects an [`InstallKeyRow`]; callers append a `where`.
pub const INSTALL_KEY_SELECT: &str =
    "select id, organization_id, group_id, key_hint, created_at from install_keys ";

/// Selects an [`AutomationRow`]; callers append a `where` on `a` (automations).
pub const AUTOMATION_SELECT: &str = "select a.id, a.organization_id, a.name, \
     a.description, a.group_id, g.name as group_name, a.steps, a.created_at, a.updated_at \
     from automations a \
     left join groups g on g.organization_id = a.organization_id and g.id = a.group_id ";

/// Selects a [`WebhookRow`]; callers append a `where` on `w` (automation_webhooks).
pub const WEBHOOK_SELECT: &str = "select w.id, w.organization_id, w.automation_id, \
     a.name as automation_name, w.token_sealed, w.authorization_digest, w.created_at \
     from automation_webhooks w join automations a on a.id = w.automation_id ";

/// The columns of a [`RunRow`], for a `select` or a `returning`.
pub const RUN_COLUMNS: &str = "id, organization_id, automation_id, automation_name, \
     device_id, device_hostname, status, steps, results, created_at, started_at, ended_at";

/// An install key (its digest stays in the table).
#[derive(sqlx::FromRow)]
pub struct InstallKeyRow<T> {
    id: String,
    organization_id: String,
    group_id: Option<String>,
    key_hint: String,
    created_at: T,
}

impl<T: StoredTime> TryFrom<InstallKeyRow<T>> for InstallKeyRecord {
    type Error = StoreError;

    fn try_from(row: InstallKeyRow<T>) -> Result<Self, StoreError> {
        Ok(InstallKeyRecord {
            id: InstallKeyId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            group_id: parse_optional_uuid(row.group_id.as_deref())?.map(GroupId),
            hint: row.key_hint,
            created_at: row.created_at.into_time()?,
        })
    }
}

/// An automation with its group's name.
#[derive(sqlx::FromRow)]
pub struct AutomationRow<T> {
    id: String,
    organization_id: String,
    name: String,
    description: Option<String>,
    group_id: Option<String>,
    group_name: Option<String>,
    steps: String,
    created_at: T,
    updated_at: T,
}

impl<T: StoredTime> TryFrom<AutomationRow<T>> for AutomationRecord {
    type Error = StoreError;

    fn try_from(row: AutomationRow<T>) -> Result<Self, StoreError> {
        Ok(AutomationRecord {
            id: AutomationId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            name: row.name,
            description: row.description,
            group_id: parse_optional_uuid(row.group_id.as_deref())?.map(GroupId),
            group_name: row.group_name,
            steps: parse_steps(&row.steps)?,
            created_at: row.created_at.into_time()?,
            updated_at: row.updated_at.into_time()?,
        })
    }
}

/// A webhook trigger with its automation's name.
#[derive(sqlx::FromRow)]
pub struct WebhookRow<T> {
    id: String,
    organization_id: String,
    automation_id: String,
    automation_name: String,
    token_sealed: Vec<u8>,
    authorization_digest: Option<Vec<u8>>,
    created_at: T,
}

impl<T: StoredTime> TryFrom<WebhookRow<T>> for WebhookRecord {
    type Error = StoreError;

    fn try_from(row: WebhookRow<T>) -> Result<Self, StoreError> {
        Ok(WebhookRecord {
            id: WebhookId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            automation_id: AutomationId(parse_uuid(&row.automation_id)?),
            automation_name: row.automation_name,
            sealed_token: row.token_sealed,
            authorization_digest: row
                .authorization_digest
                .as_deref()
                .map(parse_digest)
                .transpose()?,
            created_at: row.created_at.into_time()?,
        })
    }
}

/// A run, with the names it was started under.
#[derive(sqlx::FromRow)]
pub struct RunRow<T> {
    id: String,
    organization_id: String,
    automation_id: Option<String>,
    automation_name: String,
    device_id: Option<String>,
    device_hostname: Option<String>,
    status: String,
    steps: String,
    results: String,
    created_at: T,
    started_at: Option<T>,
    ended_at: Option<T>,
}

impl<T: StoredTime> TryFrom<RunRow<T>> for RunRecord {
    type Error = StoreError;

    fn try_from(row: RunRow<T>) -> Result<Self, StoreError> {
        Ok(RunRecord {
            id: RunId(parse_uuid(&row.id)?),
            organization_id: OrganizationId(parse_uuid(&row.organization_id)?),
            automation_id: parse_optional_uuid(row.automation_id.as_deref())?.map(AutomationId),
            automation_name: row.automation_name,
            device_id: parse_optional_uuid(row.device_id.as_deref())?.map(DeviceId),
            device_hostname: row.device_hostname,
            status: parse_status(&row.status)?,
            steps: parse_steps(&row.steps)?,
            results: parse_results(&row.results)?,
            created_at: row.created_at.into_time()?,
            started_at: optional_time(row.started_at)?,
            ended_at: optional_time(row.ended_at)?,
        })
    }
}

/// The stored form of a list of steps.
pub fn steps_text(steps: &[ScriptStep]) -> String {
    // Strings and integers always serialise.
    serde_json::to_string(steps).unwrap_or_else(|_| "[]".to_owned())
}

/// Reads stored steps.
fn parse_steps(text: &str) -> Result<Vec<ScriptStep>, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged("automation steps"))
}

/// The stored form of step results.
pub fn results_text(results: &[StepResult]) -> String {
    let reports: Vec<StepReport> = results
        .iter()
        .map(|result| StepReport {
            name: result.name.clone(),
            status: result.status,
            output: result.output.clone(),
        })
        .collect();
    // Strings and unit enum variants always serialise.
    serde_json::to_string(&reports).unwrap_or_else(|_| "[]".to_owned())
}

/// Reads stored step results.
fn parse_results(text: &str) -> Result<Vec<StepResult>, StoreError> {
    let reports: Vec<StepReport> =
        serde_json::from_str(text).map_err(|_| damaged("run results"))?;
    Ok(reports
        .into_iter()
        .map(|report| StepResult {
            name: report.name,
            status: report.status,
            output: report.output,
        })
        .collect())
}

/// The stored form of a run status (its snake_case wire name).
pub fn status_text(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Pending => "pending",
        RunStatus::Running => "running",
        RunStatus::Success => "success",
        RunStatus::Warning => "warning",
        RunStatus::Error => "error",
        RunStatus::Canceled => "canceled",
    }
}

/// Reads a stored run status.
pub fn parse_status(text: &str) -> Result<RunStatus, StoreError> {
    match text {
        "pending" => Ok(RunStatus::Pending),
        "running" => Ok(RunStatus::Running),
        "success" => Ok(RunStatus::Success),
        "warning" => Ok(RunStatus::Warning),
        "error" => Ok(RunStatus::Error),
        "canceled" => Ok(RunStatus::Canceled),
        other => Err(damaged(format!("run status {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_run_status_reads_back_from_its_stored_form() {
        for status in [
            RunStatus::Pending,
            RunStatus::Running,
            RunStatus::Success,
            RunStatus::Warning,
            RunStatus::Error,
            RunStatus::Canceled,
        ] {
            assert_eq!(parse_status(status_text(status)).ok(), Some(status));
        }
        assert!(parse_status("done").is_err());
    }

    #[test]
    fn step_results_are_stored_as_name_status_output_objects() {
        let results = [StepResult {
            name: "check".into(),
            status: RunStatus::Warning,
            output: "disk 91%".into(),
        }];
        let text = results_text(&results);
        assert_eq!(
            text,
            r#"[{"name":"check","status":"warning","output":"disk 91%"}]"#
        );
        assert_eq!(parse_results(&text).ok(), Some(results.to_vec()));
    }
}
