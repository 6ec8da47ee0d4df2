//! How automations are spelled in their columns: steps as a JSON array of `ScriptStep`
//! objects (name, shell, script, timeout_seconds); step results as a JSON array of `{"name",
//! "status", "output"}` objects, the agent's `StepReport` form, whose status is a run status in
//! snake_case (`"success"`).

use plumb_core::StoreError;
use plumb_core::store::StepResult;
use plumb_proto::agent::{ScriptStep, StepReport};
use plumb_proto::v2::RunStatus;

use crate::codec::damaged;

/// The stored form of a list of steps.
pub(crate) fn steps_text(steps: &[ScriptStep]) -> String {
    // Strings and integers always serialise.
    serde_json::to_string(steps).unwrap_or_else(|_| "[]".to_owned())
}

/// Reads stored steps.
pub(crate) fn parse_steps(text: &str) -> Result<Vec<ScriptStep>, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged("automation steps"))
}

/// The stored form of step results.
pub(crate) fn results_text(results: &[StepResult]) -> String {
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
pub(crate) fn parse_results(text: &str) -> Result<Vec<StepResult>, StoreError> {
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
pub(crate) fn status_text(status: RunStatus) -> &'static str {
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
pub(crate) fn parse_status(text: &str) -> Result<RunStatus, StoreError> {
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
