//! Running automation steps on this machine: each step's script goes to its interpreter, with a
//! time limit, its output captured (truncated to [`OUTPUT_LIMIT`]).
//!
//! Outcomes: exit status 0 with nothing on standard error is `success`; exit status 0 with
//! something on standard error is `warning`; anything else (non-zero exit, time limit, missing
//! interpreter) is `error` and stops the run: the remaining steps are not started. The run's
//! status is the worst of its steps.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use plumb_proto::agent::{RunReport, ScriptStep, StepReport};
use plumb_proto::v2::RunStatus;

/// Most bytes of output kept per step.
pub const OUTPUT_LIMIT: usize = 64 * 1024;

/// Runs the steps in order, stopping at the first error.
pub fn run_steps(steps: &[ScriptStep]) -> RunReport {
    let mut reports = Vec::with_capacity(steps.len());
    for step in steps {
        let report = run_step(step);
        let failed = report.status == RunStatus::Error;
        reports.push(report);
        if failed {
            break;
        }
    }
    RunReport {
        status: overall_status(&reports),
        steps: reports,
    }
}

/// A run's status from its executed steps: `error` if a step failed, else `warning` if one
/// warned, else `success` (a run without steps succeeds).
pub fn overall_status(steps: &[StepReport]) -> RunStatus {
    steps
        .iter()
        .map(|step| step.status)
        .max_by_key(|status| severity(*status))
        .unwrap_or(RunStatus::Success)
}

fn severity(status: RunStatus) -> u8 {
    match status {
        RunStatus::Pending | RunStatus::Running | RunStatus::Success => 0,
        RunStatus::Warning => 1,
        RunStatus::Canceled => 2,
        RunStatus::Error => 3,
    }
}

/// Runs one step.
pub fn run_step(step: &ScriptStep) -> StepReport {
    let report = |status, output: String| StepReport {
        name: step.name.clone(),
        status,
        output,
    };
    let Some((program, args)) = interpreter(&step.shell) else {
        return report(RunStatus::Error, format!("unknown shell `{}`", step.shell));
    };
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so a time limit stops the script's children too (they would keep
    // the output pipes open otherwise).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let spawned = command.spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => {
            return report(
                RunStatus::Error,
                format!("could not start {program}: {error}"),
            );
        }
    };
    // The script goes in on standard input, so no argument-length limit applies.
    if let Some(mut stdin) = child.stdin.take() {
        let script = step.script.clone();
        thread::spawn(move || {
            let _ = stdin.write_all(script.as_bytes());
        });
    }
    let stdout = child.stdout.take().map(collect);
    let stderr = child.stderr.take().map(collect);
    let limit = Duration::from_secs(u64::from(step.timeout_seconds.max(1)));
    let finished = wait(&mut child, limit);
    let (out, out_cut) = stdout
        .and_then(|reader| reader.join().ok())
        .unwrap_or_default();
    let (err, err_cut) = stderr
        .and_then(|reader| reader.join().ok())
        .unwrap_or_default();
    let mut output = String::from_utf8_lossy(&out).into_owned();
    output.push_str(&String::from_utf8_lossy(&err));
    truncate(&mut output, out_cut || err_cut);
    match finished {
        None => {
            output.push_str(&format!(
                "\nstopped: the step ran longer than {} s",
                limit.as_secs()
            ));
            report(RunStatus::Error, output)
        }
        Some(code) if code != 0 => {
            output.push_str(&format!("\nexit status {code}"));
            report(RunStatus::Error, output)
        }
        Some(_) if !err.is_empty() => report(RunStatus::Warning, output),
        Some(_) => report(RunStatus::Success, output),
    }
}

fn interpreter(shell: &str) -> Option<(&'static str, &'static [&'static str])> {
    match shell {
        "sh" => Some(("sh", &["-s"])),
        "bash" => Some(("bash", &["-s"])),
        "python3" => Some(("python3", &["-"])),
        "powershell" => Some(("pwsh", &["-NoProfile", "-NonInteractive", "-Command", "-"])),
        _ => None,
    }
}

/// Reads a pipe to its end on a thread, keeping at most [`OUTPUT_LIMIT`] bytes; the flag says
/// whether anything was dropped.
fn collect(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<(Vec<u8>, bool)> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut dropped = false;
        let mut buffer = [0u8; 8192];
        while let Ok(read) = pipe.read(&mut buffer) {
            if read == 0 {
                break;
            }
            let room = OUTPUT_LIMIT.saturating_sub(kept.len());
            dropped |= read > room;
            kept.extend_from_slice(&buffer[..read.min(room)]);
        }
        (kept, dropped)
    })
}

