//! The rules an automation's fields must follow: name and description lengths, 1 to 50 steps,
//! known shells, scripts up to 64 KiB, step time limits of 1 second to a day.

use plumb_proto::agent::ScriptStep;

use crate::{DomainError, validate};

/// Longest automation or step name, in characters.
pub const NAME_MAX: usize = 200;
/// Longest description, in characters.
pub const DESCRIPTION_MAX: usize = 2000;
/// Most steps in an automation.
pub const STEPS_MAX: usize = 50;
/// Largest script, in bytes.
pub const SCRIPT_MAX: usize = 64 * 1024;
/// The shells (interpreters) a step may name.
pub const SHELLS: [&str; 4] = ["sh", "bash", "python3", "powershell"];
/// Longest step time limit, in seconds (one day).
pub const TIMEOUT_MAX: u32 = 86_400;
/// A step's time limit when none is given, in seconds.
pub const DEFAULT_TIMEOUT: u32 = 300;

/// A checked, trimmed name.
pub fn name(name: &str) -> Result<String, DomainError> {
    validate::text("name", name, NAME_MAX)
}

/// A checked description: blank becomes `None`.
pub fn description(description: Option<&str>) -> Result<Option<String>, DomainError> {
    match description.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => validate::text("description", text, DESCRIPTION_MAX).map(Some),
    }
}

/// Checked steps (names trimmed; scripts kept byte for byte).
pub fn steps(steps: Vec<ScriptStep>) -> Result<Vec<ScriptStep>, DomainError> {
    if steps.is_empty() || steps.len() > STEPS_MAX {
        return Err(DomainError::invalid(format!(
            "an automation needs 1 to {STEPS_MAX} steps"
        )));
    }
    steps
        .into_iter()
        .enumerate()
        .map(|(index, step)| {
            let number = index + 1;
            let name = validate::text(&format!("step {number}'s name"), &step.name, NAME_MAX)?;
            if !SHELLS.contains(&step.shell.as_str()) {
                return Err(DomainError::invalid(format!(
                    "step {number}'s shell must be one of {}",
                    SHELLS.join(", ")
                )));
            }
            if step.script.trim().is_empty() {
                return Err(DomainError::invalid(format!(
                    "step {number}'s script must not be empty"
                )));
            }
            if step.script.len() > SCRIPT_MAX {
                return Err(DomainError::invalid(format!(
                    "step {number}'s script must be at most {SCRIPT_MAX} bytes"
                )));
            }
            if !(1..=TIMEOUT_MAX).contains(&step.timeout_seconds) {
                return Err(DomainError::invalid(format!(
                    "step {number}'s timeout_seconds must be from 1 to {TIMEOUT_MAX}"
                )));
            }
            Ok(ScriptStep { name, ..step })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(shell: &str, script: &str, timeout_seconds: u32) -> ScriptStep {
        ScriptStep {
            name: " Step ".to_owned(),
            shell: shell.to_owned(),
            script: script.to_owned(),
            timeout_seconds,
        }
    }

    #[test]
    fn a_good_step_is_kept_with_its_name_trimmed() {
        let checked = steps(vec![step("bash", "echo hi\n", 300)]).unwrap();
        assert_eq!(checked[0].name, "Step");
        assert_eq!(checked[0].script, "echo hi\n");
    }

    #[test]
    fn unknown_shells_empty_or_huge_scripts_and_bad_timeouts_are_refused() {
        assert!(steps(vec![step("zsh", "echo", 300)]).is_err());
        assert!(steps(vec![step("sh", "  ", 300)]).is_err());
        assert!(steps(vec![step("sh", &"x".repeat(SCRIPT_MAX + 1), 300)]).is_err());
        assert!(steps(vec![step("sh", &"x".repeat(SCRIPT_MAX), 300)]).is_ok());
        assert!(steps(vec![step("sh", "echo", 0)]).is_err());
        assert!(steps(vec![step("sh", "echo", TIMEOUT_MAX + 1)]).is_err());
    }

    #[test]
    fn an_automation_needs_one_to_fifty_steps() {
        assert!(steps(vec![]).is_err());
        assert!(steps(vec![step("sh", "echo", 1); STEPS_MAX + 1]).is_err());
        assert!(steps(vec![step("sh", "echo", 1); STEPS_MAX]).is_ok());
    }

    #[test]
    fn a_blank_description_is_none() {
        assert_eq!(description(Some("   ")).unwrap(), None);
        assert!(description(Some(&"d".repeat(DESCRIPTION_MAX + 1))).is_err());
    }
}