/// Waits for the child up to `limit`; kills it after. `None` means it was stopped.
fn wait(child: &mut Child, limit: Duration) -> Option<i32> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status.code().unwrap_or(-1)),
            Ok(None) if started.elapsed() < limit => thread::sleep(Duration::from_millis(20)),
            _ => {
                stop_group(child);
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Kills the child and, on Unix, every process of its group.
fn stop_group(child: &mut Child) {
    #[cfg(unix)]
    {
        // The group id is the child's pid (process_group(0) above); the kill command needs no
        // unsafe code.
        // `--` keeps the negative group id from being read as an option.
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
}

fn truncate(output: &mut String, dropped: bool) {
    if dropped || output.len() > OUTPUT_LIMIT {
        let mut end = OUTPUT_LIMIT;
        while !output.is_char_boundary(end) {
            end -= 1;
        }
        output.truncate(end);
        output.push_str("\n[output truncated]");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str, script: &str, timeout_seconds: u32) -> ScriptStep {
        ScriptStep {
            name: name.to_owned(),
            shell: "sh".to_owned(),
            script: script.to_owned(),
            timeout_seconds,
        }
    }

    #[test]
    fn a_clean_step_succeeds_with_its_output() {
        let report = run_step(&step("hello", "echo hello from $(hostname)", 10));
        assert_eq!(report.status, RunStatus::Success);
        assert!(report.output.starts_with("hello from "));
    }

    #[test]
    fn standard_error_with_exit_zero_is_a_warning() {
        let report = run_step(&step("warn", "echo careful >&2", 10));
        assert_eq!(report.status, RunStatus::Warning);
        assert!(report.output.contains("careful"));
    }

    #[test]
    fn a_failing_step_is_an_error_and_stops_the_run() {
        let steps = [
            step("ok", "true", 10),
            step("fail", "exit 3", 10),
            step("never", "echo never", 10),
        ];
        let report = run_steps(&steps);
        assert_eq!(report.status, RunStatus::Error);
        assert_eq!(report.steps.len(), 2);
        assert!(report.steps[1].output.contains("exit status 3"));
    }

    #[test]
    fn a_step_over_its_time_limit_is_stopped() {
        let started = Instant::now();
        let report = run_step(&step("slow", "sleep 30", 1));
        assert_eq!(report.status, RunStatus::Error);
        assert!(report.output.contains("longer than 1 s"));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn huge_output_is_truncated() {
        let report = run_step(&step("loud", "yes plumb | head -c 200000", 10));
        assert!(report.output.len() <= OUTPUT_LIMIT + 32);
        assert!(report.output.ends_with("[output truncated]"));
    }

    fn reported(statuses: &[RunStatus]) -> Vec<StepReport> {
        statuses
            .iter()
            .map(|status| StepReport {
                name: "step".to_owned(),
                status: *status,
                output: String::new(),
            })
            .collect()
    }

    #[test]
    fn a_run_is_an_error_if_any_step_errored_else_a_warning_if_any_warned_else_a_success() {
        use RunStatus::{Error, Success, Warning};
        assert_eq!(overall_status(&reported(&[])), Success);
        assert_eq!(overall_status(&reported(&[Success, Success])), Success);
        assert_eq!(overall_status(&reported(&[Success, Warning])), Warning);
        assert_eq!(overall_status(&reported(&[Warning, Success])), Warning);
        assert_eq!(overall_status(&reported(&[Warning, Error])), Error);
        assert_eq!(overall_status(&reported(&[Success, Error])), Error);
    }

    #[test]
    fn a_warning_step_does_not_stop_the_run() {
        let steps = [
            step("warn", "echo careful >&2", 10),
            step("next", "echo next", 10),
        ];
        let report = run_steps(&steps);
        assert_eq!(report.status, RunStatus::Warning);
        assert_eq!(report.steps.len(), 2);
        assert_eq!(report.steps[1].status, RunStatus::Success);
    }

    #[test]
    fn an_unknown_shell_is_an_error() {
        let mut unknown = step("cmd", "dir", 10);
        unknown.shell = "cmd.exe".to_owned();
        assert_eq!(run_step(&unknown).status, RunStatus::Error);
    }
}
